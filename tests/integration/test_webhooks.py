"""Webhooks end to end: the real worker, broker, event store and sender, and a real
receiver on a loopback port (allowed by PAPERBANANA_WEBHOOK_ALLOWED_HOSTS)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import pytest
from dramatiq.brokers.stub import StubBroker
from falcon import testing

from application.webhook_message import signature
from entrypoints.bootstrap import Container, bootstrap
from entrypoints.http.app import create_app
from entrypoints.version import VERSION
from tests.conftest import ADMIN_KEY, fake_pipelines, make_settings, wait_for_jobs
from tests.fakes import FakePipeline, tiny_png
from tests.servers import ROOT, Answer, WebhookReceiver, free_port

PUBLIC_URL = "https://figures.example.org"
SLOW_RETRIES = 0.1  # retries after 0.5, 1.5 and 6 s: coarse enough to measure


def verify_signature(secret: str, raw_body: bytes, header: str) -> bool:
    """A receiver's check, as the contract words it (and the README shows it):
    "sha256=" + hex(HMAC-SHA256(secret, raw body)), compared in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def readme_receiver() -> tuple[Callable[..., int], list[dict]]:
    """The receiver the README shows, run as written, and the payloads it handled."""
    readme = (ROOT / "README.md").read_text()
    (code,) = [block.split("```", 1)[0] for block in readme.split("```python\n")[1:]
               if "def receive(" in block]
    handled: list[dict] = []
    namespace = {"handle": handled.append}
    exec(code, namespace)  # noqa: S102  (our own documentation)
    return namespace["receive"], handled


Start = Callable[..., Container]


@pytest.fixture
def start(tmp_path: Path, pipeline: FakePipeline) -> Iterator[Start]:
    """Starts containers (worker and dispatching) over tmp_path/var; closes them afterwards."""
    started: list[Container] = []

    def start_container(**overrides) -> Container:
        settings = make_settings(tmp_path / "var", **{
            "public_url": PUBLIC_URL, "webhook_allowed_hosts": "127.0.0.1", **overrides})
        container = bootstrap(settings, pipelines=fake_pipelines(pipeline))
        started.append(container)
        container.start_worker()
        container.start_dispatching()
        return container

    yield start_container
    for container in started:
        container.close()


def new_key(container: Container, **webhook_defaults) -> str:
    plaintext, _ = container.api_keys.issue("hooks", **webhook_defaults)
    return plaintext


def submit(container: Container, key: str, webhook_url: str | None = None,
           include_image: bool = False) -> str:
    owner = container.api_keys.authenticate(key).id
    task = container.tasks.submit(owner, "statistical_plot", {"data_json": "[1, 2]",
                                  "intent": "bars"}, 1, webhook_url, include_image)
    return str(task.id)


def history(container: Container, key: str) -> list[dict]:
    return container.deliveries.history(key_id=str(container.api_keys.get(key).id))


def notify(container: Container, url: str, **key_defaults) -> tuple[str, dict]:
    """One task for a new key whose default webhook is `url`, run until every job is done:
    the key and the task's delivery, with its attempts."""
    key = new_key(container, webhook_url=url, **key_defaults)
    submit(container, key)
    wait_for_jobs(container)
    (delivery,) = history(container, key)
    return key, delivery


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in zip(times, times[1:])]


def assert_spacing(measured: list[float], delays: list[float]) -> None:
    """Each gap is its scaled delay, late by at most the broker's polling and the work."""
    assert len(measured) == len(delays)
    for gap, delay in zip(measured, delays):
        assert delay <= gap <= delay + 0.3, (measured, delays)
    for (g1, g2), (d1, d2) in zip(zip(measured, measured[1:]), zip(delays, delays[1:])):
        assert g2 / g1 == pytest.approx(d2 / d1, rel=0.35), (measured, delays)


def test_a_completed_task_sends_the_contract_payload_signed(start: Start) -> None:
    container = start()
    with WebhookReceiver(200) as receiver:
        key = new_key(container, webhook_url=receiver.url, webhook_secret="s3cret")
        task_id = submit(container, key)
        wait_for_jobs(container)
    (received,) = receiver.received
    headers, body = received.headers, json.loads(received.body)
    assert verify_signature("s3cret", received.body, headers["X-PaperBanana-Signature"])
    assert not verify_signature("other", received.body, headers["X-PaperBanana-Signature"])
    assert (headers["Content-Type"], headers["User-Agent"], headers["X-PaperBanana-Event"]) == (
        "application/json", f"PaperBanana-Webhook/{VERSION}", "task.completed")

    task = container.tasks.view(container.tasks.get(task_id, container.api_keys.get(key)))
    (delivery,) = history(container, key)
    assert body == {
        "event": "task.completed", "task_id": task_id, "status": "completed",
        "diagram_type": "statistical_plot", "description": "A fake statistical_plot figure.",
        "image_url": f"{PUBLIC_URL}/api/tasks/{task_id}/image", "image_base64": None,
        "error": None, "created_at": task["created_at"], "completed_at": task["completed_at"],
        "delivery_id": delivery["delivery_id"], "timestamp": body["timestamp"]}
    assert headers["X-PaperBanana-Delivery"] == delivery["delivery_id"]
    assert headers["X-PaperBanana-Timestamp"] == str(body["timestamp"])
    assert abs(body["timestamp"] - time.time()) < 30
    assert (delivery["status"], [a["status_code"] for a in delivery["attempts"]]) == (
        "delivered", [200])

    # image_url is the contract's image endpoint, under PAPERBANANA_PUBLIC_URL.
    image = testing.TestClient(create_app(container)).simulate_get(
        urlsplit(body["image_url"]).path, headers={"Authorization": f"Bearer {key}"})
    assert image.content == tiny_png()


def test_the_readme_receiver_accepts_once_and_refuses_forgeries_and_replays(
        start: Start) -> None:
    container = start()
    with WebhookReceiver(500, 200) as receiver:
        notify(container, receiver.url, webhook_secret="s3cret")
    receive, handled = readme_receiver()
    first, retry = receiver.received
    assert receive("s3cret", first.body, first.headers) == 200
    assert receive("s3cret", retry.body, retry.headers) == 200
    assert handled == [json.loads(first.body)], "the retry is a duplicate: acknowledged only"
    assert receive("wrong", first.body, first.headers) == 401

    stale = json.dumps({**json.loads(first.body), "timestamp": int(time.time()) - 3600,
                        "delivery_id": "another"}).encode()
    assert receive("s3cret", stale, {"X-PaperBanana-Signature": signature("s3cret", stale)}) == 400
    assert len(handled) == 1


def test_a_failed_task_sends_task_failed_unsigned_without_a_secret(
        start: Start, pipeline: FakePipeline) -> None:
    pipeline.fail_with = "no numbers to plot"
    container = start()
    with WebhookReceiver(204) as receiver:
        task_id = submit(container, new_key(container), webhook_url=receiver.url,
                         include_image=True)
        wait_for_jobs(container)
    (received,) = receiver.received
    body = json.loads(received.body)
    assert received.headers["X-PaperBanana-Event"] == body["event"] == "task.failed"
    assert "X-PaperBanana-Signature" not in received.headers
    assert (body["task_id"], body["status"], body["error"], body["image_url"],
            body["image_base64"], body["description"]) == (
        task_id, "failed", "no numbers to plot", None, None, None)


def test_include_image_sends_the_png_itself(start: Start) -> None:
    container = start()
    with WebhookReceiver(200) as receiver:
        submit(container, new_key(container), webhook_url=receiver.url, include_image=True)
        wait_for_jobs(container)
    (received,) = receiver.received
    assert base64.b64decode(json.loads(received.body)["image_base64"]) == tiny_png()


def test_the_request_url_overrides_the_key_default(start: Start) -> None:
    container = start()
    with WebhookReceiver(200) as default, WebhookReceiver(200) as override:
        key = new_key(container, webhook_url=default.url)
        by_default = submit(container, key)
        overridden = submit(container, key, webhook_url=override.url)
        wait_for_jobs(container)
    assert [json.loads(r.body)["task_id"] for r in default.received] == [by_default]
    assert [json.loads(r.body)["task_id"] for r in override.received] == [overridden]


def test_two_failures_then_success_is_three_attempts_on_schedule(start: Start) -> None:
    container = start(webhook_retry_scale=SLOW_RETRIES)
    with WebhookReceiver(500, 500, 200) as receiver:
        key, _ = notify(container, receiver.url)
    received = receiver.received
    assert len(received) == 3
    assert len({r.headers["X-PaperBanana-Delivery"] for r in received}) == 1
    assert_spacing(gaps([r.at for r in received]), [5 * SLOW_RETRIES, 15 * SLOW_RETRIES])

    admin = testing.TestClient(create_app(container))
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    (delivery,) = admin.simulate_get("/api/admin/webhooks", headers=auth,
                                     params={"key": key, "status": "delivered"}).json
    assert (delivery["url"], delivery["event"], delivery["attempts"][0]["delivery_id"]) == (
        receiver.url, "task.completed", delivery["delivery_id"])
    assert [(a["number"], a["status_code"], a["error"]) for a in delivery["attempts"]] == [
        (1, 500, None), (2, 500, None), (3, 200, None)]
    assert all(a["duration_ms"] >= 0 and a["at"] for a in delivery["attempts"])
    assert admin.simulate_get("/api/admin/webhooks", headers=auth,
                              params={"key": key, "status": "abandoned"}).json == []


def test_a_receiver_that_is_down_gets_four_attempts_then_the_delivery_is_abandoned(
        start: Start) -> None:
    container = start(webhook_retry_scale=SLOW_RETRIES)
    _, delivery = notify(container, f"http://127.0.0.1:{free_port()}/hook")
    attempts = delivery["attempts"]
    assert delivery["status"] == "abandoned"
    assert [a["status_code"] for a in attempts] == [None] * 4
    assert all("ConnectionRefusedError" in a["error"] for a in attempts)
    times = [container.store.get(UUID(delivery["delivery_id"])).attempts[i]["at"].timestamp()
             for i in range(4)]
    assert_spacing(gaps(times), [5 * SLOW_RETRIES, 15 * SLOW_RETRIES, 60 * SLOW_RETRIES])


def test_a_loopback_receiver_is_refused_without_the_allow_list(start: Start) -> None:
    container = start(webhook_allowed_hosts="")
    with WebhookReceiver(200) as receiver:
        _, delivery = notify(container, receiver.url)
    assert receiver.received == []
    assert delivery["status"] == "abandoned"
    assert [a["error"] for a in delivery["attempts"]] == [
        "refused: 127.0.0.1 resolves to 127.0.0.1, not a public address "
        "(the webhook allow-list can permit it)"] * 4


def test_a_redirect_is_not_followed(start: Start) -> None:
    container = start()
    with WebhookReceiver(200) as elsewhere, WebhookReceiver(
            Answer(302, headers={"Location": elsewhere.url}), 200) as receiver:
        _, delivery = notify(container, receiver.url)
    assert elsewhere.received == []
    assert [(a["status_code"], a["error"]) for a in delivery["attempts"]] == [
        (302, "redirect not followed"), (200, None)]


def test_a_slow_receiver_times_out(start: Start) -> None:
    container = start(webhook_timeout=0.3)
    with WebhookReceiver(Answer(200, delay=1.5), 200) as receiver:
        _, delivery = notify(container, receiver.url)
    first, second = delivery["attempts"]
    assert (first["status_code"], first["error"]) == (None, "timed out after 0.3 s")
    assert 300 <= first["duration_ms"] < 1500
    assert (second["status_code"], delivery["status"]) == (200, "delivered")


def test_a_pending_delivery_is_sent_again_after_a_restart(
        tmp_path: Path, pipeline: FakePipeline, start: Start) -> None:
    with WebhookReceiver(500, 200) as receiver:
        # A first server (no worker) runs the task and one failed attempt, then stops.
        first = bootstrap(make_settings(tmp_path / "var", webhook_allowed_hosts="127.0.0.1"),
                          pipelines=fake_pipelines(pipeline))
        try:
            first.start_dispatching()
            key = new_key(first, webhook_url=receiver.url)
            first.tasks.run(UUID(submit(first, key)))
            (delivery,) = history(first, key)
            first.deliveries.deliver(UUID(delivery["delivery_id"]))
        finally:
            first.close()
        assert len(receiver.received) == 1

        second = start()
        wait_for_jobs(second)
    assert len(receiver.received) == 2
    (delivery,) = history(second, key)
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 200]


def test_a_duplicate_job_for_a_delivered_delivery_does_nothing(start: Start) -> None:
    container = start()
    with WebhookReceiver(200) as receiver:
        _, delivery = notify(container, receiver.url)
        delivery_id = UUID(delivery["delivery_id"])
        version = container.store.get(delivery_id).version
        container.queue.enqueue_delivery(delivery_id, 0)
        container.deliveries.deliver(delivery_id)
        wait_for_jobs(container)
    assert len(receiver.received) == 1
    assert container.store.get(delivery_id).version == version


def test_a_duplicate_job_before_the_retry_is_due_does_nothing(start: Start) -> None:
    """A dead worker's message given again after its retry was enqueued comes early."""
    container = start(webhook_retry_scale=10)  # the retry is due in 50 s
    with WebhookReceiver(500) as receiver:
        key = new_key(container, webhook_url=receiver.url)
        submit(container, key)
        deadline = time.monotonic() + 10
        while not [d for d in history(container, key) if d["attempts"]]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        (delivery,) = history(container, key)
        delivery_id = UUID(delivery["delivery_id"])
        version = container.store.get(delivery_id).version
        container.deliveries.deliver(delivery_id)
    assert len(receiver.received) == 1
    assert container.store.get(delivery_id).version == version


def test_a_deleted_keys_deliveries_are_not_sent(tmp_path: Path, pipeline: FakePipeline) -> None:
    container = bootstrap(make_settings(tmp_path / "var", webhook_allowed_hosts="127.0.0.1"),
                          pipelines=fake_pipelines(pipeline))
    try:
        with WebhookReceiver(200) as receiver:
            key = new_key(container, webhook_url=receiver.url, webhook_secret="s3cret")
            task_id = UUID(submit(container, key))
            key_id = str(container.api_keys.get(key).id)
            container.api_keys.delete(key)
            container.tasks.run(task_id)
            (delivery,) = container.deliveries.history(key_id=key_id)
            container.deliveries.deliver(UUID(delivery["delivery_id"]))
        assert receiver.received == []
        (delivery,) = container.deliveries.history(key_id=key_id)
        assert delivery["attempts"][0]["error"] == "not sent: the API key was deleted"
    finally:
        container.close()


def test_deliveries_scheduled_by_another_process_are_dispatched_by_following_the_log(
        tmp_path: Path, pipeline: FakePipeline) -> None:
    """With separate workers (a Redis broker), a worker writes the Scheduled event and the
    server, following the log on a timer, enqueues the delivery."""
    settings = make_settings(tmp_path / "var")
    server = bootstrap(settings, pipelines=fake_pipelines(pipeline), broker=StubBroker())
    worker = bootstrap(settings, pipelines=fake_pipelines(pipeline), broker=StubBroker())
    try:
        server.start_dispatching(follow_every=0.05)
        key = new_key(server, webhook_url="https://hooks.example.org/x")
        worker.tasks.run(UUID(submit(server, key)))
        webhooks = server.broker.queues["webhooks"]
        deadline = time.monotonic() + 5
        while webhooks.qsize() == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert webhooks.qsize() == 1
    finally:
        worker.close()
        server.close()
