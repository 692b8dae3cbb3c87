"""The proxy in front of the replicas (bench/proxy.py): requests alternate between the upstreams, with their method,
path, headers and body; one that refuses the connection is passed over for the next, and none answering is a 502."""

import httpx
from aiohttp import web

from bench.api_balance import free_port
from bench.proxy import AlternatingProxy


async def _upstream(name: str) -> tuple[web.AppRunner, str]:
    async def echo(request: web.Request) -> web.Response:
        body = await request.text()
        secret = request.headers.get("X-Secret", "")
        return web.json_response({"name": name, "path": request.path, "body": body, "secret": secret}, status=201)

    app = web.Application()
    app.router.add_route("*", "/{path:.*}", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


async def test_requests_alternate_and_a_dead_upstream_is_passed_over():
    first, first_url = await _upstream("first")
    second, second_url = await _upstream("second")
    try:
        async with AlternatingProxy([first_url, second_url]) as proxy, httpx.AsyncClient() as client:
            answers = [
                await client.post(f"{proxy.url}/hook/{n}", content=f"body {n}", headers={"X-Secret": "s"})
                for n in range(4)
            ]
            assert [a.status_code for a in answers] == [201] * 4
            assert [a.json()["name"] for a in answers] == ["first", "second", "first", "second"]
            assert answers[3].json() == {"name": "second", "path": "/hook/3", "body": "body 3", "secret": "s"}
            assert proxy.last == second_url

            await first.cleanup()  # the first replica dies: every request now reaches the second
            names = [(await client.post(f"{proxy.url}/hook")).json()["name"] for _ in range(3)]
            assert names == ["second"] * 3
            assert proxy.taken == {first_url: 2, second_url: 5}
            assert proxy.passed_over[first_url] >= 1 and proxy.passed_over[second_url] == 0

            proxy.upstreams = [f"http://127.0.0.1:{free_port()}"]  # nobody listens there
            assert (await client.post(f"{proxy.url}/hook")).status_code == 502
    finally:
        await first.cleanup()
        await second.cleanup()
