"""A factual walk through a DiagramSpec, usable as alt text: only what is drawn, each
component's outputs in the order the nodes flow."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

DIRECTION_WORDS = {"LR": "left to right", "TB": "top to bottom"}


def describe(spec: dict[str, Any]) -> str:
    named: set[str] = set()  # a node's sub-label ("Image Encoder (ViT)") is said once, first

    def _label(n: dict[str, Any]) -> str:
        repeat = f" (×{n['repeat']})" if n.get("repeat") else ""
        sub = f" ({n['sublabel']})" if n.get("sublabel") and n["id"] not in named else ""
        named.add(n["id"])
        return f"{n['label']}{sub}{repeat}"

    def _names(items: list[dict[str, Any]]) -> str:
        return _joined([_label(n) for n in items])

    nodes = {n["id"]: n for n in spec["nodes"]}
    order = {n["id"]: i for i, n in enumerate(spec["nodes"])}  # the planner's flow order
    flow = [e for e in spec["edges"] if e["kind"] != "feedback"]
    loops = [e for e in spec["edges"] if e["kind"] == "feedback"]
    incoming = {e["target"] for e in flow}
    outgoing = {e["source"] for e in flow}
    starts = [n for n in spec["nodes"] if n["id"] not in incoming]
    ends = [n for n in spec["nodes"] if n["id"] not in outgoing and n["id"] in incoming]

    sentences = [f"The diagram reads {DIRECTION_WORDS[spec['direction']]} and has "
                 f"{len(nodes)} components."]
    if starts:
        sentences.append(f"It starts from {_names(starts)}.")
    for g in spec["groups"]:
        members = [n for n in spec["nodes"] if n.get("group") == g["id"]]
        if members and g.get("label"):
            panel = re.fullmatch(r"\([a-z]\)", g["label"])  # a comparison's "(a)"
            named_as = f"Panel {g['label']}" if panel else f'The "{g["label"]}" group'
            sentences.append(f"{named_as} contains {_names(members)}.")
    successors: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in flow:
        successors[e["source"]].append(e)
    for source_id, edges in sorted(successors.items(), key=lambda item: order[item[0]]):
        source = _label(nodes[source_id])
        targets = [_label(nodes[e["target"]]) + (f' ({e["label"]})' if e.get("label") else "")
                   for e in edges]
        sentences.append(f"{source} feeds {_joined(targets)}.")
    for e in loops:
        sentences.append(f"A feedback loop returns from {_label(nodes[e['source']])} to "
                         f"{_label(nodes[e['target']])}"
                         + (f' ({e["label"]})' if e.get("label") else "") + ".")
    if ends:
        sentences.append(f"It ends in {_names(ends)}.")
    sentences.extend(spec.get("notes") or [])
    return " ".join(sentences)


def _joined(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
