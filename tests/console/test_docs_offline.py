"""The OpenAPI pages work on a bank network with no internet: /docs and /redoc load their scripts and styles from
the backend itself, and Swagger UI renders the API in Chromium with every request off loopback refused."""

from urllib.parse import urlsplit

import pytest

from tests.console.browser import expect
from tests.console.helpers import shoot


@pytest.mark.parametrize("page_path", ["/docs", "/redoc"])
async def test_the_pages_name_no_outside_address(anonymous, page_path):
    page = await anonymous.get(page_path)
    assert page.status_code == 200
    assert "cdn." not in page.text and "https://" not in page.text and "fonts.googleapis" not in page.text


async def test_the_assets_are_served_by_the_backend(anonymous):
    for asset, kind in (
        ("swagger-ui-bundle.js", "javascript"),
        ("swagger-ui.css", "css"),
        ("redoc.standalone.js", "javascript"),
    ):
        response = await anonymous.get(f"/static-offline-docs/{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"]


async def test_swagger_ui_renders_the_api_with_no_internet(page):
    outside: list[str] = []

    async def only_loopback(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort()

    await page.route("**/*", only_loopback)
    await page.goto("/docs")
    await expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ipoteka Assistant API")
    await expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert await page.locator(".opblock").count() > 40
    await shoot(page, "docs-offline")
    assert outside == []
