"""Typed requests: a borrower's free text read as a request (`bot/intents/`) and led to its dialog, asked about when
the reader is not sure, offered a switch in the middle of a form."""
