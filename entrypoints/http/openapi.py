"""The OpenAPI 3 document of the REST contract, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from domain.task import MAX_ITERATIONS
from entrypoints.version import VERSION

STR = {"type": "string"}
NULLABLE_STR = {"type": "string", "nullable": True}
READY_CHECKS = {"type": "object", "additionalProperties": {"type": "string"},
                "description": "each dependency: ok, or why it failed"}
INT = {"type": "integer"}
NULLABLE_INT = {"type": "integer", "nullable": True, "minimum": 0}
BOOL = {"type": "boolean"}
ITERATIONS = {"type": "integer", "minimum": 1, "maximum": MAX_ITERATIONS, "default": 3}
WEBHOOK = {"webhook_url": {"type": "string", "format": "uri"}, "webhook_include_image": BOOL}


def _obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    meaning = {401: "missing or wrong credential", 403: "key deactivated or quota exhausted",
               404: "not found", 422: "validation error naming the field"}
    return {str(c): _json(_ref("Error"), meaning[c]) for c in codes}


def _op(summary: str, responses: dict[str, Any], body: dict[str, Any] | None = None,
        security: str | None = "apiKey", parameters: list[dict[str, Any]] | None = None
        ) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": body}}}
    op["security"] = [{security: []}] if security else []
    if parameters:
        op["parameters"] = parameters
    return op


def _path_param(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": STR,
            "description": description}


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


KEY = _obj({
    "id": STR, "key": STR, "name": STR, "quota_remaining": NULLABLE_INT,
    "quota_total": NULLABLE_INT, "total_used": INT, "active": BOOL,
    "created_at": {"type": "string", "format": "date-time"}, "webhook_url": NULLABLE_STR,
    "has_webhook_secret": BOOL,
})
TASK = _obj({
    "task_id": STR, "status": {"type": "string", "enum": ["pending", "running", "completed", "failed"]},
    "diagram_type": {"type": "string", "enum": ["methodology", "statistical_plot"]},
    "image_base64": NULLABLE_STR, "description": NULLABLE_STR, "error": NULLABLE_STR,
    "created_at": STR, "started_at": NULLABLE_STR, "completed_at": NULLABLE_STR,
    "iterations": INT, "iterations_completed": INT,
    "critic_notes": {"type": "array", "items": _obj({
        "iteration": INT, "notes": {"type": "array", "items": STR}})},
})
ACCEPTED = _json(_obj({"task_id": STR, "status": {"type": "string", "enum": ["pending"]}}),
                 "accepted; poll the task or wait for the webhook")
USAGE_PAGE = [_query("limit", {"type": "integer", "minimum": 1, "maximum": 1000}),
              _query("offset", {"type": "integer", "minimum": 0})]
KEY_PARAM = _path_param("key", "the full API key")
TASK_PARAM = _path_param("task_id", "the id returned at submission")


def openapi_document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "PaperBanana", "version": VERSION,
                 "description": "Methodology diagrams and statistical plots for papers."},
        "servers": [{"url": base_url}],
        "components": {
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"},
                                "adminKey": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": _obj({"detail": STR}, ("detail",)), "Key": KEY, "Task": TASK},
        },
        "paths": {
            "/api/health": {"get": _op("Liveness and version", {"200": _json(
                _obj({"status": STR, "version": STR}), "ok")}, security=None)},
            "/api/health/ready": {"get": _op(
                "Readiness: the event store, read models and broker answer",
                {"200": _json(_obj({"status": STR, "checks": READY_CHECKS}), "ready"),
                 "503": _json(_obj({"detail": STR, "status": STR, "checks": READY_CHECKS}),
                              "a dependency does not answer")}, security=None)},
            "/api/generate": {"post": _op(
                "Submit a methodology diagram", {"202": ACCEPTED, **_errors(401, 403, 422)},
                _obj({"source_context": STR, "caption": STR, "iterations": ITERATIONS, **WEBHOOK},
                     ("source_context", "caption")))},
            "/api/plot": {"post": _op(
                "Submit a statistical plot", {"202": ACCEPTED, **_errors(401, 403, 422)},
                _obj({"data_json": {"type": "string", "description": "JSON data as a string"},
                      "intent": STR, "iterations": ITERATIONS, **WEBHOOK},
                     ("data_json", "intent")))},
            "/api/tasks/{task_id}": {"get": _op(
                "Poll a task", {"200": _json(_ref("Task"), "the task"), **_errors(401, 403, 404)},
                parameters=[TASK_PARAM])},
            "/api/tasks/{task_id}/image": {"get": _op(
                "Download the figure of a completed task (PNG, or SVG with format=svg)",
                {"200": {"description": "the figure", "content": {
                    "image/png": {"schema": {"type": "string", "format": "binary"}},
                    "image/svg+xml": {"schema": {"type": "string"}}}},
                 **_errors(401, 403, 404, 422)},
                parameters=[TASK_PARAM, _query("format", {"type": "string", "enum": ["png", "svg"],
                                                          "default": "png"})])},
            "/api/tasks/{task_id}/spec": {"get": _op(
                "The final PlotSpec of a completed plot task",
                {"200": _json({"type": "object"}, "the spec"), **_errors(401, 403, 404)},
                parameters=[TASK_PARAM])},
            "/api/admin/keys": {
                "post": _op("Create an API key (the full key is shown once)",
                            {"201": _json(_ref("Key"), "the key, in full"), **_errors(401, 422)},
                            _obj({"name": STR, "quota": NULLABLE_INT, "webhook_url": STR,
                                  "webhook_secret": STR}, ("name",)), security="adminKey"),
                "get": _op("List API keys (shortened)", {"200": _json(
                    {"type": "array", "items": _ref("Key")}, "keys"), **_errors(401)},
                    security="adminKey"),
            },
            "/api/admin/keys/{key}": {
                "get": _op("An API key with its usage log", {"200": _json(_ref("Key"), "the key"),
                           **_errors(401, 404)}, security="adminKey",
                           parameters=[KEY_PARAM, *USAGE_PAGE]),
                "patch": _op("Update quota, activity or webhook defaults",
                             {"200": _json(_ref("Key"), "the updated key"),
                              **_errors(401, 404, 422)},
                             _obj({"quota_remaining": NULLABLE_INT, "quota_total": NULLABLE_INT,
                                   "active": BOOL, "webhook_url": STR, "webhook_secret": STR}),
                             security="adminKey", parameters=[KEY_PARAM]),
                "delete": _op("Delete a key and its usage log", {
                    "204": {"description": "deleted"}, **_errors(401, 404)},
                    security="adminKey", parameters=[KEY_PARAM]),
            },
            "/api/admin/webhooks": {"get": _op(
                "Webhook delivery history with attempts",
                {"200": _json({"type": "array", "items": {"type": "object"}}, "deliveries"),
                 **_errors(401, 404)}, security="adminKey",
                parameters=[_query("key", STR), _query("status", {
                    "type": "string", "enum": ["pending", "delivered", "abandoned"]}), *USAGE_PAGE])},
        },
    }
