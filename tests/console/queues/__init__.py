"""The console's queues: pages and actions over HTTP, and in headless Chromium."""
