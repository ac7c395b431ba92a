"""The real server on a free port: the contract's flow with `requests`, restarts, kill -9."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import pytest
import requests

from entrypoints.bootstrap import bootstrap
from tests.conftest import ADMIN_KEY, make_settings
from tests.servers import ROOT, ProcessServer, free_port, wait_healthy

pytestmark = pytest.mark.slow
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def poll(base: str, task_id: str, headers: dict, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = requests.get(f"{base}/api/tasks/{task_id}", headers=headers, timeout=10).json()
        if task["status"] in ("completed", "failed"):
            return task
        time.sleep(0.1)
    raise TimeoutError(f"task {task_id} still {task['status']}")


def test_contract_flow_with_requests(tmp_path: Path) -> None:
    with ProcessServer(tmp_path / "var", free_port(), ADMIN_KEY) as server:
        base = server.base_url
        assert requests.get(f"{base}/api/health").json() == {"status": "ok", "version": "0.1.2"}

        created = requests.post(f"{base}/api/admin/keys", headers=ADMIN,
                                json={"name": "my-app", "quota": 100})
        assert created.status_code == 201
        api_key = created.json()["key"]
        assert api_key.startswith("pb_") and created.json()["quota_remaining"] == 100
        headers = {"Authorization": f"Bearer {api_key}"}

        generate = requests.post(f"{base}/api/generate", headers=headers, json={
            "source_context": "The encoder feeds the decoder.",
            "caption": "Figure 1: Transformer encoder architecture"})
        assert generate.status_code == 202 and generate.json()["status"] == "pending"
        data = {"models": ["ResNet-50", "ViT-B/16", "EfficientNet-B4"],
                "accuracy": [76.1, 81.8, 82.9]}
        plot = requests.post(f"{base}/api/plot", headers=headers, json={
            "data_json": json.dumps(data),
            "intent": "Bar chart comparing model accuracy with value labels"})
        assert plot.status_code == 202

        for submitted, kind in ((generate, "methodology"), (plot, "statistical_plot")):
            task = poll(base, submitted.json()["task_id"], headers)
            assert task["status"] == "completed" and task["error"] is None
            assert task["diagram_type"] == kind and task["description"]
            image = requests.get(f"{base}/api/tasks/{task['task_id']}/image", headers=headers)
            assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
            assert image.content == base64.b64decode(task["image_base64"])
            assert image.content.startswith(b"\x89PNG")

        listed = requests.get(f"{base}/api/admin/keys", headers=ADMIN).json()
        assert [k["key"] for k in listed] == [api_key[:9] + "..."]
        detail = requests.get(f"{base}/api/admin/keys/{api_key}", headers=ADMIN).json()
        assert detail["total_used"] == 2 and detail["quota_remaining"] == 98
        assert {u["endpoint"] for u in detail["usage_log"]} == {"generate", "plot"}
        patched = requests.patch(f"{base}/api/admin/keys/{api_key}", headers=ADMIN,
                                 json={"quota_remaining": 5, "active": False}).json()
        assert patched["quota_remaining"] == 5 and patched["active"] is False
        assert requests.post(f"{base}/api/plot", headers=headers, json={
            "data_json": "[1, 2]", "intent": "line"}).status_code == 403
        deleted = requests.delete(f"{base}/api/admin/keys/{api_key}", headers=ADMIN)
        assert deleted.status_code == 204 and deleted.content == b""
        assert requests.get(f"{base}/api/admin/keys/{api_key}", headers=ADMIN).status_code == 404
        assert requests.get(f"{base}/api/tasks/{plot.json()['task_id']}",
                            headers=headers).status_code == 401


def slow_server_with_a_task(tmp_path: Path, endpoint: str, body: dict):
    """A server whose pipeline takes 60 s, one key, and one task submitted to it."""
    data_dir, port = tmp_path / "var", free_port()
    server = ProcessServer(data_dir, port, ADMIN_KEY, delay=60).start()
    api_key = requests.post(f"{server.base_url}/api/admin/keys", headers=ADMIN,
                            json={"name": "restart"}).json()["key"]
    headers = {"Authorization": f"Bearer {api_key}"}
    task_id = requests.post(f"{server.base_url}{endpoint}", headers=headers,
                            json=body).json()["task_id"]
    return server, ProcessServer(data_dir, port, ADMIN_KEY, delay=0), headers, task_id


def task_events(data_dir: Path, task_id: str) -> list[str]:
    container = bootstrap(make_settings(data_dir))
    try:
        return [type(e).__name__ for e in container.store.events_of(UUID(task_id))]
    finally:
        container.close()


def test_task_submitted_before_a_stop_completes_after_restart(tmp_path: Path) -> None:
    server, restarted, headers, task_id = slow_server_with_a_task(
        tmp_path, "/api/plot", {"data_json": "[3, 1, 2]", "intent": "line chart"})
    server.stop()  # before the 60 s pipeline could finish: the task is lost unless recovered

    with restarted:
        task = poll(restarted.base_url, task_id, headers)
    assert task["status"] == "completed"


def test_task_running_when_the_server_is_killed_completes_once_after_restart(
        tmp_path: Path) -> None:
    server, restarted, headers, task_id = slow_server_with_a_task(
        tmp_path, "/api/generate", {"source_context": "A planner then a critic.",
                                    "caption": "Fig. 2"})
    deadline = time.monotonic() + 30
    while requests.get(f"{server.base_url}/api/tasks/{task_id}",
                       headers=headers).json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    server.kill()

    with restarted:
        task = poll(restarted.base_url, task_id, headers)
        used = requests.get(f"{restarted.base_url}/api/admin/keys/{headers['Authorization'][7:]}",
                            headers=ADMIN).json()["total_used"]
    assert task["status"] == "completed"
    assert used == 1  # the recovery ran the task again, it did not resubmit it
    events = task_events(tmp_path / "var", task_id)
    assert events.count("Started") == 2 and events.count("Completed") == 1
    assert events[-1] == "Completed"


def test_paperbanana_serve_with_no_configuration_draws_with_a_private_admin_key(
        tmp_path: Path) -> None:
    """`serve` with no configuration: a generated 0600 admin key, and the real pipeline."""
    data_dir, port = tmp_path / "var", free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERBANANA_")}
    env.update(PAPERBANANA_DATA_DIR=str(data_dir), PAPERBANANA_PORT=str(port))
    process = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "serve"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base)
        key_file = data_dir / "admin_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        admin_key = key_file.read_text().strip()
        assert len(admin_key) >= 32
        api_key = requests.post(f"{base}/api/admin/keys", json={"name": "n"}, headers={
            "Authorization": f"Bearer {admin_key}"}).json()["key"]
        headers = {"Authorization": f"Bearer {api_key}"}
        task_id = requests.post(f"{base}/api/plot", headers=headers, json={
            "data_json": json.dumps({"models": ["ResNet-50", "ViT-B/16"], "accuracy": [76.1, 81.8]}),
            "intent": "Bar chart comparing model accuracy with value labels"}).json()["task_id"]
        task = poll(base, task_id, headers)
        assert task["status"] == "completed", task["error"]
        image = requests.get(f"{base}/api/tasks/{task_id}/image", headers=headers)
        assert image.content.startswith(b"\x89PNG")
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=15)
    assert str(data_dir / "admin_key") in output
    assert admin_key not in output and api_key not in output
