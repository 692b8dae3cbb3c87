"""Linking a Telegram account to a borrower: shared phone plus a second factor, with a lock-out."""
