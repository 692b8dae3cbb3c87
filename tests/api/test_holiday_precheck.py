"""The payment-holiday pre-check: each rule of 353-FZ art. 6.1-1 judged and explained, never a refusal."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.engine import InstallmentKind, LoanTerms, PaymentHoliday, build_schedule
from api.holidays.precheck import HolidayTerms, RuleStatus, precheck
from api.models import Borrower, HolidayApplication, HolidayMode, HolidayReason, HolidayStatus
from tests.helpers import as_user, link, seed_borrower

USER = 700_000_201
TODAY = date(2026, 11, 26)
PAYMENT = Decimal("49300.88")  # the seed loan's annuity payment (SPEC §6)
CAP = Decimal("15000000")
TERMS = HolidayTerms(
    reason=HolidayReason.INCOME_DROP,
    income_before=Decimal("100000.00"),
    income_after=Decimal("60000.00"),
    months=3,
    mode=HolidayMode.FULL,
    reduced_payment=None,
    start_date=date(2026, 12, 10),
)
MET, NOT_MET, TO_CONFIRM = RuleStatus.MET, RuleStatus.NOT_MET, RuleStatus.TO_CONFIRM


def _check(terms: HolidayTerms = TERMS, **loan):
    facts = {
        "loan_principal": Decimal("4000000.00"),
        "loan_cap": CAP,
        "monthly_payment": PAYMENT,
        "only_home": True,
        "granted_before": False,
        "today": TODAY,
    }
    return precheck(terms, **(facts | loan))


def _rule(result, code: str):
    (found,) = [rule for rule in result.rules if rule.code == code]
    return found


def test_an_income_drop_that_fits_is_eligible_pending_proof():
    result = _check()
    assert result.eligible is True
    assert result.monthly_payment == PAYMENT
    assert [(rule.code, rule.status) for rule in result.rules] == [
        ("loan_cap", MET),
        ("only_home", MET),
        ("once_per_contract", MET),
        ("grounds", TO_CONFIRM),
        ("length", MET),
        ("start_date", MET),
        ("reduced_payment", MET),
    ]
    grounds = _rule(result, "grounds")
    assert grounds.outcome == "income_fits"
    assert grounds.values == {
        "required_drop_percent": "30",
        "required_share_percent": "50",
        "drop_percent": "40.00",
        "payment_share_percent": "82.17",
        "monthly_payment": "49300.88",
        "payment_basis": "this_agreement",
    }
    assert "down 40.00%" in grounds.explanation
    assert "the monthly payment under this loan's agreement" in grounds.explanation
    assert "49,300.88 RUB is 82.17% of the new income" in grounds.explanation
    assert "income statement" in grounds.explanation


@pytest.mark.parametrize(
    ("reason", "before", "after", "status", "shortfall"),
    [
        # income drop: more than 30% and the payment above 50% of the new income
        (HolidayReason.INCOME_DROP, "100000.00", "70000.00", NOT_MET, "down 30.00%, not more than 30%"),
        (HolidayReason.INCOME_DROP, "100000.00", "69999.99", TO_CONFIRM, None),
        (HolidayReason.INCOME_DROP, "300000.00", "98601.76", NOT_MET, "50.00% of the new income, not above 50%"),
        (HolidayReason.INCOME_DROP, "300000.00", "98601.75", TO_CONFIRM, None),
        # a new dependant: more than 20% and the payment above 40%
        (HolidayReason.NEW_DEPENDANT, "100000.00", "80000.00", NOT_MET, "down 20.00%, not more than 20%"),
        (HolidayReason.NEW_DEPENDANT, "100000.00", "79999.00", TO_CONFIRM, None),
        (HolidayReason.NEW_DEPENDANT, "200000.00", "123252.20", NOT_MET, "40.00% of the new income, not above 40%"),
    ],
)
def test_income_grounds_at_their_thresholds(reason, before, after, status, shortfall):
    terms = replace(TERMS, reason=reason, income_before=Decimal(before), income_after=Decimal(after))
    grounds = _rule(_check(terms), "grounds")
    assert grounds.status is status
    if shortfall:
        assert shortfall in grounds.explanation
        assert grounds.outcome == "income_does_not_fit"


def test_no_income_left_fits_the_share_rule():
    grounds = _rule(_check(replace(TERMS, income_after=Decimal(0))), "grounds")
    assert grounds.status is TO_CONFIRM
    assert "more than all of the new income" in grounds.explanation
    assert "payment_share_percent" not in grounds.values


def test_no_income_before_shows_no_drop():
    result = _check(replace(TERMS, income_before=Decimal(0), income_after=Decimal(0)))
    assert _rule(result, "grounds").outcome == "no_income_before"
    assert result.eligible is False


@pytest.mark.parametrize(
    ("reason", "outcome", "proof"),
    [
        (HolidayReason.JOB_LOSS, "registered_unemployment", "employment centre"),
        (HolidayReason.DISABILITY, "disability_group", "disability certificate"),
        (HolidayReason.SICK_LEAVE, "long_sick_leave", "sick-leave certificate"),
    ],
)
def test_document_grounds_wait_for_proof_whatever_the_income(reason, outcome, proof):
    result = _check(replace(TERMS, reason=reason, income_after=TERMS.income_before))
    grounds = _rule(result, "grounds")
    assert (grounds.status, grounds.outcome) == (TO_CONFIRM, outcome)
    assert proof in grounds.explanation
    assert result.eligible is True


def test_other_reason_is_no_legal_ground_but_not_a_refusal():
    result = _check(replace(TERMS, reason=HolidayReason.OTHER))
    grounds = _rule(result, "grounds")
    assert (grounds.status, grounds.outcome) == (NOT_MET, "no_legal_ground")
    assert result.eligible is False


@pytest.mark.parametrize(("principal", "status"), [("15000000.00", MET), ("15000000.01", NOT_MET)])
def test_loan_cap(principal, status):
    rule = _rule(_check(loan_principal=Decimal(principal)), "loan_cap")
    assert rule.status is status
    assert rule.values == {"principal": principal, "cap": "15000000.00"}


def test_not_the_only_home_and_a_second_holiday_are_flagged():
    result = _check(only_home=False, granted_before=True)
    assert _rule(result, "only_home").status is NOT_MET
    once = _rule(result, "once_per_contract")
    assert (once.status, once.outcome) == (NOT_MET, "already_granted")
    assert result.eligible is False


@pytest.mark.parametrize(("months", "status"), [(0, NOT_MET), (1, MET), (6, MET), (7, NOT_MET)])
def test_length(months, status):
    assert _rule(_check(replace(TERMS, months=months)), "length").status is status


@pytest.mark.parametrize(
    ("start", "status", "outcome"),
    [
        (date(2026, 9, 25), NOT_MET, "too_far_back"),
        (date(2026, 9, 26), MET, "start_ok"),  # backdated by exactly two months
        (date(2026, 12, 26), MET, "start_ok"),  # one month ahead
        (date(2026, 12, 27), NOT_MET, "too_far_ahead"),
    ],
)
def test_start_date_window(start, status, outcome):
    rule = _rule(_check(replace(TERMS, start_date=start)), "start_date")
    assert (rule.status, rule.outcome) == (status, outcome)
    assert rule.values["earliest"] == "2026-09-26"
    assert rule.values["latest"] == "2026-12-26"


@pytest.mark.parametrize(
    ("reduced", "status"),
    [("20000.00", MET), ("49300.87", MET), ("49300.88", NOT_MET), ("60000.00", NOT_MET), (None, NOT_MET)],
)
def test_reduced_payment_must_be_below_the_regular_one(reduced, status):
    terms = replace(TERMS, mode=HolidayMode.REDUCED, reduced_payment=None if reduced is None else Decimal(reduced))
    rule = _rule(_check(terms), "reduced_payment")
    assert rule.status is status
    assert rule.values["monthly_payment"] == "49300.88"


def test_stored_form_is_json_safe():
    stored = _check(replace(TERMS, reason=HolidayReason.OTHER)).as_json()
    assert stored["eligible"] is False
    assert stored["monthly_payment"] == "49300.88"
    assert stored["rules"][3] | {"explanation": ""} == {
        "code": "grounds",
        "status": "not_met",
        "outcome": "no_legal_ground",
        "explanation": "",
        "values": {},
    }


# ---- over HTTP: the same body as an application, nothing stored ----

BODY = {
    "reason": "income_drop",
    "income_before": "100000.00",
    "income_after": "60000.00",
    "months": 3,
    "mode": "full",
    "start_date": "2026-12-10",
}


async def _linked(bank, client, **loan) -> int:
    loan_id = await seed_borrower(bank, **loan)
    assert (await link(client, USER)).status_code == 200
    return loan_id


def _precheck(client, loan_id: int, body: dict):
    return client.post(f"/api/v1/me/loans/{loan_id}/holidays/precheck", json=body, headers=as_user(USER))


async def _applications(engine) -> int:
    async with AsyncSession(engine) as session:
        return await session.scalar(select(func.count()).select_from(HolidayApplication))


async def test_precheck_uses_the_engines_payment_and_stores_nothing(client, bank, engine):
    loan_id = await _linked(bank, client)
    response = await _precheck(client, loan_id, BODY | {"mode": "reduced", "reduced_payment": "20000.00"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["eligible"] is True
    assert body["monthly_payment"] == "49300.88"
    assert [(rule["code"], rule["status"]) for rule in body["rules"]] == [
        ("loan_cap", "met"),
        ("only_home", "met"),
        ("once_per_contract", "met"),
        ("grounds", "to_confirm"),
        ("length", "met"),
        ("start_date", "met"),
        ("reduced_payment", "met"),
    ]
    assert body["rules"][3]["values"]["payment_share_percent"] == "82.17"
    assert await _applications(engine) == 0


async def test_precheck_flags_a_big_loan_that_is_not_the_only_home(client, bank):
    loan_id = await _linked(bank, client, principal="16000000.00", property_is_only_home=False)
    body = (await _precheck(client, loan_id, BODY)).json()
    assert body["eligible"] is False
    statuses = {rule["code"]: rule["status"] for rule in body["rules"]}
    assert statuses["loan_cap"] == statuses["only_home"] == "not_met"
    assert body["monthly_payment"] == "197203.53"  # 16 M at 12.5% over 180 months: P·r / (1 − (1 + r)^−n)


async def _grant(engine, loan_id: int) -> None:
    """A holiday granted on the contract in 2023."""
    async with AsyncSession(engine) as session:
        session.add(
            HolidayApplication(
                borrower_id=await session.scalar(select(Borrower.id).where(Borrower.telegram_user_id == USER)),
                loan_id=loan_id,
                idempotency_key="granted-2023",
                reason=HolidayReason.JOB_LOSS,
                income_before=Decimal("90000.00"),
                income_after=Decimal("0.00"),
                months=3,
                mode=HolidayMode.FULL,
                start_date=date(2023, 2, 10),
                precheck_eligible=True,
                precheck={},
                status=HolidayStatus.APPROVED,
                decided_at=datetime(2023, 2, 1, tzinfo=UTC),
            )
        )
        await session.commit()


async def test_precheck_knows_a_holiday_was_granted_on_the_contract(client, bank, engine):
    loan_id = await _linked(bank, client)
    await _grant(engine, loan_id)
    body = (await _precheck(client, loan_id, BODY)).json()
    once = next(rule for rule in body["rules"] if rule["code"] == "once_per_contract")
    assert (once["status"], once["outcome"]) == ("not_met", "already_granted")
    assert body["monthly_payment"] == "49300.88"  # the deferred months went to the end of the schedule


async def test_precheck_on_a_closed_loan_is_409(client, bank):
    loan_id = await _linked(bank, client, status="closed", closed_on="2026-10-10")
    response = await _precheck(client, loan_id, BODY)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "loan_closed"


@pytest.mark.parametrize("start", ["1990-01-01", "2028-01-01"])
async def test_absurd_start_dates_are_422(client, bank, start):
    loan_id = await _linked(bank, client)
    response = await _precheck(client, loan_id, BODY | {"start_date": start})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "start_date_out_of_range"


async def test_precheck_refuses_bad_bodies_and_callers(client, bank, anonymous):
    loan_id = await _linked(bank, client)
    bad = await _precheck(client, loan_id, BODY | {"months": 9})
    assert bad.status_code == 422
    assert (await _precheck(client, 999999, BODY)).json()["error"]["code"] == "loan_not_found"
    path = f"/api/v1/me/loans/{loan_id}/holidays/precheck"
    assert (await anonymous.post(path, json=BODY, headers=as_user(USER))).status_code == 401
    unlinked = await client.post(path, json=BODY, headers=as_user(USER + 1))
    assert unlinked.json()["error"]["code"] == "not_linked"


SEED_TERMS = LoanTerms(
    principal=Decimal("4000000.00"),
    rate_percent=Decimal("12.5"),
    months=180,
    first_payment_date=date(2021, 4, 10),
    issue_date=date(2021, 3, 10),
)


@pytest.mark.parametrize(
    ("change", "holiday"),
    [
        ({}, PaymentHoliday(date(2026, 12, 10), 3)),
        (
            {"months": 6, "mode": "reduced", "reduced_payment": "20000.00"},
            PaymentHoliday(date(2026, 12, 10), 6, Decimal("20000.00")),
        ),
    ],
)
async def test_precheck_projects_the_engines_schedule_with_the_holiday(client, bank, change, holiday):
    loan_id = await _linked(bank, client)
    projection = (await _precheck(client, loan_id, BODY | change)).json()["projection"]
    plain, with_holiday = build_schedule(SEED_TERMS), build_schedule(SEED_TERMS, holiday=holiday)
    deferred = [row.payment for row in with_holiday.installments if row.kind == InstallmentKind.DEFERRED]
    assert projection["current_end_date"] == plain.installments[-1].due_date.isoformat() == "2036-03-10"
    assert projection["new_end_date"] == with_holiday.installments[-1].due_date.isoformat()
    assert projection["new_end_date"] == ("2036-06-10" if holiday.months == 3 else "2036-09-10")
    assert Decimal(projection["moved_to_end"]) == sum(deferred)


async def test_arrears_before_the_holiday_stay_due_and_inside_a_backdated_one_move_to_the_end(client, bank):
    """The seed loan has no payments on record, so every installment due so far is overdue."""
    loan_id = await _linked(bank, client)
    ahead = (await _precheck(client, loan_id, BODY)).json()["projection"]
    assert ahead["overdue_since"] == "2021-04-10"
    assert ahead["overdue_after"] == ahead["overdue_now"], "a holiday from December covers nothing overdue"
    backdated = (await _precheck(client, loan_id, BODY | {"start_date": "2026-10-01"})).json()["projection"]
    assert backdated["overdue_now"] == ahead["overdue_now"]
    # the installments of 10 October and 10 November fall inside the holiday: they move to the end
    assert Decimal(backdated["overdue_now"]) - Decimal(backdated["overdue_after"]) == 2 * Decimal("49300.88")


async def test_no_projection_once_a_holiday_was_granted(client, bank, engine):
    loan_id = await _linked(bank, client)
    await _grant(engine, loan_id)
    assert (await _precheck(client, loan_id, BODY)).json()["projection"] is None
