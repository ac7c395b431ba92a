"""Pie, donut and radar charts, drawn in Cartesian coordinates on a square-aspect frame.

Several series of a pie or donut become concentric rings (the first outermost), sharing the
category colours. Radar values map linearly onto the radius between the value axis range
(or 0 and a round maximum) and are drawn as closed polygons over spokes and rings.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from bokeh.models import ColumnDataSource, LegendItem
from bokeh.plotting import figure

from adapters.bokeh_charts_common import Drawn, Panel, fmt, label, text_on
from adapters.text_metrics import text_width

HOLE = {"pie": 0.0, "donut": 0.5}
INSIDE_LABEL_SHARE = 0.04
"""Slices smaller than this get their percentage outside the pie (outer ring only), or none."""


def _square(panel: Panel, reach_x: float, reach_y: float) -> figure:
    """A frame keeping one unit the same on both axes, so circles stay round, with
    invisible corners so the auto ranges hold the whole chart and its labels."""
    fig = panel.figure(match_aspect=True)
    fig.scatter([-reach_x, reach_x], [-reach_y, reach_y], alpha=0)
    return fig


def draw_pie(panel: Panel) -> Drawn:
    n = len(panel.data[panel.series[0]["field"]])
    names = [label(v) for v in panel.domain(n)]
    hole = HOLE[panel.kind]
    ring = (1.0 - hole) / len(panel.series)
    fig = _square(panel, 1.3, 1.3)
    wedges = []
    for j, s in enumerate(panel.series):
        values = panel.numbers(s["field"], n)
        if np.any(values < 0) or not np.nansum(values) > 0:
            raise ValueError(f"a {panel.kind} needs non-negative values with a positive total "
                             f"(series {s['name']!r})")
        outer = 1.0 - j * ring
        source = _wedges(panel, s, names, values, outer - ring, outer, outermost=j == 0)
        wedges.append(fig.annular_wedge(x=0, y=0, inner_radius=outer - ring, outer_radius=outer,
                                        start_angle="start", end_angle="end", direction="clock",
                                        source=source, color="color", line_color="line_color",
                                        line_width="line_width"))
        fig.text(x="label_x", y="label_y", text="text", source=source, text_font=panel.font,
                 text_font_size=panel.px("value_label_size"), text_color="text_color",
                 text_align="align", text_baseline="middle")
    items = [LegendItem(label=name, renderers=[wedges[0]], index=i) for i, name in enumerate(names)]
    rings = "\n".join(f"{k}. {s['name']}" for k, s in enumerate(panel.series, 1))
    return Drawn(fig, items, axes=False,
                 legend_title=f"Rings, outside in:\n{rings}" if len(panel.series) > 1 else None)


def _wedges(panel: Panel, s: dict[str, Any], names: list[str], values: np.ndarray, inner: float,
            outer: float, outermost: bool) -> ColumnDataSource:
    """Wedges clockwise from 12 o'clock, with percentage labels where they fit."""
    share = np.nan_to_num(values) / np.nansum(values)
    after = np.cumsum(share)
    start, end = math.pi / 2 - 2 * math.pi * (after - share), math.pi / 2 - 2 * math.pi * after
    middle = (start + end) / 2
    inside = share >= INSIDE_LABEL_SHARE
    radius = np.where(inside, (inner + outer) / 2 if inner else outer * 0.65, outer + 0.06)
    colors = [panel.color(i) for i in range(len(values))]
    marked = set(panel.highlighted(s, len(values)))
    shown = inside | (outermost & (share > 0))
    return ColumnDataSource({
        "category": names, "value": values, "share": share, "start": start, "end": end,
        "color": colors, "label_x": radius * np.cos(middle), "label_y": radius * np.sin(middle),
        "text": [f"{100 * p:.1f}%" if ok else "" for p, ok in zip(share, shown)],
        "text_color": [text_on(c) if ok else panel.style["text_color"]
                       for c, ok in zip(colors, inside)],
        "align": ["center" if ok else ("left" if math.cos(m) >= 0 else "right")
                  for ok, m in zip(inside, middle)],
        "line_color": [panel.style["text_color"] if i in marked else panel.style["background"]
                       for i in range(len(values))],
        "line_width": [3.0 if i in marked else 1.5 for i in range(len(values))]})


def draw_radar(panel: Panel) -> Drawn:
    n = len(panel.data[panel.series[0]["field"]])
    if n < 3:
        raise ValueError("a radar chart needs at least three axes (rows)")
    names = [label(v) for v in panel.domain(n)]
    values = [panel.numbers(s["field"], n) for s in panel.series]
    lo, hi, ticks = _radial_scale(panel, values)
    angles = math.pi / 2 - 2 * math.pi * np.arange(n) / n
    fig = _square(panel, *_label_reach(panel, names, [s["name"] for s in panel.series]))
    _web(panel, fig, angles, names, ticks, lo, hi)
    items = []
    for i, (s, v) in enumerate(zip(panel.series, values)):
        radius = np.clip((v - lo) / (hi - lo), 0, None)
        source = ColumnDataSource({"category": names, "value": v, "x": radius * np.cos(angles),
                                   "y": radius * np.sin(angles)})
        color = panel.color(i)
        shape = fig.patch("x", "y", source=source, fill_color=color, fill_alpha=0.15,
                          line_color=color, line_width=panel.style["line_width"])
        dots = fig.scatter("x", "y", source=source, color=color, size=panel.style["marker_size"])
        for row in panel.highlighted(s, n):
            fig.scatter([source.data["x"][row]], [source.data["y"][row]], fill_alpha=0,
                        size=panel.style["marker_size"] * 2.6, line_color=panel.style["text_color"],
                        line_width=2.5)
        items.append(LegendItem(label=s["name"], renderers=[shape, dots]))
    return Drawn(fig, items, axes=False)


def _label_reach(panel: Panel, names: list[str], legend: list[str]) -> tuple[float, float]:
    """How far (in radii) the chart must reach sideways and up and down so that the axis
    names fit beside the rim: the radius is as large as the frame allows around them."""
    width, height = panel.frame(axes=False)
    if panel.spec.get("legend") == "right" and len(legend) > 1:
        width -= 40 + max(text_width(name, panel.style["legend_size"]) for name in legend)
    elif panel.spec.get("legend") == "above" and len(legend) > 1:
        height -= 2 * panel.style["legend_size"]
    text_w = max(text_width(name, panel.style["axis_label_size"]) for name in names) + 8
    text_h = 1.4 * panel.style["axis_label_size"] + 8
    radius = max(min(width / 2 - text_w, height / 2 - text_h), 40.0) / 1.08
    return 1.08 + text_w / radius, 1.08 + text_h / radius


def _radial_scale(panel: Panel, values: list[np.ndarray]) -> tuple[float, float, list[float]]:
    """The values at the centre and the rim, from the value axis range or else round numbers
    around the data (from 0 unless values go below it), and the rings' values."""
    given = panel.roles[1].get("range")
    lo, hi = ((float(given[0]), float(given[1])) if given
              else (min(0.0, float(np.nanmin(values))), float(np.nanmax(values))))
    step = _round_step((hi - lo) / 4 or 1.0)
    if not given:
        lo = step * math.floor(lo / step)
        hi = max(step * math.ceil(hi / step), lo + step)
    return lo, hi, [float(t) for t in np.arange(lo + step, hi + step / 2, step)]


def _round_step(raw: float) -> float:
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _web(panel: Panel, fig: figure, angles: np.ndarray, names: list[str], ticks: list[float],
         lo: float, hi: float) -> None:
    """Rings at the ticks, spokes, the rings' values and the axis names at the rim."""
    grid = "#d9d9d9"
    rings = [(t - lo) / (hi - lo) for t in ticks]
    closed = np.append(angles, angles[0])
    fig.multi_line([list(r * np.cos(closed)) for r in rings],
                   [list(r * np.sin(closed)) for r in rings], line_color=grid)
    fig.multi_line([[0, math.cos(a)] for a in angles], [[0, math.sin(a)] for a in angles],
                   line_color=grid)
    tick_style = {"text_font": panel.font, "text_font_size": panel.px("tick_size"),
                  "text_color": "#777777"}
    between = math.pi / 2 - math.pi / len(angles)  # ring values between the first two spokes
    fig.text(x=[r * math.cos(between) for r in rings], y=[r * math.sin(between) for r in rings],
             text=[fmt(t) for t in ticks], text_align="left", text_baseline="middle", x_offset=3,
             **tick_style)
    cos, sin = np.cos(angles), np.sin(angles)
    fig.text(x=1.08 * cos, y=1.08 * sin, text=names, text_font=panel.font,
             text_font_size=panel.px("axis_label_size"), text_color=panel.style["text_color"],
             text_align=["left" if c > 0.1 else "right" if c < -0.1 else "center" for c in cos],
             text_baseline=["bottom" if v > 0.1 else "top" if v < -0.1 else "middle" for v in sin])
