"""Every endpoint, field, status code and error body of the contract, through falcon's TestClient."""

from __future__ import annotations

import json

import pytest
from falcon import testing
from openapi_spec_validator import validate

from entrypoints.bootstrap import Container
from tests.conftest import wait_for_jobs
from tests.fakes import FakePipeline

PLOT = {"data_json": json.dumps({"models": ["A", "B"], "accuracy": [1.5, 2.5]}),
        "intent": "Bar chart comparing model accuracy"}
GENERATE = {"source_context": "An encoder feeds a decoder.", "caption": "Figure 1: Model"}


def new_key(client: testing.TestClient, admin: dict, **fields) -> str:
    result = client.simulate_post("/api/admin/keys", json={"name": "k", **fields}, headers=admin)
    assert result.status_code == 201, result.json
    return result.json["key"]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_error(result, status: int, *words: str) -> None:
    assert result.status_code == status, result.text
    assert set(result.json) == {"detail"}
    for word in words:
        assert word in result.json["detail"]


def test_health_needs_no_auth(client) -> None:
    assert client.simulate_get("/api/health").json == {"status": "ok", "version": "0.1.2"}


def test_readiness_checks_the_store_read_models_and_broker(client) -> None:
    ready = client.simulate_get("/api/health/ready")
    assert ready.status_code == 200
    assert ready.json == {"status": "ready", "checks": {
        "event_store": "ok", "read_models": "ok", "broker": "ok"}}


def test_created_key_is_shown_in_full_once(client, admin) -> None:
    result = client.simulate_post("/api/admin/keys", headers=admin, json={
        "name": "my-app", "quota": 100, "webhook_url": "https://example.org/callback",
        "webhook_secret": "s3cret"})
    body = result.json
    assert result.status_code == 201
    assert body["key"].startswith("pb_") and len(body["key"]) == 35
    assert (body["name"], body["quota_remaining"], body["quota_total"], body["total_used"],
            body["active"], body["webhook_url"]) == (
        "my-app", 100, 100, 0, True, "https://example.org/callback")
    assert body["created_at"].endswith("+00:00")
    assert "webhook_secret" not in body and body["has_webhook_secret"] is True
    listed = client.simulate_get("/api/admin/keys", headers=admin).json
    assert listed[0]["key"] == body["key"][:9] + "..."
    detail = client.simulate_get(f"/api/admin/keys/{body['key']}", headers=admin).json
    assert detail["key"] == body["key"][:9] + "..." and detail["usage_log"] == []


def test_key_without_quota_is_unlimited(client, admin) -> None:
    key = new_key(client, admin)
    for _ in range(3):
        assert client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)).status_code == 202
    detail = client.simulate_get(f"/api/admin/keys/{key}", headers=admin).json
    assert (detail["quota_remaining"], detail["quota_total"], detail["total_used"]) == (None, None, 3)


def test_submission_deducts_quota_at_once_and_logs_usage(client, admin) -> None:
    key = new_key(client, admin, quota=2)
    plot = client.simulate_post("/api/plot", json=PLOT, headers=bearer(key))
    generate = client.simulate_post("/api/generate", json=GENERATE, headers=bearer(key))
    assert plot.json["status"] == generate.json["status"] == "pending"
    assert_error(client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)), 403, "quota")
    detail = client.simulate_get(f"/api/admin/keys/{key}", headers=admin).json
    assert (detail["quota_remaining"], detail["total_used"]) == (0, 2)
    assert [(u["task_id"], u["endpoint"]) for u in detail["usage_log"]] == [
        (generate.json["task_id"], "generate"), (plot.json["task_id"], "plot")]
    assert all(isinstance(u["id"], int) for u in detail["usage_log"])


def test_completed_task_has_image_description_and_rounds(client, admin, container) -> None:
    key = new_key(client, admin)
    task_id = client.simulate_post("/api/plot", headers=bearer(key), json={
        **PLOT, "iterations": 2}).json["task_id"]
    wait_for_jobs(container)
    task = client.simulate_get(f"/api/tasks/{task_id}", headers=bearer(key)).json
    assert task["status"] == "completed" and task["diagram_type"] == "statistical_plot"
    assert task["image_base64"].startswith("iVBORw0KGgo") and task["error"] is None
    assert task["description"] == "A fake statistical_plot figure."
    assert [r["iteration"] for r in task["critic_notes"]] == [1, 2]
    assert task["iterations_completed"] == task["iterations"] == 2
    image = client.simulate_get(f"/api/tasks/{task_id}/image", headers=bearer(key))
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")


def test_extras_of_a_completed_task_and_their_errors(client, admin, container) -> None:
    key = new_key(client, admin)
    task_id = client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)).json["task_id"]
    wait_for_jobs(container)
    spec = client.simulate_get(f"/api/tasks/{task_id}/spec", headers=bearer(key))
    assert spec.status_code == 200 and spec.json == {"fake": True}
    assert_error(client.simulate_get(f"/api/tasks/{task_id}/image", headers=bearer(key),
                                     params={"format": "jpeg"}), 422, "format")
    assert_error(client.simulate_get(f"/api/tasks/{task_id}/image", headers=bearer(key),
                                     params={"format": "svg"}), 404, "no svg")


def test_failed_task_reports_its_error(client, admin, container, pipeline: FakePipeline) -> None:
    pipeline.fail_with = "the data has no numeric column"
    key = new_key(client, admin)
    task_id = client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)).json["task_id"]
    wait_for_jobs(container)
    task = client.simulate_get(f"/api/tasks/{task_id}", headers=bearer(key)).json
    assert (task["status"], task["error"], task["image_base64"]) == (
        "failed", "the data has no numeric column", None)
    assert_error(client.simulate_get(f"/api/tasks/{task_id}/image", headers=bearer(key)),
                 404, "not ready")


def test_image_is_404_until_the_task_completes(client, admin, pipeline: FakePipeline,
                                               container) -> None:
    import threading

    pipeline.gate = threading.Event()
    key = new_key(client, admin)
    task_id = client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)).json["task_id"]
    assert_error(client.simulate_get(f"/api/tasks/{task_id}/image", headers=bearer(key)), 404)
    assert client.simulate_get(f"/api/tasks/{task_id}", headers=bearer(key)).json[
        "image_base64"] is None
    pipeline.gate.set()
    wait_for_jobs(container)
    assert client.simulate_get(f"/api/tasks/{task_id}/image", headers=bearer(key)).status_code == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer pb_wrong"},
                                     {"Authorization": "Basic abc"}])
def test_missing_or_wrong_api_key_is_401(client, headers) -> None:
    result = client.simulate_post("/api/plot", json=PLOT, headers=headers)
    assert_error(result, 401)
    assert result.headers["www-authenticate"] == "Bearer"
    assert_error(client.simulate_get("/api/tasks/x", headers=headers), 401)


def test_admin_key_and_api_key_do_not_cross(client, admin) -> None:
    key = new_key(client, admin)
    assert_error(client.simulate_post("/api/plot", json=PLOT, headers=admin), 401)
    assert_error(client.simulate_get("/api/admin/keys", headers=bearer(key)), 401, "admin")
    assert_error(client.simulate_get("/api/admin/keys"), 401)


def test_deactivated_key_is_403_and_reactivation_restores_it(client, admin) -> None:
    key = new_key(client, admin)
    client.simulate_patch(f"/api/admin/keys/{key}", json={"active": False}, headers=admin)
    assert_error(client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)), 403,
                 "deactivated")
    client.simulate_patch(f"/api/admin/keys/{key}", json={"active": True}, headers=admin)
    assert client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)).status_code == 202


def test_task_of_another_key_is_404(client, admin) -> None:
    owner, other = new_key(client, admin), new_key(client, admin)
    task_id = client.simulate_post("/api/plot", json=PLOT, headers=bearer(owner)).json["task_id"]
    assert_error(client.simulate_get(f"/api/tasks/{task_id}", headers=bearer(other)), 404)
    assert_error(client.simulate_get(f"/api/tasks/{task_id}/image", headers=bearer(other)), 404)
    for unknown in ("not-a-uuid", "7c395d1c-3461-4389-bb86-978589f038ff"):
        assert_error(client.simulate_get(f"/api/tasks/{unknown}", headers=bearer(owner)), 404)


@pytest.mark.parametrize("path, body, field", [
    ("/api/plot", {"intent": "bar"}, "data_json"),
    ("/api/plot", {"data_json": "{not json", "intent": "bar"}, "data_json"),
    ("/api/plot", {"data_json": {"a": [1]}, "intent": "bar"}, "data_json"),
    ("/api/plot", {"data_json": "42", "intent": "bar"}, "data_json"),
    ("/api/plot", {"data_json": "[1]"}, "intent"),
    ("/api/plot", {"data_json": "[1]", "intent": "  "}, "intent"),
    ("/api/plot", {**PLOT, "iterations": 0}, "iterations"),
    ("/api/plot", {**PLOT, "iterations": 11}, "iterations"),
    ("/api/plot", {**PLOT, "iterations": "3"}, "iterations"),
    ("/api/plot", {**PLOT, "iterations": True}, "iterations"),
    ("/api/plot", {**PLOT, "webhook_url": "ftp://example.org"}, "webhook_url"),
    ("/api/plot", {**PLOT, "webhook_include_image": "yes"}, "webhook_include_image"),
    ("/api/generate", {"caption": "c"}, "source_context"),
    ("/api/generate", {"source_context": "s"}, "caption"),
    ("/api/generate", {"source_context": 5, "caption": "c"}, "source_context"),
])
def test_bad_submission_is_422_naming_the_field(client, admin, path, body, field) -> None:
    key = new_key(client, admin, quota=5)
    assert_error(client.simulate_post(path, json=body, headers=bearer(key)), 422, field)
    assert client.simulate_get(f"/api/admin/keys/{key}", headers=admin).json[
        "quota_remaining"] == 5, "a refused submission must not consume quota"


@pytest.mark.parametrize("body", ["not json", "[1, 2]", ""])
def test_body_that_is_not_a_json_object_is_422(client, admin, body) -> None:
    key = new_key(client, admin)
    result = client.simulate_post("/api/plot", body=body, headers={
        **bearer(key), "Content-Type": "application/json"})
    assert_error(result, 422, "body")


@pytest.mark.parametrize("body, field", [
    ({}, "name"), ({"name": ""}, "name"), ({"name": "n", "quota": -1}, "quota"),
    ({"name": "n", "quota": 1.5}, "quota"), ({"name": "n", "webhook_url": "nope"}, "webhook_url"),
])
def test_bad_key_creation_is_422(client, admin, body, field) -> None:
    assert_error(client.simulate_post("/api/admin/keys", json=body, headers=admin), 422, field)


def test_patch_updates_fields_and_empty_strings_remove_webhook(client, admin) -> None:
    key = new_key(client, admin, quota=10, webhook_url="https://a.example/h", webhook_secret="x")
    result = client.simulate_patch(f"/api/admin/keys/{key}", headers=admin, json={
        "quota_remaining": 3, "quota_total": 20})
    assert (result.json["quota_remaining"], result.json["quota_total"]) == (3, 20)
    result = client.simulate_patch(f"/api/admin/keys/{key}", headers=admin,
                                   json={"webhook_url": "", "webhook_secret": ""})
    assert result.json["webhook_url"] is None and result.json["has_webhook_secret"] is False
    result = client.simulate_patch(f"/api/admin/keys/{key}", headers=admin,
                                   json={"quota_remaining": None, "quota_total": None})
    assert (result.json["quota_remaining"], result.json["quota_total"]) == (None, None)


def test_patch_of_an_unlimited_key_with_one_quota_field_sets_both(client, admin) -> None:
    key = new_key(client, admin)
    result = client.simulate_patch(f"/api/admin/keys/{key}", headers=admin,
                                   json={"quota_total": 7})
    assert (result.json["quota_remaining"], result.json["quota_total"]) == (7, 7)


@pytest.mark.parametrize("body, field", [
    ({"quota_remaining": -1}, "quota_remaining"), ({"quota_total": "5"}, "quota_total"),
    ({"active": "no"}, "active"), ({"webhook_url": "javascript:x"}, "webhook_url"),
    ({"webhook_secret": 5}, "webhook_secret"),
])
def test_bad_patch_is_422(client, admin, body, field) -> None:
    key = new_key(client, admin)
    assert_error(client.simulate_patch(f"/api/admin/keys/{key}", json=body, headers=admin),
                 422, field)


def test_delete_removes_key_and_usage_log(client, admin, container: Container) -> None:
    key = new_key(client, admin)
    client.simulate_post("/api/plot", json=PLOT, headers=bearer(key))
    result = client.simulate_delete(f"/api/admin/keys/{key}", headers=admin)
    assert result.status_code == 204 and result.content == b""
    assert client.simulate_get("/api/admin/keys", headers=admin).json == []
    assert container.read_models.counts()["usage_log"] == 0
    assert_error(client.simulate_get(f"/api/admin/keys/{key}", headers=admin), 404)
    assert_error(client.simulate_delete(f"/api/admin/keys/{key}", headers=admin), 404)
    assert_error(client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)), 401)


def test_unknown_routes_and_methods_answer_with_detail(client) -> None:
    assert_error(client.simulate_get("/api/nothing"), 404)
    assert_error(client.simulate_put("/api/health"), 405)


def test_per_request_webhook_overrides_key_default_in_the_delivery(client, admin,
                                                                   container) -> None:
    key = new_key(client, admin, webhook_url="https://default.example/hook")
    client.simulate_post("/api/plot", json=PLOT, headers=bearer(key))
    client.simulate_post("/api/plot", headers=bearer(key), json={
        **PLOT, "webhook_url": "https://override.example/hook", "webhook_include_image": True})
    wait_for_jobs(container)
    history = client.simulate_get("/api/admin/webhooks", headers=admin, params={"key": key}).json
    # .example names never resolve: each delivery fails 4 times (retries scaled down).
    assert sorted((d["url"], d["event"], d["status"], len(d["attempts"])) for d in history) == [
        ("https://default.example/hook", "task.completed", "abandoned", 4),
        ("https://override.example/hook", "task.completed", "abandoned", 4)]


def test_openapi_document_is_valid_and_covers_every_route(client) -> None:
    document = client.simulate_get("/api/openapi.json").json
    validate(document)
    assert set(document["paths"]) == {
        "/api/health", "/api/health/ready", "/api/generate", "/api/plot", "/api/tasks/{task_id}",
        "/api/tasks/{task_id}/image", "/api/tasks/{task_id}/spec", "/api/admin/keys",
        "/api/admin/keys/{key}", "/api/admin/webhooks"}
    assert document["info"]["version"] == "0.1.2"


@pytest.mark.parametrize("params, field", [({"limit": "0"}, "limit"), ({"limit": "x"}, "limit"),
                                           ({"offset": "-1"}, "offset")])
def test_bad_paging_is_422(client, admin, params, field) -> None:
    key = new_key(client, admin)
    assert_error(client.simulate_get(f"/api/admin/keys/{key}", headers=admin, params=params),
                 422, field)


def test_usage_log_pages_newest_first(client, admin) -> None:
    key = new_key(client, admin)
    ids = [client.simulate_post("/api/plot", json=PLOT, headers=bearer(key)).json["task_id"]
           for _ in range(3)]
    second_page = client.simulate_get(f"/api/admin/keys/{key}", headers=admin,
                                      params={"limit": "2", "offset": "2"}).json["usage_log"]
    assert [u["task_id"] for u in second_page] == [ids[0]]
