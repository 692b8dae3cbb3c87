"""A borrower's loans: summary and progress, schedule, early-repayment estimate."""
