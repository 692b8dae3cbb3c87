"""The backend's routes as its OpenAPI document lists them, and who calls each: what the generated attack tests
walk, so a route added to the API is attacked without anyone adding it to a list."""

from tests.openapi import DOCUMENT

USER_HEADER = "X-Telegram-User-Id"


def operation(method: str, path: str) -> dict:
    return DOCUMENT["paths"][path][method.lower()]


def parameters(method: str, path: str, where: str) -> list[str]:
    return [
        parameter["name"] for parameter in operation(method, path).get("parameters", []) if parameter["in"] == where
    ]


def operations(*, under: str = "") -> list[tuple[str, str]]:
    """(METHOD, path) of every operation whose path starts with `under`."""
    return [
        (method.upper(), path)
        for path, found in DOCUMENT["paths"].items()
        if path.startswith(under)
        for method in found
    ]


def body_types(method: str, path: str) -> set[str]:
    """The media types the operation's request body comes in (none without a body)."""
    return set(operation(method, path).get("requestBody", {}).get("content", {}))


def kind_of(path: str) -> str:
    """The kind of caller a route is for, by where it sits (as tests/api/test_schemathesis.py reads it)."""
    if path.startswith("/api/v1/integration/"):
        return "integration"
    if path.startswith("/api/v1/staff/"):
        return "staff"
    return "service"


def callers(method: str, path: str) -> set[str]:
    """Who may call the route: its kind's tokens (a staff route with a documented 403 is the supervisor's alone)."""
    kind = kind_of(path)
    if kind != "staff":
        return {kind}
    return {"supervisor"} if "403" in operation(method, path)["responses"] else {"operator", "supervisor"}


def for_borrowers(method: str, path: str) -> bool:
    """A borrower's route: the bot calls it for a chat, named by its documented `X-Telegram-User-Id`."""
    return USER_HEADER in parameters(method, path, "header")


def ids(operations: list[tuple[str, str]]) -> list[str]:
    return [f"{method} {path}" for method, path in operations]


def follow(reference: dict) -> dict:
    """A schema of the document, its `$ref` followed."""
    return DOCUMENT["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]] if "$ref" in reference else reference


def filled(path: str, ids: dict[str, int]) -> str:
    """The path with its parameters filled in from `ids`."""
    for name, value in ids.items():
        path = path.replace(f"{{{name}}}", str(value))
    return path


def form(method: str, path: str, file: tuple[str, bytes, str]) -> dict:
    """A multipart body for the operation as httpx keywords: `file` in each file field, the first choice in every
    other required field."""
    fields = follow(operation(method, path)["requestBody"]["content"]["multipart/form-data"]["schema"])
    files, data = {}, {}
    for name in fields["required"]:
        field = follow(fields["properties"][name])
        if field.get("format") == "binary" or field.get("contentMediaType"):
            files[name] = file
        else:
            data[name] = field["enum"][0]
    return {"files": files, "data": data}
