"""Support cases: the borrower asks for a person; one case at a time, with the staff's expected response time."""
