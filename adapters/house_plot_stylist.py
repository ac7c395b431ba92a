"""The house style for statistical plots (/work/shared/figure-style.md), offline and deterministic.

`style` fills spec["style"] (the keys the critic adjusts) and sets per-panel defaults in the
panel fields that exist: markers on short lines, value labels on bars where they fit,
annotated small heatmaps, tilted category labels where level ones cannot fit even wrapped,
and a legend placed where it hides no data.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

from adapters.text_metrics import text_width
from application.plots.ports import PlotStylist
from application.plots.spec import is_number

Json = dict[str, Any]
FONT = "Noto Sans, Noto Sans CJK SC, DejaVu Sans, sans-serif"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#333333")
"""Okabe-Ito without its yellow (unreadable on white), black softened to the text grey."""
BASE_SIZES = {"title_size": 17, "axis_label_size": 15, "tick_size": 13, "legend_size": 13,
              "value_label_size": 12}
"""CSS px for one 600 x 450 px (8 x 6 in) panel: about 10-12 pt once printed at text width."""
MIN_FONT_PX = 9
REFERENCE_PANEL = (450, 340)
NO_GRID = frozenset({"pie", "donut", "treemap", "radar", "heatmap"})
BAR_LIKE = frozenset({"bar", "histogram", "box", "violin"})
TICK_KINDS = frozenset({"bar", "box", "violin", "line", "area", "heatmap", "scatter"})
MARKER_MAX_POINTS = 20
ANNOTATE_MAX_CELLS = 100
CORNER_LEGEND_MAX_ITEMS = 4
AXES_PX = 80
"""Roughly what the value axis and margins take from a panel's width."""

NO_TITLE = re.compile(r"\b(no|without( a| any)?)\s+(main\s+|overall\s+)?title\b|\buntitled\b"
                      r"|\bhide\s+the\s+title\b|无标题|不要标题|不带标题|제목\s*없|タイトルなし", re.I)
NO_LEGEND = re.compile(r"\b(no|without( a| any)?)\s+legends?\b|\bhide\s+the\s+legend\b"
                       r"|无图例|不要图例|不带图例|범례\s*없|凡例なし", re.I)
VERTICAL = re.compile(r"\b(vertical|column)\b|纵向|竖|세로|縦", re.I)
NO_GRID_INTENT = re.compile(r"\b(no|without( a| any)?)\s+grid(\s*lines)?\b|无网格|不要网格", re.I)


def house_style(spec: Json) -> Json:
    """The default style keys for a spec. Wider figures are printed smaller, so their text
    grows with the width (up to 1.4x); panels smaller than REFERENCE_PANEL shrink it back,
    so that the text still leaves room for the data."""
    rows = math.ceil(len(spec["panels"]) / spec["grid"]["cols"])
    cell = min(spec["width"] / spec["grid"]["cols"] / REFERENCE_PANEL[0],
               spec["height"] / rows / REFERENCE_PANEL[1], 1.0)
    scale = max(min(spec["width"] / 600, 1.4) * cell, 0.75)
    return {"font": FONT,
            **{key: max(MIN_FONT_PX, round(px * scale)) for key, px in BASE_SIZES.items()},
            "min_font_px": MIN_FONT_PX, "palette": list(PALETTE), "grid": "y", "line_width": 2,
            "marker_size": 7, "background": "#ffffff", "text_color": "#333333", "show_title": True}


class HousePlotStylist(PlotStylist):
    def style(self, spec: Json, intent: str) -> Json:
        styled = copy.deepcopy(spec)
        chosen = styled.get("style") or {}
        defaults = house_style(styled)
        defaults["show_title"] = not NO_TITLE.search(intent)
        styled["style"] = style = {key: chosen.get(key, value) for key, value in defaults.items()}
        cols = styled["grid"]["cols"]
        cell = (styled["width"] / cols, styled["height"] / math.ceil(len(styled["panels"]) / cols))
        for p in styled["panels"]:
            if p["kind"] == "bar" and not VERTICAL.search(intent):
                _lay_long_labels_down(p, styled["data"], style, cell)
            _panel_defaults(p, styled["data"], style, cell)
            if NO_LEGEND.search(intent):
                p["legend"] = "none"
        if "grid" not in chosen:
            style["grid"] = "none" if NO_GRID_INTENT.search(intent) else _grid(styled["panels"])
        return styled


def _grid(panels: list[Json]) -> str:
    """Light grid lines across the value axis: "y" under vertical bars, "x" beside horizontal
    ones, both for lines and points (the renderer never draws them along category axes)."""
    cartesian = [p for p in panels if p["kind"] not in NO_GRID]
    if not cartesian:
        return "none"
    if all(p["kind"] in BAR_LIKE for p in cartesian):
        sides = {"x" if p.get("orientation") == "horizontal" else "y" for p in cartesian}
        return sides.pop() if len(sides) == 1 else "both"
    return "both"


def _panel_defaults(p: Json, data: dict[str, list[Any]], style: Json,
                    cell: tuple[float, float]) -> None:
    kind, width = p["kind"], cell[0]
    points = max(len(data.get(s["field"], [])) for s in p["series"])
    if kind == "line" and points <= MARKER_MAX_POINTS:
        p["markers"] = True
    if kind == "bar" and _value_labels_fit(p, data, style, width):
        p["value_labels"] = True
    if kind == "heatmap" and _cells(p, data) <= ANNOTATE_MAX_CELLS:
        p["annotate_cells"] = True
    if kind in TICK_KINDS and p.get("orientation") != "horizontal":
        _tilt_crowded_ticks(p, data, style, width)
    if p.get("legend", "top_right") == "top_right":
        p["legend"] = _legend_place(p, data, style, cell)


def _value_labels_fit(p: Json, data: dict[str, list[Any]], style: Json, width: float) -> bool:
    """Labels for plain bars without error bars, when each fits above (or beside) its bar."""
    if p.get("stacking") == "stacked" or any(k.startswith("error") for s in p["series"] for k in s):
        return False
    values = [v for s in p["series"] for v in data.get(s["field"], [])]
    size = style["value_label_size"]
    widest = max((text_width(f"{v:.4g}", size) for v in values if is_number(v)), default=0.0)
    if p.get("orientation") == "horizontal":
        return widest < (width - AXES_PX) * 0.15
    return widest < (width - AXES_PX) / max(len(values), 1) * 0.95


def _cells(p: Json, data: dict[str, list[Any]]) -> int:
    return sum(len(data.get(s["field"], [])) for s in p["series"])


def _categories(p: Json, data: dict[str, list[Any]]) -> list[str]:
    """The distinct labels of a categorical x axis; none for a numeric one."""
    column = data.get(p["x"].get("field") or "", [])
    if p["x"].get("scale") != "category" and all(is_number(v) for v in column):
        return []
    return list(dict.fromkeys(str(v) for v in column))


def _crowded(labels: list[str], style: Json, width: float) -> bool:
    """Whether level labels overrun their slot even wrapped onto three lines (the renderer
    wraps them), or a single word of one does."""
    slot = (width - AXES_PX) / max(len(labels), 1)
    size = style["tick_size"]
    return any(text_width(label, size) > 3 * slot * 0.9
               or max(text_width(word, size) for word in label.split() or [""]) > slot * 0.95
               for label in labels)


def _tilt_crowded_ticks(p: Json, data: dict[str, list[Any]], style: Json, width: float) -> None:
    labels = _categories(p, data)
    if labels and not p["x"].get("tick_angle") and _crowded(labels, style, width):
        p["x"]["tick_angle"] = 45


def _lay_long_labels_down(p: Json, data: dict[str, list[Any]], style: Json,
                          cell: tuple[float, float]) -> None:
    """Turn vertical bars horizontal when their crowded labels, tilted, would take over 40 %
    of the panel's height: long category names read best beside horizontal bars."""
    labels = _categories(p, data)
    if (p.get("orientation") == "horizontal" or p["x"].get("tick_angle") or not labels
            or not _crowded(labels, style, cell[0])):
        return
    tilted = max(text_width(label, style["tick_size"]) for label in labels) * math.sin(math.pi / 4)
    if tilted > 0.4 * cell[1]:
        # As the planner writes horizontal bars: the categories on y, the values on x.
        p["orientation"] = "horizontal"
        p["x"], p["y"] = p["y"], p["x"]
        for line in p.get("reference_lines", []):
            line["axis"] = {"x": "y", "y": "x"}[line["axis"]]


def _legend_place(p: Json, data: dict[str, list[Any]], style: Json,
                  cell: tuple[float, float]) -> str:
    """An empty corner, when the legend fits one, for few series of lines, areas or points;
    else outside (right of pies and of wide plots, above the others): it hides no data."""
    if p["kind"] == "radar":
        return "above"  # beside it, a legend would squeeze the axis names
    if p["kind"] in ("pie", "donut") or any(s.get("color_field") for s in p["series"]):
        return "right"
    frame = (cell[0] - AXES_PX, cell[1] - 2.5 * style["title_size"] - 3 * style["tick_size"])
    names = [s["name"] for s in p["series"]] + [f"{s['name']} (linear fit)" for s in p["series"]
                                                 if p.get("trend_line")]
    legend = (max(text_width(n, style["legend_size"]) for n in names) + 40,
              len(names) * 1.4 * style["legend_size"] + 12)
    fits = legend[0] < 0.45 * frame[0] and legend[1] < 0.4 * frame[1]
    if (p["kind"] in ("line", "scatter", "area") and p.get("orientation") != "horizontal" and fits
            and len(names) <= CORNER_LEGEND_MAX_ITEMS):
        corner = _empty_corner(p, data)
        if corner:
            return corner
    if len(names) < 2:
        return "top_right"  # a single entry draws no legend
    return "right" if frame[0] > 2 * frame[1] else "above"


CORNERS = {"top_right": (1, 1), "top_left": (0, 1), "bottom_right": (1, 0), "bottom_left": (0, 0)}


def _empty_corner(p: Json, data: dict[str, list[Any]]) -> str | None:
    """The first corner with no data point or line segment within 40 % of the plot of it."""
    points = []
    below = [0.0] * max(len(data.get(s["field"], [])) for s in p["series"])
    for s in p["series"]:
        ys = data.get(s["field"], [])
        if p["kind"] == "area" and p.get("stacking") == "stacked":
            below = [b + (y if is_number(y) else 0) for b, y in zip(below, ys)]
            ys = below
        xs = data.get(s.get("x_field") or p["x"].get("field") or "", [])
        xs = xs if xs and all(is_number(v) or v is None for v in xs) else list(range(len(ys)))
        pairs = [(_on_axis(p["x"], x), _on_axis(p["y"], y)) for x, y in zip(xs, ys)]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
        if p["kind"] in ("line", "area"):  # the segments between points, and areas down to 0
            pairs += [(a[0] + (b[0] - a[0]) * t / 4, a[1] + (b[1] - a[1]) * t / 4)
                      for a, b in zip(pairs, pairs[1:]) for t in (1, 2, 3)]
        if p["kind"] == "area":
            pairs += [(x, y * t / 4) for x, y in pairs for t in range(4)]
        points += pairs
    if not points:
        return None
    (x0, x1), (y0, y1) = ((min(c), max(c)) for c in zip(*points))
    unit = [((x - x0) / ((x1 - x0) or 1), (y - y0) / ((y1 - y0) or 1)) for x, y in points]
    for name, (cx, cy) in CORNERS.items():
        if not any(abs(x - cx) < 0.4 and abs(y - cy) < 0.4 for x, y in unit):
            return name
    return None


def _on_axis(axis: Json, value: Any) -> float | None:
    """Where a value sits along an axis (log axes in decades); None when it is not drawn."""
    if not is_number(value) or axis.get("scale") == "log" and value <= 0:
        return None
    return math.log10(value) if axis.get("scale") == "log" else float(value)
