"""Fixtures the API tests share: the seed borrower linked to the module's `USER` chat, and a second borrower.

A test module names its chats with module constants `USER` and `OTHER_USER`, so two modules never collide.
"""

import pytest

from api.models import StaffRole
from tests import resets
from tests.api.loan_helpers import DUE_BY_TODAY, linked_loan, pay_installments
from tests.api.outbox_helpers import linked_borrower
from tests.api.relay_helpers import add_member
from tests.helpers import borrower_body, link, loan_body, put


@pytest.fixture
async def loan_id(request, app, bank, client, engine) -> int:
    """The seed's loan, its borrower linked to the module's `USER` chat: built once a process for each chat, clock
    and settings, then loaded (tests/resets.py)."""
    user = request.module.USER
    return await resets.built(engine, resets.through(app, "linked_loan", user), lambda: linked_loan(bank, client, user))


@pytest.fixture
async def paid_loan_id(request, app, bank, client, engine) -> int:
    """The seed's loan, its borrower linked to the module's `USER` chat, with every installment due by today paid on
    its date in the engine's amounts: the bank's 68 calls made once a process for each chat, clock and settings, then
    loaded (tests/resets.py)."""
    user = request.module.USER

    async def build() -> int:
        loan_id = await linked_loan(bank, client, user)
        await pay_installments(bank, DUE_BY_TODAY)
        return loan_id

    return await resets.built(engine, resets.through(app, "paid_loan", user), build)


@pytest.fixture
async def other_loan_id(request, bank, client) -> int:
    """A second borrower's loan, linked to the module's `OTHER_USER` chat."""
    await put(bank, "borrowers/B-2", borrower_body(phone="+79160000002"))
    loan = await put(bank, "loans/L-2", loan_body("B-2", contract_number="ИК-2022/000999"))
    assert (await link(client, request.module.OTHER_USER, factor="0999", phone="+79160000002")).status_code == 200
    return loan["id"]


@pytest.fixture
async def borrower(request, app, bank, client, engine) -> tuple[int, int]:
    """(borrower id, loan id) of the seed borrower linked to the module's `USER` chat (modules may define their own);
    built once a process for each chat, clock and settings, then loaded (tests/resets.py)."""
    user = request.module.USER
    key = resets.through(app, "linked_borrower", user)
    return await resets.built(engine, key, lambda: linked_borrower(bank, client, engine, telegram_user_id=user))


@pytest.fixture
async def staff(request, engine) -> dict[int, int]:
    """Staff ids by the module's Telegram ids: `ANNA` (operator), `BORIS` (supervisor), `RETIRED` (disabled)."""
    module = request.module
    return {
        module.ANNA: await add_member(engine, "Анна", module.ANNA),
        module.BORIS: await add_member(engine, "Борис", module.BORIS, role=StaffRole.SUPERVISOR),
        module.RETIRED: await add_member(engine, "Вера", module.RETIRED, active=False),
    }
