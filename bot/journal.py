"""The chat's journal: its last dialog steps (for the staff's card when a person is asked for) and how many messages
in a row the bot did not understand. Kept apart from the dialog's data, so leaving a dialog does not wipe it."""

from dataclasses import dataclass, field

KEPT_STEPS = 10
MAX_STEP_LENGTH = 200


@dataclass
class Journal:
    steps: list[str] = field(default_factory=list)
    misses: int = 0
    missed_now: bool = False

    def miss(self) -> int:
        """Count a message the bot did not understand; the number in a row so far."""
        self.missed_now = True
        self.misses += 1
        return self.misses

    def record(self, step: str) -> None:
        """Close the update: its step joins the log, and an understood one ends a run of misses."""
        if not self.missed_now:
            self.misses = 0
        self.steps = [*self.steps, step[:MAX_STEP_LENGTH]][-KEPT_STEPS:]
        self.missed_now = False

    def as_data(self) -> dict:
        return {"steps": self.steps, "misses": self.misses}

    @classmethod
    def from_data(cls, data: dict) -> "Journal":
        return cls(steps=list(data.get("steps", [])), misses=int(data.get("misses", 0)))
