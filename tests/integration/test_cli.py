"""The `paperbanana` command as a user runs it: keys, audit, projections, help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.servers import ROOT


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", *args, "--data-dir", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_keys_lifecycle_audit_and_rebuild(tmp_path: Path) -> None:
    created = cli(tmp_path, "keys", "create", "lab", "--quota", "4",
                  "--webhook-secret", "cli-secret")
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["key"]
    assert "not shown again" in created.stderr

    listed = json.loads(cli(tmp_path, "keys", "list").stdout)
    assert [(k["name"], k["key"], k["quota_remaining"]) for k in listed] == [
        ("lab", key[:9] + "...", 4)]
    updated = cli(tmp_path, "keys", "update", key, "--quota-remaining", "2", "--active", "no")
    assert json.loads(updated.stdout)["quota_remaining"] == 2
    shown = json.loads(cli(tmp_path, "keys", "show", key).stdout)
    assert (shown["active"], shown["usage_log"]) == (False, [])

    audit = cli(tmp_path, "audit", key)
    assert audit.returncode == 0
    assert "Issued" in audit.stdout and "QuotaSet" in audit.stdout and "Deactivated" in audit.stdout
    assert "consistent" in audit.stdout and "cli-secret" not in audit.stdout

    rebuilt = cli(tmp_path, "projections", "rebuild")
    assert rebuilt.returncode == 0
    assert json.loads(rebuilt.stdout)["rows"]["api_keys"] == 1
    assert "events" in rebuilt.stderr  # the progress bar

    assert cli(tmp_path, "keys", "delete", key).returncode == 0
    assert json.loads(cli(tmp_path, "keys", "list").stdout) == []
    missing = cli(tmp_path, "keys", "show", key)
    assert missing.returncode == 1 and "not found" in missing.stderr
    assert "Deleted" in cli(tmp_path, "audit", key).stdout


def test_serve_help_lists_every_setting(tmp_path: Path) -> None:
    result = cli(tmp_path, "serve", "--help")
    for name in ("PAPERBANANA_HOST", "PAPERBANANA_PORT", "PAPERBANANA_DATA_DIR",
                 "PAPERBANANA_ADMIN_KEY", "PAPERBANANA_PUBLIC_URL", "PAPERBANANA_WORKER_THREADS"):
        assert name in result.stdout


def test_worker_without_a_broker_explains_the_embedded_default(tmp_path: Path) -> None:
    result = cli(tmp_path, "worker")
    assert result.returncode == 2 and "PAPERBANANA_BROKER_URL" in result.stderr
