"""Schemathesis over the backend's own OpenAPI document, as each kind of caller: the bot for a linked borrower
(service routes), an operator and a supervisor (staff routes), the bank's systems (integration routes). Every
generated request (and every example of the document) gets no 5xx, a documented status and the documented shape; the
integration examples are accepted upserts, so the fuzz reaches the upsert logic, not only the 422s."""

from functools import cache

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from api.models import StaffRole
from tests.api.outbox_helpers import OPERATOR_TOKEN, SUPERVISOR_TOKEN, add_staff
from tests.conftest import INTEGRATION_TOKEN, SERVICE_TOKEN
from tests.helpers import link, seed_borrower
from tests.openapi import DOCUMENT

USER = 700_009_002
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
HEADERS = {
    "service": {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(USER)},
    "operator": {"Authorization": f"Bearer {OPERATOR_TOKEN}"},
    "supervisor": {"Authorization": f"Bearer {SUPERVISOR_TOKEN}"},
    "integration": {"Authorization": f"Bearer {INTEGRATION_TOKEN}"},
}


def _callers(path: str) -> tuple[str, ...]:
    if path.startswith("/api/v1/integration"):
        return ("integration",)
    if path.startswith("/api/v1/staff"):
        return ("operator", "supervisor")
    return ("service",)


#: `/readyz` answers 503 on the tests' databases by design (their schema is built, not migrated): tests/ops has it.
CALLS = [
    (caller, op.method.upper(), op.path)
    for op in (result.ok() for result in SCHEMA.get_all_operations())
    if op.path != "/readyz"
    for caller in _callers(op.path)
]
UPSERTS = [(m, p) for caller, m, p in CALLS if caller == "integration"]


@cache
def _cases(caller: str, method: str, path: str) -> st.SearchStrategy:
    """Cases from the document's examples of the operation (its own and its fields'), then generated ones."""
    operation = SCHEMA[path][method]
    examples = operation.get_strategies_from_examples(headers=HEADERS[caller])
    return st.one_of(*examples, operation.as_strategy(headers=HEADERS[caller]))


def _record_example(method: str, path: str):
    """The upsert as the document's examples give it: the path's id and the record's body."""
    operation = DOCUMENT["paths"][path][method.lower()]
    (parameter,) = operation["parameters"]
    record = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    return SCHEMA[path][method].Case(
        path_parameters={parameter["name"]: parameter["schema"]["examples"][0]},
        body=DOCUMENT["components"]["schemas"][record]["examples"][0],
        headers=HEADERS["integration"],
    )


@pytest.fixture
async def world(bank, client, engine):
    """Borrower B-1 with loan L-1 (the integration examples' own), linked to USER; an operator and a supervisor."""
    await seed_borrower(bank)
    assert (await link(client, USER)).status_code == 200
    await add_staff(engine, StaffRole.OPERATOR, OPERATOR_TOKEN)
    await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN)


def _text(value: object) -> str | bytes:
    return value if isinstance(value, str | bytes) else str(value)


async def _send(app, case) -> httpx.Response:
    """Send the case to the app in-process (on the test's own event loop and engine) and run the checks."""
    kwargs = case.as_transport_kwargs(base_url="http://api")
    if "data" in kwargs:  # a raw body: httpx takes it as `content`
        kwargs["content"] = kwargs.pop("data")
    if kwargs.get("files"):  # a form's number part sent as its text, as requests (urllib3) encodes it
        kwargs["files"] = [(name, (part[0], _text(part[1]), *part[2:])) for name, part in kwargs["files"]]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api", cookies=kwargs.pop("cookies")) as client:
        response = await client.request(**kwargs)
    response.request.read()  # a multipart body was streamed: the checks read it back
    case.validate_response(response, checks=CHECKS)
    return response


def test_every_caller_has_routes():
    assert {caller for caller, _, _ in CALLS} == set(HEADERS) and len(UPSERTS) == 4


@pytest.mark.parametrize(("caller", "method", "path"), CALLS, ids=[" ".join(call) for call in CALLS])
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
async def test_the_answers_are_as_documented(app, world, caller, method, path, data):
    await _send(app, data.draw(_cases(caller, method, path)))


@pytest.mark.parametrize(("method", "path"), UPSERTS, ids=[" ".join(call) for call in UPSERTS])
async def test_the_integration_examples_are_accepted_upserts(app, world, method, path):
    response = await _send(app, _record_example(method, path))
    assert response.status_code in (200, 201), response.text
