"""PlotSpec: the declarative, versioned description of a statistical figure.

A spec is plain JSON data. It carries the input data as columns, exactly as given, and
panels that refer to those columns by name; renderers are pure functions of a spec and
nothing in it is ever executed. Version 1 shape:

    {"version": 1, "title": str | None, "width": px, "height": px,
     "grid": {"rows": r, "cols": c}, "data": {column: [values]},
     "panels": [panel, ...], "style": {...}, "notes": [str, ...]}

    panel = {"kind": one of CHART_KINDS, "title": str | None,
             "x": axis, "y": axis, "series": [series, ...],
             "orientation": "vertical" | "horizontal",
             "stacking": "none" | "stacked" | "grouped",
             "value_labels": bool, "markers": bool, "trend_line": bool,
             "annotate_cells": bool, "bins": int | None,
             "reference_lines": [{"axis": "x" | "y", "value": number, "label": str | None}],
             "highlight": [{"series": name, "index": int}],
             "legend": one of LEGEND_LOCATIONS}
    axis = {"field": column | None, "title": str | None,
            "scale": "linear" | "log" | "category", "range": [lo, hi] | None,
            "tick_angle": degrees}
    series = {"name": str, "field": column, plus optional columns:
              "x_field", "error", "error_lower", "error_upper", "band", "band_lower",
              "band_upper", "label_field", "size_field", "color_field"}

Sizes are CSS pixels at 1x (the PNG is rendered at 3x). `notes` says honestly where the
figure departs from the request (e.g. a 3-D chart drawn in 2-D).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

SPEC_VERSION = 1
CHART_KINDS = ("bar", "line", "scatter", "area", "histogram", "box", "violin", "heatmap",
               "pie", "donut", "radar", "treemap")
LEGEND_LOCATIONS = ("top_right", "top_left", "bottom_right", "bottom_left", "right", "above",
                    "none")
SCALES = ("linear", "log", "category")
STACKINGS = ("none", "stacked", "grouped")
SERIES_COLUMNS = ("field", "x_field", "error", "error_lower", "error_upper", "band",
                  "band_lower", "band_upper", "label_field", "size_field", "color_field")
MIN_SIZE, MAX_SIZE = 150, 3000
PX_PER_INCH = 75
"""A benchmark size of 8 x 6 inches becomes 600 x 450 CSS px, 1800 x 1350 in the PNG."""


class SpecError(ValueError):
    """The spec is malformed; the message says where."""


def axis(field: str | None = None, title: str | None = None, scale: str = "linear",
         range_: list[float] | None = None, tick_angle: float = 0) -> dict[str, Any]:
    return {"field": field, "title": title, "scale": scale, "range": range_,
            "tick_angle": tick_angle}


def series(name: str, field: str, **columns: str | None) -> dict[str, Any]:
    unknown = set(columns) - set(SERIES_COLUMNS)
    if unknown:
        raise SpecError(f"unknown series columns {sorted(unknown)}")
    return {"name": name, "field": field, **{k: v for k, v in columns.items() if v}}


def panel(kind: str, x: dict[str, Any], y: dict[str, Any], series_: list[dict[str, Any]],
          **options: Any) -> dict[str, Any]:
    base = {"kind": kind, "title": None, "x": x, "y": y, "series": series_,
            "orientation": "vertical", "stacking": "none", "value_labels": False,
            "markers": False, "trend_line": False, "annotate_cells": False, "bins": None,
            "reference_lines": [], "highlight": [], "legend": "top_right"}
    unknown = set(options) - set(base)
    if unknown:
        raise SpecError(f"unknown panel options {sorted(unknown)}")
    return {**base, **options}


def new_spec(data: dict[str, list[Any]], panels: list[dict[str, Any]], *,
             title: str | None = None, width: int = 600, height: int = 400,
             rows: int = 1, cols: int = 1, notes: list[str] | None = None) -> dict[str, Any]:
    return {"version": SPEC_VERSION, "title": title, "width": width, "height": height,
            "grid": {"rows": rows, "cols": cols}, "data": data, "panels": panels,
            "style": {}, "notes": list(notes or [])}


def validate(spec: Any) -> list[str]:
    """Every problem of a spec, as messages naming the place; empty when valid."""
    if not isinstance(spec, dict):
        return ["spec: must be an object"]
    problems: list[str] = []
    if spec.get("version") != SPEC_VERSION:
        problems.append(f"version: must be {SPEC_VERSION}")
    for name in ("width", "height"):
        value = spec.get(name)
        if not isinstance(value, (int, float)) or not MIN_SIZE <= value <= MAX_SIZE:
            problems.append(f"{name}: must be a number of pixels in {MIN_SIZE}..{MAX_SIZE}")
    data = spec.get("data")
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        return [*problems, "data: must map column names to lists"]
    grid = spec.get("grid") or {}
    panels = spec.get("panels")
    if not isinstance(panels, list) or not panels:
        return [*problems, "panels: must be a non-empty list"]
    if grid.get("rows", 0) * grid.get("cols", 0) < len(panels):
        problems.append("grid: rows x cols must hold every panel")
    for i, p in enumerate(panels):
        problems += [f"panels[{i}].{m}" for m in _panel_problems(p, data)]
    return problems


def check(spec: Any) -> dict[str, Any]:
    problems = validate(spec)
    if problems:
        raise SpecError("; ".join(problems))
    return spec


def _panel_problems(p: Any, data: dict[str, list[Any]]) -> Iterator[str]:
    if not isinstance(p, dict):
        yield "must be an object"
        return
    if p.get("kind") not in CHART_KINDS:
        yield f"kind: must be one of {', '.join(CHART_KINDS)}"
    if p.get("stacking", "none") not in STACKINGS:
        yield f"stacking: must be one of {', '.join(STACKINGS)}"
    if p.get("legend", "top_right") not in LEGEND_LOCATIONS:
        yield f"legend: must be one of {', '.join(LEGEND_LOCATIONS)}"
    for name in ("x", "y"):
        a = p.get(name)
        if not isinstance(a, dict):
            yield f"{name}: must be an object"
            continue
        if a.get("field") is not None and a["field"] not in data:
            yield f"{name}.field: no column {a['field']!r} in data"
        if a.get("scale", "linear") not in SCALES:
            yield f"{name}.scale: must be one of {', '.join(SCALES)}"
    if not isinstance(p.get("series"), list) or not p["series"]:
        yield "series: must be a non-empty list"
        return
    for j, s in enumerate(p["series"]):
        for column in SERIES_COLUMNS:
            if column in s and s[column] is not None and s[column] not in data:
                yield f"series[{j}].{column}: no column {s[column]!r} in data"
        if "field" not in s:
            yield f"series[{j}].field: required"


def used_columns(spec: dict[str, Any]) -> set[str]:
    """Columns some panel draws (as an axis or in a series)."""
    used: set[str] = set()
    for p in spec["panels"]:
        for name in ("x", "y"):
            if p[name].get("field"):
                used.add(p[name]["field"])
        for s in p["series"]:
            used.update(s[c] for c in SERIES_COLUMNS if s.get(c))
    return used


def is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def numbers(values: list[Any]) -> list[float]:
    return [v for v in values if is_number(v)]
