"""Insurance on a loan: the policies, uploads of a renewed policy for review, and renewal quote requests."""
