"""The distributed deployment as it runs: API and worker processes (real subprocesses)
over real PostgreSQL and Redis, driven over real HTTP."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import UUID

import pytest
import requests

from entrypoints.bootstrap import Container, bootstrap
from tests.conftest import ADMIN_KEY, fake_pipelines
from tests.distributed.conftest import distributed_env, shared_settings
from tests.distributed.deployment import deployment, new_worker, wait_consuming
from tests.fakes import FakePipeline
from tests.integration.test_real_server import poll
from tests.servers import ProcessServer, WebhookReceiver, free_port

pytestmark = pytest.mark.slow
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
PLOT = {"data_json": json.dumps({"models": ["A", "B"], "accuracy": [76.1, 81.8]}),
        "intent": "Bar chart comparing model accuracy", "iterations": 2}


def new_key(base: str, **fields) -> dict[str, str]:
    created = requests.post(f"{base}/api/admin/keys", headers=ADMIN, json={"name": "lab", **fields})
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['key']}"}


def inspect(tmp_path: Path, postgres_url: str) -> Container:
    """An in-process container over the deployment's database, to read its events."""
    return bootstrap(shared_settings(tmp_path / "inspector", postgres_url),
                     pipelines=fake_pipelines(FakePipeline()))


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def test_the_contract_flow_across_two_api_and_two_worker_processes(
        tmp_path: Path, postgres_url: str, broker_url: str) -> None:
    env = distributed_env(postgres_url, broker_url, lease_seconds=30)
    with (WebhookReceiver(200) as receiver,
          deployment(tmp_path, env) as ((first, second), _)):
        a, b = first.base_url, second.base_url
        headers = new_key(a, quota=10, webhook_url=receiver.url, webhook_secret="s3cret")
        key = headers["Authorization"][7:]
        assert [k["name"] for k in requests.get(f"{b}/api/admin/keys", headers=ADMIN).json()] == [
            "lab"]

        generate = requests.post(f"{a}/api/generate", headers=headers, json={
            "source_context": "The encoder feeds the decoder.", "caption": "Figure 1"})
        plot = requests.post(f"{b}/api/plot", headers=headers, json=PLOT)
        assert (generate.status_code, plot.status_code) == (202, 202)
        for submitted, poller, other in ((generate, b, a), (plot, a, b)):
            task = poll(poller, submitted.json()["task_id"], headers)
            assert task["status"] == "completed", task
            image = requests.get(f"{other}/api/tasks/{task['task_id']}/image", headers=headers)
            assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

        detail = requests.get(f"{b}/api/admin/keys/{key}", headers=ADMIN).json()
        assert (detail["total_used"], detail["quota_remaining"]) == (2, 8)
        assert sorted(u["endpoint"] for u in detail["usage_log"]) == ["generate", "plot"]
        def deliveries() -> list[tuple[str, int]]:
            history = requests.get(f"{a}/api/admin/webhooks", headers=ADMIN).json()
            return sorted((d["status"], len(d["attempts"])) for d in history)

        wait_for(lambda: [status for status, _ in deliveries()] == ["delivered"] * 2)
        assert deliveries() == [("delivered", 1), ("delivered", 1)]
        for server in (a, b):
            assert requests.get(f"{server}/api/health/ready").json()["status"] == "ready"

        requests.patch(f"{a}/api/admin/keys/{key}", headers=ADMIN, json={"active": False})
        assert requests.post(f"{b}/api/plot", headers=headers, json=PLOT).status_code == 403
        assert requests.delete(f"{b}/api/admin/keys/{key}", headers=ADMIN).status_code == 204
        assert requests.get(f"{a}/api/tasks/{plot.json()['task_id']}",
                            headers=headers).status_code == 401
    assert sorted(json.loads(r.body)["task_id"] for r in receiver.received) == sorted(
        [generate.json()["task_id"], plot.json()["task_id"]])


def test_a_worker_killed_mid_task_its_task_completes_once_and_notifies_once(
        tmp_path: Path, postgres_url: str, broker_url: str) -> None:
    """The doomed worker would take 20 s, in rounds of 2 s (signs of life within the 4 s
    lease), so it is still at work when the survivor is up and it is killed."""
    env = distributed_env(postgres_url, broker_url, lease_seconds=4)
    with (WebhookReceiver(200) as receiver,
          ProcessServer(tmp_path / "api" / "var", free_port(), ADMIN_KEY, env=env) as server,
          new_worker(tmp_path, env, "doomed", delay=20) as doomed):
        wait_consuming(doomed)
        headers = new_key(server.base_url, webhook_url=receiver.url)
        task_id = requests.post(f"{server.base_url}/api/plot", headers=headers,
                                json={**PLOT, "iterations": 10}).json()["task_id"]
        wait_for(lambda: requests.get(f"{server.base_url}/api/tasks/{task_id}",
                                      headers=headers).json()["status"] == "running")
        with new_worker(tmp_path, env, "survivor", delay=2) as survivor:
            wait_consuming(survivor)
            doomed.kill()
            task = poll(server.base_url, task_id, headers, timeout=60)
            wait_for(lambda: receiver.received)
            time.sleep(1)  # a duplicate delivery would come within a second of the first
    assert task["status"] == "completed"
    assert [json.loads(r.body)["task_id"] for r in receiver.received] == [task_id]
    container = inspect(tmp_path, postgres_url)
    try:
        events = [type(e).__name__ for e in container.store.events_of(UUID(task_id))]
    finally:
        container.close()
    assert events.count("Started") == 2 and events.count("Completed") == 1
    assert events[-1] == "Completed"


def test_two_hundred_submissions_over_two_api_processes_against_quota_150(
        tmp_path: Path, postgres_url: str, broker_url: str) -> None:
    env = distributed_env(postgres_url, broker_url, lease_seconds=60, http_threads=16)
    with deployment(tmp_path, env) as (servers, _):
        headers = new_key(servers[0].base_url, quota=150)
        key = headers["Authorization"][7:]

        def submit(i: int) -> requests.Response:
            return requests.post(f"{servers[i % 2].base_url}/api/plot", headers=headers,
                                 json={**PLOT, "data_json": f"[{i}, 1]"}, timeout=120)

        with ThreadPoolExecutor(max_workers=32) as pool:
            results = list(pool.map(submit, range(200)))
        detail = requests.get(f"{servers[1].base_url}/api/admin/keys/{key}", headers=ADMIN,
                              params={"limit": 1000}).json()
        container = inspect(tmp_path, postgres_url)
        try:
            def completed() -> int:
                container.follower.catch_up()
                return len(container.read_models.rows("tasks", {"status": "completed"}))

            wait_for(lambda: completed() == 150, timeout=120)
            tasks = container.read_models.rows("tasks")
            completions = [[type(e).__name__ for e in container.store.events_of(
                UUID(row["task_id"]))].count("Completed") for row in tasks]
        finally:
            container.close()

    codes = [r.status_code for r in results]
    assert (codes.count(202), codes.count(403)) == (150, 50), sorted(set(codes))
    accepted = {r.json()["task_id"] for r in results if r.status_code == 202}
    assert {202, 403} == set(codes)
    assert (detail["quota_remaining"], detail["total_used"]) == (0, 150)
    assert len(detail["usage_log"]) == 150
    assert {u["task_id"] for u in detail["usage_log"]} == accepted
    assert {row["task_id"] for row in tasks} == accepted
    assert completions == [1] * 150
