"""The bot's application layer: the dispatcher with every dialog and the runner that serves it; the one part of
`bot/` that imports `dialogs/` (the rest of `bot/` is the toolkit the dialogs are built with)."""
