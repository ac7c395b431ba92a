"""Plots end to end through the HTTP API, with the real offline pipeline and real Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import wait_for_jobs
from tests.integration.conftest import png_size
from tests.servers import ROOT

pytestmark = pytest.mark.slow
CONTRACT_DATA = {"models": ["ResNet-50", "ViT-B/16", "EfficientNet-B4"],
                 "accuracy": [76.1, 81.8, 82.9]}
CONTRACT_INTENT = "Bar chart comparing model accuracy with value labels"


def submit_and_wait(api, real_container, data, intent: str, iterations: int = 2) -> dict:
    client, headers = api
    body = {"data_json": data if isinstance(data, str) else json.dumps(data), "intent": intent,
            "iterations": iterations}
    task_id = client.simulate_post("/api/plot", json=body, headers=headers).json["task_id"]
    wait_for_jobs(real_container)
    return client.simulate_get(f"/api/tasks/{task_id}", headers=headers).json


def test_the_contract_example_renders_png_svg_and_spec(api, real_container) -> None:
    client, headers = api
    task = submit_and_wait(api, real_container, CONTRACT_DATA, CONTRACT_INTENT)
    assert task["status"] == "completed", task["error"]
    assert 1 <= task["iterations_completed"] <= 2 and task["critic_notes"]
    assert "76.1" in task["description"] and "82.9" in task["description"]

    png = client.simulate_get(f"/api/tasks/{task['task_id']}/image", headers=headers)
    assert png.headers["content-type"] == "image/png"
    assert png_size(png.content) == (1800, 1200)
    svg = client.simulate_get(f"/api/tasks/{task['task_id']}/image", headers=headers,
                              params={"format": "svg"})
    assert svg.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    assert root.tag.endswith("svg")
    spec = client.simulate_get(f"/api/tasks/{task['task_id']}/spec", headers=headers).json
    assert spec["data"] == CONTRACT_DATA  # the numbers plotted are the input numbers
    assert spec["panels"][0]["kind"] == "bar" and spec["panels"][0]["value_labels"]


def test_size_in_the_intent_sets_the_png_size(api, real_container) -> None:
    client, headers = api
    task = submit_and_wait(api, real_container, {"epoch": [1, 2, 3, 4], "loss": [0.9, 0.5, 0.3, 0.2]},
                           "A line chart of training loss (size of the desired plot: width=8.0, height=6.0)",
                           iterations=1)
    assert task["status"] == "completed", task["error"]
    png = client.simulate_get(f"/api/tasks/{task['task_id']}/image", headers=headers).content
    assert png_size(png) == (1800, 1350)


def test_data_that_cannot_be_plotted_fails_the_task_saying_why(api, real_container) -> None:
    task = submit_and_wait(api, real_container, {"names": ["a", "b"], "notes": ["x", "y"]},
                           "bar chart")
    assert task["status"] == "failed"
    assert "data_json" in task["error"] and "no value is a number" in task["error"]


def test_cli_plot_then_render_an_edited_spec(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text(json.dumps(CONTRACT_DATA))
    spec_path, png_path, svg_path = tmp_path / "spec.json", tmp_path / "fig.png", tmp_path / "fig.svg"
    result = subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "plot", str(data), "--intent", CONTRACT_INTENT,
         "-o", str(png_path), "--spec-out", str(spec_path), "--iterations", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "[planning]" in result.stderr and "round 1" in result.stderr
    assert png_size(png_path.read_bytes()) == (1800, 1200)
    assert "bar chart" in result.stdout

    spec = json.loads(spec_path.read_text())
    spec["title"] = "Edited title 编辑"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False))
    result = subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "render", str(spec_path), "-o", str(svg_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Edited title 编辑" in svg_path.read_text(encoding="utf-8")


def test_cli_plot_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text('{"names": ["a", "b"]}')
    for args in ([str(tmp_path / "missing.json")], [str(data)]):
        result = subprocess.run(
            [sys.executable, "-m", "entrypoints.cli", "plot", *args, "--intent", "bar",
             "-o", str(tmp_path / "f.png")], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        assert "error: " in result.stderr and "Traceback" not in result.stderr
