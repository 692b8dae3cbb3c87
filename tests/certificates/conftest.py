"""Shared fixtures for certificate tests: a bank, a header, and PDF-to-text helpers (all immutable, so built once)."""

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from api.certificates import BankDetails, CertificateHeader

# Babel puts non-breaking spaces in money («49 300,88 ₽»); the PDF keeps them so amounts never
# wrap mid-number, and the tests turn them into plain spaces before matching.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def _pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text().translate(_SPACES) for page in PdfReader(io.BytesIO(pdf)).pages]


def _rub(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " ₽"


@pytest.fixture(scope="session")
def pages_text() -> Callable[[bytes], list[str]]:
    """Each page's extracted text, NBSP and narrow NBSP normalised to plain spaces."""
    return _pages_text


@pytest.fixture(scope="session")
def page_one_text() -> Callable[[bytes], str]:
    """Page 1's extracted text, NBSP and narrow NBSP normalised to plain spaces."""
    return lambda pdf: _pages_text(pdf)[0]


@pytest.fixture(scope="session")
def rub() -> Callable[[Decimal], str]:
    """Money as the certificate should print it, written independently of Babel: ``49 300,88 ₽``."""
    return _rub


@pytest.fixture(scope="session")
def bank() -> BankDetails:
    return BankDetails(
        name="АО «Ипотечный Банк»",
        address="123112, г. Москва, Пресненская наб., д. 10, стр. 2",
        inn="7701234567",
        kpp="770101001",
        ogrn="1027700123456",
        bik="044525123",
        correspondent_account="30101810400000000123",
        license="1234",
        phone="8 800 100-00-00",
    )


@pytest.fixture(scope="session")
def header() -> CertificateHeader:
    return CertificateHeader(
        number="ИП-2025-000123",
        issued_on=date(2025, 2, 3),
        borrower_full_name="Иванова Мария Сергеевна",
        contract_number="12/345-ИК",
        contract_date=date(2019, 6, 14),
    )
