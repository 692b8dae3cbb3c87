"""The certificates API: requests per kind, the staff queue, the list, and PDFs whose figures are the engine's."""

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.engine import Payment, build_schedule, debt_on, paid_in_year, position_on
from api.models import AuditEntry, CertificateRequest
from tests.api.loan_helpers import (
    DUE_BY_TODAY,
    SEED_TERMS,
    SMALL_LOAN,
    SMALL_TERMS,
    linked_loan,
    other_borrower_loan,
    pay_installments,
    seed_schedule,
)
from tests.helpers import as_user, borrower_body, loan_body, put, seed_borrower

USER = 700_000_401
OTHER = 700_000_402
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def _path(loan_id: int) -> str:
    return f"/api/v1/me/loans/{loan_id}/certificates"


def _rub(amount: Decimal) -> str:
    """Money as the certificate prints it, written independently of Babel: ``49 300,88 ₽``."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " ₽"


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text().translate(_SPACES) for page in PdfReader(io.BytesIO(pdf)).pages]


async def _request(client, loan_id: int, user: int = USER, **body) -> dict:
    response = await client.post(_path(loan_id), json=body, headers=as_user(user))
    assert response.status_code == 201, response.text
    return response.json()


async def _download(client, certificate_id: int, user: int = USER):
    return await client.get(f"/api/v1/me/certificates/{certificate_id}/pdf", headers=as_user(user))


async def test_years_with_payments(bank, client, loan_id):
    path = f"{_path(loan_id)}/years"
    assert (await client.get(path, headers=as_user(USER))).json() == {"loan_id": loan_id, "years": []}
    await pay_installments(bank, DUE_BY_TODAY)
    years = await client.get(path, headers=as_user(USER))
    assert years.status_code == 200
    assert years.json() == {"loan_id": loan_id, "years": [2021, 2022, 2023, 2024, 2025, 2026]}


async def test_interest_certificate_for_a_year_without_payments_lists_the_years(client, bank, loan_id):
    await pay_installments(bank, 12)  # 2021-04 … 2022-03
    response = await client.post(_path(loan_id), json={"kind": "interest_paid", "year": 2024}, headers=as_user(USER))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "no_payments_in_year"
    assert error["available_years"] == [2021, 2022]


async def test_unsigned_request_is_ready_at_once(client, paid_loan_id):
    body = await _request(client, paid_loan_id, kind="interest_paid", year=2022)
    assert body == {
        "id": body["id"],
        "number": f"{body['id']:06d}",
        "loan_id": paid_loan_id,
        "kind": "interest_paid",
        "year": 2022,
        "on_date": None,
        "signed": False,
        "status": "ready",
        "created_at": "2026-11-26T09:00:00Z",
        "issued_on": "2026-11-26",
        "delivered_at": None,
        "decision_reason": None,
        "file_name": "spravka-procenty-2022.pdf",
    }


async def test_signed_request_waits_for_staff_and_is_queued_once(client, loan_id):
    first = await _request(client, loan_id, kind="schedule", signed=True)
    assert first["status"] == "pending_staff"
    assert first["issued_on"] is None
    again = await client.post(_path(loan_id), json={"kind": "schedule", "signed": True}, headers=as_user(USER))
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    unsigned = await _request(client, loan_id, kind="schedule")
    assert unsigned["id"] != first["id"]
    assert unsigned["status"] == "ready"
    pending = await _download(client, first["id"])
    assert pending.status_code == 409
    assert pending.json()["error"]["code"] == "certificate_not_ready"
    assert pending.json()["error"]["certificate_status"] == "pending_staff"


async def test_a_repeat_with_the_same_key_returns_the_stored_request(client, engine, loan_id):
    headers = as_user(USER) | {"Idempotency-Key": "press-0001"}
    first = await client.post(_path(loan_id), json={"kind": "outstanding_debt"}, headers=headers)
    again = await client.post(_path(loan_id), json={"kind": "outstanding_debt"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    other = await client.post(_path(loan_id), json={"kind": "schedule"}, headers=headers)
    assert other.status_code == 409
    assert other.json()["error"] == {
        "code": "idempotency_key_reused",
        "message": "This idempotency key was already used for a different certificate request.",
        "certificate_id": first.json()["id"],
    }
    without_key = await client.post(_path(loan_id), json={"kind": "outstanding_debt"}, headers=as_user(USER))
    assert without_key.status_code == 201 and without_key.json()["id"] != first.json()["id"]
    async with AsyncSession(engine) as session:
        assert len((await session.scalars(select(CertificateRequest))).all()) == 2


@pytest.mark.parametrize("key", ["short", "has space!", "x" * 65])
async def test_a_malformed_key_is_422(client, engine, loan_id, key):
    headers = as_user(USER) | {"Idempotency-Key": key}
    assert (await client.post(_path(loan_id), json={"kind": "schedule"}, headers=headers)).status_code == 422
    async with AsyncSession(engine) as session:
        assert (await session.scalars(select(CertificateRequest))).all() == []


async def test_outstanding_debt_date_defaults_to_today_and_is_checked(client, loan_id):
    assert (await _request(client, loan_id, kind="outstanding_debt"))["on_date"] == "2026-11-26"
    assert (await _request(client, loan_id, kind="outstanding_debt", on_date="2021-03-10"))["on_date"] == "2021-03-10"
    for on_date in ("2026-11-27", "2099-01-01", "2021-03-09", "1900-01-01"):
        response = await client.post(
            _path(loan_id), json={"kind": "outstanding_debt", "on_date": on_date}, headers=as_user(USER)
        )
        assert response.status_code == 422, on_date
        assert response.json()["error"]["code"] == "on_date_out_of_range"


async def test_closure_only_for_a_closed_loan(client, loan_id):
    response = await client.post(_path(loan_id), json={"kind": "closure"}, headers=as_user(USER))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "loan_not_closed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "interest_paid"}, "body"),
        ({"kind": "schedule", "year": 2022}, "body"),
        ({"kind": "interest_paid", "year": 2022, "on_date": "2022-01-01"}, "body"),
        ({"kind": "closure", "on_date": "2022-01-01"}, "body"),
        ({"kind": "interest_paid", "year": "last"}, "year"),
        ({"kind": "interest_paid", "year": 20222}, "year"),
        ({"kind": "interest_paid", "year": -1}, "year"),
        ({"kind": "outstanding_debt", "on_date": "2022-02-30"}, "on_date"),
        ({"kind": "outstanding_debt", "on_date": "today"}, "on_date"),
        ({"kind": "mortgage_deed"}, "kind"),
        ({"kind": None}, "kind"),
        ({}, "kind"),
        ({"kind": "schedule", "signed": "perhaps"}, "signed"),
        ({"kind": "schedule", "copies": 2}, "copies"),
    ],
)
async def test_bad_requests_are_422(client, loan_id, body, field):
    response = await client.post(_path(loan_id), json=body, headers=as_user(USER))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert any(f["field"].startswith(field) for f in error["fields"])


async def test_list_is_newest_first_and_only_the_callers(bank, client, clock, loan_id):
    other_loan = await other_borrower_loan(bank, client, OTHER)
    await _request(client, other_loan, OTHER, kind="schedule")
    ids = []
    for kind in ("schedule", "outstanding_debt", "schedule"):
        ids.append((await _request(client, loan_id, kind=kind))["id"])
        clock.advance(minutes=5)
    response = await client.get("/api/v1/me/certificates", headers=as_user(USER))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == ids[::-1]
    limited = await client.get("/api/v1/me/certificates?limit=2", headers=as_user(USER))
    assert [row["id"] for row in limited.json()] == ids[:0:-1]
    for limit in ("0", "101", "ten"):
        bad = await client.get(f"/api/v1/me/certificates?limit={limit}", headers=as_user(USER))
        assert bad.status_code == 422


async def test_another_borrowers_loan_and_certificate_are_not_found(bank, client, loan_id):
    other_loan = await other_borrower_loan(bank, client, OTHER)
    theirs = await _request(client, other_loan, OTHER, kind="outstanding_debt")
    as_me = await client.post(_path(other_loan), json={"kind": "schedule"}, headers=as_user(USER))
    missing = await client.post(_path(987654), json={"kind": "schedule"}, headers=as_user(USER))
    assert as_me.status_code == missing.status_code == 404
    assert as_me.json() == missing.json() == {"error": {"code": "loan_not_found", "message": "No such loan."}}
    years = await client.get(f"{_path(other_loan)}/years", headers=as_user(USER))
    assert years.status_code == 404
    overview = await client.get(f"{_path(other_loan)}/interest", headers=as_user(USER))
    assert overview.status_code == 404 and overview.json()["error"]["code"] == "loan_not_found"
    pdf = await _download(client, theirs["id"])
    no_pdf = await _download(client, 987654)
    assert pdf.status_code == no_pdf.status_code == 404
    assert (
        pdf.json() == no_pdf.json() == {"error": {"code": "certificate_not_found", "message": "No such certificate."}}
    )
    assert (await _download(client, theirs["id"], OTHER)).status_code == 200


@pytest.mark.parametrize("certificate_id", ["abc", "0", "-1", str(2**63)])
async def test_bad_certificate_ids_are_422(client, loan_id, certificate_id):
    response = await client.get(f"/api/v1/me/certificates/{certificate_id}/pdf", headers=as_user(USER))
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/me/loans/1/certificates"),
        ("GET", "/api/v1/me/loans/1/certificates/years"),
        ("GET", "/api/v1/me/loans/1/certificates/interest"),
        ("GET", "/api/v1/me/certificates"),
        ("GET", "/api/v1/me/certificates/1/pdf"),
    ],
)
async def test_tokens_and_linking_are_checked(bank, client, anonymous, method, path):
    await seed_borrower(bank)
    body = {"kind": "schedule"} if method == "POST" else None
    assert (await anonymous.request(method, path, json=body, headers=as_user(USER))).status_code == 401
    assert (await bank.request(method, path, json=body, headers=as_user(USER))).status_code == 401
    unlinked = await client.request(method, path, json=body, headers=as_user(USER))
    assert unlinked.status_code == 403
    assert unlinked.json()["error"]["code"] == "not_linked"


async def test_first_download_is_recorded_once(client, engine, clock, loan_id):
    certificate = await _request(client, loan_id, kind="outstanding_debt")
    first = await _download(client, certificate["id"])
    assert first.status_code == 200
    clock.advance(hours=1)
    second = await _download(client, certificate["id"])
    assert second.content == first.content
    listed = (await client.get("/api/v1/me/certificates", headers=as_user(USER))).json()
    assert listed[0]["delivered_at"] == "2026-11-26T09:00:00Z"
    async with AsyncSession(engine) as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "certificate_request").order_by(AuditEntry.id)
            )
        ).all()
        row = await session.get(CertificateRequest, certificate["id"])
    assert [(e.action, e.entity_id, e.details) for e in entries] == [
        ("certificate_requested", str(certificate["id"]), {"kind": "outstanding_debt", "signed": False}),
        ("certificate_delivered", str(certificate["id"]), {"kind": "outstanding_debt"}),
    ]
    assert row.delivered_at is not None


async def test_interest_paid_pdf_matches_the_engine(client, settings, paid_loan_id):
    certificate = await _request(client, paid_loan_id, kind="interest_paid", year=2022)
    response = await _download(client, certificate["id"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="spravka-procenty-2022.pdf"'
    schedule = seed_schedule()
    made = [Payment(row.due_date, row.payment) for row in schedule.installments[:DUE_BY_TODAY]]
    paid = paid_in_year(schedule, made, year=2022)
    text = _pages(response.content)[0]
    assert "Справка об уплаченных процентах" in text
    assert f"№ {certificate['number']} от 26.11.2026" in text
    assert "Заёмщик: Иванов Иван Петрович" in text
    assert "Кредитный договор: № ИК-2021/000457 от 10.03.2021" in text
    assert settings.bank.name in text
    assert f"БИК {settings.bank.bik}, корр. счёт {settings.bank.correspondent_account}" in text
    assert f"За 2022 год уплачено процентов: {_rub(paid.interest)}, основного долга: {_rub(paid.principal)}." in text
    january = schedule.installments[9]  # due 2022-01-10
    assert f"Январь {_rub(january.principal)} {_rub(january.interest)}" in text.splitlines()


def _debt_lines(debt) -> list[str]:
    """The debt certificate's lines as they should read, from the engine's figures; the total is their sum."""
    return [
        f"Основной долг, срок уплаты которого не истёк {_rub(debt.principal_not_due)}",
        f"Просроченный основной долг {_rub(debt.overdue_principal)}",
        f"Просроченные проценты {_rub(debt.overdue_interest)}",
        f"Проценты, начисленные по {debt.on_date:%d.%m.%Y} {_rub(debt.accrued_interest)}",
        f"Итого задолженность {_rub(debt.total)}",
    ]


async def test_outstanding_debt_pdf_in_arrears_lists_each_part_once(bank, client, loan_id):
    made = await pay_installments(bank, 40)  # up to 2024-07-10
    certificate = await _request(client, loan_id, kind="outstanding_debt", on_date="2024-12-15")
    response = await _download(client, certificate["id"])
    assert response.headers["content-disposition"] == 'attachment; filename="spravka-ostatok-2024-12-15.pdf"'
    schedule = seed_schedule()
    debt = debt_on(schedule, made, on_date=date(2024, 12, 15))
    position = position_on(schedule, made, on_date=date(2024, 12, 15))
    unpaid = schedule.installments[40:45]  # 2024-08-10 … 2024-12-10
    assert debt.overdue_principal == sum(row.principal for row in unpaid)
    assert debt.overdue_interest == sum(row.interest for row in unpaid)
    assert debt.principal_not_due + debt.overdue_principal == position.principal_outstanding
    assert debt.accrued_interest > 0
    text = _pages(response.content)[0]
    lines = text.splitlines()
    assert "По состоянию на 15.12.2024 задолженность" in text
    for line in _debt_lines(debt):
        assert line in lines, line
    assert debt.total == (position.principal_outstanding + debt.overdue_interest + debt.accrued_interest), (
        "a part of the debt was counted twice"
    )
    assert "Дата очередного платежа: 10.01.2025" in text
    assert f"Сумма очередного платежа: {_rub(position.next_payment)}" in text


async def test_outstanding_debt_pdf_on_time(client, paid_loan_id):
    certificate = await _request(client, paid_loan_id, kind="outstanding_debt")
    text = _pages((await _download(client, certificate["id"])).content)[0]
    schedule = seed_schedule()
    made = [Payment(row.due_date, row.payment) for row in schedule.installments[:DUE_BY_TODAY]]
    debt = debt_on(schedule, made, on_date=date(2026, 11, 26))
    assert debt.overdue_principal == debt.overdue_interest == 0
    assert debt.principal_not_due == schedule.installments[DUE_BY_TODAY - 1].balance_after
    lines = text.splitlines()
    for line in _debt_lines(debt):
        assert line in lines, line
    assert "Просроченный основной долг 0,00 ₽" in lines


async def test_dated_in_the_banks_time_zone(bank, client, clock, paid_loan_id):
    """22:20 in Moscow is 05:20 the next day in Vladivostok: the certificate still bears the Moscow date."""
    await put(bank, "borrowers/B-1", borrower_body(time_zone="Asia/Vladivostok"))
    clock.now = datetime(2026, 11, 26, 19, 20, tzinfo=UTC)
    certificate = await _request(client, paid_loan_id, kind="interest_paid", year=2025)
    assert certificate["issued_on"] == "2026-11-26"
    text = _pages((await _download(client, certificate["id"])).content)[0]
    assert f"№ {certificate['number']} от 26.11.2026" in text
    queued = await _request(client, paid_loan_id, kind="schedule", signed=True)
    assert queued["issued_on"] is None
    clock.advance(minutes=30)  # 22:50 in Moscow, still 26 November in the bank
    debt = await _request(client, paid_loan_id, kind="outstanding_debt")
    assert (debt["issued_on"], debt["on_date"]) == ("2026-11-26", "2026-11-27")  # the date asked is the borrower's


async def test_interest_for_the_current_year_lists_the_completed_months_only(client, paid_loan_id):
    certificate = await _request(client, paid_loan_id, kind="interest_paid", year=2026)
    text = _pages((await _download(client, certificate["id"])).content)[0]
    lines = text.splitlines()
    joined = " ".join(lines)
    schedule = seed_schedule()
    made = [Payment(row.due_date, row.payment) for row in schedule.installments[:DUE_BY_TODAY]]
    paid = paid_in_year(schedule, made, year=2026)
    covered = paid.months[:10]  # January … October: November is not over on 26 November
    for name, month in zip(("Январь", "Май", "Октябрь"), (covered[0], covered[4], covered[9]), strict=True):
        assert f"{name} {_rub(month.principal)} {_rub(month.interest)}" in lines
    assert not any(line.startswith(("Ноябрь", "Декабрь")) for line in lines)
    interest = sum(month.interest for month in covered)
    principal = sum(month.principal for month in covered)
    assert interest < paid.interest, "November's payment should be left out"
    assert (
        f"За 2026 год по состоянию на 31.10.2026 уплачено процентов: {_rub(interest)}, "
        f"основного долга: {_rub(principal)}." in joined
    )


async def test_interest_for_the_first_year_starts_at_the_first_payment(client, paid_loan_id):
    certificate = await _request(client, paid_loan_id, kind="interest_paid", year=2021)
    lines = _pages((await _download(client, certificate["id"])).content)[0].splitlines()
    names = [line.split()[0] for line in lines if line.split() and line.split()[0] in _MONTHS]
    assert names == list(_MONTHS[3:])  # April (the first payment, 10.04.2021) … December
    assert not any("по состоянию" in line for line in lines)


async def test_interest_overview_by_year_against_the_deduction_cap(client, paid_loan_id):
    response = await client.get(f"{_path(paid_loan_id)}/interest", headers=as_user(USER))
    assert response.status_code == 200, response.text
    body = response.json()
    schedule = seed_schedule()
    made = [Payment(row.due_date, row.payment) for row in schedule.installments[:DUE_BY_TODAY]]
    by_year = {year: paid_in_year(schedule, made, year=year).interest for year in range(2021, 2026)}
    by_year[2026] = sum(month.interest for month in paid_in_year(schedule, made, year=2026).months[:10])
    total = sum(by_year.values())
    assert body == {
        "loan_id": paid_loan_id,
        "years": [
            {"year": year, "interest": f"{interest:.2f}", "as_of": "2026-10-31" if year == 2026 else None}
            for year, interest in by_year.items()
        ],
        "total_interest": f"{total:.2f}",
        "cap_applies": True,
        "interest_cap": "3000000.00",
        "cap_used": f"{total:.2f}",
        "cap_left": f"{Decimal(3_000_000) - total:.2f}",
        "refund_rate_percent": 13,
        "max_refund": "390000.00",
    }
    certificate = await _request(client, paid_loan_id, kind="interest_paid", year=2024)
    text = _pages((await _download(client, certificate["id"])).content)[0]
    assert f"уплачено процентов: {_rub(by_year[2024])}," in text, "the overview and the certificate disagree"


async def test_interest_overview_without_payments_and_past_the_cap(bank, client, loan_id):
    empty = (await client.get(f"{_path(loan_id)}/interest", headers=as_user(USER))).json()
    assert (empty["years"], empty["total_interest"], empty["cap_used"], empty["cap_left"]) == (
        [],
        "0.00",
        "0.00",
        "3000000.00",
    )
    await put(bank, "loans/L-1", loan_body(principal="30000000.00"))
    await pay_installments(
        bank, DUE_BY_TODAY, schedule=build_schedule(replace(SEED_TERMS, principal=Decimal(30_000_000)))
    )
    big = (await client.get(f"{_path(loan_id)}/interest", headers=as_user(USER))).json()
    assert Decimal(big["total_interest"]) > 3_000_000
    assert (big["cap_used"], big["cap_left"]) == ("3000000.00", "0.00")


async def test_interest_overview_for_a_loan_before_2014_has_no_cap(bank, client):
    await linked_loan(bank, client, USER, contract_date="2013-06-10", first_payment_date="2013-07-10")
    loan_id = (await client.get("/api/v1/me", headers=as_user(USER))).json()["selected_loan_id"]
    body = (await client.get(f"{_path(loan_id)}/interest", headers=as_user(USER))).json()
    assert (body["cap_applies"], body["cap_used"], body["cap_left"]) == (False, None, None)


_MONTHS = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)  # fmt: skip


async def test_schedule_pdf_has_the_engines_first_and_last_rows(client, loan_id):
    certificate = await _request(client, loan_id, kind="schedule")
    response = await _download(client, certificate["id"])
    name = f"grafik-platezhey-{certificate['number']}.pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    schedule = seed_schedule()
    pages = _pages(response.content)
    lines = [line for page in pages for line in page.splitlines()]
    first, last = schedule.installments[0], schedule.installments[-1]
    assert (
        f"1 10.04.2021 {_rub(first.payment)} {_rub(first.principal)} {_rub(first.interest)} "
        f"{_rub(first.balance_after)}" in lines
    )
    assert (
        f"180 10.03.2036 {_rub(last.payment)} {_rub(last.principal)} {_rub(last.interest)} {_rub(Decimal(0))}" in lines
    )
    assert "Количество платежей: 180" in pages[0]
    assert f"в том числе проценты: {_rub(schedule.total_interest)}." in pages[-1]


async def test_closure_pdf_for_a_closed_loan(bank, client):
    loan_id = await linked_loan(bank, client, USER, status="closed", closed_on="2022-03-10", **SMALL_LOAN)
    made = await pay_installments(bank, 12, schedule=seed_schedule(SMALL_TERMS))
    certificate = await _request(client, loan_id, kind="closure")
    response = await _download(client, certificate["id"])
    assert response.status_code == 200, response.text
    name = f"spravka-zakrytie-{certificate['number']}.pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    text = _pages(response.content)[0]
    assert "Справка о закрытии кредита" in text
    assert "исполнены в полном объёме, кредит закрыт 10.03.2022." in " ".join(text.splitlines())
    assert "Дата закрытия: 10.03.2022" in text
    assert "Сумма кредита: 120 000,00 ₽" in text
    assert f"Всего уплачено по договору: {_rub(sum(p.amount for p in made))}" in text
    assert sum(p.amount for p in made) == seed_schedule(SMALL_TERMS).total_payment
