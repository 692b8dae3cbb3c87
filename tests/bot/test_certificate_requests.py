"""Certificates that need a person (queued for staff), the list of earlier requests and downloading one again, in
both languages; another borrower's certificate and forged ids refused."""

from datetime import date
from decimal import Decimal

import httpx
import pytest

from tests.bot.conftest import ALEXEI, IVAN
from tests.bot.replies import text, toasts
from tests.bot.test_certificates import WORDS as KIND_WORDS
from tests.bot.test_certificates import documents, paid_rows, pdf_text, rub, schedule_of, stored, total
from tests.bot.walks import question, state_of

STAFF = {"Authorization": "Bearer demo-operator-token"}  # the demo operator
WORDS = {
    "ru": {
        "signed": "С подписью и печатью банка",
        "queued": (
            "Заявка принята: сотрудники банка подготовят справку об уплаченных процентах за 2024 год с подписью и "
            "печатью банка, и я сообщу, когда документ будет готов."
        ),
        "another": "Другая справка",
        "requests": "Мои заявки",
        "title": "Ваши заявки на справки, сначала новые:",
        "schedule_line": "• № {number} от 26 ноября 2026: График платежей; готова",
        "interest_line": (
            "• № {number} от 26 ноября 2026: Справка об уплаченных процентах за 2024 год, с подписью банка; готова"
        ),
        "debt_line": (
            "• № {number} от 26 ноября 2026: Справка об остатке задолженности на 26 ноября 2026, с подписью банка; "
            "отклонена: Нужна дата &lt;позже&gt;"
        ),
        "pending_line": "с подписью банка; ждёт подписи сотрудника банка",
        "none": "Вы ещё не заказывали справки.",
        "not_found": "Среди ваших справок такой нет.",
        "not_ready": "Эта справка ещё не готова: она ждёт подписи сотрудника банка.",
        "rejected": "Эта заявка отклонена, поэтому скачать справку нельзя.",
        "inactive": "Эта кнопка больше не действует.",
    },
    "en": {
        "signed": "With the bank's signature and stamp",
        "queued": "Your request is queued: staff will prepare the certificate of interest paid in 2024 with the bank's",
        "another": "Another certificate",
        "requests": "My requests",
        "title": "Your certificate requests, newest first:",
        "schedule_line": "• № {number} of 26 November 2026: Payment schedule; ready",
        "interest_line": (
            "• № {number} of 26 November 2026: Certificate of interest paid in 2024, with the bank's signature; ready"
        ),
        "debt_line": (
            "• № {number} of 26 November 2026: Certificate of the outstanding debt on 26 November 2026, "
            "with the bank's signature; rejected: Нужна дата &lt;позже&gt;"
        ),
        "pending_line": "with the bank's signature; waiting for the staff signature",
        "none": "You have not requested any certificates yet.",
        "not_found": "I could not find that certificate among yours.",
        "not_ready": "That certificate is not ready yet: it is waiting for the staff signature.",
        "rejected": "That request was rejected, so there is no certificate to download.",
        "inactive": "This button is no longer active.",
    },
}
LANGUAGES = list(WORDS)
AFTER = ("nav:certificates", "certs", "nav:menu")


async def decide(client: httpx.AsyncClient, certificate_id: int, decision: str, reason: str | None = None) -> None:
    body = {"decision": decision, "reason": reason}
    response = await client.post(f"/api/v1/staff/certificates/{certificate_id}/decision", json=body, headers=STAFF)
    assert response.status_code == 200, response.text


async def _queue_interest_2024(chat, language: str) -> list:
    await chat.press_data("nav:certificates")
    await chat.press(KIND_WORDS[language]["interest"])
    await chat.press("2024")
    return await chat.press(WORDS[language]["signed"])


@pytest.mark.parametrize("language", LANGUAGES)
async def test_signed_requests_wait_for_staff_and_are_listed(language, linked, client):
    words, kinds = WORDS[language], KIND_WORDS[language]
    chat = await linked(IVAN, 21101, language_code=language)
    calls = await _queue_interest_2024(chat, language)
    assert documents(calls) == [], "a certificate waiting for staff was sent"
    assert words["queued"] in text(calls)
    assert question(calls)[1] == AFTER
    assert await state_of(chat) is None
    [queued] = await stored(client, 21101)
    assert (queued["kind"], queued["year"], queued["signed"], queued["status"]) == (
        "interest_paid",
        2024,
        True,
        "pending_staff",
    )

    await _queue_interest_2024(chat, language)  # asked twice: still one in the queue
    assert [c["id"] for c in await stored(client, 21101)] == [queued["id"]]
    calls = await chat.press(words["requests"])
    assert words["pending_line"] in text(calls)
    assert question(calls)[1] == ("nav:certificates",), "a certificate waiting for staff can be downloaded"

    assert question(await chat.press("⬅️"))[1][0] == "cert:interest_paid", "Back does not lead to the kinds"
    await chat.press(kinds["debt"])
    await chat.press(kinds["today"])
    await chat.press(words["signed"])
    await chat.press(words["another"])
    await chat.press(kinds["schedule"])
    await chat.press(kinds["pdf"])
    debt, schedule = (await stored(client, 21101))[1], (await stored(client, 21101))[0]
    await decide(client, queued["id"], "approve")
    await decide(client, debt["id"], "reject", "Нужна дата <позже>")

    calls = await chat.press_data("certs")  # from the survey: the list is reachable from anywhere
    assert await state_of(chat) == "Certificates:requests"
    listed = text(calls)
    expected = [
        words["title"],
        words["schedule_line"].format(number=schedule["number"]),
        words["debt_line"].format(number=debt["number"]),
        words["interest_line"].format(number=queued["number"]),
    ]
    assert listed.splitlines()[: len(expected)] == expected
    assert question(calls)[1] == (f"certpdf:{schedule['id']}", f"certpdf:{queued['id']}", "nav:certificates")

    calls = await chat.press(f"№ {queued['number']}")
    [document] = documents(calls)
    assert document.document.filename == "spravka-procenty-2024.pdf"
    assert document.caption == kinds["interest_title"].format(year=2024)
    rows = paid_rows(await schedule_of(client, 21101), year=2024)
    assert f"уплачено процентов: {rub(total(rows, 'interest'))}" in pdf_text(document)
    assert await state_of(chat) == "Certificates:requests"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_download_again_sends_the_same_certificate(language, linked, client):
    words, kinds = WORDS[language], KIND_WORDS[language]
    chat = await linked(IVAN, 21102, language_code=language)
    await chat.press(kinds["menu"])
    assert words["none"] in text(await chat.press(words["requests"]))
    await chat.press_data("nav:certificates")
    await chat.press(kinds["debt"])
    await chat.send("10.01.2023")
    [first] = documents(await chat.press(kinds["pdf"]))
    [request] = await stored(client, 21102)

    await chat.press_data("certs")
    [again] = documents(await chat.press(f"№ {request['number']}"))
    assert again.document.filename == first.document.filename == "spravka-ostatok-2023-01-10.pdf"
    assert again.document.data == first.document.data
    balance = Decimal(paid_rows(await schedule_of(client, 21102), until=date(2023, 1, 10))[-1]["balance"])
    assert f"Основной долг, срок уплаты которого не истёк {rub(balance)}" in pdf_text(again).splitlines()
    assert [c["delivered_at"] for c in await stored(client, 21102)] == [request["delivered_at"]]
    assert len(await stored(client, 21102)) == 1, "downloading again made a new request"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_another_borrowers_and_unready_certificates_are_refused(language, linked, client):
    words, kinds = WORDS[language], KIND_WORDS[language]
    other = await linked(ALEXEI, 21103, language_code=language)
    await other.press(kinds["menu"])
    await other.press(kinds["closure"])
    await other.press(kinds["pdf"])
    [theirs] = await stored(client, 21103)

    chat = await linked(IVAN, 21104, language_code=language)
    await _queue_interest_2024(chat, language)
    await chat.press(words["another"])
    await chat.press(kinds["debt"])
    await chat.press(kinds["today"])
    await chat.press(words["signed"])
    pending, rejected = (await stored(client, 21104))[1], (await stored(client, 21104))[0]
    await decide(client, rejected["id"], "reject", "Не требуется")
    shown = question(await chat.press(words["requests"]))

    for certificate_id, refusal in [
        (theirs["id"], words["not_found"]),
        (pending["id"], words["not_ready"]),
        (rejected["id"], words["rejected"]),
        (999_999, words["not_found"]),
    ]:
        calls = await chat.press_data(f"certpdf:{certificate_id}")
        assert documents(calls) == [], certificate_id
        assert refusal in text(calls)
        assert question(calls) == shown, "the list was not shown again"
        assert await state_of(chat) == "Certificates:requests"
    for forged in ("certpdf:0", "certpdf:-3", "certpdf:x", f"certpdf:{2**63}", "certpdf", "certs:1"):
        calls = await chat.press_data(forged)
        assert toasts(calls) == [words["inactive"]], forged
        assert documents(calls) == [] and question(calls) == shown, forged
    assert (await stored(client, 21103))[0]["delivered_at"] == theirs["delivered_at"]


QUEUED = {
    "ru": {
        "schedule": "Заявка принята: сотрудники банка подготовят график платежей с подписью и печатью банка, и я "
        "сообщу, когда документ будет готов.",
        "debt": "Заявка принята: сотрудники банка подготовят справку об остатке задолженности на 26 ноября 2026 с "
        "подписью и печатью банка,",
        "closure": "Заявка принята: сотрудники банка подготовят справку о закрытии кредита с подписью и печатью банка,",
        "delivery": "• С подписью и печатью банка: документ подготовят сотрудники банка, и я сообщу, когда он будет "
        "готов.",
    },
    "en": {
        "schedule": "Your request is queued: staff will prepare the payment schedule with the bank's signature and "
        "stamp, and I will tell you when it is ready.",
        "debt": "Your request is queued: staff will prepare the certificate of the outstanding debt on 26 November "
        "2026 with the bank's signature and stamp,",
        "closure": "Your request is queued: staff will prepare the certificate of loan closure with the bank's "
        "signature and stamp,",
        "delivery": "• With the bank's signature and stamp: staff prepare it, and I will tell you when it is ready.",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_queued_kind_is_named_in_the_right_case(language, linked):
    """In Russian the certificate staff «подготовят» is in the accusative: «справку о…», «график платежей»."""
    words, kinds, queued = WORDS[language], KIND_WORDS[language], QUEUED[language]
    chat = await linked(IVAN, 21104, language_code=language)
    await chat.press(kinds["menu"])
    calls = await chat.press(kinds["schedule"])
    assert queued["delivery"] in text(calls)
    assert queued["schedule"] in text(await chat.press(words["signed"]))
    await chat.press(words["another"])
    await chat.press(kinds["debt"])
    await chat.press(kinds["today"])
    assert queued["debt"] in text(await chat.press(words["signed"]))
    repaid = await linked(ALEXEI, 21105, language_code=language)
    await repaid.press(kinds["menu"])
    await repaid.press(kinds["closure"])
    assert queued["closure"] in text(await repaid.press(words["signed"]))
