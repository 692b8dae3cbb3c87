"""The scheduler: plans reminders through the backend, then pushes the outbox to Telegram within its limits."""
