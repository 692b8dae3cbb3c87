"""The insurance dialog: its entry, the covers overview, the policy upload and the renewal quote."""
