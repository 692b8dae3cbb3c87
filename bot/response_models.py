"""Keeps the answer model of each Bot API method the bot calls, so pydantic does not build it again for each send.

aiogram reads every answer of the Bot API into `Response[T]` of the method's return type. pydantic keeps the classes
it builds for such parameters only by weak reference, so once the garbage collector has run (it often does under
load) the next answer builds the class again, schema and validator: in `bench/load.py`'s profile about 1.6 ms of a
send. One strong reference per return type makes each later one a lookup.
"""

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class KeptResponseModels(BaseRequestMiddleware):
    def __init__(self) -> None:
        self._kept: dict[Any, type[Response[Any]]] = {}

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._kept:
            self._kept[returning] = Response[returning]
        return await make_request(bot, method)
