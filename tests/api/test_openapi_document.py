"""The OpenAPI document says what the backend does: every route needs a bearer token and documents the 401 it
answers without one, in the error shape every refusal has (tests/attacks/test_tokens.py asks every route without a
token and with the wrong ones); the health checks outside `/api/v1` need none."""

from tests.openapi import DOCUMENT

#: Every route of the API (the health checks outside it need no token).
OPERATIONS = [
    (method.upper(), path) for path, ops in DOCUMENT["paths"].items() if path.startswith("/api/v1/") for method in ops
]


def test_the_api_is_all_here():
    assert len(OPERATIONS) > 40


def test_every_route_documents_its_401():
    missing = [f"{m} {p}" for m, p in OPERATIONS if "401" not in DOCUMENT["paths"][p][m.lower()]["responses"]]
    assert missing == []


def test_the_401_has_the_error_shape():
    body = DOCUMENT["components"]["schemas"]["ErrorBody"]
    detail = DOCUMENT["components"]["schemas"]["ErrorDetail"]
    assert body["required"] == ["error"] and set(detail["required"]) == {"code", "message"}


def test_the_integration_upserts_document_their_201():
    """A new record's 201 was undocumented, so its body went unchecked by schemathesis (tests/api/test_schemathesis)."""
    upserts = [ops["put"] for path, ops in DOCUMENT["paths"].items() if path.startswith("/api/v1/integration/")]
    assert len(upserts) == 4
    for operation in upserts:
        created = operation["responses"]["201"]["content"]["application/json"]["schema"]
        assert created == operation["responses"]["200"]["content"]["application/json"]["schema"]


#: What a borrower's chat creates: each POST takes the bot's key (SPEC §7). The survey offer and the relay's copies
#: of Telegram messages are not the borrower's requests (the relay's are keyed by the Telegram message's id).
KEYED = [
    "/api/v1/me/loans/{loan_id}/certificates",
    "/api/v1/me/loans/{loan_id}/holidays",
    "/api/v1/me/holidays/{holiday_id}/documents",
    "/api/v1/me/loans/{loan_id}/insurance/documents",
    "/api/v1/me/loans/{loan_id}/insurance/quote-requests",
    "/api/v1/me/support-cases",
    "/api/v1/unlinked/support-cases",
    "/api/v1/me/feedback",
]


def test_every_create_request_documents_its_idempotency_key():
    created = {
        path
        for path, ops in DOCUMENT["paths"].items()
        if "201" in ops.get("post", {}).get("responses", {})
        and not path.startswith(("/api/v1/relay/", "/api/v1/me/surveys"))
    }
    assert created == set(KEYED)
    for path in KEYED:
        (key,) = [p for p in DOCUMENT["paths"][path]["post"]["parameters"] if p["name"] == "Idempotency-Key"]
        schema = key["schema"]["anyOf"][0] if "anyOf" in key["schema"] else key["schema"]  # optional, or required
        assert (key["in"], schema["pattern"]) == ("header", r"^[A-Za-z0-9_-]{8,64}$"), path
        assert "idempotency_key_reused" in DOCUMENT["paths"][path]["post"]["responses"]["409"]["description"], path
