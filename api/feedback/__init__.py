"""Feedback: 1–5 ratings of what the bot delivered, and the once-a-week limit on asking for them."""
