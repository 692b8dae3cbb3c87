"""Console sign-in: argon2 passwords, TOTP codes, database sessions, the lock-out and the sign-in pages."""
