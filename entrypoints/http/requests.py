"""Reading requests: bearer tokens and validated JSON bodies (422 names the bad field)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import falcon

from application.errors import Invalid, Unauthorized

MISSING: Any = object()


def bearer(req: falcon.Request) -> str:
    scheme, _, token = (req.get_header("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing Authorization: Bearer token")
    return token.strip()


def page(req: falcon.Request, default_limit: int = 100) -> tuple[int, int]:
    """`limit` (1..1000) and `offset` (>= 0) query parameters."""
    values = []
    for name, default, low, high in (("limit", default_limit, 1, 1000), ("offset", 0, 0, None)):
        raw = req.get_param(name)
        try:
            value = default if raw is None else int(raw)
        except ValueError:
            raise Invalid(name, "must be an integer") from None
        if value < low or (high is not None and value > high):
            raise Invalid(name, f"must be between {low} and {high}" if high else f"must be >= {low}")
        values.append(value)
    return values[0], values[1]


def json_body(req: falcon.Request) -> dict[str, Any]:
    try:
        body = req.get_media()
    except falcon.MediaNotFoundError:
        raise Invalid("body", "a JSON object is required") from None
    except falcon.MediaMalformedError:
        raise Invalid("body", "is not valid JSON") from None
    if not isinstance(body, dict):
        raise Invalid("body", "must be a JSON object")
    return body


def text(body: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = body.get(name, MISSING)
    if value is MISSING or value is None:
        if required:
            raise Invalid(name, "field required")
        return None
    if not isinstance(value, str):
        raise Invalid(name, "must be a string")
    if required and not value.strip():
        raise Invalid(name, "must not be empty")
    return value


def integer(body: dict[str, Any], name: str, default: Any, *, low: int | None = None,
            high: int | None = None, nullable: bool = False) -> Any:
    value = body.get(name, MISSING)
    if value is MISSING:
        return default
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(name, "must be an integer")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f">= {low}"
        raise Invalid(name, f"must be {bounds}, not {value}")
    return value


def boolean(body: dict[str, Any], name: str, default: Any) -> Any:
    value = body.get(name, MISSING)
    if value is MISSING:
        return default
    if not isinstance(value, bool):
        raise Invalid(name, "must be a boolean")
    return value


def url(body: dict[str, Any], name: str, default: Any = None) -> Any:
    """An http(s) URL; an empty string means "none"."""
    value = body.get(name, MISSING)
    if value is MISSING:
        return default
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise Invalid(name, "must be a string")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(name, "must be an http or https URL")
    return value
