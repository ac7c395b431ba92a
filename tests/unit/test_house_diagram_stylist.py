"""The house diagram stylist (a pure function filling the style keys) and its typography."""

from __future__ import annotations

import copy
import re

from adapters.house_diagram_stylist import (
    HouseDiagramStylist,
    font_px,
    math_text,
    node_text,
    wrap,
)
from adapters.text_metrics import text_width
from application.diagrams.spec import ROLES, edge, group, new_diagram, node, validate

STYLE_KEYS = {"font", "label_size", "sublabel_size", "group_label_size", "edge_label_size",
              "min_font_px", "role_fill", "role_stroke", "group_fills", "text_color",
              "edge_color", "node_padding", "rank_gap", "node_gap"}
ZONES = {"#F5F5DC", "#E6F3FF", "#E0F2F1", "#F3E5F5", "#FFF3E0"}
COLOR = re.compile(r"#[0-9A-F]{6}")


def diagram() -> dict:
    return new_diagram([node("a", "Image", "input", group="g"), node("b", "视觉编码器", "model"),
                        node("c", "Loss", "loss")],
                       [edge("a", "b"), edge("b", "c", label="logits")], [group("g", "Inputs")])


def test_style_is_pure_and_valid() -> None:
    spec = diagram()
    before = copy.deepcopy(spec)
    out = HouseDiagramStylist().style(spec)
    assert spec == before and out is not spec and out["nodes"] is not spec["nodes"]
    assert validate(out) == [] and out["nodes"] == spec["nodes"]
    assert HouseDiagramStylist().style(out) == out


def test_the_house_keys_with_legible_semantic_defaults() -> None:
    style = HouseDiagramStylist().style(diagram())["style"]
    assert STYLE_KEYS <= set(style)
    assert "sans-serif" in style["font"] and "CJK" in style["font"]
    assert style["min_font_px"] == 9 and style["text_color"] == "#333333"
    assert all(style[k] >= 9 for k in STYLE_KEYS if k.endswith("_size"))
    assert style["label_size"] > style["sublabel_size"] >= style["edge_label_size"]
    assert set(style["role_fill"]) == set(style["role_stroke"]) == set(ROLES)
    assert set(style["group_fills"]) == ZONES
    colors = [*style["role_fill"].values(), *style["role_stroke"].values(), style["edge_color"]]
    assert all(COLOR.fullmatch(c) for c in colors) and "#000000" not in colors
    assert style["role_fill"]["model"] != style["role_fill"]["operation"]  # trainable vs fixed
    assert style["node_padding"] > 0 and style["rank_gap"] > style["node_gap"] > 0


def test_chosen_keys_are_kept_and_role_colours_merged_per_role() -> None:
    spec = diagram()
    spec["style"] = {"node_gap": 31.2, "role_fill": {"loss": "#FFCCCC"}, "role_stroke": "red"}
    style = HouseDiagramStylist().style(spec)["style"]
    assert style["node_gap"] == 31.2 and style["role_fill"]["loss"] == "#FFCCCC"
    assert set(style["role_fill"]) == set(style["role_stroke"]) == set(ROLES)


def test_long_labels_wrap_onto_two_balanced_lines_and_short_ones_do_not() -> None:
    assert wrap("Encoder", 16) == ["Encoder"]
    assert wrap("Retrieval-Augmented Multi-Head Cross Attention", 16) == [
        "Retrieval-Augmented", "Multi-Head Cross Attention"]
    assert wrap("多头自注意力机制模块编码器", 16) == ["多头自注意力", "机制模块编码器"]
    assert wrap("Image\nEncoder", 16) == ["Image", "Encoder"] and wrap("  ", 16) == []


def test_a_node_box_fits_its_text_and_shape() -> None:
    style = HouseDiagramStylist().style(diagram())["style"]
    plain = node_text(node("a", "Encoder"), style)
    stacked = node_text(node("a", "Encoder", repeat=6), style)
    slanted = node_text(node("a", "Encoder", "input"), style)
    store = node_text(node("a", "Encoder", "store"), style)
    size = style["label_size"]
    w, h = plain.box_size(size)
    assert w >= text_width("Encoder", size) + 2 * style["node_padding"]
    assert stacked.box_size(size)[0] > w and stacked.badge and stacked.badge.text == "×6"
    assert slanted.box_size(size)[0] >= w and store.box_size(size)[1] > h
    lines = node_text(node("a", "Encoder", sublabel="frozen", math="h_t"), style).lines
    assert [(line.text, line.math) for line in lines] == [
        ("Encoder", False), ("hₜ", True), ("frozen", False)]


def test_math_becomes_unicode_and_sizes_never_fall_below_the_minimum() -> None:
    assert math_text("h_t") == "hₜ" and math_text("\\mathcal{L}") == "ℒ"
    assert math_text("$\\alpha^2$") == "α²" and math_text("z_{t+1}") == "zₜ₊₁"
    assert math_text("\\hat{y}") == "y\u0302" and math_text("x_1, \\dots, x_n") == "x₁, …, xₙ"
    assert math_text("W_{QK}") == "W_QK"  # no Unicode subscript capitals
    assert font_px({"label_size": 6, "min_font_px": 9}, "label_size") == 9
