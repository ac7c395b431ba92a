"""The Graphviz layout: measured boxes that never overlap nor overflow, groups that hold their
nodes, edges in the spec's order, all inside the figure, the same every time."""

from __future__ import annotations

import copy
from itertools import combinations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.diagram_geometry import edge_crossings, edges_through, overlapping_nodes
from adapters.graphviz_diagram_layout import GraphvizDiagramLayout
from adapters.house_diagram_stylist import (
    GROUP_LABEL_X,
    HouseDiagramStylist,
    font_px,
    group_label,
    node_text,
    wrap,
)
from adapters.text_metrics import text_height, text_width
from application.diagrams.spec import (
    EDGE_KINDS,
    ROLES,
    edge,
    group,
    new_diagram,
    node,
    validate,
)
from application.ports import FigureFailed

Json = dict[str, Any]
WORDS = ["Encoder", "Decoder", "Loss", "x", "Multi-Head", "Attention", "Backpropagation",
         "Retrieval-Augmented", "LLM", "MLP", "Q", "Feed", "Forward", "Memory", "视觉编码器",
         "多头自注意力机制模块", "検索", "정규화", "WWWWWWWW", "i"]
LAYOUT = GraphvizDiagramLayout()
GAP = 4.0
"""Boxes that are not nested keep at least this far apart (dot keeps 8 px or more)."""


def laid_out(spec: Json) -> Json:
    return LAYOUT.layout(HouseDiagramStylist().style(spec))


@st.composite
def diagrams(draw: st.DrawFn) -> Json:
    n = draw(st.integers(1, 20))
    label = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
    groups = []
    for k in range(draw(st.integers(0, 5))):
        parent = draw(st.none() | st.sampled_from([g["id"] for g in groups])) if groups else None
        groups.append(group(f"g{k}", draw(st.sampled_from(["", "Stage", "Retrieval Module",
                                                           "多模态融合阶段", "A rather long stage name"])),
                            parent, draw(st.sampled_from(["solid", "dashed"]))))
    in_group = st.none() | st.sampled_from([g["id"] for g in groups]) if groups else st.none()
    nodes = [node(f"n{i}", draw(label), draw(st.sampled_from(ROLES)), group=draw(in_group),
                  sublabel=draw(st.none() | label), repeat=draw(st.none() | st.integers(2, 12)),
                  math=draw(st.none() | st.sampled_from(["h_t", "\\mathcal{L}", "z_{t+1}"])))
             for i in range(n)]
    ends = st.integers(0, n - 1)
    edges = [edge(f"n{a}", f"n{b}", draw(st.sampled_from(EDGE_KINDS)),
                  draw(st.none() | st.sampled_from(["features", "gradients", "损失", "q"])))
             for a, b in draw(st.lists(st.tuples(ends, ends), max_size=25))]
    spec = new_diagram(nodes, edges, groups, direction=draw(st.sampled_from(["LR", "TB"])))
    spec["style"] = {"rows": draw(st.none() | st.integers(2, 4))}  # the critic's wrapping
    return spec


def inside(inner: Json, outer: Json) -> bool:
    return (outer["x"] <= inner["x"] and inner["x"] + inner["w"] <= outer["x"] + outer["w"]
            and outer["y"] <= inner["y"] and inner["y"] + inner["h"] <= outer["y"] + outer["h"])


def overlap(a: Json, b: Json, gap: float = 0.0) -> bool:
    """The boxes overlap, or come closer than `gap`."""
    return (a["x"] < b["x"] + b["w"] + gap and b["x"] < a["x"] + a["w"] + gap
            and a["y"] < b["y"] + b["h"] + gap and b["y"] < a["y"] + a["h"] + gap)


def ancestors(spec: Json, group_id: str | None) -> list[str]:
    parent = {g["id"]: g["parent"] for g in spec["groups"]}
    chain = []
    while group_id is not None:
        chain.append(group_id)
        group_id = parent[group_id]
    return chain


def check_geometry(spec: Json) -> None:
    lay, style = spec["layout"], spec["style"]
    nodes, groups = lay["nodes"], lay["groups"]
    assert set(nodes) == {n["id"] for n in spec["nodes"]}
    for a, b in combinations(nodes, 2):
        assert not overlap(nodes[a], nodes[b], GAP), (a, b)
    for n in spec["nodes"]:
        box, text = nodes[n["id"]], node_text(n, style)
        left, top, right, bottom = text.inset
        pad = style["node_padding"]
        label = wrap(n["label"], font_px(style, "label_size"))
        assert len(label) <= 2 and [line.text for line in text.lines[:len(label)]] == label
        assert "".join(label).replace(" ", "") == n["label"].replace(" ", "")  # all of it
        for line in text.lines:
            assert text_width(line.text, line.size) + 2 * pad + left + right <= box["w"] + 1e-6
        assert (sum(text_height(line.size) for line in text.lines) + 2 * pad + top + bottom
                <= box["h"] + 1e-6)
        mine = ancestors(spec, n.get("group"))
        for gid, gbox in groups.items():
            if gid in mine:
                assert inside(box, gbox), (n["id"], gid)
                band = {**gbox, "h": gbox["label_h"]}
                assert not overlap(box, band), (n["id"], "label band", gid)
            else:
                assert not overlap(box, gbox, GAP), (n["id"], "foreign group", gid)
    for g in spec["groups"]:
        if g["id"] not in groups:
            assert not any(g["id"] in ancestors(spec, n.get("group")) for n in spec["nodes"])
            continue
        gbox = groups[g["id"]]
        lines = group_label(g, style)
        if lines:
            assert gbox["label_h"] >= sum(line.height for line in lines)
            assert GROUP_LABEL_X + max(line.width for line in lines) <= gbox["w"]
            assert gbox["x"] + GROUP_LABEL_X <= gbox["label_x"] + 0.01  # to the rounded px
            assert (gbox["label_x"] + max(line.width for line in lines)
                    <= gbox["x"] + gbox["w"] + 0.01)
        for other, obox in groups.items():
            if other == g["id"]:
                continue
            if g["id"] in ancestors(spec, other):
                assert inside(obox, gbox) and not overlap(obox, {**gbox, "h": gbox["label_h"]})
            elif other not in ancestors(spec, g["id"]):
                assert not overlap(gbox, obox, GAP), (g["id"], other)
    boxes = [*nodes.values(), *groups.values()]
    assert all(0 <= b["x"] and b["x"] + b["w"] <= lay["width"] for b in boxes)
    assert all(0 <= b["y"] and b["y"] + b["h"] <= lay["height"] for b in boxes)
    assert len(lay["edges"]) == len(spec["edges"])
    for e, route in zip(spec["edges"], lay["edges"]):
        points = route["points"]
        assert len(points) >= 4 and (len(points) - 1) % 3 == 0
        assert all(0 <= x <= lay["width"] and 0 <= y <= lay["height"] for x, y in points)
        assert near(points[0], nodes[e["source"]]) and near(points[-1], nodes[e["target"]]), e
        assert (route["label_at"] is not None) == bool(e["label"])


def near(point: list[float], box: Json, slack: float = 3.0) -> bool:
    x, y = point
    return (box["x"] - slack <= x <= box["x"] + box["w"] + slack
            and box["y"] - slack <= y <= box["y"] + box["h"] + slack)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams())
def test_random_diagrams_lay_out_cleanly(spec: Json) -> None:
    assert validate(spec) == []
    before = copy.deepcopy(spec)
    out = laid_out(spec)
    assert spec == before and out["layout"] is not None
    assert {**out, "layout": None} == HouseDiagramStylist().style(spec)
    check_geometry(out)
    assert laid_out(spec)["layout"] == out["layout"]


def pipeline(direction: str, stages: int = 6, rows: int | None = 1) -> Json:
    """A chain of stages; one row unless `rows` says otherwise (None: the layout chooses)."""
    names = ["Input Text", "Tokenizer", "Encoder", "Fusion", "Decoder", "Output Figure"]
    nodes = [node(f"s{i}", names[i], "input" if i == 0 else "operation") for i in range(stages)]
    spec = new_diagram(nodes, [edge(f"s{i}", f"s{i + 1}") for i in range(stages - 1)],
                       direction=direction)
    spec["style"] = {"rows": rows} if rows else {}
    return spec


def test_unless_told_the_layout_chooses_the_rows_that_give_a_papers_aspect() -> None:
    chosen = laid_out(pipeline("LR", rows=None))
    assert chosen["layout"]["rows"] > 1 and "rows" not in chosen["style"]
    flat = laid_out(pipeline("LR"))
    assert flat["layout"]["width"] / flat["layout"]["height"] > 4
    assert 1.2 <= chosen["layout"]["width"] / chosen["layout"]["height"] <= 3  # near 1.5-2.5
    short = laid_out(pipeline("LR", stages=4, rows=None))
    assert "rows" not in short["layout"]  # a short flow stays on one row


def test_two_branches_wrapped_into_rows_take_a_row_each_without_crossings() -> None:
    names = ["User Instruction", "Text Encoder", "Text Features", "Input Image",
             "Vision Encoder", "Visual Features", "Fusion Module", "Decoder", "Answer"]
    nodes = [node(f"b{i}", name, "input" if i in (0, 3) else "operation")
             for i, name in enumerate(names)]
    links = [(0, 1), (1, 2), (3, 4), (4, 5), (2, 6), (5, 6), (6, 7), (7, 8)]
    # listed as a text tells them: both inputs first, then each encoder, then each product
    order = [0, 3, 1, 4, 2, 5, 6, 7, 8]
    spec = new_diagram([nodes[i] for i in order], [edge(f"b{a}", f"b{b}") for a, b in links])
    chosen = laid_out(spec)
    assert chosen["layout"]["rows"] == 3 and edge_crossings(chosen) == 0
    by_height = sorted(chosen["layout"]["nodes"], key=lambda n: chosen["layout"]["nodes"][n]["y"])
    assert set(by_height[:3]) in ({"b0", "b1", "b2"}, {"b3", "b4", "b5"})  # a branch a row


def test_a_left_to_right_pipeline_is_wide_and_a_top_to_bottom_one_tall() -> None:
    wide, tall = laid_out(pipeline("LR"))["layout"], laid_out(pipeline("TB"))["layout"]
    assert wide["width"] > 2 * wide["height"] and tall["height"] > 2 * tall["width"]
    xs = [wide["nodes"][f"s{i}"]["x"] for i in range(6)]
    ys = [tall["nodes"][f"s{i}"]["y"] for i in range(6)]
    assert xs == sorted(xs) and ys == sorted(ys)  # the reading order is the flow's


def test_a_feedback_edge_does_not_change_the_ranks() -> None:
    plain = laid_out(pipeline("LR"))["layout"]
    spec = pipeline("LR")
    spec["edges"].append(edge("s5", "s1", "feedback", "refine"))
    looped = laid_out(spec)
    check_geometry(looped)
    assert ([looped["layout"]["nodes"][f"s{i}"]["x"] for i in range(6)]
            == sorted(looped["layout"]["nodes"][f"s{i}"]["x"] for i in range(6)))
    assert looped["layout"]["width"] >= plain["width"]


def test_a_labelled_feedback_edge_within_one_rank_stays_on_its_boxes() -> None:
    """dot 2.43 routes this one off its boxes unless its label is placed after routing."""
    nodes = [node(f"n{i}", label, "input") for i, label in enumerate(
        ["Encoder", "Encoder", "Encoder", "Encoder", "x WWWWWWWW", "Encoder", "Encoder Encoder"])]
    edges = [edge("n5", "n6", "feedback"), edge("n0", "n6"), edge("n1", "n2"), edge("n4", "n2"),
             edge("n5", "n6", "feedback", "features"), edge("n0", "n1"), edge("n3", "n5")]
    check_geometry(laid_out(new_diagram(nodes, edges)))


def test_a_labelled_feedback_edge_that_crashes_dot_is_laid_out_with_its_label_after() -> None:
    """dot 2.43 segfaults on this graph as it is (tight gaps, parallel feedback edges)."""
    spec = HouseDiagramStylist().style(new_diagram(
        [node(f"n{i}", "Encoder", "input", group="g" if i == 8 else None) for i in range(10)],
        [edge("n8", "n0", "feedback"), edge("n8", "n0", "feedback", "features")],
        [group("g", "")]))
    spec["style"].update(node_gap=8, rank_gap=16, node_padding=4, label_size=9, edge_label_size=9)
    check_geometry(LAYOUT.layout(spec))


def test_feedback_edges_between_groups_of_one_rank_get_one_route_each() -> None:
    """dot 2.43 routes the first edge here twice; the layout keeps one route."""
    spec = laid_out(new_diagram(
        [node("a", "Encoder", group="g1"), node("b", "Encoder", group="g0"),
         node("c", "Encoder", group="g0")],
        [edge("b", "a", "feedback"), edge("b", "c", "feedback")],
        [group("g0", ""), group("g1", "")]))
    check_geometry(spec)


def test_long_and_cjk_labels_wrap_onto_two_lines_inside_wider_boxes() -> None:
    spec = laid_out(new_diagram(
        [node("a", "Retrieval-Augmented Multi-Head Attention"), node("b", "多头自注意力机制模块编码"),
         node("c", "MLP")], [edge("a", "b"), edge("b", "c")]))
    for n in spec["nodes"]:
        lines = node_text(n, spec["style"]).lines
        assert len(lines) == (1 if n["id"] == "c" else 2)
    box = spec["layout"]["nodes"]
    assert box["a"]["w"] > box["c"]["w"] and box["a"]["h"] > box["c"]["h"]
    check_geometry(spec)


def test_nested_groups_hold_their_nodes_below_their_labels() -> None:
    spec = laid_out(new_diagram(
        [node("x", "Image", "input"), node("e", "Encoder", "model", group="inner"),
         node("p", "Projector", group="outer"), node("o", "Caption", "output")],
        [edge("x", "e"), edge("e", "p", label="tokens"), edge("p", "o")],
        [group("outer", "Vision Language Model", border="solid"),
         group("inner", "Frozen Backbone", parent="outer")]))
    check_geometry(spec)
    outer, inner = spec["layout"]["groups"]["outer"], spec["layout"]["groups"]["inner"]
    assert inside(inner, outer) and outer["label_h"] > 0


def test_the_style_the_critic_changed_is_honoured() -> None:
    spec = HouseDiagramStylist().style(pipeline("LR", 3))
    roomy = copy.deepcopy(spec)
    roomy["style"].update(rank_gap=120, node_padding=30, label_size=20)
    base, wide = LAYOUT.layout(spec)["layout"], LAYOUT.layout(roomy)["layout"]
    gap = wide["nodes"]["s1"]["x"] - wide["nodes"]["s0"]["x"] - wide["nodes"]["s0"]["w"]
    assert gap >= 120 - 0.5 and wide["nodes"]["s1"]["w"] > base["nodes"]["s1"]["w"]


def test_an_unstyled_spec_takes_the_house_style_and_a_parent_cycle_is_cut() -> None:
    spec = new_diagram([node("a", "A", group="g1"), node("b", "B", group="g2")], [edge("a", "b")],
                       [group("g1", "One", parent="g2"), group("g2", "Two", parent="g1")])
    out = LAYOUT.layout(spec)
    assert font_px(out["style"], "label_size") == out["style"]["label_size"]
    assert set(out["layout"]["groups"]) == {"g1", "g2"}


def test_a_graph_dot_cannot_route_curves_through_is_laid_out_with_straight_edges() -> None:
    # dot 2.43: "triangulation failed" routing the feedback edge beside the two clusters
    member = {"n0": "g0", "n14": "g0", "n1": "g1", "n15": "g1"}
    links = [("n0", "n2"), ("n1", "n6"), ("n2", "n1"), ("n3", "n2"), ("n2", "n4", "feedback"),
             ("n1", "n0"), ("n5", "n4")]
    spec = new_diagram(
        [node(f"n{i}", "Encoder", "input", group=member.get(f"n{i}")) for i in range(16)],
        [edge(*link) for link in links], [group("g0", ""), group("g1", "")], direction="TB")
    out = laid_out(spec)
    assert len(out["layout"]["edges"]) == len(links)
    check_geometry(out)


def test_a_missing_dot_is_a_clear_failure() -> None:
    with pytest.raises(FigureFailed, match="Graphviz"):
        GraphvizDiagramLayout(dot="/nonexistent/dot").layout(pipeline("LR", 2))


def test_rows_wrap_a_long_flat_flow_and_start_each_row_at_the_left() -> None:
    ids = [f"s{i}" for i in range(9)]
    spec = HouseDiagramStylist().style(new_diagram(
        [node(i, f"Stage {i} module") for i in ids],
        [edge(a, b) for a, b in zip(ids, ids[1:])] + [edge("s8", "s2", "feedback", "refine")]))
    spec["style"]["rows"] = 1
    flat = GraphvizDiagramLayout().layout(spec)
    spec["style"]["rows"] = 3
    wrapped = GraphvizDiagramLayout().layout(spec)
    boxes = wrapped["layout"]["nodes"]
    assert wrapped["layout"]["width"] / wrapped["layout"]["height"] < (
        flat["layout"]["width"] / flat["layout"]["height"]) / 3
    assert boxes["s0"]["x"] == boxes["s3"]["x"] == boxes["s6"]["x"]
    assert boxes["s0"]["y"] < boxes["s3"]["y"] < boxes["s6"]["y"]
    assert overlapping_nodes(wrapped) == []


def test_wrapped_groups_each_take_a_row_that_reads_left_to_right() -> None:
    ids = [f"s{i}" for i in range(8)]
    spec = HouseDiagramStylist().style(new_diagram(
        [node(i, f"Stage {i} module", group="g1" if k < 3 else "g2" if k < 6 else None)
         for k, i in enumerate(ids)],
        [edge(a, b) for a, b in zip(ids, ids[1:])],
        [group("g1", "Encoding"), group("g2", "Decoding")]))
    spec["style"]["rows"] = 3
    lay = GraphvizDiagramLayout().layout(spec)["layout"]
    boxes, groups = lay["nodes"], lay["groups"]
    rows = [ids[:3], ids[3:6], ids[6:]]  # each group, then the nodes outside them
    for row in rows:
        assert len({boxes[i]["y"] for i in row}) == 1
        assert [boxes[i]["x"] for i in row] == sorted(boxes[i]["x"] for i in row)
    assert boxes["s0"]["y"] < boxes["s3"]["y"] < boxes["s6"]["y"]
    assert groups["g1"]["y"] + groups["g1"]["h"] <= groups["g2"]["y"]


def test_two_rows_wrap_a_flat_flow_in_half() -> None:
    spec = HouseDiagramStylist().style(pipeline("LR"))
    spec["style"]["rows"] = 2
    boxes = GraphvizDiagramLayout().layout(spec)["layout"]["nodes"]
    assert len({boxes[f"s{i}"]["y"] for i in range(3)}) == 1
    def centre(i: str) -> float:
        return boxes[i]["x"] + boxes[i]["w"] / 2

    assert boxes["s0"]["y"] < boxes["s3"]["y"] and centre("s0") == centre("s3")


def test_wrapped_short_groups_share_a_row_and_no_edge_crosses_their_labels() -> None:
    ids = ["in", "a", "b", "c", "d", "e", "f", "out"]
    member = {"a": "g1", "b": "g1", "c": "g2", "d": "g2", "e": "g3", "f": "g3"}
    spec = HouseDiagramStylist().style(new_diagram(
        [node(i, f"Stage {i} module", "input" if i == "in" else "operation", group=member.get(i))
         for i in ids],
        [edge(a, b) for a, b in zip(ids, ids[1:])],
        [group("g1", "Encoding stage"), group("g2", "Fusion stage"), group("g3", "Decoding")]))
    spec["style"]["rows"] = 2
    out = GraphvizDiagramLayout().layout(spec)
    groups = out["layout"]["groups"]
    # the widest row as narrow as can be: the input and g1, then g2, g3 and the output
    assert groups["g1"]["y"] < groups["g2"]["y"] == groups["g3"]["y"]
    assert groups["g2"]["x"] + groups["g2"]["w"] <= groups["g3"]["x"]
    assert [hit for hit in edges_through(out) if hit[1].startswith("g")] == []
    check_geometry(out)


def test_a_group_holding_most_of_a_long_flow_is_cut_into_rows_for_a_papers_aspect() -> None:
    inner = [f"s{i}" for i in range(6)]
    ids = ["in", *inner, "t1", "t2", "out"]
    spec = HouseDiagramStylist().style(new_diagram(
        [node(i, f"Stage {i} module", "input" if i == "in" else "operation",
              group="g1" if i in inner else None) for i in ids],
        [edge(a, b) for a, b in zip(ids, ids[1:])], [group("g1", "Framework")]))
    out = GraphvizDiagramLayout().layout(spec)
    lay = out["layout"]
    assert 1.5 <= lay["width"] / lay["height"] <= 2.5
    assert len({lay["nodes"][i]["y"] for i in inner}) >= 2  # the group spans rows
    assert all(inside(lay["nodes"][i], lay["groups"]["g1"]) for i in inner)
    check_geometry(out)


def test_a_wrapped_alternative_dot_spins_on_is_dropped(tmp_path, monkeypatch) -> None:
    spinning = tmp_path / "dot"  # dot itself, except that it never finishes a wrapped graph
    spinning.write_text('#!/bin/sh\ninput=$(cat)\ncase "$input" in\n'
                        '  *rank=same*) exec sleep 30 ;;\n'
                        '  *) printf "%s" "$input" | exec dot "$@" ;;\nesac\n')
    spinning.chmod(0o755)
    monkeypatch.setattr("adapters.graphviz_diagram_layout.CHOICE_TIMEOUT", 0.3)
    out = GraphvizDiagramLayout(dot=str(spinning)).layout(
        HouseDiagramStylist().style(pipeline("LR", rows=None)))
    assert out["layout"]["rows"] == 1
    check_geometry(out)
