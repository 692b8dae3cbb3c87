"""Chat-state snapshots: each step of a walk into a dialog state is made once a worker, saved, and put back after.

Walking a fresh chat in from /start through real linking costs 0.1 s, reaching a deep holiday state up to 0.8 s, and
most bot tests begin with such a walk. A walk from a pristine test (a clean database, an empty FSM storage, an offline
Telegram that has sent nothing) is made step by step, and after each step everything the walk has left so far is
saved under the steps made (steps are values, tests/bot/steps.py) and what else it depends on (the chat's language,
phone and name, the clock's time, the database's base, the fixtures it runs on): the rows it wrote (`resets.save`),
the chat's FSM records (state, draft, journal), the Bot API calls and the message and update counters, the keyboards
the chat was shown, the backend requests the switch counted, the cached profile, the flood window's count. A later
walk from a pristine test puts back the longest beginning saved, the Telegram id swapped when its chat has another and
wall-clock stamps moved to now, and walks on for real from there; it returns the last step's calls as the walk would.
Anything less than pristine (a second chat in a test, rows written first) walks for real.

`CHAT_SNAPSHOTS=check` walks for real every time and fails when what a walk left differs from the snapshot of the
same steps (Message dates, wall-clock stamps and the holiday draft's random idempotency key aside);
`CHAT_SNAPSHOTS=off` always walks.
"""

import copy
import itertools
import json
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage, MemoryStorageRecord
from aiogram.types import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.flood_windows import MemoryWindows
from bot.middlewares.flood import FloodControl
from bot.offline import Call, OfflineChat, OfflineSession
from bot.profiles import MemoryProfiles, ProfileCache
from tests import resets
from tests.bot.switch import Switch

Step = Callable[[OfflineChat], Awaitable[list[Call]]]
MODE = os.environ.get("CHAT_SNAPSHOTS", "on")

#: The fixtures a walk's outcome depends on; a test module that overrides one gets snapshots of its own.
FIXTURES = ("app", "settings", "clock", "engine", "bot_settings", "switch", "backend", "storage", "dispatcher")
FIXTURES += ("session", "bot", "chat_factory")


@dataclass(frozen=True)
class Walked:
    """What a walk left behind, for the chat `user_id`."""

    user_id: int
    rows: resets.Saved
    #: The chat's FSM records by their keys: (state, data).
    records: dict[StorageKey, tuple[str | None, dict[str, Any]]]
    log: tuple[Call, ...]
    #: Where the last step's calls begin in `log`.
    last: int
    message_ids: int
    files: dict[str, bytes]
    inline_keyboards: dict[int, InlineKeyboardMarkup]
    reply_keyboard: ReplyKeyboardMarkup | None
    backend_calls: tuple[str, ...]
    #: The cached profile as (seconds left, profile), or None.
    profile: tuple[float, Any] | None
    #: Updates the flood window counted for the chat.
    flood: int
    #: How far the walk moved the test clock.
    moved: Any
    #: The wall-clock time the walk began and ended: rows stamped in between (an audit entry's `at`) are stamped
    #: with the time of the walk, which a put-back walk moves to its own time.
    wall: tuple[datetime, datetime]


def _peek(counter: itertools.count) -> tuple[int, itertools.count]:
    """The counter's next value and a counter that still yields it."""
    value = next(counter)
    return value, itertools.count(value)


@dataclass
class Walker:
    """A test's view of everything a walk touches, so a walk can be saved and put back."""

    dispatcher: Dispatcher
    bot: Bot
    session: OfflineSession
    switch: Switch
    engine: AsyncEngine
    app: Any
    clock: Any
    signature: tuple

    @property
    def storage(self) -> Any:
        return self.dispatcher.fsm.storage

    @property
    def profiles(self) -> ProfileCache:
        return self.dispatcher["profiles"]

    @property
    def flood(self) -> MemoryWindows | None:
        """The flood control's windows, when they are this process's own."""
        control = next((m for m in self.dispatcher.update.outer_middleware if isinstance(m, FloodControl)), None)
        windows = getattr(control, "_windows", None)
        return windows if isinstance(windows, MemoryWindows) else None

    @property
    def kept(self) -> MemoryProfiles | None:
        """The profile cache's store, when it is this process's own."""
        store = self.profiles._store
        return store if isinstance(store, MemoryProfiles) else None

    def _usable(self) -> bool:
        """A dispatcher and a Telegram of the kinds a snapshot can hold, with nothing happened yet."""
        flood = self.flood
        message_ids, self.session.message_ids = _peek(self.session.message_ids)
        return (
            type(self.session) is OfflineSession
            and isinstance(self.storage, MemoryStorage)
            and self.dispatcher.get("staff_room") is None
            and self.dispatcher["backend"]._http._transport is self.switch
            and flood is not None
            and flood._clock is time.monotonic
            and self.kept is not None
            and self.kept._clock is time.monotonic
            and not self.session.log
            and not self.session.files
            and message_ids == 1
            and not any(record.state or record.data for record in self.storage.storage.values())
            and self.switch.mode == "up"
            and not self.kept._entries
            and not flood._seen
            and not flood._warned_until
            and not getattr(self.app.state.events, "_subscribers", None)
        )

    async def key(self, chat: OfflineChat) -> tuple | None:
        """What a walk of `chat` depends on besides its steps, or None when the test is not pristine."""
        if MODE == "off" or not self._usable():
            return None
        base = await resets.clean(self.engine)
        if base is None:
            return None
        return (base, self.clock.now, self.signature, chat.language_code, chat.phone, chat.first_name)

    async def capture(self, base: str, chat: OfflineChat, last: int, marks: "_Marks") -> Walked:
        rows = await resets.save(self.engine, base)
        records = {
            key: (record.state, copy.deepcopy(record.data))
            for key, record in self.storage.storage.items()
            if key.user_id == chat.user_id and (record.state or record.data)
        }
        message_ids, self.session.message_ids = _peek(self.session.message_ids)
        entry = self.kept._entries.get(chat.user_id)
        flood = self.flood
        return Walked(
            user_id=chat.user_id,
            rows=rows,
            records=records,
            log=tuple(self.session.log),
            last=last,
            message_ids=message_ids,
            files=dict(self.session.files),
            inline_keyboards=dict(chat.inline_keyboards),
            reply_keyboard=chat.reply_keyboard,
            backend_calls=tuple(self.switch.calls[marks.requests :]),
            profile=None if entry is None else (entry[0] - self.kept._clock(), entry[1]),
            flood=len(flood._seen.get(chat.user_id, ())) if flood else 0,
            moved=self.clock.now - marks.clock,
            wall=(marks.began, max(datetime.now(UTC), marks.until)),
        )

    async def restore(self, walked: Walked, chat: OfflineChat, marks: "_Marks") -> tuple[list[Call], "_Marks"]:
        """Put `walked` back for `chat` (a fresh one): the calls of the walk's last step, and the walk's marks with
        its wall-clock time begun now."""
        old, new = walked.user_id, chat.user_id
        rows = walked.rows.swapped("telegram_user_id", old, new) if old != new else walked.rows
        began, ended = walked.wall
        now = datetime.now(UTC)
        await resets.load(self.engine, _stamped(rows, lambda at: at + (now - began) if began <= at <= ended else at))
        for key, (state, data) in _records(walked.records, old, new).items():
            self.storage.storage[key] = MemoryStorageRecord(data=copy.deepcopy(data), state=state)
        log = [_swapped(call, old, new, self.bot) for call in walked.log]
        self.session.log.extend(log)
        self.session.message_ids = itertools.count(walked.message_ids)
        self.session.files.update(walked.files)
        # the chat keeps drawing update ids from the process's one sequence (as Telegram numbers a bot's updates):
        # a restored chat beside a walked one never repeats an id, which the once-only middleware would drop
        chat.inline_keyboards.update(walked.inline_keyboards)
        chat.reply_keyboard = walked.reply_keyboard
        self.switch.calls.extend(walked.backend_calls)
        if walked.profile is not None:
            left, profile = walked.profile
            self.kept._entries[new] = (self.kept._clock() + left, profile)
        flood = self.flood
        if walked.flood and flood is not None:
            flood._seen[new] = deque([flood._clock()] * walked.flood)
        self.clock.now += walked.moved
        return log[walked.last :], replace(marks, began=now, until=now + (ended - began))

    async def walk(self, chat: OfflineChat, steps: Sequence[Step]) -> list[Call]:
        """Walk `chat` (fresh from the factory) through `steps`, the calls of the last step; the longest beginning of
        the walk saved before is put back instead of walked, and each further step is saved as it is made."""
        steps = tuple(steps)
        head = await self.key(chat)
        marks = _Marks(self.clock.now, datetime.now(UTC), datetime.now(UTC), len(self.switch.calls))
        done, calls = 0, []
        if head is not None and MODE != "check":
            done = next((n for n in range(len(steps), 0, -1) if (*head, steps[:n]) in _SNAPSHOTS), 0)
            if done:
                calls, marks = await self.restore(_SNAPSHOTS[(*head, steps[:done])], chat, marks)
        for made in range(done + 1, len(steps) + 1):
            last = len(self.session.log)
            calls = await steps[made - 1](chat)
            if head is None:
                continue
            if calls != self.session.log[last:]:  # something came after the step's answer: save no more
                head = None
                continue
            walked = await self.capture(head[0], chat, last, marks)
            found = _SNAPSHOTS.setdefault((*head, steps[:made]), walked)
            if found is not walked:
                assert_same(walked, found, self.bot)
        return calls


@dataclass(frozen=True)
class _Marks:
    """Where a walk began: the test clock, the wall clock (and the earliest its stamps may end), the requests."""

    clock: Any
    began: datetime
    until: datetime
    requests: int


#: Walks saved in this process, by their key.
_SNAPSHOTS: dict[tuple, Walked] = {}


def signature(request: pytest.FixtureRequest) -> tuple:
    """The definitions of the fixtures a walk depends on, as this test resolves them."""
    defs = request.node._fixtureinfo.name2fixturedefs
    return tuple(
        (name, defs[name][-1].func.__module__, defs[name][-1].func.__qualname__) for name in FIXTURES if name in defs
    )


def _stamped(saved: resets.Saved, stamp: Callable[[datetime], Any]) -> resets.Saved:
    """`saved` with every timestamp in its rows passed through `stamp`."""

    def restamp(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
        return {
            name: [{k: stamp(v) if isinstance(v, datetime) else v for k, v in row.items()} for row in rows]
            for name, rows in tables.items()
        }

    return replace(saved, added=restamp(saved.added), whole=restamp(saved.whole))


def _records(records: dict[StorageKey, Any], old: int, new: int) -> dict[StorageKey, Any]:
    """The FSM records with the chat `old`'s keys made the chat `new`'s."""
    return {
        replace(key, chat_id=new if key.chat_id == old else key.chat_id, user_id=new): value
        for key, value in records.items()
    }


def _swapped(call: Call, old: int, new: int, bot: Bot) -> Call:
    """`call` as the chat `new` would have had it (the chat id in the method and the message answered)."""
    method = call.method
    if getattr(method, "chat_id", None) == old:
        method = method.model_copy(update={"chat_id": new})
    else:
        method = method.model_copy()
    method.as_(bot)
    result = call.result
    if isinstance(result, Message):
        chat = result.chat.model_copy(update={"id": new}) if result.chat.id == old else result.chat
        result = result.model_copy(update={"chat": chat}).as_(bot)
    return Call(method, result)


def _unnumbered(method: Any) -> dict:
    """A call as compared with a real walk's: a button press's id is drawn from the process's update ids."""
    plain = _plain(method) | {"type": type(method).__name__}
    plain.pop("callback_query_id", None)
    return plain


def _plain(value: Any) -> Any:
    """A value as comparable JSON, the wall-clock dates of messages left out."""

    def scrub(item: Any) -> Any:
        if hasattr(item, "model_dump"):
            return scrub(item.model_dump(mode="python"))
        if isinstance(item, dict):
            return {str(k): scrub(v) for k, v in item.items() if k != "date"}
        if isinstance(item, list | tuple):
            return [scrub(v) for v in item]
        return item

    return json.loads(json.dumps(scrub(value), default=lambda o: repr(getattr(o, "data", o)), sort_keys=True))


#: Draft fields drawn at random when a dialog begins (the idempotency keys: the holiday application's in its draft,
#: the others among the chat's data): a snapshot keeps the one its walk drew, a real walk draws another.
RANDOM = (
    ("holiday", "key"),
    *(
        (None, name)
        for name in ("key", "rating_key", "person_key", "insurance_key", "refi_key", "early_key", "proof_key")
    ),
)
#: ... and the column the backend keeps it in.
RANDOM_COLUMN = "idempotency_key"


def _unrandom(saved: resets.Saved) -> resets.Saved:
    """The rows with their random column blanked."""

    def blank(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
        return {
            name: [row | {RANDOM_COLUMN: "random"} if RANDOM_COLUMN in row else row for row in rows]
            for name, rows in tables.items()
        }

    return replace(saved, added=blank(saved.added), whole=blank(saved.whole))


def _unkeyed(records: dict[StorageKey, Any]) -> dict[StorageKey, Any]:
    """The records with the random draft fields blanked."""
    plain = copy.deepcopy(records)
    for _, data in plain.values():
        for draft, name in RANDOM:
            fields = data if draft is None else data.get(draft)
            if isinstance(fields, dict) and name in fields:
                fields[name] = "random"
    return plain


def assert_same(walked: Walked, found: Walked, bot: Bot) -> None:
    """The real walk `walked` left just what putting `found` back for its chat would have."""
    old, new = found.user_id, walked.user_id

    def wall(walk: Walked) -> Callable[[datetime], Any]:
        return lambda at: "wall clock" if walk.wall[0] <= at <= walk.wall[1] else at

    walked = replace(walked, rows=_unrandom(_stamped(walked.rows, wall(walked))))
    expected = replace(
        found,
        user_id=new,
        rows=_unrandom(
            _stamped(found.rows.swapped("telegram_user_id", old, new) if old != new else found.rows, wall(found))
        ),
        records=_records(found.records, old, new),
        log=tuple(_swapped(call, old, new, bot) for call in found.log),
    )
    for part in ("added", "whole", "sequences"):
        got, want = getattr(walked.rows, part), getattr(expected.rows, part)
        differ = {t: (got.get(t), want.get(t)) for t in got.keys() | want.keys() if got.get(t) != want.get(t)}
        assert not differ, f"the snapshot's rows ({part}) differ from a real walk's: {differ}"
    walked, expected = (replace(walk, records=_unkeyed(walk.records)) for walk in (walked, expected))
    for name in ("records", "last", "message_ids", "files", "backend_calls", "flood", "moved"):
        got, want = getattr(walked, name), getattr(expected, name)
        assert got == want, f"the snapshot's {name} differ from a real walk's: {got!r} != {want!r}"
    assert [_unnumbered(c.method) for c in walked.log] == [_unnumbered(c.method) for c in expected.log], (
        "the snapshot's Bot API calls differ from a real walk's"
    )
    assert [_plain(c.result) for c in walked.log] == [_plain(c.result) for c in expected.log]
    assert _plain(walked.inline_keyboards) == _plain(expected.inline_keyboards)
    assert _plain(walked.reply_keyboard) == _plain(expected.reply_keyboard)
    assert (walked.profile is None) == (expected.profile is None)
    if walked.profile is not None:
        assert walked.profile[1] == expected.profile[1]
