"""Live chat on a support case in the staff console: transcript, replies and notes, canned replies, take and close."""
