"""The real commands: `paperbanana serve` and a supervised `paperbanana worker` of two
processes running the real offline pipelines (Graphviz, headless Chromium)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.distributed.conftest import distributed_env
from tests.integration.test_real_server import poll
from tests.servers import ROOT, free_port, wait_healthy

pytestmark = pytest.mark.slow
ADMIN_KEY = "real-workers-admin-key"


def command(name: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "entrypoints.cli", name], cwd=ROOT, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


def test_real_figures_through_serve_and_two_supervised_worker_processes(
        tmp_path: Path, postgres_url: str, broker_url: str) -> None:
    port = free_port()
    env = {**os.environ, **distributed_env(postgres_url, broker_url, port=port,
                                           worker_processes=2, worker_threads=1),
           "PAPERBANANA_ADMIN_KEY": ADMIN_KEY, "PAPERBANANA_DATA_DIR": str(tmp_path / "var")}
    server = command("serve", env, tmp_path / "serve.log")
    supervisor = command("worker", env, tmp_path / "worker.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, timeout=60)
        created = requests.post(f"{base}/api/admin/keys", json={"name": "real"},
                                headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        headers = {"Authorization": f"Bearer {created.json()['key']}"}
        submitted = [
            requests.post(f"{base}/api/plot", headers=headers, json={
                "data_json": json.dumps({"models": ["ResNet-50", "ViT-B/16"],
                                         "accuracy": [76.1, 81.8]}),
                "intent": "Bar chart comparing model accuracy", "iterations": 1}),
            requests.post(f"{base}/api/generate", headers=headers, json={
                "source_context": "An encoder embeds the image. A decoder then predicts the "
                                  "caption from the embedding.",
                "caption": "Figure 1: encoder-decoder captioning", "iterations": 1})]
        for answer in submitted:
            task = poll(base, answer.json()["task_id"], headers, timeout=120)
            assert task["status"] == "completed", task["error"]
            image = requests.get(f"{base}/api/tasks/{task['task_id']}/image", headers=headers)
            assert image.content.startswith(b"\x89PNG")
    finally:
        for process in (supervisor, server):
            process.terminate()
        codes = [process.wait(timeout=60) for process in (supervisor, server)]
    log = (tmp_path / "worker.log").read_text()
    assert "supervising 2 worker processes" in log and log.count("worker consuming") == 2
    assert codes == [0, 0]
