"""Signing in and out in real headless Chromium: password and TOTP code, the landing page in ru and en, the
keyboard help."""

from api.models import StaffRole
from tests.console.helpers import shoot


async def _fill_sign_in(page, login, clock) -> None:
    await page.fill("input[name=name]", login.name)
    await page.fill("input[name=password]", login.password)
    await page.fill("input[name=code]", login.code(clock))
    await page.click("button[type=submit]")


async def test_sign_in_see_the_landing_page_in_both_languages_and_sign_out(page, staff_login, clock):
    login = await staff_login(StaffRole.SUPERVISOR, name="Анна Смирнова")
    await page.goto("/console")
    assert page.url.endswith("/console/login?next=%2Fconsole")
    assert await page.locator("h1").inner_text() == "Войти"
    await shoot(page, "console-sign-in-ru")

    await page.fill("input[name=name]", login.name)
    await page.fill("input[name=password]", login.password)
    await page.fill("input[name=code]", "000000")
    await page.click("button[type=submit]")
    assert "неверны" in await page.locator("[role=alert]").inner_text()

    await page.goto("/console/login")
    await _fill_sign_in(page, login, clock)
    await page.wait_for_url("**/console")
    assert await page.locator("h1").inner_text() == "Здравствуйте, Анна Смирнова"
    assert "супервайзер" in await page.locator(".who .member").inner_text()
    assert await page.locator(".tiles a").all_inner_texts()
    await shoot(page, "console-home-ru")

    await page.keyboard.press("?")
    assert await page.locator("#help").is_visible()
    assert "Открыть портфель" in await page.locator("#help").inner_text()
    await shoot(page, "console-help-ru")
    await page.keyboard.press("Escape")
    assert not await page.locator("#help").is_visible()

    await page.click("button[name=language][value=en]")
    await page.wait_for_load_state()
    assert await page.locator("h1").inner_text() == "Hello, Анна Смирнова"
    assert "supervisor" in await page.locator(".who .member").inner_text()
    await shoot(page, "console-home-en")

    await page.click("#sign-out")
    await page.wait_for_url("**/console/login")
    assert await page.locator("h1").inner_text() == "Sign in"  # the language stays with the browser
    await page.goto("/console")
    assert "/console/login" in page.url


async def test_an_operator_sees_no_supervisor_section(page, staff_login, clock):
    login = await staff_login(StaffRole.OPERATOR)
    await page.goto("/console/login?lang=en")
    assert await page.locator("h1").inner_text() == "Sign in"
    await _fill_sign_in(page, login, clock)
    await page.wait_for_url("**/console")
    assert await page.locator(".sections a").all_inner_texts() == ["Queues"]
    assert "operator" in await page.locator(".who .member").inner_text()
    await shoot(page, "console-home-operator-en")
