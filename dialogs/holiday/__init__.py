"""The payment-holiday dialog: its entry, the wizard and its draft, the rules shown, the review and the status."""
