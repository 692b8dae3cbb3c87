"""The staff API: queues of requests awaiting a person, a borrower card, and decisions told to the borrower."""
