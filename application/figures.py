"""What every figure pipeline returns: the PNG, its description, the SVG and the spec."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from application.ports import Figure, RenderedFigure

StageCallback = Callable[[str], None]
"""Told the name of each stage as it starts (the CLI prints them)."""


def quiet(_: str) -> None:
    """The StageCallback of the server: stages show through the task's rounds instead."""


def figure_of(spec: dict[str, Any], rendered: RenderedFigure, description: str) -> Figure:
    return Figure(png=rendered.png, description=description, extras={
        "svg": (rendered.svg, "image/svg+xml"),
        "spec": (json.dumps(spec, indent=1, ensure_ascii=False).encode(), "application/json"),
    })
