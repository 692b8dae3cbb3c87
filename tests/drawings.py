"""Drawings for the tests of where pictures are drawn (the backend's certificates, the bot's charts): module-level, so
a worker process can unpickle them."""

import os
from pathlib import Path


def pid() -> bytes:
    """The drawing process's id."""
    return str(os.getpid()).encode()


def dies_the_first_time(marker: Path) -> bytes:
    """Its process dies the first time (no marker yet), as one killed by the kernel would; draws the next time."""
    if not marker.exists():
        marker.write_text("died")
        os._exit(1)
    return b"drawn " + pid()
