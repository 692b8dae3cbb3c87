"""Another borrower's ids on every route: each route of the OpenAPI document that a borrower's chat calls with ids
in its path is called as borrower A with borrower B's ids (every mix of A's and B's): a 403 or 404, nothing of B's in
the body, nothing of B's changed. A route with ids that is not a borrower's must be named here with why its caller
may name any record, so a new id-taking route fails until it is covered one way or the other."""

from itertools import combinations

import pytest

from tests.attacks.routes import filled, for_borrowers, form, operation, operations, parameters
from tests.attacks.worlds import B_MARKERS, HOLIDAY, Records, two_borrowers
from tests.helpers import as_user
from tests.samples import pdf

#: Every operation whose path names records: (method, path, its path parameters, whether a borrower's chat calls it).
WITH_IDS = [
    (method, path, parameters(method, path, "path"), for_borrowers(method, path))
    for method, path in operations()
    if parameters(method, path, "path")
]
BORROWER_ROUTES = [(method, path, names) for method, path, names, borrowers in WITH_IDS if borrowers]

#: Routes with ids whose caller is not a borrower's chat, so no borrower's ownership applies, and why.
NOT_A_BORROWERS = {
    "/api/v1/integration/": "the bank's systems (integration token) write every borrower's records by external id",
    "/api/v1/staff/": "staff (a staff member's token) work every borrower's cases; the supervisor's routes are "
    "refused to operators (tests/attacks/test_tokens.py)",
    "/api/v1/relay/": "the bot (service token) relays cases and tasks it was handed by the backend itself, never "
    "an id from a borrower's button",
    "/api/v1/scheduler/": "the scheduler (service token) marks the outbox rows it claimed",
    "/api/v1/unlinked/": "the bot (service token) names the unlinked chat it is talking to by the id Telegram gave",
}


def test_every_route_with_ids_is_attacked_here_or_says_why_not():
    unexplained = [
        f"{method} {path}"
        for method, path, _, borrowers in WITH_IDS
        if not borrowers and not any(path.startswith(prefix) for prefix in NOT_A_BORROWERS)
    ]
    assert unexplained == [], "a route with ids that is neither a borrower's nor explained in NOT_A_BORROWERS"
    assert len(BORROWER_ROUTES) >= 19


def test_every_borrower_id_has_a_record_of_bs_to_try():
    """A new kind of id on a borrower's route needs a record of it in tests/attacks/worlds.py."""
    known = {"loan_id", "certificate_id", "holiday_id", "case_id", "quote_id"}
    assert {name for _, _, names in BORROWER_ROUTES for name in names} <= known


#: A valid body of each JSON request schema the borrower routes with ids take (a route may check the body before whose
#: record it names: the refusal must still be the record's).
JSON_BODIES = {
    "EstimateRequest": {"amount": "100000.00", "mode": "shorter_term"},
    "CertificateCreate": {"kind": "outstanding_debt"},
    "QuoteRequestCreate": {"kind": "life"},
    "QuoteChoice": {"pay_later": True},
    "HolidayCreate": HOLIDAY,
}


def _body(method: str, path: str) -> dict:
    """The request's valid body as httpx keywords: JSON from `JSON_BODIES`, a form with a real PDF for each file and
    the first choice of each other field."""
    content = operation(method, path).get("requestBody", {}).get("content", {})
    if "application/json" in content:
        name = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert name in JSON_BODIES, f"{method} {path}: add a valid {name} to JSON_BODIES"
        return {"json": JSON_BODIES[name]}
    if "multipart/form-data" in content:
        return form(method, path, ("statement.pdf", pdf("attack"), "application/pdf"))
    return {}


async def _view(client, b: Records) -> list[tuple[int, str]]:
    """Everything B's own chat can read of B's records."""
    paths = ["/me", "/me/loans", "/me/certificates", "/me/holidays", "/me/support-cases"]
    paths.append(f"/me/loans/{b.ids['loan_id']}/insurance")
    responses = [await client.get(f"/api/v1{path}", headers=as_user(b.user)) for path in paths]
    return [(response.status_code, response.text) for response in responses]


@pytest.mark.parametrize(("method", "path", "names"), BORROWER_ROUTES, ids=[f"{m} {p}" for m, p, _ in BORROWER_ROUTES])
async def test_another_borrowers_ids_are_not_found(app, bank, client, engine, clock, method, path, names):
    a, b = await two_borrowers(bank, client, engine, clock)
    before = await _view(client, b)
    body, headers = _body(method, path), {**as_user(a.user), "Idempotency-Key": "attack-foreign-ids"}
    for count in range(1, len(names) + 1):
        for theirs in combinations(names, count):
            ids = {name: (b if name in theirs else a).ids[name] for name in names}
            response = await client.request(method, filled(path, ids), headers=headers, **body)
            assert response.status_code in (403, 404), f"{theirs} of B's: {response.status_code} {response.text}"
            assert response.json()["error"]["code"].endswith("_not_found"), response.text
            assert [m for m in B_MARKERS if m in response.text] == [], f"{theirs} of B's: B's data in the body"
    assert await _view(client, b) == before, "B's records changed"
    own = await client.request(method, filled(path, a.ids), headers=headers, **body)
    assert own.status_code < 400 or own.status_code == 409, f"A's own ids: the refusal above proves nothing: {own.text}"
