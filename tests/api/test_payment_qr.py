"""The GOST R 56042-2014 payload on its own: field order, the amount in kopecks, no separator inside a value."""

from decimal import Decimal

import pytest

from api.loans.account_key import key_matches, with_key
from api.loans.payment_qr import PaymentOrder, payload
from tests.gost_qr import fields

ORDER = PaymentOrder(
    name="АО «Банк»",
    personal_account="40817810400000000001",
    bank_name="АО «Банк»",
    bic="044525000",
    correspondent_account="30101810400000000000",
    payee_inn="7700000000",
    kpp="770001001",
    purpose="Погашение кредита по договору № ИК-1 от 10.03.2021",
    amount=Decimal("49300.88"),
)


def test_the_payload_lists_the_fields_in_the_standards_order():
    assert payload(ORDER) == (
        "ST00012|Name=АО «Банк»|PersonalAcc=40817810400000000001|BankName=АО «Банк»|BIC=044525000"
        "|CorrespAcc=30101810400000000000|PayeeINN=7700000000|KPP=770001001|Sum=4930088"
        "|Purpose=Погашение кредита по договору № ИК-1 от 10.03.2021"
    )


@pytest.mark.parametrize(("amount", "kopecks"), [("0.01", "1"), ("1.00", "100"), ("1234567.80", "123456780")])
def test_the_sum_is_in_kopecks(amount, kopecks):
    order = PaymentOrder(**{**ORDER.__dict__, "amount": Decimal(amount)})
    assert fields(payload(order))["Sum"] == kopecks


@pytest.mark.parametrize("amount", ["0", "0.00", "-1.00", "0.001"])
def test_no_zero_negative_or_part_kopeck_sum(amount):
    with pytest.raises(ValueError, match="kopecks"):
        payload(PaymentOrder(**{**ORDER.__dict__, "amount": Decimal(amount)}))


def test_without_an_amount_the_sum_is_left_out():
    assert "Sum" not in fields(payload(PaymentOrder(**{**ORDER.__dict__, "amount": None})))


def test_separators_control_characters_and_overlong_values_are_cleaned():
    order = PaymentOrder(
        **{**ORDER.__dict__, "name": "Банк | Главный\n\x00филиал", "purpose": "Я" * 300, "bank_name": "Б" * 60}
    )
    got = fields(payload(order))
    assert got["Name"] == "Банк Главный филиал"
    assert (got["Purpose"], got["BankName"]) == ("Я" * 210, "Б" * 45)


def test_the_control_key_of_an_account_against_the_bic():
    assert key_matches("40702810438000034726", "044525225")  # a real account at the bank with BIC 044525225
    good = with_key("40817810000000000001", "044525000")
    assert key_matches(good, "044525000")
    for index in range(20):
        for digit in "0123456789":
            typo = good[:index] + digit + good[index + 1 :]
            assert typo == good or not key_matches(typo, "044525000")
    assert not key_matches(good[:19], "044525000")
    assert not key_matches(good, "04452500")
