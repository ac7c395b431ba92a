"""The offline critic: checks what can be checked without a model, and fixes it.

Each check looks at the spec, its data and the render, returns findings, and edits a
copy of the spec; the pipeline renders the revision and asks again, so fixes that
interact (a rotated label that now needs a smaller font) settle over the rounds.
"""

from __future__ import annotations

import copy
import math
import struct
from collections.abc import Callable
from typing import Any

from adapters.text_metrics import text_height, text_width
from application.plots.ports import PlotCritic
from application.plots.spec import is_number, used_columns
from application.ports import Critique, RenderedFigure

Check = Callable[[dict[str, Any]], list[str]]
MIN_ASPECT, MAX_ASPECT = 0.5, 3.2
CARTESIAN = ("bar", "line", "scatter", "area", "histogram", "box", "violin", "heatmap")
LEGEND_KINDS = ("bar", "line", "scatter", "area", "box", "violin")


def _plot_area(spec: dict[str, Any]) -> tuple[float, float]:
    """CSS px of one panel's plotting area, after axes and titles."""
    grid = spec["grid"]
    return (max(spec["width"] / grid["cols"] - 90, 40),
            max(spec["height"] / grid["rows"] - 80, 40))


def _style(spec: dict[str, Any], key: str, default: float) -> float:
    return float(spec.get("style", {}).get(key, default))


def _categories(p: dict[str, Any], data: dict[str, list[Any]], axis_name: str) -> list[str]:
    field = p[axis_name].get("field")
    if not field or p[axis_name].get("scale") != "category":
        return []
    return [str(v) for v in data[field]]


def check_unplotted(spec: dict[str, Any]) -> list[str]:
    """Every numeric input column must be drawn; attach strays to a panel of equal length."""
    used = used_columns(spec)
    notes = []
    for column, values in spec["data"].items():
        if column in used or not any(is_number(v) for v in values):
            continue
        host = next((p for p in spec["panels"] if p["kind"] in CARTESIAN and any(
            len(spec["data"][s["field"]]) == len(values) for s in p["series"])), None)
        if host is None:
            host = copy.deepcopy(spec["panels"][0])
            host.update(kind="bar", title=column, series=[], stacking="none")
            host["x"] = {**host["x"], "field": None, "scale": "category", "title": "index"}
            spec["panels"].append(host)
            spec["grid"] = _grid_for(len(spec["panels"]))
        host["series"].append({"name": column, "field": column})
        notes.append(f"column {column!r} was not plotted; added it as a series")
    return notes


def _grid_for(n: int) -> dict[str, int]:
    cols = n if n <= 3 else 2
    return {"rows": math.ceil(n / cols), "cols": cols}


def check_min_text(spec: dict[str, Any]) -> list[str]:
    style = spec.setdefault("style", {})
    minimum = style.get("min_font_px", 9)
    small = [k for k, v in style.items() if k.endswith("_size") and k != "marker_size"
             and is_number(v) and v < minimum]
    for key in small:
        style[key] = minimum
    return [f"{', '.join(small)} raised to the minimum of {minimum} px"] if small else []


def check_axis_titles(spec: dict[str, Any]) -> list[str]:
    notes = []
    for i, p in enumerate(spec["panels"]):
        if p["kind"] not in CARTESIAN:
            continue
        for name in ("x", "y"):
            a = p[name]
            if a.get("title"):
                continue
            title = a.get("field")
            if title is None and name == ("x" if p.get("orientation") == "horizontal" else "y") \
                    and len(p["series"]) == 1:
                title = p["series"][0]["name"]
            if title:
                a["title"] = title = _readable(title)
                notes.append(f"panel {i + 1}: {name} axis had no title; titled it {title!r}")
    return notes


def _readable(name: str) -> str:
    """A column name as an axis title: `train_loss` reads "Train loss"."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words.islower() else words


def check_tick_labels(spec: dict[str, Any]) -> list[str]:
    """Category labels must not collide: rotate them, then shrink or abbreviate."""
    notes = []
    width, height = _plot_area(spec)
    tick = _style(spec, "tick_size", 12)
    for i, p in enumerate(spec["panels"]):
        for name, room in (("x", width), ("y", height)):
            labels = _categories(p, spec["data"], name)
            if len(labels) < 2:
                continue
            slot = room / len(labels)
            a = p[name]
            if name == "y":
                if text_height(tick) > slot:
                    notes.append(f"panel {i + 1}: {len(labels)} y labels overlap; "
                                 "made the figure taller")
                    spec["height"] = min(3000, int(spec["height"] * text_height(tick) / slot) + 40)
                continue
            widest = max(text_width(label, tick) for label in labels)
            angle = a.get("tick_angle", 0)
            needed = widest if angle == 0 else text_height(tick) / math.sin(math.radians(angle))
            if needed <= slot * 0.95:
                continue
            if angle == 0:
                a["tick_angle"] = 45
                notes.append(f"panel {i + 1}: x tick labels overlap; rotated them 45°")
            elif angle < 90:
                a["tick_angle"] = 90
                notes.append(f"panel {i + 1}: rotated x tick labels still overlap; made them vertical")
            elif spec["width"] < 3000:
                cols = spec["grid"]["cols"]
                spec["width"] = min(3000, int(cols * (len(labels) * text_height(tick) * 1.1 + 90)))
                notes.append(f"panel {i + 1}: {len(labels)} vertical x labels still overlap; "
                             f"widened the figure to {spec['width']} px")
    return notes


def check_legend(spec: dict[str, Any]) -> list[str]:
    """A legend inside the plot must not sit on data; move it outside when it would."""
    notes = []
    width, height = _plot_area(spec)
    legend_px = _style(spec, "legend_size", 11)
    for i, p in enumerate(spec["panels"]):
        if p["kind"] not in LEGEND_KINDS or len(p["series"]) < 2:
            continue
        if p.get("legend") in ("right", "above", "none"):
            continue
        box_w = max(text_width(s["name"], legend_px) for s in p["series"]) + 40
        box_h = len(p["series"]) * text_height(legend_px) + 12
        covered = box_w * box_h / (width * height)
        if covered > 0.12 or _data_in_corner(p, spec["data"], p.get("legend", "top_right")):
            p["legend"] = "right" if spec["width"] / spec["grid"]["cols"] >= 420 else "above"
            notes.append(f"panel {i + 1}: the legend would cover data; moved it {p['legend']}")
    return notes


def _data_in_corner(p: dict[str, Any], data: dict[str, list[Any]], corner: str) -> bool:
    """Whether any series reaches into the legend's quarter of the plot."""
    values = [v for s in p["series"] for v in data.get(s["field"], []) if is_number(v)]
    if not values:
        return False
    lo, hi = min(values), max(values)
    if hi == lo:
        return True
    top = corner.startswith("top")
    right = corner.endswith("right")
    for s in p["series"]:
        column = data.get(s["field"], [])
        n = len(column)
        for j, v in enumerate(column):
            if not is_number(v) or n < 2:
                continue
            x = j / (n - 1)
            y = (v - lo) / (hi - lo)
            if (x >= 0.65 if right else x <= 0.35) and (y >= 0.7 if top else y <= 0.3):
                return True
    return False


def check_value_labels(spec: dict[str, Any]) -> list[str]:
    notes = []
    width, height = _plot_area(spec)
    style = spec.setdefault("style", {})
    size = _style(spec, "value_label_size", 11)
    for i, p in enumerate(spec["panels"]):
        if not p.get("value_labels"):
            continue
        fields = [s["field"] for s in p["series"]]
        count = max((len(spec["data"][f]) for f in fields), default=0)
        bars = count * (len(fields) if p.get("stacking") == "grouped" else 1)
        room = (height if p.get("orientation") == "horizontal" else width) / max(bars, 1)
        longest = max((text_width(f"{v:g}" if isinstance(v, float) else str(v), size)
                       for f in fields for v in spec["data"][f] if is_number(v)), default=0)
        needed = text_height(size) if p.get("orientation") == "horizontal" else longest
        if needed <= room:
            continue
        minimum = style.get("min_font_px", 9)
        smaller = size * room / needed
        if smaller >= minimum:
            style["value_label_size"] = math.floor(smaller)
            notes.append(f"panel {i + 1}: value labels were wider than their bars; "
                         f"reduced them to {style['value_label_size']} px")
        else:
            p["value_labels"] = False
            notes.append(f"panel {i + 1}: value labels cannot fit at a legible size; removed them")
    return notes


def check_aspect(spec: dict[str, Any]) -> list[str]:
    ratio = spec["width"] / spec["height"]
    if MIN_ASPECT <= ratio <= MAX_ASPECT:
        return []
    spec["height"] = int(spec["width"] / (MAX_ASPECT if ratio > MAX_ASPECT else MIN_ASPECT))
    return [f"aspect ratio {ratio:.2f} is extreme; changed the height to {spec['height']} px"]


CHECKS: tuple[Check, ...] = (check_unplotted, check_min_text, check_axis_titles,
                             check_aspect, check_tick_labels, check_legend, check_value_labels)


def png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", png[16:24])


class OfflinePlotCritic(PlotCritic):
    def review(self, spec: dict[str, Any], rendered: RenderedFigure, intent: str) -> Critique:
        revised = copy.deepcopy(spec)
        notes: list[str] = []
        expected = (round(spec["width"] * rendered.scale), round(spec["height"] * rendered.scale))
        actual = png_size(rendered.png)
        if actual != expected:
            notes.append(f"render is {actual[0]}x{actual[1]} px, expected "
                         f"{expected[0]}x{expected[1]}")
        for check in CHECKS:
            notes.extend(check(revised))
        changed = revised != spec
        return Critique(notes=notes or ["no changes: every check passed"],
                        revised=revised if changed else None)
