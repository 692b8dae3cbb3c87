"""The borrower-facing Telegram bot: application factory, middlewares, the backend client and shared UI helpers."""
