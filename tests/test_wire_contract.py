"""The one wire contract: the bot's models of the backend's answers, field by field against the backend's OpenAPI.

The bot may not import `api/` (tests/test_boundaries.py), so this test is the bridge. Every model the bot reads an
answer into is mapped to the OpenAPI component it mirrors, with the fields of that component the bot does not read
named; the test fails on any drift: a field added, gone or renamed on either side, a wire type or format, null
allowed or not, required or not, an enum's values, a nested model that mirrors another component.
"""

from typing import Any

import pytest
from pydantic import create_model

from api.app import create_app
from api.settings import Settings
from bot.backend import filings, holidays, models, outbox, relay, relay_tasks, terms

#: bot model -> (the OpenAPI component it mirrors, the component's fields the bot does not read).
MIRRORS: dict[type[models.Answer], tuple[str, frozenset[str]]] = {
    models.ChatCase: ("ChatCase", frozenset()),
    models.Profile: ("Profile", frozenset({"linked_at"})),
    models.Preferences: ("PreferencesPublic", frozenset()),
    models.LinkedLoan: ("LinkedLoan", frozenset()),
    models.LinkResult: ("LinkResult", frozenset()),
    models.LoanItem: ("LoanItem", frozenset()),
    models.PaymentDetails: ("PaymentDetails", frozenset()),
    models.LoanSummary: ("api__loans__schemas__LoanSummary", frozenset({"day_count"})),
    models.OwedAfter: ("OwedAfter", frozenset()),
    filings.Payoff: ("PayoffOut", frozenset()),
    filings.EarlyRepaymentEstimate: ("EarlyRepaymentEstimateOut", frozenset()),
    filings.Certificate: ("CertificateOut", frozenset()),
    filings.InterestYear: ("InterestYear", frozenset()),
    filings.InterestOverview: ("InterestOverview", frozenset()),
    filings.Policy: ("PolicyPublic", frozenset()),
    filings.FileCheck: ("FileCheckPublic", frozenset()),
    filings.Document: ("DocumentPublic", frozenset({"sha256"})),
    filings.QuoteRequest: ("QuoteRequestPublic", frozenset({"answered_at"})),
    filings.InsuranceOverview: ("InsuranceOverview", frozenset()),
    holidays.HolidayRule: ("RulePublic", frozenset()),
    holidays.HolidayProjection: ("HolidayProjection", frozenset()),
    holidays.HolidayPrecheck: ("PrecheckPublic", frozenset()),
    holidays.Holiday: ("HolidayPublic", frozenset()),
    holidays.HolidayApplicationTerms: ("HolidayApplicationTerms", frozenset()),
    terms.GeneralTerms: ("GeneralTerms", frozenset()),
    models.LoanBalance: ("LoanBalance", frozenset()),
    filings.ExpectedResponse: ("ExpectedResponse", frozenset()),
    filings.SupportCase: ("CasePublic", frozenset({"reasons", "recent_steps", "details"})),
    filings.OpenedCase: ("CaseResult", frozenset({"reasons", "recent_steps", "details"})),
    filings.FeedbackResult: ("FeedbackPublic", frozenset({"subject", "subject_id", "comment", "created_at"})),
    outbox.Claimed: ("ClaimedNotification", frozenset()),
    outbox.Claim: ("ClaimResult", frozenset()),
    outbox.PlanTally: ("PlanResult", frozenset()),
    outbox.OutboxCounts: ("OutboxStats", frozenset()),
    outbox.Released: ("ReleaseResult", frozenset()),
    outbox.SentReported: ("SentBatchResult", frozenset()),
    relay.RelayCase: ("RelayCase", frozenset()),
    relay.CardLoan: ("CardLoan", frozenset()),
    relay.CardApplication: ("OpenApplication", frozenset()),
    relay.CaseCard: ("CaseCard", frozenset()),
    relay.StaffMember: ("RelayStaff", frozenset()),
    relay_tasks.TaskFile: ("TaskFile", frozenset()),
    relay_tasks.TaskMessage: ("TaskMessage", frozenset()),
    relay_tasks.TaskCopy: ("TaskCopy", frozenset()),
    relay_tasks.RelayTask: ("TaskPublic", frozenset()),
    relay_tasks._Claim: ("TaskClaimResult", frozenset()),
}
#: Bot models that mirror no JSON answer, and why.
NOT_ANSWERS = {
    filings.CertificateFile: "the client builds it from the PDF answer's bytes and Content-Disposition header",
}
COMPONENT = "#/components/schemas/"


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    return create_app(Settings(mode="test")).openapi()["components"]["schemas"]


def _bot_models() -> set[type[models.Answer]]:
    found, todo = set(), [models.Answer]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("bot.backend.") and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_every_bot_model_is_mapped():
    assert _bot_models() == set(MIRRORS) | set(NOT_ANSWERS)


def _wire(schema: dict[str, Any], defs: dict[str, Any], component_of: dict[str, str]) -> Any:
    """A field's schema as it travels: JSON type and format, enum values, null, the component a nested model is."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        target = defs[name]
        if "enum" in target:
            return ("enum", frozenset(target["enum"]))
        return ("model", component_of.get(name, name))
    if "enum" in schema:
        return ("enum", frozenset(schema["enum"]))
    if "const" in schema:
        return ("enum", frozenset({schema["const"]}))
    if "anyOf" in schema:
        return ("any of", frozenset(_wire(option, defs, component_of) for option in schema["anyOf"]))
    kind = schema.get("type")
    if kind == "array":
        return ("array", _wire(schema["items"], defs, component_of))
    if kind == "object":
        values = schema.get("additionalProperties", True)
        return ("object", True if values is True else _wire(values, defs, component_of))
    return (kind, schema.get("format"))


def _fields(schema: dict[str, Any], defs: dict[str, Any], component_of: dict[str, str]) -> dict[str, Any]:
    required = set(schema.get("required", ()))
    return {
        name: (_wire(field, defs, component_of), "required" if name in required else "optional")
        for name, field in schema["properties"].items()
    }


@pytest.mark.parametrize("model", sorted(MIRRORS, key=lambda model: model.__qualname__), ids=lambda m: m.__name__)
def test_a_bot_model_reads_its_component_field_by_field(model, components):
    component, unread = MIRRORS[model]
    expected = _fields(components[component], components, {})
    assert unread <= expected.keys(), f"{component} has no fields {sorted(unread - expected.keys())}"
    own = model.model_json_schema(mode="serialization", ref_template=COMPONENT + "{model}")
    defs = own.get("$defs", {})
    component_of = {bot.__name__: name for bot, (name, _) in MIRRORS.items()}
    got = _fields(own, defs, component_of)
    assert got == {name: field for name, field in expected.items() if name not in unread}


@pytest.mark.parametrize(
    "drift",
    [
        {"status": (str, ...)},  # an enum read as any string
        {"topic_id": (int, ...)},  # null no longer allowed
        {"topic_id": (int | None, None)},  # required no longer
        {"topic": (int | None, ...)},  # a renamed field
    ],
)
def test_drift_is_caught(drift, components):
    """The comparison itself: a model of ChatCase changed in any one way no longer matches it."""
    fields = {"id": (int, ...), "status": (models.CaseStatus, ...), "topic_id": (int | None, ...)}
    matching = create_model("ChatCase", __base__=models.Answer, **fields)
    changed = {name: field for name, field in fields.items() if not ("topic" in drift and name == "topic_id")}
    drifted = create_model("ChatCase", __base__=models.Answer, **changed | drift)
    expected = _fields(components["ChatCase"], components, {})
    assert _fields(matching.model_json_schema(mode="serialization"), {}, {}) == expected
    assert _fields(drifted.model_json_schema(mode="serialization"), {}, {}) != expected
