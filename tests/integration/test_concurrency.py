"""Quota under concurrency: optimistic concurrency on the key decides, never more than N."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from entrypoints.bootstrap import bootstrap
from tests.conftest import ADMIN_KEY, fake_pipelines, make_settings
from tests.fakes import FakePipeline
from tests.servers import ThreadServer, free_port

pytestmark = pytest.mark.slow
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def test_fifty_threads_against_quota_ten_get_exactly_ten_accepted(tmp_path: Path) -> None:
    container = bootstrap(make_settings(tmp_path / "var", port=free_port(), http_threads=16),
                          pipelines=fake_pipelines(FakePipeline()))
    try:
        with ThreadServer(container) as server:
            base = server.base_url
            key = requests.post(f"{base}/api/admin/keys", headers=ADMIN,
                                json={"name": "race", "quota": 10}).json()["key"]
            headers = {"Authorization": f"Bearer {key}"}

            def submit(i: int) -> requests.Response:
                return requests.post(f"{base}/api/plot", headers=headers, timeout=60, json={
                    "data_json": f"[{i}, {i + 1}]", "intent": "line"})

            with ThreadPoolExecutor(max_workers=50) as pool:
                results = list(pool.map(submit, range(50)))
            detail = requests.get(f"{base}/api/admin/keys/{key}", headers=ADMIN).json()
            tasks = container.read_models.counts()["tasks"]
    finally:
        container.close()

    codes = sorted(r.status_code for r in results)
    assert codes == [202] * 10 + [403] * 40
    assert all("quota" in r.json()["detail"] for r in results if r.status_code == 403)
    accepted = {r.json()["task_id"] for r in results if r.status_code == 202}
    assert (detail["quota_remaining"], detail["total_used"]) == (0, 10)
    assert {u["task_id"] for u in detail["usage_log"]} == accepted
    assert tasks == 10
