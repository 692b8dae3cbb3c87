"""The console's queues: an overview with counts, a page per queue, an item's panel with its hold and its decision."""
