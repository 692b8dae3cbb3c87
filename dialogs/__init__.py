"""The borrower's and the staff's dialogs, one state machine per module (assembled in `dialogs.router`)."""
