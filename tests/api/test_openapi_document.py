"""The OpenAPI document says what the backend does: every route needs a bearer token and documents the 401 it
answers without one, in the error shape every refusal has (tests/attacks/test_tokens.py asks every route without a
token and with the wrong ones); the health checks outside `/api/v1` need none."""

from api.app import create_app

DOCUMENT = create_app().openapi()
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
