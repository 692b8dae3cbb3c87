"""Linking a Telegram account: phone plus second factor, the lock-out, one account per borrower."""

import pytest

from tests.helpers import SEED_PHONE, as_user, link, seed_borrower

USER = 700_000_001


@pytest.fixture
async def loan_id(bank) -> int:
    return await seed_borrower(bank)


async def test_link_with_contract_digits(client, loan_id):
    response = await link(client, USER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["first_name"] == "Иван"
    assert body["selected_loan_id"] == loan_id
    assert [loan["id"] for loan in body["loans"]] == [loan_id]


@pytest.mark.parametrize("factor", ["12.04.1985", "1985-04-12"])
async def test_link_with_birth_date(client, loan_id, factor):
    assert (await link(client, USER, factor=factor)).status_code == 200


@pytest.mark.parametrize("factor", ["٠٤٥٧", "０４５７", "۰۴۵۷", "１２．０４．１９８５", "١٢.٠٤.١٩٨٥"])
async def test_digits_from_any_keyboard_are_the_digits_they_mean(client, loan_id, factor):
    response = await link(client, USER, factor=factor)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("factor", ["٩٩٩٩", "９９９９"])
async def test_wrong_digits_from_another_keyboard_count_as_an_attempt(client, loan_id, factor):
    response = await link(client, USER, factor=factor)
    assert (response.status_code, response.json()["error"]["attempts_left"]) == (403, 4)


async def test_phone_in_local_form_is_normalised(client, loan_id):
    assert (await link(client, USER, phone="8 (916) 123-45-67")).status_code == 200


async def test_wrong_factor_counts_down_then_locks(client, loan_id, clock):
    for left in (4, 3, 2, 1):
        response = await link(client, USER, factor="9999")
        assert response.status_code == 403
        assert response.json()["error"] == {
            "code": "link_failed",
            "message": "The phone number and the second factor do not match our records.",
            "attempts_left": left,
        }
    fifth = await link(client, USER, factor="9999")
    assert fifth.status_code == 429
    assert fifth.json()["error"]["code"] == "link_locked"
    # locked even with the right answer, until the hour has passed
    assert (await link(client, USER)).status_code == 429
    clock.advance(minutes=59)
    assert (await link(client, USER)).status_code == 429
    clock.advance(minutes=2)
    assert (await link(client, USER)).status_code == 200


async def test_unknown_phone_is_a_plain_failure(client, loan_id):
    response = await link(client, USER, phone="+79990000000")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "link_failed"


async def test_lockout_is_per_telegram_user(client, loan_id):
    for _ in range(5):
        await link(client, USER, phone="+79990000000", factor="0000")
    assert (await link(client, USER)).status_code == 429, "this account is locked, whatever phone it gives"
    assert (await link(client, USER + 1)).status_code == 200


async def test_lockout_is_per_borrower_when_accounts_rotate(client, loan_id, clock):
    """Five accounts, one guess each at the same borrower's phone: the borrower is locked, for every account."""
    for n, left in enumerate((4, 3, 2, 1)):
        response = await link(client, USER + n, factor="9999")
        assert response.json()["error"]["attempts_left"] == left
    fifth = await link(client, USER + 4, factor="9999")
    assert fifth.status_code == 429
    assert fifth.json()["error"]["code"] == "link_locked"
    assert (await link(client, USER + 5)).status_code == 429, "a fresh account is locked out of this borrower too"
    assert (await link(client, USER + 5, phone="+79990000000")).status_code == 403, "other phones are not locked"
    clock.advance(minutes=61)
    assert (await link(client, USER + 5)).status_code == 200


async def test_a_success_clears_the_borrowers_failures(client, loan_id):
    for n in range(4):
        await link(client, USER + n, factor="9999")
    assert (await link(client, USER + 10)).status_code == 200
    assert (await client.delete("/api/v1/me/link", headers=as_user(USER + 10))).status_code == 204
    response = await link(client, USER + 11, factor="9999")
    assert response.json()["error"]["attempts_left"] == 4


@pytest.mark.parametrize("factor", ["31.02.1985", "29.02.1985", "12.13.1985", "00.01.1985", "12", "12345", "abcd"])
async def test_a_malformed_answer_uses_no_attempt(client, loan_id, factor):
    for _ in range(6):
        response = await link(client, USER, factor=factor)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "second_factor_malformed"
    assert (await link(client, USER, factor="9999")).json()["error"]["attempts_left"] == 4
    assert (await link(client, USER)).status_code == 200


async def test_borrower_linked_elsewhere_is_refused(client, loan_id):
    assert (await link(client, USER)).status_code == 200
    again = await link(client, USER + 1)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "borrower_linked_elsewhere"
    assert (await link(client, USER)).status_code == 200  # re-linking the same chat is harmless


async def test_unlink_then_link_again(client, loan_id):
    await link(client, USER)
    assert (await client.delete("/api/v1/me/link", headers=as_user(USER))).status_code == 204
    assert (await client.delete("/api/v1/me/link", headers=as_user(USER))).json()["error"]["code"] == "not_linked"
    assert (await link(client, USER + 1)).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "not a phone"}, "phone"),
        ({"phone": "+7" + "9" * 40}, "phone"),
        ({"consent": False}, "consent"),
        ({"telegram_user_id": -5}, "telegram_user_id"),
        ({"telegram_user_id": "abc"}, "telegram_user_id"),
        ({"second_factor": ""}, "second_factor"),
        ({"second_factor": "x" * 500}, "second_factor"),
        ({"surprise": 1}, "surprise"),
    ],
)
async def test_bad_link_requests_are_422(client, loan_id, body, field):
    request = {"telegram_user_id": USER, "phone": SEED_PHONE, "second_factor": "0457", "consent": True} | body
    response = await client.post("/api/v1/link", json=request)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert any(f["field"].startswith(field) for f in error["fields"])


async def test_malformed_json_is_422(client):
    response = await client.post("/api/v1/link", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422


async def test_tokens_are_checked(anonymous, bank, loan_id):
    body = {"telegram_user_id": USER, "phone": SEED_PHONE, "second_factor": "0457", "consent": True}
    missing = await anonymous.post("/api/v1/link", json=body)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    wrong = await bank.post("/api/v1/link", json=body)  # the integration token is not the service token
    assert wrong.status_code == 401
