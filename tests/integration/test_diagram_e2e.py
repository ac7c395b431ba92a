"""Methodology diagrams end to end through the HTTP API and the CLI (real Graphviz, Chromium)."""

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
TRANSFORMER = (
    "The Transformer encoder maps an input sequence of tokens to continuous representations. "
    "Each token is first converted by an input embedding and combined with a positional "
    "encoding. The result is fed into a stack of N = 6 identical encoder layers. Each encoder "
    "layer has two sub-layers: a multi-head self-attention mechanism followed by a "
    "position-wise feed-forward network, each wrapped by a residual connection and layer "
    "normalization. The output of the last layer is the encoder output representation.")
CAPTION = "Figure 1: Transformer encoder architecture"


def generate(api, container, text: str, caption: str = CAPTION) -> dict:
    client, headers = api
    task_id = client.simulate_post("/api/generate", headers=headers, json={
        "source_context": text, "caption": caption, "iterations": 3}).json["task_id"]
    wait_for_jobs(container)
    return client.simulate_get(f"/api/tasks/{task_id}", headers=headers).json


def test_the_transformer_example_becomes_a_diagram(api, real_container) -> None:
    client, headers = api
    task = generate(api, real_container, TRANSFORMER)
    assert task["status"] == "completed", task["error"]
    assert task["diagram_type"] == "methodology" and task["critic_notes"]
    assert task["description"].startswith("The diagram reads")

    spec = client.simulate_get(f"/api/tasks/{task['task_id']}/spec", headers=headers).json
    labels = " ".join(n["label"].lower() for n in spec["nodes"])
    assert "attention" in labels and "feed-forward" in labels.replace("feed forward", "feed-forward")
    assert CAPTION.lower() not in labels
    layout = spec["layout"]
    png = client.simulate_get(f"/api/tasks/{task['task_id']}/image", headers=headers).content
    assert png_size(png) == (round(layout["width"] * 3), round(layout["height"] * 3))
    svg = client.simulate_get(f"/api/tasks/{task['task_id']}/image", headers=headers,
                              params={"format": "svg"}).content.decode()
    assert ET.fromstring(svg).tag.endswith("svg")
    assert all(n["label"].split("\n")[0].split()[0] in svg for n in spec["nodes"])


def test_a_chinese_method_text_renders(api, real_container) -> None:
    task = generate(api, real_container,
                    "首先，编码器将输入图像映射为特征，然后解码器根据特征生成分割掩码。",
                    "图1：分割模型")
    assert task["status"] == "completed", task["error"]
    client, headers = api
    spec = client.simulate_get(f"/api/tasks/{task['task_id']}/spec", headers=headers).json
    labels = [n["label"] for n in spec["nodes"]]
    assert {"编码器", "解码器", "分割掩码"} <= set(labels)  # the critic keeps what the text names


@pytest.mark.parametrize("text", ["lorem ipsum dolor sit amet", "This paper is great."])
def test_text_without_a_method_fails_with_a_clear_error(api, real_container, text) -> None:
    task = generate(api, real_container, text)
    assert task["status"] == "failed"
    assert task["error"] and "component" in task["error"]


def test_cli_diagram_then_render_the_spec(tmp_path: Path) -> None:
    text = tmp_path / "method.txt"
    text.write_text(TRANSFORMER)
    spec_path, png_path, svg_path = tmp_path / "s.json", tmp_path / "d.png", tmp_path / "d.svg"
    result = subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "diagram", str(text), "--caption", CAPTION,
         "-o", str(png_path), "--spec-out", str(spec_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "[planning]" in result.stderr and "round 1" in result.stderr
    assert png_path.read_bytes().startswith(b"\x89PNG")
    spec = json.loads(spec_path.read_text())
    result = subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "render", str(spec_path), "-o", str(svg_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert spec["nodes"][0]["label"].split()[0] in svg_path.read_text(encoding="utf-8")
