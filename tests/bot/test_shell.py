"""`ipoteka shell`: scripted sessions through the real dispatcher and backend, read back from what it printed."""

from decimal import Decimal
from pathlib import Path

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile, Message
from typer.testing import CliRunner

from api.demo.cast import CAST
from bot.formatting import money
from bot.offline import Button, Call
from ipoteka.cli import app as cli
from ipoteka.shell_view import SHELL_USER_BASE, ShellView, plain, run_shell
from tests.bot.conftest import IVAN, OLGA
from tests.helpers import as_user
from tests.samples import pdf

IVAN_NO, OLGA_NO = 1, 8


class Terminal:
    """The shell's input and output: typed lines from a script (echoed like a terminal does), printed lines kept."""

    def __init__(self, *lines: str) -> None:
        self.typed = iter(lines)
        self.lines: list[str] = []

    def read(self) -> str:
        line = next(self.typed, None)
        if line is None:
            raise EOFError
        self.lines.append(f"you> {line}")
        return line

    @property
    def output(self) -> str:
        return "\n".join(self.lines)


async def _play(backend, bot_settings, files: Path, *lines: str, number: int = IVAN_NO, language: str = "ru"):
    terminal = Terminal(*lines)
    borrower = CAST[number - 1]
    await run_shell(
        backend,
        settings=bot_settings,
        borrower=borrower,
        language=language,
        files=files,
        read=terminal.read,
        write=terminal.lines.append,
        width=None,
    )
    return terminal


async def _summary(client, user: int) -> dict:
    profile = (await client.get("/api/v1/me", headers=as_user(user))).json()
    url = f"/api/v1/me/loans/{profile['selected_loan_id']}/summary"
    return (await client.get(url, headers=as_user(user))).json()


async def test_link_and_see_the_balance_with_its_chart(demo, backend, bot_settings, client, tmp_path):
    files = tmp_path / "files"

    shell = await _play(backend, bot_settings, files, "/start", "1", "1", IVAN[1], "1", "1", "/quit", "never read")

    out = shell.output
    assert IVAN[0] in shell.lines[0] and f"second factor {IVAN[1]} or 12.04.1985" in out  # the hint
    assert "     [1] ✅ Согласен   [2] Нет, спасибо\n     [3] 🌐 English" in out
    assert "(you press ✅ Согласен)" in out
    assert "     [1] 📱 Поделиться номером" in out
    assert f"(you share your phone number {IVAN[0]})" in out
    assert "bot> Готово, Иван: чат привязан к вашему договору." in out
    assert "(you press 🔔 Да, напоминать)" in out
    assert (
        "     [1] 📊 Остаток и прогресс   [2] 💳 Как оплатить\n     [3] 💰 Досрочное погашение   [4] 📄 Справки" in out
    )
    assert "(you press 📊 Остаток и прогресс)" in out
    summary = await _summary(client, SHELL_USER_BASE + IVAN_NO)
    assert f"     • остаток основного долга: {money(Decimal(summary['outstanding_principal']), 'ru')}" in out
    assert "     [1] 💳 Как оплатить\n     [2] 🏠 Меню" in out
    [chart] = files.glob("*-payoff-*.png")
    assert chart.read_bytes().startswith(b"\x89PNG") and chart.stat().st_size > 10_000
    assert f"bot> [photo saved to {chart}]" in out
    assert shell.lines[-1] == "you> /quit"  # nothing read after it
    assert "<" not in out.replace("<=", "")  # no HTML tags leak into the terminal


async def test_numbers_press_only_buttons_on_show(demo, backend, bot_settings, tmp_path):
    shell = await _play(backend, bot_settings, tmp_path, "/start", "5", "1", "1", "1", "01", "0000")

    out = shell.output
    # "5" is not a button of the consent question: it goes as text and the question comes again
    assert "you> 5\nbot> Пожалуйста, ответьте одной из кнопок." in out
    assert out.count("[3] 🌐 English") == 2
    # after the phone is shared the contact keyboard is gone, so "1" is text for the second factor
    assert "you> 1\nbot> Это не похоже на 4 цифры или дату." in out
    # "01" and "0000" are text too: leading zeros never press a button
    assert "you> 01\nbot> Это не похоже на 4 цифры или дату." in out
    assert "you> 0000\nbot> Номер телефона и эти данные не совпадают с нашими записями. Осталось попыток: 4." in out


async def test_a_stale_button_gets_a_notice(demo, backend, bot_settings, tmp_path):
    shell = await _play(backend, bot_settings, tmp_path, "/start", "2", "1")

    out = shell.output
    assert "(you press Нет, спасибо)" in out
    assert "bot> Понятно. Без вашего согласия" in out
    assert "(you press ✅ Согласен)\nbot> (notice) Эта кнопка больше не действует." in out
    assert "bot> Сначала привяжем ваш договор." in out


async def test_speaks_the_borrowers_language_and_ends_at_end_of_input(demo, backend, bot_settings, tmp_path):
    shell = await _play(backend, bot_settings, tmp_path, "/start", "1", "1", OLGA[1], number=OLGA_NO, language="en")

    out = shell.output
    assert "You are Ольга М., demo borrower 8 (speaks English)" in out
    assert "[1] ✅ I agree   [2] No, thanks" in out
    assert f"(you share your phone number {OLGA[0]})" in out
    assert "bot> Done, Ольга: the chat is linked to your account." in out
    assert shell.lines[-1] == "     [1] 🔔 Yes, remind me   [2] No, thanks"


def test_the_view_strips_html_and_saves_files(tmp_path):
    view = ShellView(tmp_path / "out", width=30)
    sent = Message.model_validate({"message_id": 7, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "x"})
    text = SendMessage(chat_id=1, text="<b>Итого</b> &lt;5&gt; &amp; <a href='https://x.test'>ссылка</a>")
    photo = SendPhoto(chat_id=1, photo=BufferedInputFile(b"\x89PNG-bytes", "../../chart.png"), caption="<i>c</i>")
    notice = AnswerCallbackQuery(callback_query_id="1", text="a rather long notice that will need wrapping here")

    lines = view.show([Call(text, sent), Call(photo, sent), Call(notice, True)])

    assert lines[0] == "bot> Итого <5> & ссылка"
    assert lines[1] == f"bot> [photo saved to {tmp_path / 'out' / '007-chart.png'}]"
    assert lines[2] == "     c"
    assert lines[3:] == ["bot> (notice) a rather long", "     notice that will need", "     wrapping here"]
    assert (tmp_path / "out" / "007-chart.png").read_bytes() == b"\x89PNG-bytes"
    assert plain("a<b") == "a<b"


def test_picking_a_button_by_its_number(tmp_path):
    view = ShellView(tmp_path, buttons=[Button("one", callback_data="a"), Button("two", callback_data="b")])

    assert view.pick("2") == Button("two", callback_data="b")
    for typed in ("0", "02", "3", "-1", "1.0", "two", ""):
        assert view.pick(typed) is None


@pytest.fixture
def cli_env(monkeypatch, database_url, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env, and ./shell-files lands in tmp_path
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MODE", "test")


def test_the_command_chats_on_the_database(demo, cli_env, tmp_path):
    result = CliRunner().invoke(cli, ["shell", "--borrower", "8"], input="/start\n1\n/quit\n")
    out = result.stdout  # the transcript; a log line (a slow backend call retried, under load) goes to stderr

    assert result.exit_code == 0, result.output
    assert "You are Ольга М., demo borrower 8" in out
    assert "you> /start\nbot> Hello! I am the assistant of your mortgage bank." in out
    assert "you> 1\n(you press ✅ I agree)\nbot> Please share your phone number" in out
    assert "[1] 📱 Share my phone number" in out


def test_the_command_needs_a_migrated_database(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/empty.db")

    result = CliRunner().invoke(cli, ["shell"], input="/start\n")

    assert result.exit_code == 2
    assert "run `ipoteka db upgrade` first" in result.output
    assert "you>" not in result.output


async def test_send_a_policy_with_file_and_receive_a_certificate(demo, backend, bot_settings, client, tmp_path):
    policy = tmp_path / "polis-2027.pdf"
    policy.write_bytes(pdf("policy 2027"))
    size = len(pdf("policy 2027"))
    files = tmp_path / "files"
    link = ("/start", "1", "1", IVAN[1], "1")
    insurance = ("5", "1", "1", f"/file {policy}", f"/file {tmp_path}/missing.pdf")
    certificate = ("/menu", "4", "3", "1")
    shell = await _play(backend, bot_settings, files, *link, *insurance, *certificate)

    out = shell.output
    assert f"(you send polis-2027.pdf, application/pdf, {size} bytes)" in out
    assert "отправлен сотрудникам банка на проверку" in out
    assert f"(no file {tmp_path}/missing.pdf)" in out
    loan = (await _summary(client, SHELL_USER_BASE + IVAN_NO))["loan_id"]
    overview = (
        await client.get(f"/api/v1/me/loans/{loan}/insurance", headers=as_user(SHELL_USER_BASE + IVAN_NO))
    ).json()
    [document] = overview["documents"]
    assert (document["file_name"], document["policy_kind"], document["size"]) == ("polis-2027.pdf", "property", size)
    [schedule] = files.glob("*-grafik-platezhey-*.pdf")
    assert schedule.read_bytes().startswith(b"%PDF")
    assert f"bot> [document saved to {schedule}]" in out
