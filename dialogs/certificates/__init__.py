"""The certificate dialog: its entry, the questions asked, the deduction overview and the list of requests."""
