"""Times every HTTP answer into `REQUEST_SECONDS`, labelled by the route's template once routing has matched it."""

import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.ops.metrics import REQUEST_SECONDS

#: The probes and the scrape itself are not the traffic an operator wants timed.
UNTIMED = frozenset({"/healthz", "/readyz", "/metrics", "/api/v1/healthz"})


class RequestTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNTIMED:
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            seconds = time.perf_counter() - began
            REQUEST_SECONDS.labels(scope["method"], route_template(scope), str(status)).observe(seconds)


def route_template(scope: Scope) -> str:
    """The matched route's template, the path with each path parameter's value put back as `{name}`
    (`/api/v1/me/loans/{loan_id}/summary`); one label for whatever matched no route (scanners, typos).

    Read from the path and its parameters, which routing leaves in the scope, rather than from the route object,
    whose path FastAPI's included routers hold without their prefix."""
    if "endpoint" not in scope:
        return "unmatched"
    path = scope["path"]
    params = sorted(scope.get("path_params", {}).items(), key=lambda item: -len(str(item[1])))
    for name, value in params:
        path = re.sub(rf"(?<=/){re.escape(str(value))}(?=/|$)", "{" + name + "}", path, count=1)
    return path
