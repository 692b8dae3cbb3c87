"""Missing and wrong tokens on every route of the OpenAPI document: without a token, with a wrong one, with a
malformed header, and with the token of each other kind of caller (the bot's service token, the bank's integration
token, an operator's, a supervisor's, a disabled staff member's): 401 or 403, never a 2xx or a 5xx. The right caller
gets past the check, so each route's kind (read from its path, as tests/api/test_schemathesis.py does) is the one the
code enforces; a supervisor's route (its documented 403) refuses operators; a borrower's route (its documented
`X-Telegram-User-Id`) refuses a chat that is not linked. The routes without a token are named here with why."""

import re

import pytest

from api.models import StaffRole
from tests.api.outbox_helpers import OPERATOR_TOKEN, SUPERVISOR_TOKEN, add_staff
from tests.attacks.routes import DOCUMENT, callers, for_borrowers, ids, kind_of, operation, operations
from tests.conftest import INTEGRATION_TOKEN, SERVICE_TOKEN

RETIRED_TOKEN = "retired-staff-token-1"
TOKENS = {
    "service": SERVICE_TOKEN,
    "integration": INTEGRATION_TOKEN,
    "operator": OPERATOR_TOKEN,
    "supervisor": SUPERVISOR_TOKEN,
}
#: A borrower's chat that is linked to no one: the bot's header on a borrower route.
UNLINKED = {"X-Telegram-User-Id": "701009999"}

#: The document's routes outside the API's authentication, and why each is public.
PUBLIC = {
    "/healthz": "the liveness probe of the orchestrator and the load balancer: it says only that the process runs",
    "/readyz": "the readiness probe: it names the check that fails (database, Redis, migrations), never data",
}
#: The same liveness answer under the names the benchmarks and the bot look for, kept out of the document. (Outside
#: the document too: `/metrics`, the loopback's or METRICS_TOKEN's (tests/ops/test_backend_operations.py); `/docs`,
#: `/redoc` and `/openapi.json`, the document itself; `/console`, behind the staff's own sign-in (tests/console).)
ALSO_PUBLIC = ("/health", "/api/v1/healthz")
OPERATIONS = operations(under="/api/v1/")
IDS = ids(OPERATIONS)


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
async def staff_tokens(engine) -> None:
    await add_staff(engine, StaffRole.OPERATOR, OPERATOR_TOKEN)
    await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN)
    await add_staff(engine, StaffRole.OPERATOR, RETIRED_TOKEN, active=False)


def test_the_routes_outside_the_api_are_the_public_ones():
    """A new route outside /api/v1 must be named in PUBLIC with its reason; every route in it declares a token."""
    assert {path for path in DOCUMENT["paths"] if not path.startswith("/api/v1/")} == set(PUBLIC)
    assert len(OPERATIONS) > 60
    assert [f"{m} {p}" for m, p in OPERATIONS if operation(m, p).get("security") is None] == []


@pytest.mark.parametrize("path", [*PUBLIC, *ALSO_PUBLIC])
async def test_the_public_routes_answer_without_a_token_and_say_nothing_more(anonymous, path):
    response = await anonymous.get(path)
    assert response.status_code in (200, 503), response.text  # /readyz is 503 on the tests' unmigrated schema
    assert set(response.json()) <= {"status", "checks", "failing"}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=IDS)
async def test_no_token_or_a_wrong_one_is_401(anonymous, method, path):
    url = _url(path)
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Basic {SERVICE_TOKEN}"},
        {"Authorization": SERVICE_TOKEN},
        {"Authorization": f"Bearer {SERVICE_TOKEN}x"},
    ):
        response = await anonymous.request(method, url, headers={**UNLINKED, **headers})
        assert response.status_code == 401, f"{headers}: {response.status_code} {response.text}"
        assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=IDS)
async def test_the_wrong_kind_of_caller_is_refused_and_the_right_one_let_in(anonymous, staff_tokens, method, path):
    url, allowed = _url(path), callers(method, path)
    for caller, token in [*TOKENS.items(), ("disabled staff", RETIRED_TOKEN)]:
        response = await anonymous.request(method, url, headers={**UNLINKED, "Authorization": f"Bearer {token}"})
        assert response.status_code < 500, f"{caller}: {response.text}"
        if caller in allowed:
            assert response.status_code != 401, f"{caller} is this route's caller: {response.text}"
            if for_borrowers(method, path):
                assert (response.status_code, response.json()["error"]["code"]) == (403, "not_linked"), response.text
        else:
            assert response.status_code in (401, 403), f"{caller}: {response.status_code} {response.text}"
            if caller == "operator" and kind_of(path) == "staff":
                assert response.json()["error"]["code"] == "forbidden", response.text
