"""The fake Bot API server: an aiohttp app on 127.0.0.1 that delivers, records and refuses like Telegram."""

import asyncio
import json
import math
import time
from collections.abc import Callable, Mapping
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from fake_bot_api.limits import OVERALL, PER_CHAT, PER_GROUP, Limit, Window
from fake_bot_api.records import Delivery, Rejection, Topic
from fake_bot_api.replies import Refusal, attachment, message, ok

SENDING_METHODS = ("sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage")
TOPIC_CHANGES = ("editForumTopic", "closeForumTopic", "reopenForumTopic", "deleteForumTopic")
#: What a dialog does besides sending (answer a button, edit or drop its keyboard, announce its commands): accepted,
#: not recorded and not limited, as Telegram counts only messages. A webhook set is kept in `FakeBotApi.webhooks`.
ACKNOWLEDGED = ("answerCallbackQuery", "setMyCommands", "setMyDescription", "setMyShortDescription", "deleteWebhook")
EDITS = ("editMessageText", "editMessageReplyMarkup")
_FILE_FIELDS = {"sendDocument": "document", "sendPhoto": "photo"}
_DEFAULT_ICON_COLOR = 0x6FB9F0  # the colour Telegram picks when the bot names none


class FakeBotApi:
    """`async with FakeBotApi() as fake:` serves `fake.url` (the base for `TelegramAPIServer.from_base`).

    Sends are limited as Telegram does: `overall` across all chats, `per_chat` into one private chat (positive id),
    `per_group` into one group (negative id); windows slide over `clock` (monotonic seconds) read when a request has
    arrived, and only delivered messages count. A message that would break a limit gets a 429 with the whole seconds
    until it would fit. `block`, `forget`, `fail` and `delete_topic` make chosen chats and topics misbehave; `refuse`
    makes the next messages fail on demand (a 429 with its retry_after, kept as Telegram keeps a flood wait, or a 5xx);
    each callable in `listeners` is told of every delivery as it is recorded (a load bench times replies by it).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        overall: Limit = OVERALL,
        per_chat: Limit = PER_CHAT,
        per_group: Limit = PER_GROUP,
        poll_wait: float = 0.1,
    ) -> None:
        self.url = ""
        self.deliveries: list[Delivery] = []
        self.rejections: list[Rejection] = []
        self.topics: dict[tuple[int, int], Topic] = {}  # (chat_id, message_thread_id) -> topic
        self.webhooks: list[str] = []  # the URLs of setWebhook, in order (a replica in webhook mode sets one at start)
        self.listeners: list[Callable[[Delivery], None]] = []
        self.poll_wait = poll_wait  # longest getUpdates wait, so a polling bot neither spins nor stalls shutdown
        self._clock = clock
        self._per_chat, self._per_group = per_chat, per_group
        self._overall = Window(overall)
        self._chat_windows: dict[int, Window] = {}
        self._last_message_id: dict[int, int] = {}
        self._blocked: set[int] = set()
        self._forgotten: set[int] = set()
        self._failures: dict[int, tuple[int | None, int]] = {}  # chat_id -> (failures left or None, status)
        self._refusals: list[list] = []  # [chat_id or None, status, retry_after, times left], the oldest first
        self._flood_until = -math.inf  # an injected 429's wait: every message before it is refused too
        self._chat_methods: dict[str, Callable[[str, int, Mapping[str, Any], float], Any]] = {
            **dict.fromkeys(SENDING_METHODS, self._send),
            "createForumTopic": self._create_topic,
            **dict.fromkeys(TOPIC_CHANGES, self._change_topic),
        }
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner, self.url = await serve_on_loopback(app)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # Misbehaviour, set by the tests.
    def block(self, chat_id: int) -> None:
        """Every request for the chat gets 403: the borrower blocked the bot."""
        self._blocked.add(chat_id)

    def forget(self, chat_id: int) -> None:
        """Every request for the chat gets 400 chat not found."""
        self._forgotten.add(chat_id)

    def fail(self, chat_id: int, times: int | None = None, status: int = 500) -> None:
        """The next `times` (at least 1; None: all) requests for the chat get a 5xx `status`."""
        self._failures[chat_id] = (times, status)

    def refuse(
        self, status: int, *, times: int = 1, chat_id: int | None = None, retry_after: int | None = None
    ) -> None:
        """The next `times` messages (into `chat_id`, else into any chat) are refused with `status`, whatever the
        windows say: a 429 with `retry_after` seconds, during which every message is refused again, as Telegram
        does to a bot that does not wait; or a 5xx, Telegram failing on its side (nothing is delivered)."""
        if status == HTTPStatus.TOO_MANY_REQUESTS and not retry_after:
            raise ValueError("a 429 says how long to wait")
        self._refusals.append([chat_id, int(status), retry_after, times])

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Staff delete a topic in the Telegram app."""
        del self.topics[(chat_id, thread_id)]

    # Records.
    def delivered_to(self, chat_id: int) -> list[Delivery]:
        return [d for d in self.deliveries if d.chat_id == chat_id]

    @property
    def count_429(self) -> int:
        return sum(1 for r in self.rejections if r.error_code == HTTPStatus.TOO_MANY_REQUESTS)

    # The server.
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post()
        if method == "getMe":
            bot_id = int(request.match_info["token"].split(":")[0])
            return ok({"id": bot_id, "is_bot": True, "first_name": "Fake Bot API", "username": "fake_bot"})
        if method == "getUpdates":
            await asyncio.sleep(min(float(form.get("timeout", 0)), self.poll_wait))
            return ok([])
        if method in ACKNOWLEDGED:
            return ok(True)
        if method == "setWebhook":
            self.webhooks.append(form["url"])
            return ok(True)
        if method in EDITS:
            chat_id, message_id = int(form["chat_id"]), int(form["message_id"])
            markup = json.loads(form["reply_markup"]) if "reply_markup" in form else None
            edited = {"text": form.get("text", "…")} | ({"reply_markup": markup} if markup else {})
            return ok(message(chat_id, message_id, **edited))
        handler = self._chat_methods.get(method)
        if handler is None:
            return Refusal(HTTPStatus.NOT_FOUND, "Not Found").response()
        chat_id = int(form["chat_id"])
        now = self._clock()  # after the body is read: from here to the answer nothing awaits, so windows stay ordered
        try:
            self._check_chat(chat_id)
            return ok(handler(method, chat_id, form, now))
        except Refusal as refusal:
            self.rejections.append(Rejection(method, chat_id, refusal.status, refusal.retry_after, now))
            return refusal.response()

    def _check_chat(self, chat_id: int) -> None:
        if chat_id in self._forgotten:
            raise Refusal(HTTPStatus.BAD_REQUEST, "Bad Request: chat not found")
        if chat_id in self._blocked:
            raise Refusal(HTTPStatus.FORBIDDEN, "Forbidden: bot was blocked by the user")
        if chat_id in self._failures:
            times, status = self._failures[chat_id]
            if times == 1:
                del self._failures[chat_id]
            elif times is not None:
                self._failures[chat_id] = (times - 1, status)
            raise Refusal(status, HTTPStatus(status).phrase)

    def _send(self, method: str, chat_id: int, form: Mapping[str, Any], now: float) -> dict[str, Any]:
        thread_id = int(form["message_thread_id"]) if "message_thread_id" in form else None
        if thread_id is not None:
            self._open_topic(chat_id, thread_id)
        self._refuse_on_demand(chat_id, now)
        self._throttle(chat_id, now)
        message_id = self._next_message_id(chat_id)
        content = {key: form[key] for key in ("text", "caption") if key in form}
        file_name = file_id = None
        if field := _FILE_FIELDS.get(method):
            file_name, file_id = _file(form, field, new_id=f"{field}-{chat_id}-{message_id}")
            content[field] = attachment(field, file_id, file_name)
        markup = json.loads(form["reply_markup"]) if "reply_markup" in form else None
        source = (int(form["from_chat_id"]), int(form["message_id"])) if "from_chat_id" in form else None
        text = content.get("text") or content.get("caption")
        delivery = Delivery(method, chat_id, message_id, text, thread_id, file_name, file_id, markup, source, now)
        self.deliveries.append(delivery)
        for listener in self.listeners:
            listener(delivery)
        if method == "copyMessage":
            return {"message_id": message_id}
        if thread_id is not None:
            content |= {"message_thread_id": thread_id, "is_topic_message": True}
        if markup and "inline_keyboard" in markup:  # Telegram echoes only inline keyboards in the Message
            content["reply_markup"] = markup
        return message(chat_id, message_id, **content)

    def _open_topic(self, chat_id: int, thread_id: int) -> None:
        topic = self.topics.get((chat_id, thread_id))
        if topic is None:
            raise Refusal(HTTPStatus.BAD_REQUEST, "Bad Request: message thread not found")
        if topic.closed:
            raise Refusal(HTTPStatus.BAD_REQUEST, "Bad Request: TOPIC_CLOSED")

    def _refuse_on_demand(self, chat_id: int, now: float) -> None:
        if now < self._flood_until:
            raise Refusal.too_many_requests(math.ceil(self._flood_until - now))
        for refusal in self._refusals:
            target, status, retry_after, _ = refusal
            if target is not None and target != chat_id:
                continue
            refusal[3] -= 1
            if refusal[3] == 0:
                self._refusals.remove(refusal)
            if status == HTTPStatus.TOO_MANY_REQUESTS:
                self._flood_until = now + retry_after
                raise Refusal.too_many_requests(retry_after)
            raise Refusal(status, HTTPStatus(status).phrase)

    def _throttle(self, chat_id: int, now: float) -> None:
        window = self._chat_windows.get(chat_id)
        if window is None:
            window = self._chat_windows[chat_id] = Window(self._per_chat if chat_id > 0 else self._per_group)
        wait = max(self._overall.wait(now), window.wait(now))
        if wait > 0:
            raise Refusal.too_many_requests(math.ceil(wait))
        self._overall.add(now)
        window.add(now)

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = message_id = self._last_message_id.get(chat_id, 0) + 1
        return message_id

    def _create_topic(self, method: str, chat_id: int, form: Mapping[str, Any], now: float) -> dict[str, Any]:
        thread_id = self._next_message_id(chat_id)  # a topic's id is that of its service message "topic created"
        topic = Topic(form["name"], int(form.get("icon_color", _DEFAULT_ICON_COLOR)))
        self.topics[(chat_id, thread_id)] = topic
        return {"message_thread_id": thread_id, "name": topic.name, "icon_color": topic.icon_color}

    def _change_topic(self, method: str, chat_id: int, form: Mapping[str, Any], now: float) -> bool:
        key = (chat_id, int(form["message_thread_id"]))
        topic = self.topics.get(key)
        if topic is None:
            raise Refusal(HTTPStatus.BAD_REQUEST, "Bad Request: message thread not found")
        if method == "editForumTopic":
            topic.name = form.get("name", topic.name)
        elif method == "deleteForumTopic":
            del self.topics[key]
        else:
            topic.closed = method == "closeForumTopic"
        return True


def _file(form: Mapping[str, Any], field: str, new_id: str) -> tuple[str | None, str]:
    """(file name, file id) of a sent file: an upload (`attach://<part>`) gets `new_id`, a file id is reused."""
    value = form[field]
    if value.startswith("attach://"):
        return form[value.removeprefix("attach://")].filename, new_id
    return None, value


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, str]:
    """`app` served on a free port of 127.0.0.1: its runner (to clean up) and its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"
