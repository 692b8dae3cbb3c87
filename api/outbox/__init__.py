"""The outbox: what borrowers must be told, planned and recorded here, claimed and sent by the scheduler."""

from api.outbox.enqueue import Push, enqueue

__all__ = ["Push", "enqueue"]
