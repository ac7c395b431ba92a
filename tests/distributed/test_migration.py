"""`paperbanana migrate`: an embedded store copied into PostgreSQL keeps every event (in
order, re-encrypted with the deployment's key), every read-model row and every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

from entrypoints.bootstrap import Container, bootstrap
from tests.application.test_projections import busy_history
from tests.conftest import ADMIN_KEY, fake_pipelines, make_settings
from tests.distributed.conftest import shared_settings
from tests.fakes import FakePipeline
from tests.servers import ROOT
from tests.services import CIPHER_KEY


def history(container: Container) -> list[tuple[int, str, dict[str, Any]]]:
    """Every event in notification order: its id, type and attributes (decrypted)."""
    return [(position, type(event).__name__, vars(event))
            for position, event in container.store.read_after(0, 100_000)]


def migrate(source: Path, postgres_url: str) -> subprocess.CompletedProcess:
    env = {"PAPERBANANA_EVENT_STORE": postgres_url, "PAPERBANANA_CIPHER_KEY": CIPHER_KEY,
           "PAPERBANANA_ADMIN_KEY": ADMIN_KEY, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "entrypoints.cli", "migrate", str(source)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_migration_keeps_every_event_read_model_and_figure(
        tmp_path: Path, postgres_url: str) -> None:
    source_dir = tmp_path / "embedded"
    source = bootstrap(make_settings(source_dir), pipelines=fake_pipelines(FakePipeline()))
    try:
        source.start_worker()
        source.start_dispatching()
        busy_history(source)
        source.follower.catch_up()
        events, rows = history(source), dict(source.read_models.dump())
        figures = {row["task_id"]: source.store.read(UUID(row["task_id"])).image_ref
                   for row in rows["tasks"] if row["status"] == "completed"}
    finally:
        source.close()
    assert (source_dir / "cipher_key").read_text().strip() != CIPHER_KEY

    migrated = migrate(source_dir, postgres_url)
    assert migrated.returncode == 0, migrated.stderr
    report = json.loads(migrated.stdout)
    assert report["verified"] and report["events"] == {"source": len(events),
                                                       "target": len(events)}

    target = bootstrap(shared_settings(tmp_path / "target", postgres_url),
                       pipelines=fake_pipelines(FakePipeline()))
    try:
        assert history(target) == events
        assert dict(target.read_models.dump()) == rows
        assert figures and all(target.persistence.blobs.get(ref).startswith(b"\x89PNG")
                               for ref in figures.values())
    finally:
        target.close()

    again = migrate(source_dir, postgres_url)
    assert again.returncode == 1
    assert f"the target already holds {len(events)} events" in again.stderr
    assert "Traceback" not in again.stderr


def test_migration_names_a_missing_source_or_target(tmp_path: Path, postgres_url: str) -> None:
    missing = migrate(tmp_path / "nothing-here", postgres_url)
    assert missing.returncode == 1 and "holds no embedded event store" in missing.stderr
    no_target = subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "migrate", str(tmp_path),
         "--data-dir", str(tmp_path / "var")], cwd=ROOT, capture_output=True, text=True,
        timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert no_target.returncode == 1 and "PAPERBANANA_EVENT_STORE" in no_target.stderr
