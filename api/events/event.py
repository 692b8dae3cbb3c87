"""One live event: a dotted name (`case.message`, `queue.changed`) and the ids it is about; the page loads the rows.

Only integers ride along, so no name, phone or text can leak into the bus (or a browser's event stream)."""

import json
import re
from dataclasses import dataclass, field

_NAME = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
_ID_KEY = re.compile(r"^[a-z][a-z_]*$")
#: A NOTIFY payload is limited to 8000 bytes; an event is a name and a few ids, far below.
MAX_BYTES = 1000


@dataclass(frozen=True)
class Event:
    name: str
    ids: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"event name {self.name!r} is not dotted lowercase words")
        for key, value in self.ids.items():
            if not _ID_KEY.match(key) or type(value) is not int:
                raise ValueError(f"event {self.name}: {key!r} must name an integer id")

    def to_json(self) -> str:
        text = json.dumps({"name": self.name, "ids": self.ids}, separators=(",", ":"), sort_keys=True)
        if len(text.encode()) > MAX_BYTES:
            raise ValueError(f"event {self.name} is too large for the bus")
        return text

    @classmethod
    def from_json(cls, text: str | bytes) -> "Event":
        data = json.loads(text)
        return cls(name=data["name"], ids=dict(data.get("ids", {})))
