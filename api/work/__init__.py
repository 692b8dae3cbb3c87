"""Staff work items: the queues, who holds which item, and the decisions made on them (the console's domain)."""
