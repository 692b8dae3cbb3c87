"""The live event bus: small JSON events (a name and ids, never personal data) published after a commit and
delivered to every subscriber of every backend worker: in-process, over Redis pub/sub, or PostgreSQL LISTEN/NOTIFY."""
