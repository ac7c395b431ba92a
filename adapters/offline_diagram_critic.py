"""The offline diagram critic: the spec against the text, and the layout's geometry.

Each finding edits a copy of the spec; the pipeline lays it out and renders it again,
so the rounds settle. Geometry comes from `diagram_geometry`, shared with the benchmark.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable
from typing import Any

from adapters.diagram_geometry import (
    aspect_ratio,
    dangling_nodes,
    edge_crossings,
    edges_through,
    overflowing_labels,
    overlapping_nodes,
)
from application.diagrams.ports import DiagramCritic
from application.ports import Critique, RenderedFigure

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
Check = Callable[[dict[str, Any], str], list[str]]
WIDE, TALL = 2.6, 1.2
GAP_STEP = 1.3


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}


def _grounded(label: str, vocabulary: set[str], unspaced: str) -> bool:
    """Every word of the label is in the text (a plural or singular form will do); Chinese or
    Japanese, written without spaces, has its runs of characters looked up in the text."""
    for word in _words(label):
        if word.isdigit() or word in vocabulary or _CJK.search(word) and word in unspaced:
            continue
        if not ({word + "s", word + "es", word.rstrip("s"), word[:-2] if word.endswith("es") else word}
                & vocabulary):
            return False
    return True


def check_grounding(spec: dict[str, Any], text: str) -> list[str]:
    """Nothing the text does not name: drop invented nodes, bridging their edges."""
    vocabulary, unspaced = _words(text), re.sub(r"\s+", "", text).lower()
    notes = []
    for n in [n for n in spec["nodes"] if not _grounded(n["label"], vocabulary, unspaced)]:
        if len(spec["nodes"]) <= 2:
            break
        inbound = [e["source"] for e in spec["edges"] if e["target"] == n["id"]]
        outbound = [e["target"] for e in spec["edges"] if e["source"] == n["id"]]
        spec["nodes"].remove(n)
        spec["edges"] = [e for e in spec["edges"] if n["id"] not in (e["source"], e["target"])]
        spec["edges"] += [{"source": a, "target": b, "label": None, "kind": "data"}
                          for a in inbound for b in outbound if a != b]
        notes.append(f"{n['label']!r} is not named in the text; removed it")
    return notes


def check_dangling(spec: dict[str, Any], _: str) -> list[str]:
    notes = []
    ids = [n["id"] for n in spec["nodes"]]
    for node_id in dangling_nodes(spec):
        index = ids.index(node_id)
        neighbour = ids[index - 1] if index else ids[1]
        source, target = (neighbour, node_id) if index else (node_id, neighbour)
        spec["edges"].append({"source": source, "target": target, "label": None, "kind": "data"})
        notes.append(f"{node_id!r} was not connected; linked it in reading order")
    return notes


def check_geometry(spec: dict[str, Any], _: str) -> list[str]:
    """Overlapping boxes or overflowing text: give the layout more room."""
    if spec.get("layout") is None:
        return []
    overlaps, overflows = overlapping_nodes(spec), overflowing_labels(spec)
    notes = []
    if overlaps or overflows:
        style = spec.setdefault("style", {})
        for key in ("node_gap", "rank_gap", "node_padding"):
            style[key] = round(float(style.get(key, 20)) * GAP_STEP, 1)
        if overlaps:
            notes.append(f"{len(overlaps)} pairs of boxes overlap; widened the gaps")
        if overflows:
            notes.append(f"text overflows {len(overflows)} boxes; added padding")
    crossings, through = edge_crossings(spec), len(edges_through(spec))
    if crossings:
        notes.append(f"{crossings} edge crossings remain")
    if through:
        notes.append(f"{through} edges run through a box or a group's label")
    return notes


def check_aspect(spec: dict[str, Any], _: str) -> list[str]:
    """Papers favour wide figures (about 1.5-2.5 : 1)."""
    if spec.get("layout") is None:
        return []
    ratio = aspect_ratio(spec)
    style = spec.setdefault("style", {})
    if ratio < TALL and spec["direction"] == "TB" and len(spec["nodes"]) > 3:
        spec["direction"] = "LR"
        return [f"aspect {ratio:.2f}:1 is tall; turned the flow left to right"]
    rows = int(style.get("rows") or 1)
    chosen = "rows" in spec["layout"]  # the layout already weighed rows against crossings
    if ratio > WIDE and spec["direction"] == "LR" and not chosen and rows * 2 < len(
            spec["nodes"]):
        wanted = min(max(rows + 1, math.ceil(rows * math.sqrt(ratio / WIDE))), len(spec["nodes"]) // 2)
        style["rows"] = wanted
        return [f"aspect {ratio:.2f}:1 is very wide; wrapped the flow into {wanted} rows"]
    if ratio > WIDE and float(style.get("rank_gap", 40)) > 24:
        style["rank_gap"] = max(24.0, round(float(style.get("rank_gap", 40)) / GAP_STEP, 1))
        return [f"aspect {ratio:.2f}:1 is very wide; tightened the gaps between stages"]
    return []


# Geometry first: it reads the layout, which matches the spec only until nodes or edges change.
CHECKS: tuple[Check, ...] = (check_geometry, check_aspect, check_grounding, check_dangling)


class OfflineDiagramCritic(DiagramCritic):
    def review(self, spec: dict[str, Any], rendered: RenderedFigure, text: str,
               caption: str) -> Critique:
        revised = copy.deepcopy(spec)
        notes = [note for check in CHECKS for note in check(revised, text)]
        changed = {k: v for k, v in revised.items() if k != "layout"} != {
            k: v for k, v in spec.items() if k != "layout"}
        if changed:
            revised["layout"] = None
        return Critique(notes=notes or ["no changes: every check passed"],
                        revised=revised if changed else None)
