"""Payment details a borrower can pay with: the payee, the loan's account, the amount due now and the QR code."""

from decimal import Decimal

from api.engine import LoanPosition
from api.loans.payment_qr import PaymentOrder, payload
from api.loans.schemas import PaymentDetails
from api.models import Loan
from api.settings import Settings


def _amount_due(position: LoanPosition, *, closed: bool) -> tuple[Decimal | None, str | None]:
    """The overdue amount first; else what is left of the next installment; nothing when that is covered."""
    if closed:
        return None, None
    if position.overdue_amount > 0:
        return position.overdue_amount, "overdue"
    if position.next_payment is not None and position.next_payment > 0:
        return position.next_payment, "next_payment"
    return None, None


def payment_details(loan: Loan, position: LoanPosition, *, closed: bool, settings: Settings) -> PaymentDetails:
    """The requisites for a transfer to the loan's repayment account; the purpose line names the contract."""
    bank = settings.bank
    amount, reason = _amount_due(position, closed=closed)
    purpose = f"Погашение кредита по договору № {loan.contract_number} от {loan.contract_date:%d.%m.%Y}"
    qr = None
    if not closed and loan.repayment_account:
        order = PaymentOrder(
            name=bank.name,
            personal_account=loan.repayment_account,
            bank_name=bank.name,
            bic=bank.bik,
            correspondent_account=bank.correspondent_account,
            payee_inn=bank.inn,
            kpp=bank.kpp,
            purpose=purpose,
            amount=amount,
        )
        qr = payload(order)
    return PaymentDetails(
        recipient=bank.name,
        inn=bank.inn,
        kpp=bank.kpp,
        account=loan.repayment_account,
        bank_name=bank.name,
        bik=bank.bik,
        correspondent_account=bank.correspondent_account,
        amount_due=amount,
        amount_due_reason=reason,
        purpose=purpose,
        qr_payload=qr,
        bank_phone=bank.phone,
    )
