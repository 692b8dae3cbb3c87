"""Every route, fed random junk (JSON of any shape, odd ids and query values), answers a 4xx or a 2xx, never a 500."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.models import StaffRole
from tests.api.outbox_helpers import SUPERVISOR_TOKEN, add_staff
from tests.conftest import INTEGRATION_TOKEN, SERVICE_TOKEN
from tests.helpers import link, seed_borrower
from tests.openapi import DOCUMENT

USER = 700_009_001

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=6),
    max_leaves=12,
)
path_ids = st.one_of(
    st.integers(min_value=-5, max_value=10),
    st.just(2**63),
    st.text(alphabet="abc%-_.:0123456789", min_size=1, max_size=80),
)
query_values = st.dictionaries(
    st.sampled_from(["on", "format", "status", "limit", "offset", "purpose", "since"]),
    st.one_of(st.text(max_size=40), st.integers(min_value=-(2**40), max_value=2**40).map(str)),
    max_size=3,
)


#: `/readyz` answers 503 on the tests' databases by design (their schema is built, not migrated): tests/ops has it.
ROUTES = [(method.upper(), path) for path, ops in DOCUMENT["paths"].items() for method in ops if path != "/readyz"]


def _token_for(path: str) -> str:
    if path.startswith("/api/v1/integration"):
        return INTEGRATION_TOKEN
    if path.startswith("/api/v1/staff"):
        return SUPERVISOR_TOKEN
    return SERVICE_TOKEN


@pytest.fixture
async def world(bank, client, engine):
    await seed_borrower(bank)
    assert (await link(client, USER)).status_code == 200
    await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN)


def test_the_routes_are_all_here():
    assert len(ROUTES) > 40


@settings(max_examples=len(ROUTES) * 6, deadline=None, suppress_health_check=list(HealthCheck))
@given(route=st.sampled_from(ROUTES), body=json_values, ident=path_ids, query=query_values, as_json=st.booleans())
async def test_no_route_answers_500_to_junk(client, world, route, body, ident, query, as_json):
    method, template = route
    path = re.sub(r"\{[^}]+\}", str(ident), template)
    headers = {"Authorization": f"Bearer {_token_for(template)}", "X-Telegram-User-Id": str(USER)}
    kwargs = {"json": body} if as_json else {"content": str(body).encode()}
    response = await client.request(method, path, params=query, headers=headers, **kwargs)
    assert response.status_code < 500, (method, path, response.text)
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] and error["message"]
