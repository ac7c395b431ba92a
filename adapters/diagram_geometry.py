"""Geometry of a laid-out DiagramSpec: overlaps, text overflow, crossings, edges drawn
through boxes or group labels, aspect.

Shared by the offline critic and the diagram benchmark, so both count the same way.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from adapters.house_diagram_stylist import (
    GROUP_LABEL_PAD,
    GROUP_LABEL_X,
    group_label,
    label_cell,
    merged_style,
    node_text,
)

Box = dict[str, float]


def boxes_overlap(a: Box, b: Box, margin: float = 0.0) -> bool:
    return (a["x"] < b["x"] + b["w"] + margin and b["x"] < a["x"] + a["w"] + margin
            and a["y"] < b["y"] + b["h"] + margin and b["y"] < a["y"] + a["h"] + margin)


def overlapping_nodes(spec: dict[str, Any]) -> list[tuple[str, str]]:
    boxes = spec["layout"]["nodes"]
    return [(a, b) for a, b in combinations(sorted(boxes), 2) if boxes_overlap(boxes[a], boxes[b])]


def overflowing_labels(spec: dict[str, Any]) -> list[str]:
    """Nodes whose text block (wrapped as drawn, with its shape's insets) exceeds their box."""
    style = merged_style(spec.get("style"))
    boxes = spec["layout"]["nodes"]
    overflowing = []
    for n in spec["nodes"]:
        text, box = node_text(n, style), boxes[n["id"]]
        left, top, right, bottom = text.inset
        if (text.width + left + right > box["w"] + 0.5
                or text.height + top + bottom > box["h"] + 0.5):
            overflowing.append(n["id"])
    return overflowing


def _segments(points: list[list[float]]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [((x1, y1), (x2, y2)) for (x1, y1), (x2, y2) in zip(points, points[1:])]


def _cross(p: tuple, q: tuple, r: tuple, s: tuple) -> bool:
    def orient(a: tuple, b: tuple, c: tuple) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    d1, d2, d3, d4 = orient(r, s, p), orient(r, s, q), orient(p, q, r), orient(p, q, s)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0) and 0 not in (d1, d2, d3, d4)


def edge_crossings(spec: dict[str, Any]) -> int:
    """Pairs of edges whose routes cross, ignoring edges that share an endpoint."""
    edges, routes = spec["edges"], spec["layout"]["edges"]
    count = 0
    for i, j in combinations(range(len(edges)), 2):
        if {edges[i]["source"], edges[i]["target"]} & {edges[j]["source"], edges[j]["target"]}:
            continue
        if any(_cross(p, q, r, s) for p, q in _segments(routes[i]["points"])
               for r, s in _segments(routes[j]["points"])):
            count += 1
    return count


def edges_through(spec: dict[str, Any], inset: float = 3.0) -> list[tuple[int, str]]:
    """(edge index, node or group id) for each edge whose curve runs through a box other than
    its own ends, or through a group's label text: both make the figure misread."""
    layout, style = spec["layout"], merged_style(spec.get("style"))
    obstacles = {n: (b["x"] + inset, b["y"] + inset, b["x"] + b["w"] - inset,
                     b["y"] + b["h"] - inset) for n, b in layout["nodes"].items()}
    for g in spec["groups"]:
        box = layout["groups"].get(g["id"])
        rect = box and group_label_rect(g, box, style)
        if rect:
            obstacles[g["id"]] = rect
    found = []
    for i, (e, route) in enumerate(zip(spec["edges"], layout["edges"])):
        curve = curve_points(route["points"])
        found += [(i, name) for name, rect in obstacles.items()
                  if name not in (e["source"], e["target"]) and runs_through(curve, rect)]
    return found


Rect = tuple[float, float, float, float]


def group_label_rect(group: dict[str, Any], box: Box, style: dict[str, Any],
                     label_x: float | None = None) -> Rect | None:
    """Where a group's label text lies in its panel's top band (None without a label)."""
    width = label_cell(group_label(group, style))[0] - 2 * GROUP_LABEL_PAD
    if width <= 0 or not box.get("label_h"):
        return None
    x = label_x if label_x is not None else box.get("label_x", box["x"] + GROUP_LABEL_X)
    return x, box["y"] + GROUP_LABEL_PAD, x + width, box["y"] + box["label_h"] - GROUP_LABEL_PAD


def runs_through(curve: list[tuple[float, float]], rect: Rect) -> bool:
    x0, y0, x1, y1 = rect
    return any(x0 < x < x1 and y0 < y < y1 for x, y in curve)


def curve_points(points: list[list[float]], steps: int = 12) -> list[tuple[float, float]]:
    """Points along a cubic Bézier path given as p0 c c p1 c c p2 ..."""
    curve = []
    for k in range(0, len(points) - 3, 3):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = points[k:k + 4]
        for j in range(steps + 1):
            t = j / steps
            u = 1 - t
            curve.append((u ** 3 * ax + 3 * u * u * t * bx + 3 * u * t * t * cx + t ** 3 * dx,
                          u ** 3 * ay + 3 * u * u * t * by + 3 * u * t * t * cy + t ** 3 * dy))
    return curve


def dangling_nodes(spec: dict[str, Any]) -> list[str]:
    linked = {end for e in spec["edges"] for end in (e["source"], e["target"])}
    return [n["id"] for n in spec["nodes"] if n["id"] not in linked] if len(spec["nodes"]) > 1 else []


def aspect_ratio(spec: dict[str, Any]) -> float:
    layout = spec["layout"]
    return layout["width"] / layout["height"]
