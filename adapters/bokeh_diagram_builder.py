"""Draw a laid-out DiagramSpec with Bokeh: a pure function from the spec to one plot.

The plot is the layout's size in CSS px, with a reversed y range so the layout's top-left
coordinates are drawn as they are, and no tools, axes or grid. Layers, bottom to top: group
panels (outer first), edges, node shapes, their text, then group and edge labels on their
panel's colour (so no line crosses them). Every shape is a polygon (rounded corners as arcs),
so the canvas and the SVG exports draw the same thing.
Text is wrapped and placed by the house typography the layout measured it with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bokeh.models import ColumnDataSource, LayoutDOM, Range1d
from bokeh.plotting import figure

from adapters.house_diagram_stylist import (
    ARROW,
    CAP,
    GROUP_LABEL_X,
    SKEW,
    STACK,
    Line,
    edge_label,
    group_label,
    merged_style,
    node_text,
)

Json = dict[str, Any]
Points = list[tuple[float, float]]
ROUNDED = frozenset({"model", "operation", "agent", "loss"})
RADIUS = 6.0
PANEL_RADIUS = 8.0
EDGE_LOOK = {"data": ([], 1.6, False), "control": ([2, 3], 1.4, False),
             "feedback": ([6, 4], 1.4, False), "optional": ([4, 4], 1.3, True)}
"""Per edge kind: dash pattern, line width, and whether it is drawn lighter."""
LIGHT_EDGE = "#9A9A9A"
HALO = 2.0
"""How far a group's or an edge's label background reaches past its text."""


@dataclass(frozen=True)
class Label:
    """Label lines centred on y and on x (or starting at x), over a box of `fill`."""

    lines: list[Line]
    x: float
    y: float
    fill: str
    align: str = "center"


def build_diagram(spec: Json) -> LayoutDOM:
    layout = spec.get("layout")
    if not layout:
        raise ValueError("the spec has no layout")
    style = merged_style(spec.get("style"))
    width, height = int(layout["width"]), int(layout["height"])
    fig = figure(width=width, height=height, x_range=Range1d(0, width),
                 y_range=Range1d(height, 0), x_axis_type=None, y_axis_type=None, tools="",
                 toolbar_location=None, min_border=0, outline_line_color=None,
                 background_fill_color="#FFFFFF", border_fill_color="#FFFFFF")
    texts: list[Json] = []
    labels: list[Label] = []
    _panels(fig, spec, layout, style, labels)
    _edges(fig, spec, layout, style)
    _nodes(fig, spec, layout, style, texts)
    _text(fig, texts, style)
    _labels(fig, [*labels, *_edge_labels(spec, layout, style)], style)
    return fig


def _panels(fig: figure, spec: Json, layout: Json, style: Json, labels: list[Label]) -> None:
    """Group panels, outer before inner (by area), each with its label in its top band."""
    panels = _panel_fills(spec, layout, style)
    for g, box, fill in panels:
        labels.append(Label(group_label(g, style), box.get("label_x", box["x"] + GROUP_LABEL_X),
                            box["y"] + box["label_h"] / 2, fill, "left"))
    panels.reverse()
    _patches(fig, [_rounded(box, PANEL_RADIUS) for _, box, _ in panels],
             fill=[fill for *_, fill in panels], line=[style["group_stroke"]] * len(panels),
             dash=[[] if g.get("border") == "solid" else [5, 4] for g, *_ in panels], width=1.2)


def _panel_fills(spec: Json, layout: Json, style: Json) -> list[tuple[Json, Json, str]]:
    """(group, box, fill) of each laid-out group, innermost (smallest) first."""
    fills = style["group_fills"]
    panels = [(g, layout["groups"][g["id"]], fills[k % len(fills)])
              for k, g in enumerate(spec["groups"]) if g["id"] in layout["groups"]]
    return sorted(panels, key=lambda panel: panel[1]["w"] * panel[1]["h"])


def _nodes(fig: figure, spec: Json, layout: Json, style: Json, texts: list[Json]) -> None:
    shapes: list[Points] = []
    fill: list[str] = []
    line: list[str] = []
    for n in spec["nodes"]:
        box, text = layout["nodes"][n["id"]], node_text(n, style)
        cards = [box]
        if n.get("repeat"):  # the cards behind, then the front one, lower left
            x, y, w, h = box["x"], box["y"], box["w"] - 2 * STACK, box["h"] - 2 * STACK
            cards = [{"x": x + 2 * STACK - s, "y": y + s, "w": w, "h": h}
                     for s in (0, STACK, 2 * STACK)]
        for card in cards:
            polygons = _shape(n["role"], card)
            shapes += polygons
            fill += [style["role_fill"][n["role"]]] * len(polygons)
            line += [style["role_stroke"][n["role"]]] * len(polygons)
        left, top, right, bottom = text.inset
        cx = box["x"] + left + (box["w"] - left - right) / 2
        cy = box["y"] + top + (box["h"] - top - bottom) / 2
        _place(texts, list(text.lines), cx, cy, style)
        if text.badge:  # in the column the inset keeps right of the text
            front = cards[-1]
            _place(texts, [text.badge], box["x"] + box["w"] - right + text.badge.width / 2,
                   front["y"] + front["h"] / 2, style, weight="bold")
    _patches(fig, shapes, fill=fill, line=line, dash=[[]] * len(shapes), width=1.3)


def _shape(role: str, box: Json) -> list[Points]:
    """A node's shape by role, as polygons drawn in order (a cylinder's lid over its body)."""
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]
    if role in ("input", "output"):
        return [[(x + SKEW, y), (x + w, y), (x + w - SKEW, y + h), (x, y + h)]]
    if role == "store":
        rx = w / 2
        body = (_arc(x + rx, y + CAP, rx, CAP, math.pi, 2 * math.pi)
                + _arc(x + rx, y + h - CAP, rx, CAP, 0, math.pi))
        return [body, _arc(x + rx, y + CAP, rx, CAP, 0, 2 * math.pi, steps=48)]
    return [_rounded(box, min(RADIUS, h / 4) if role in ROUNDED else 0.0)]


def _rounded(box: Json, r: float) -> Points:
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]
    if r <= 0:
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    q = math.pi / 2
    return (_arc(x + w - r, y + r, r, r, 3 * q, 4 * q) + _arc(x + w - r, y + h - r, r, r, 0, q)
            + _arc(x + r, y + h - r, r, r, q, 2 * q) + _arc(x + r, y + r, r, r, 2 * q, 3 * q))


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float,
         steps: int = 12) -> Points:
    """Points along an elliptic arc; y grows downwards, so angles run clockwise on screen."""
    return [(cx + rx * math.cos(start + (end - start) * i / steps),
             cy + ry * math.sin(start + (end - start) * i / steps)) for i in range(steps + 1)]


def _edges(fig: figure, spec: Json, layout: Json, style: Json) -> None:
    """Each edge as its cubic Bézier segments, with a filled arrowhead at the target."""
    segments: dict[str, list[Any]] = {k: [] for k in (
        "x0", "y0", "x1", "y1", "cx0", "cy0", "cx1", "cy1", "color", "dash", "width")}
    heads: list[Points] = []
    colors: list[str] = []
    for e, route in zip(spec["edges"], layout["edges"]):
        dash, width, light = EDGE_LOOK[e["kind"]]
        color = LIGHT_EDGE if light else style["edge_color"]
        p = route["points"]
        for i in range(0, len(p) - 3, 3):
            for key, value in zip(segments, (*p[i], *p[i + 3], *p[i + 1], *p[i + 2],
                                             color, dash, width)):
                segments[key].append(value)
        heads.append(_head(p[-2], p[-1]))
        colors.append(color)
    if heads:
        fig.bezier("x0", "y0", "x1", "y1", "cx0", "cy0", "cx1", "cy1",
                   source=ColumnDataSource(segments), line_color="color", line_dash="dash",
                   line_width="width")
        _patches(fig, heads, fill=colors, line=colors, dash=[[]] * len(heads), width=1.0)


def _head(before: list[float], tip: list[float]) -> Points:
    dx, dy = tip[0] - before[0], tip[1] - before[1]
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    length, half = ARROW
    bx, by = tip[0] - ux * length, tip[1] - uy * length
    return [(tip[0], tip[1]), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]


def _edge_labels(spec: Json, layout: Json, style: Json) -> list[Label]:
    """Edge labels on the colour of the innermost panel under them (white outside)."""
    panels = _panel_fills(spec, layout, style)
    labels = []
    for e, route in zip(spec["edges"], layout["edges"]):
        if route.get("label_at"):
            x, y = route["label_at"]
            under = next((fill for _, box, fill in panels if box["x"] <= x <= box["x"] + box["w"]
                          and box["y"] <= y <= box["y"] + box["h"]), "#FFFFFF")
            labels.append(Label(edge_label(e, style), x, y, under))
    return labels


def _labels(fig: figure, labels: list[Label], style: Json) -> None:
    """Group and edge labels over whatever passes behind them, each on its own background."""
    labels = [b for b in labels if b.lines]
    if not labels:
        return
    boxes: dict[str, list[Any]] = {"left": [], "right": [], "top": [], "bottom": [], "fill": []}
    texts: list[Json] = []
    for b in labels:
        w, h = max(line.width for line in b.lines), sum(line.height for line in b.lines)
        left = b.x if b.align == "left" else b.x - w / 2
        for key, value in zip(boxes, (left - HALO, left + w + HALO, b.y - h / 2 - HALO,
                                      b.y + h / 2 + HALO, b.fill)):
            boxes[key].append(value)
        _place(texts, b.lines, b.x, b.y, style, align=b.align)
    fig.quad(source=ColumnDataSource(boxes), fill_color="fill", line_color=None)
    _text(fig, texts, style)


def _place(texts: list[Json], lines: list[Line], x: float, cy: float, style: Json,
           align: str = "center", weight: str = "normal") -> None:
    """Lines stacked and centred on cy, each at its own size (math in serif italic)."""
    y = cy - sum(line.height for line in lines) / 2
    for line in lines:
        texts.append({"x": x, "y": y + line.height / 2, "text": line.text,
                      "size": f"{line.size:g}px", "align": align,
                      "font": style["math_font"] if line.math else style["font"],
                      "font_style": "italic" if line.math else weight})
        y += line.height


def _text(fig: figure, texts: list[Json], style: Json) -> None:
    if texts:
        columns = {key: [t[key] for t in texts] for key in texts[0]}
        fig.text("x", "y", text="text", source=ColumnDataSource(columns), text_font="font",
                 text_font_size="size", text_font_style="font_style", text_align="align",
                 text_baseline="middle", text_color=style["text_color"])


def _patches(fig: figure, shapes: list[Points], *, fill: list[str], line: list[str],
             dash: list[list[int]], width: float) -> None:
    if shapes:
        source = ColumnDataSource({"xs": [[p[0] for p in s] for s in shapes],
                                   "ys": [[p[1] for p in s] for s in shapes],
                                   "fill": fill, "line": line, "dash": dash})
        fig.patches("xs", "ys", source=source, fill_color="fill", line_color="line",
                    line_dash="dash", line_width=width)
