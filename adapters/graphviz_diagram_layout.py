"""DiagramLayout on Graphviz dot: measured boxes, a cluster per group, routed edges.

Every node's text is measured first (house typography) and its box fixed to that size, so no
text outgrows its box. dot then ranks the boxes along the spec's direction, keeps each group in
a cluster whose label band is reserved by a fixed-size HTML label (our text never reaches dot,
so nothing needs escaping), leaves feedback edges out of the ranking, and routes every edge.
Its points (origin bottom-left) become CSS px (origin top-left) inside a MARGIN. Ranking is
dot's `newrank`: the older cluster ranking fails ("trouble in init_rank") on some cycles
through nested groups. dot 2.43 routes a labelled feedback (non-constraint) edge between two
boxes of one rank off its boxes, or crashes on it; then the layout is made again with such
labels as `xlabel`s, placed after routing (they reserve no room, so they are the exception).

Edge points are cubic Bézier control points p0 c c p1 c c p2 ..., from the source's border to
the arrow tip on the target's border (the last segment is the straight arrow shaft).
Groups without any node (nor a nested group with one) have no box and are left out.
The spec's style is completed with the house style it was measured with.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import subprocess
from collections.abc import Iterator
from typing import Any

from adapters.diagram_geometry import (
    aspect_ratio,
    curve_points,
    edge_crossings,
    edges_through,
    group_label_rect,
    runs_through,
)
from adapters.house_diagram_stylist import (
    ARROW,
    GROUP_LABEL_X,
    edge_label,
    font_px,
    group_label,
    label_cell,
    merged_style,
    node_text,
)
from application.diagrams.ports import DiagramLayout
from application.diagrams.spec import check
from application.ports import FigureFailed

Json = dict[str, Any]
WRAP_FROM = 6            # nodes: a shorter flow stays on one row
# rows; whether a group longer than a row is cut into rows of its own or only one far
# longer than the rest (a cut group is narrower, but its edges turn corners); and whether the
# rows follow each chain to its end before the next (two branches, one a row) or the nodes'
# order (a branch's steps beside the other's)
ROW_CHOICES = ((1, False, False), *((rows, cut, chained) for rows in (2, 3, 4)
                                    for cut in (False, True) for chained in (False, True)))
CHOICE_TIMEOUT = 3.0     # s: a wrapped alternative dot spins on is dropped, one row is kept
WIDE_BAND = (1.5, 2.5)   # width : height that papers favour
MARGIN = 16
CLUSTER_MARGIN = 14
"""Room between a group's panel border and the boxes inside it, in px."""
_TABLE = ('<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0" CELLSPACING="0"><TR>'
          '<TD WIDTH="{}" HEIGHT="{}" FIXEDSIZE="TRUE"></TD></TR></TABLE>>')


class GraphvizDiagramLayout(DiagramLayout):
    """Lays a spec out with the `dot` executable (one subprocess per layout)."""

    def __init__(self, dot: str = "dot", timeout: float = 20.0) -> None:
        self.dot, self.timeout = dot, timeout

    def layout(self, spec: Json) -> Json:
        """The spec laid out. A long left-to-right flow whose rows nobody chose is laid out
        in one to four rows, each way of packing its groups into them once, and the layout
        with the fewest crossings and edges through boxes and the aspect nearest a paper's
        wide band is kept (`layout["rows"]` says how many)."""
        check(spec)
        if (spec.get("style") or {}).get("rows") or spec["direction"] != "LR" \
                or len(spec["nodes"]) < WRAP_FROM:
            return self._laid_out(spec, None)
        laid_out, failures, tried = [], [], []
        for rows, cut, chained in ROW_CHOICES:
            try:  # dot 2.43 crashes, or spins, on some rows through two clusters
                out = self._laid_out(
                    spec, rows, self.timeout if rows == 1 else min(self.timeout, CHOICE_TIMEOUT),
                    cut, tried, chained)
            except FigureFailed as failure:
                failures.append(failure)
                continue
            if out is not None:
                laid_out.append(out)
        if not laid_out:
            raise failures[0]
        return min(laid_out, key=_cost)

    def _laid_out(self, spec: Json, rows: int | None, timeout: float | None = None,
                  cut: bool = False, tried: list[list[list[str]]] | None = None,
                  chained: bool = False) -> Json | None:
        """The spec laid out in `rows` rows (None: as its style says), or None when those
        rows are in `tried` already (else they are added to it)."""
        out = copy.deepcopy(spec)
        out["style"] = style = merged_style(spec.get("style"))
        plan = _Plan(out, style if rows is None else {**style, "rows": rows}, cut, chained)
        if tried is not None:
            if plan.rows in tried:
                return None
            tried.append(plan.rows)
        try:
            layout = plan.read(self._run(plan.source(), timeout))
            troubled: frozenset[int] | None = frozenset(_detached(out, layout)) \
                & plan.labelled_free
        except _DotCrashed:
            troubled = plan.labelled_free or None
        if troubled:
            try:
                layout = plan.read(self._run(plan.source(xlabels=troubled), timeout))
            except _DotCrashed:
                troubled = None
        if troubled is None:  # dot 2.43 fails to route some curves: "triangulation failed"
            layout = plan.read(self._run(
                plan.source(xlabels=plan.labelled_free, straight=True), timeout))
        out["layout"] = layout
        if rows is not None:
            layout["rows"] = rows
        _place_group_labels(out)
        return out

    def _run(self, source: str, timeout: float | None = None) -> Json:
        timeout = timeout or self.timeout
        try:
            done = subprocess.run([self.dot, "-Tjson"], input=source, capture_output=True,
                                  text=True, timeout=timeout, check=False)
        except FileNotFoundError:
            raise FigureFailed(f"the diagram layout needs Graphviz: {self.dot!r} was not found "
                               "(install the graphviz package)") from None
        except subprocess.TimeoutExpired:
            raise FigureFailed(f"Graphviz took longer than {timeout:g} s to lay out "
                               "the diagram") from None
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
            raise _DotCrashed(f"Graphviz could not lay out the diagram: {reason}")
        return json.loads(done.stdout)


def _cost(spec: Json) -> float:
    """Crossings and edges through boxes or group labels, plus how far the aspect strays from
    the 1.5-2.5 : 1 papers favour: a stray of 0.5 weighs as much as a crossing when too wide,
    twice that when too tall (a tall figure wastes a column's width); fewer rows win a tie."""
    ratio = aspect_ratio(spec)
    stray = 4 * max(0.0, WIDE_BAND[0] - ratio) + 2 * max(0.0, ratio - WIDE_BAND[1])
    return (edge_crossings(spec) + len(edges_through(spec)) + stray
            + 0.01 * spec["layout"]["rows"])


def _place_group_labels(spec: Json) -> None:
    """Each group's label at the left of its top band, or at the right where fewer edges
    cross it there (edges entering a panel from above often pass its left end)."""
    layout, style = spec["layout"], spec["style"]
    curves = [curve_points(e["points"]) for e in layout["edges"]]
    for g in spec["groups"]:
        box = layout["groups"].get(g["id"])
        rect = box and group_label_rect(g, box, style, box["x"] + GROUP_LABEL_X)
        if not rect:
            continue
        width = rect[2] - rect[0]
        sides = [box["x"] + GROUP_LABEL_X, box["x"] + box["w"] - GROUP_LABEL_X - width]
        box["label_x"] = round(min(sides, key=lambda x: sum(
            runs_through(c, group_label_rect(g, box, style, x)) for c in curves)), 2)


class _DotCrashed(FigureFailed):
    """dot failed on the graph (2.43 does on some labelled feedback edges)."""


class _Plan:
    """One spec's dot graph: names, measured sizes and the group tree, and the way back."""

    def __init__(self, spec: Json, style: Json, cut: bool = False, chained: bool = False
                 ) -> None:
        self.spec, self.style, self.cut, self.chained = spec, style, cut, chained
        self.names = {n["id"]: f"n{i}" for i, n in enumerate(spec["nodes"])}
        self.sizes = {n["id"]: node_text(n, style).box_size(font_px(style, "label_size"))
                      for n in spec["nodes"]}
        self.parent = _acyclic_parents(spec["groups"])
        self.cells = {g["id"]: label_cell(group_label(g, style)) for g in spec["groups"]}
        self.edge_cells = [label_cell(edge_label(e, style)) for e in spec["edges"]]
        self.kept = _groups_with_nodes(spec, self.parent)
        self.rows = self._rows()
        row_of = {n: r for r, row in enumerate(self.rows) for n in row}
        # Feedback never ranks; between rows, only the rows' own order does.
        self.free = frozenset(i for i, e in enumerate(spec["edges"]) if e["kind"] == "feedback"
                              or row_of.get(e["source"]) != row_of.get(e["target"]))
        # dot may misplace, or crash on, the label of an edge that does not rank or runs
        # along a row.
        self.labelled_free = frozenset(
            i for i, e in enumerate(spec["edges"]) if self.edge_cells[i][0] and (
                i in self.free or row_of.get(e["source"], -1) == row_of.get(e["target"])))

    def source(self, xlabels: frozenset[int] = frozenset(), straight: bool = False) -> str:
        """The dot graph; the labels of the edges in `xlabels` are placed after routing, and
        `straight` edges are lines, not curves."""
        style, spec, rows = self.style, self.spec, self.rows
        lines = ["digraph G {",
                 f"graph [rankdir={'TB' if rows else spec['direction']}, newrank=true, "
                 f"splines={'false' if straight else 'true'}, "
                 f"nodesep={_inch(style['node_gap'])}, ranksep={_inch(style['rank_gap'])}];",
                 'node [shape=box, fixedsize=true, label="", margin=0];',
                 f"edge [arrowhead=normal, arrowsize={ARROW[0] / 10:g}];"]  # dot's is 10 long
        lines += self._cluster(None)
        lines += [f"{{rank=same; {'; '.join(self.names[n] for n in row)};}}" for row in rows]
        # Rows start under each other (invisible, heavy edges); the edges between rows neither
        # rank nor pull, so each row reads left to right from the same margin.
        lines += [f"{self.names[a[0]]} -> {self.names[b[0]]} [id=row{k}, style=invis, weight=100];"
                  for k, (a, b) in enumerate(zip(rows, rows[1:]))]
        # Inside a row, the flow reads left to right: dot draws a same-rank edge tail first.
        # A pair a ranking edge already joins, or an edge back, gets none (across a cluster's
        # border dot 2.43 asserts on the first and can spin on the second).
        ranked = {(e["source"], e["target"]) for i, e in enumerate(spec["edges"])
                  if i not in self.free} | {(e["target"], e["source"]) for e in spec["edges"]}
        lines += [f"{self.names[a]} -> {self.names[b]} [id=flat{k}_{j}, style=invis];"
                  for k, row in enumerate(rows) for j, (a, b) in enumerate(zip(row, row[1:]))
                  if (a, b) not in ranked]
        for i, (e, (w, h)) in enumerate(zip(spec["edges"], self.edge_cells)):
            attrs = [f"id=e{i}", *(["constraint=false"] if i in self.free else [])]
            if w:
                attrs.append(f"{'xlabel' if i in xlabels else 'label'}={_TABLE.format(w, h)}")
            lines.append(f"{self.names[e['source']]} -> {self.names[e['target']]} "
                         f"[{', '.join(attrs)}];")
        return "\n".join([*lines, "}"])

    def _rows(self) -> list[list[str]]:
        """A long left-to-right flow wrapped into `style["rows"]` rows: each row is one rank of
        a top-to-bottom graph (newrank lets a rank cross clusters), read left to right.
        Where the flow has top-level groups, a row holds whole groups (a row through part of
        a group would tear it apart), packed so the widest row is as narrow as can be; a
        group far longer than the rest is cut into rows of its own."""
        count = int(self.style.get("rows") or 1)
        if count < 2 or self.spec["direction"] != "LR":
            return []
        order = _flow_order(self.spec, self.chained)
        per_row = -(-len(order) // count)
        groups = self._group_rows(order)
        if len(groups) < 2:
            return _chunks(order, per_row)
        units = [chunk for row in groups
                 for chunk in _chunks(row, per_row if len(row) > (
                     per_row if self.cut else 2 * per_row) else len(row))]
        return self._packed(units, count)

    def _packed(self, units: list[list[str]], count: int) -> list[list[str]]:
        """Consecutive units joined into at most `count` rows, the widest as narrow as can be
        (then as few rows as can be); pieces of one cut group never share a row."""
        gap = float(self.style["node_gap"])
        width = [sum(self.sizes[n][0] + gap for n in u) + 2 * CLUSTER_MARGIN for u in units]
        top = [self._top(u[0]) for u in units]

        @functools.cache
        def pack(start: int, rows: int) -> tuple[float, tuple[int, ...]]:
            """The widest row and where each row ends, packing units[start:] in `rows` rows."""
            if start == len(units):
                return 0.0, ()
            if rows == 0:
                return math.inf, ()
            options = []
            for end in range(start + 1, len(units) + 1):
                if end - start > 1 and top[end - 1] is not None and top[end - 1] == top[end - 2]:
                    break
                widest, ends = pack(end, rows - 1)
                options.append((max(sum(width[start:end]), widest), (end, *ends)))
            return min(options, key=lambda o: (o[0], len(o[1]), o[1]))

        widest, ends = pack(0, count)
        if widest == math.inf:
            return units
        return [[n for u in units[a:b] for n in u] for a, b in zip((0, *ends), ends)]

    def _top(self, node_id: str) -> str | None:
        """The outermost drawn group around a node."""
        gid = next(n.get("group") for n in self.spec["nodes"] if n["id"] == node_id)
        gid = gid if gid in self.kept else None
        while gid is not None and self.parent[gid] is not None:
            gid = self.parent[gid]
        return gid

    def _group_rows(self, order: list[str]) -> list[list[str]]:
        """The nodes by top-level group in flow order; each run of nodes outside every group
        is a row of its own (dot keeps no left-to-right order across a cluster's border)."""
        top = {n: self._top(n) for n in order}
        rows: dict[Any, list[str]] = {}
        run = 0
        for before, n in zip([None, *order], order):
            run += top[n] is None and (before is None or top[before] is not None)
            rows.setdefault(top[n] or run, []).append(n)
        return list(rows.values())

    def _cluster(self, group_id: str | None) -> list[str]:
        """The nodes of a group and its nested groups, as dot statements."""
        lines = [f"{self.names[n['id']]} [width={_inch(w)}, height={_inch(h)}];"
                 for n in self.spec["nodes"] if n.get("group") == group_id
                 for w, h in [self.sizes[n["id"]]]]
        for k, g in enumerate(self.spec["groups"]):
            if self.parent[g["id"]] == group_id and g["id"] in self.kept:
                w, h = self.cells[g["id"]]
                label = f"label={_TABLE.format(w, h)}, " if w else ""
                lines += [f"subgraph cluster_{k} {{",
                          f"graph [{label}labelloc=t, labeljust=l, margin={CLUSTER_MARGIN}];",
                          *self._cluster(g["id"]), "}"]
        return lines

    def read(self, graph: Json) -> Json:
        """dot's JSON as the spec's `layout`, in CSS px inside a MARGIN."""
        top = float(graph["bb"].split(",")[3])
        objects = {o["name"]: o for o in graph.get("objects", [])}
        nodes = {}
        for node_id, name in self.names.items():
            cx, cy = _point(objects[name]["pos"], top)
            w, h = self.sizes[node_id]
            nodes[node_id] = {"x": cx - w / 2, "y": cy - h / 2, "w": w, "h": h}
        groups = {}
        for k, g in enumerate(self.spec["groups"]):
            if g["id"] in self.kept:
                cluster = objects[f"cluster_{k}"]
                x0, y0, x1, y1 = map(float, cluster["bb"].split(","))
                cell_h = self.cells[g["id"]][1]
                label_bottom = float(cluster["lp"].split(",")[1]) - cell_h / 2 if cell_h else y1
                groups[g["id"]] = {"x": x0, "y": top - y1, "w": round(x1 - x0, 2),
                                   "h": round(y1 - y0, 2), "label_h": round(y1 - label_bottom, 2)}
        edges = []
        routed = sorted((e for e in graph.get("edges", []) if e.get("id", "").startswith("e")),
                        key=lambda e: int(e["id"][1:]))
        for e, (w, h) in zip(routed, self.edge_cells):
            edges.append({"points": _spline(e["pos"], top),
                          "label_at": list(_point(e.get("lp") or e["xlp"], top)) if w else None})
        return _shifted({"nodes": nodes, "groups": groups, "edges": edges}, self.edge_cells)


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _flow_order(spec: Json, chained: bool = False) -> list[str]:
    """Node ids in reading order: along the non-feedback edges, spec order breaking ties (a
    successor of the node just placed first, if `chained`)."""
    ids = [n["id"] for n in spec["nodes"]]
    incoming = {i: 0 for i in ids}
    for e in spec["edges"]:
        if e["kind"] != "feedback" and e["source"] != e["target"]:
            incoming[e["target"]] += 1
    order: list[str] = []
    ready = [i for i in ids if incoming[i] == 0]
    while len(order) < len(ids):
        if not ready:  # a cycle without a feedback mark: take the first node left
            ready = [next(i for i in ids if i not in order)]
        after = {e["target"] for e in spec["edges"] if chained and order
                 and e["source"] == order[-1] and e["kind"] != "feedback"}
        current = ready.pop(next((k for k, i in enumerate(ready) if i in after), 0))
        if current in order:
            continue
        order.append(current)
        for e in spec["edges"]:
            if e["source"] == current and e["kind"] != "feedback" and e["target"] not in order:
                incoming[e["target"]] -= 1
                if incoming[e["target"]] <= 0 and e["target"] not in ready:
                    ready.append(e["target"])
        ready.sort(key=ids.index)
    return order


def _inch(px: float) -> str:
    return f"{float(px) / 72:.4f}"


def _point(text: str, top: float) -> tuple[float, float]:
    x, y = text.split(",")[-2:]
    return float(x), top - float(y)


def _spline(pos: str, top: float) -> list[list[float]]:
    """dot's "e,tip p0 c c p1 ..." as control points that end at the arrow tip (of the first
    spline: dot 2.43 sometimes routes a labelled edge within one rank twice, ";" between)."""
    parts = pos.split(";")[0].split()
    tip = _point(parts.pop(0), top) if parts[0].startswith("e,") else None
    points = [list(_point(p, top)) for p in parts if not p.startswith("s,")]
    if tip is not None:
        (x0, y0), (x1, y1) = points[-1], tip
        points += [[x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3],
                   [x0 + 2 * (x1 - x0) / 3, y0 + 2 * (y1 - y0) / 3], [x1, y1]]
    return points


def _shifted(layout: Json, edge_cells: list[tuple[int, int]]) -> Json:
    """The layout moved so everything drawn (edge curves too) lies a MARGIN inside its size."""
    boxes = [*layout["nodes"].values(), *layout["groups"].values()]
    xs = [v for b in boxes for v in (b["x"], b["x"] + b["w"])]
    ys = [v for b in boxes for v in (b["y"], b["y"] + b["h"])]
    for e, (w, h) in zip(layout["edges"], edge_cells):
        xs += [p[0] for p in e["points"]]
        ys += [p[1] for p in e["points"]]
        if e["label_at"]:
            xs += [e["label_at"][0] - w / 2, e["label_at"][0] + w / 2]
            ys += [e["label_at"][1] - h / 2, e["label_at"][1] + h / 2]
    dx, dy = MARGIN - math.floor(min(xs)), MARGIN - math.floor(min(ys))  # by whole px

    def move(x: float, y: float) -> list[float]:
        return [round(x + dx, 2), round(y + dy, 2)]
    for b in boxes:
        b["x"], b["y"] = move(b["x"], b["y"])
    for e in layout["edges"]:
        e["points"] = [move(*p) for p in e["points"]]
        e["label_at"] = move(*e["label_at"]) if e["label_at"] else None
    return {"width": math.ceil(max(xs) + dx + MARGIN), "height": math.ceil(max(ys) + dy + MARGIN),
            **layout}


def _detached(spec: Json, layout: Json, slack: float = 3.0) -> Iterator[int]:
    """Edges whose route does not start on its source's box and end on its target's."""
    for i, (e, route) in enumerate(zip(spec["edges"], layout["edges"])):
        for point, end in ((route["points"][0], e["source"]), (route["points"][-1], e["target"])):
            box = layout["nodes"][end]
            if not (box["x"] - slack <= point[0] <= box["x"] + box["w"] + slack
                    and box["y"] - slack <= point[1] <= box["y"] + box["h"] + slack):
                yield i
                break


def _acyclic_parents(groups: list[Json]) -> dict[str, str | None]:
    """Each group's parent; a cycle of parents (which validation allows) is cut."""
    parent = {g["id"]: g.get("parent") for g in groups}
    for gid in parent:
        seen, child, above = {gid}, gid, parent[gid]
        while above is not None:
            if above in seen:
                parent[child] = None
                break
            seen.add(above)
            child, above = above, parent[above]
    return parent


def _groups_with_nodes(spec: Json, parent: dict[str, str | None]) -> set[str]:
    kept: set[str] = set()
    for n in spec["nodes"]:
        gid = n.get("group")
        while gid is not None and gid not in kept:
            kept.add(gid)
            gid = parent[gid]
    return kept
