"""DiagramSpec: the declarative, versioned description of a methodology diagram.

Plain JSON, like the PlotSpec. Version 1 shape:

    {"version": 1, "figure": "diagram", "direction": "LR" | "TB",
     "nodes": [node, ...], "groups": [group, ...], "edges": [edge, ...],
     "style": {...}, "notes": [str, ...], "layout": layout | None}

    node  = {"id": str, "label": str (<= 4 words, the text's own terms),
             "sublabel": str | None, "role": one of ROLES, "group": group id | None,
             "repeat": int | None (a block repeated N times, drawn "xN"),
             "math": str | None (a short symbol such as "h_t")}
    group = {"id": str, "label": str, "parent": group id | None,
             "border": "solid" | "dashed"}
    edge  = {"source": node id, "target": node id, "label": str | None,
             "kind": one of EDGE_KINDS}

`layout` is written by the layout stage, in CSS px with the origin top-left:

    {"width": w, "height": h,
     "nodes": {id: {"x", "y", "w", "h"}},          # box, top-left corner
     "groups": {id: {"x", "y", "w", "h", "label_h", "label_x"}},   # label_x: its text's left
     "edges": [{"points": [[x, y], ...], "label_at": [x, y] | None}],   # same order as edges
     "rows": n}          # only when the layout chose how many rows to wrap the flow into

Renderers draw only what the spec and its layout say; the caption is never drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

DIAGRAM_VERSION = 1
ROLES = ("input", "data", "model", "operation", "loss", "output", "store", "agent")
EDGE_KINDS = ("data", "control", "feedback", "optional")
DIRECTIONS = ("LR", "TB")
MAX_LABEL_WORDS = 4


class DiagramSpecError(ValueError):
    """The spec is malformed; the message says where."""


def node(id_: str, label: str, role: str = "operation", *, group: str | None = None,
         sublabel: str | None = None, repeat: int | None = None,
         math: str | None = None) -> dict[str, Any]:
    return {"id": id_, "label": label, "sublabel": sublabel, "role": role, "group": group,
            "repeat": repeat, "math": math}


def group(id_: str, label: str, parent: str | None = None,
          border: str = "dashed") -> dict[str, Any]:
    return {"id": id_, "label": label, "parent": parent, "border": border}


def edge(source: str, target: str, kind: str = "data",
         label: str | None = None) -> dict[str, Any]:
    return {"source": source, "target": target, "label": label, "kind": kind}


def new_diagram(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                groups: list[dict[str, Any]] | None = None, *, direction: str = "LR",
                notes: list[str] | None = None) -> dict[str, Any]:
    return {"version": DIAGRAM_VERSION, "figure": "diagram", "direction": direction,
            "nodes": nodes, "groups": list(groups or []), "edges": edges, "style": {},
            "notes": list(notes or []), "layout": None}


def is_diagram(spec: Any) -> bool:
    return isinstance(spec, dict) and spec.get("figure") == "diagram"


def validate(spec: Any) -> list[str]:
    """Every problem of a diagram spec, naming the place; empty when valid."""
    if not is_diagram(spec):
        return ['figure: must be "diagram"']
    problems = [] if spec.get("version") == DIAGRAM_VERSION else [
        f"version: must be {DIAGRAM_VERSION}"]
    if spec.get("direction") not in DIRECTIONS:
        problems.append(f"direction: must be one of {', '.join(DIRECTIONS)}")
    nodes, groups, edges = spec.get("nodes"), spec.get("groups"), spec.get("edges")
    if not isinstance(nodes, list) or not nodes:
        return [*problems, "nodes: must be a non-empty list"]
    if not isinstance(groups, list) or not isinstance(edges, list):
        return [*problems, "groups and edges: must be lists"]
    group_ids = [g.get("id") for g in groups if isinstance(g, dict)]
    node_ids = [n.get("id") for n in nodes if isinstance(n, dict)]
    problems += _duplicates("nodes", node_ids) + _duplicates("groups", group_ids)
    problems += [f"nodes[{i}].{m}" for i, n in enumerate(nodes)
                 for m in _node_problems(n, set(group_ids))]
    problems += [f"groups[{i}].{m}" for i, g in enumerate(groups)
                 for m in _group_problems(g, set(group_ids))]
    problems += [f"edges[{i}].{m}" for i, e in enumerate(edges)
                 for m in _edge_problems(e, set(node_ids))]
    return problems


def check(spec: Any) -> dict[str, Any]:
    problems = validate(spec)
    if problems:
        raise DiagramSpecError("; ".join(problems))
    return spec


def _duplicates(where: str, ids: list[Any]) -> list[str]:
    seen, repeated = set(), set()
    for i in ids:
        (repeated if i in seen else seen).add(i)
    return [f"{where}: id {i!r} is used twice" for i in sorted(map(str, repeated))]


def _node_problems(n: Any, group_ids: set[str]) -> Iterator[str]:
    if not isinstance(n, dict):
        yield "must be an object"
        return
    if not isinstance(n.get("id"), str) or not n["id"]:
        yield "id: must be a non-empty string"
    label = n.get("label")
    if not isinstance(label, str) or not label.strip():
        yield "label: must be a non-empty string"
    elif len(label.split()) > MAX_LABEL_WORDS:
        yield f"label: at most {MAX_LABEL_WORDS} words, not {label!r}"
    if n.get("role") not in ROLES:
        yield f"role: must be one of {', '.join(ROLES)}"
    if n.get("group") is not None and n["group"] not in group_ids:
        yield f"group: no group {n['group']!r}"
    repeat = n.get("repeat")
    if repeat is not None and (type(repeat) is not int or repeat < 2):
        yield "repeat: must be an integer >= 2 or null"


def _group_problems(g: Any, group_ids: set[str]) -> Iterator[str]:
    if not isinstance(g, dict):
        yield "must be an object"
        return
    if not isinstance(g.get("label"), str):
        yield "label: must be a string"
    if g.get("parent") is not None and (g["parent"] not in group_ids or g["parent"] == g.get("id")):
        yield f"parent: no other group {g['parent']!r}"
    if g.get("border", "dashed") not in ("solid", "dashed"):
        yield "border: must be solid or dashed"


def _edge_problems(e: Any, node_ids: set[str]) -> Iterator[str]:
    if not isinstance(e, dict):
        yield "must be an object"
        return
    for end in ("source", "target"):
        if e.get(end) not in node_ids:
            yield f"{end}: no node {e.get(end)!r}"
    if e.get("kind") not in EDGE_KINDS:
        yield f"kind: must be one of {', '.join(EDGE_KINDS)}"
