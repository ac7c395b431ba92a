"""The house stylist: a pure function filling the style keys and per-panel defaults."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from adapters.house_plot_stylist import HousePlotStylist
from application.plots.spec import axis, new_spec, panel, series, validate

STYLE_KEYS = {"font", "title_size", "axis_label_size", "tick_size", "legend_size",
              "value_label_size", "min_font_px", "palette", "grid", "line_width", "marker_size",
              "background", "text_color", "show_title"}
DATA: dict[str, list[Any]] = {
    "x": list(range(10)), "rising": [float(v) for v in range(10)], "flat": [1.0] * 10,
    "long": list(range(30)), "cat": ["alpha", "beta", "gamma"], "v": [3, 5, 4],
    "w": [1, 2, 3], "names": [f"a rather long category name {i}" for i in range(8)],
    "n8": list(range(8)),
}


def styled(*panels: dict[str, Any], intent: str = "", width: int = 600,
           cols: int = 1) -> dict[str, Any]:
    spec = new_spec(DATA, list(panels), title="T", width=width, rows=len(panels), cols=cols)
    return HousePlotStylist().style(spec, intent)


def line(*fields: str, x: str = "x") -> dict[str, Any]:
    return panel("line", axis(x), axis(), [series(f, f) for f in fields])


def bars(orientation: str = "vertical", **options: Any) -> dict[str, Any]:
    return panel("bar", axis("cat"), axis(), [series("V", "v")], orientation=orientation, **options)


def test_style_is_pure_and_valid() -> None:
    spec = new_spec(DATA, [line("rising", "flat"), bars()], rows=1, cols=2)
    before = copy.deepcopy(spec)
    out = HousePlotStylist().style(spec, "")
    assert spec == before and out is not spec and out["data"] is not spec["data"]
    assert validate(out) == []


def test_exactly_the_style_keys_with_legible_defaults() -> None:
    style = styled(line("rising"))["style"]
    assert set(style) == STYLE_KEYS
    assert "sans-serif" in style["font"] and "CJK" in style["font"]
    assert style["min_font_px"] == 9
    assert all(style[k] >= 9 for k in STYLE_KEYS if k.endswith("_size") and k != "marker_size")
    assert style["title_size"] > style["axis_label_size"] >= style["tick_size"]
    assert style["background"] == "#ffffff" and style["text_color"] == "#333333"
    assert style["show_title"] is True
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in style["palette"])
    assert "#F0E442" not in style["palette"]  # Okabe-Ito yellow is unreadable on white


def test_wider_figures_get_larger_text_for_print() -> None:
    narrow, wide = styled(line("rising"))["style"], styled(line("rising"), width=1000)["style"]
    assert wide["tick_size"] > narrow["tick_size"]


def test_style_chosen_by_the_planner_is_kept() -> None:
    spec = new_spec(DATA, [line("rising")])
    spec["style"] = {"palette": ["#000000"], "unknown": 1}
    style = HousePlotStylist().style(spec, "")["style"]
    assert style["palette"] == ["#000000"] and "unknown" not in style


@pytest.mark.parametrize("intent, shown", [
    ("A line chart titled Growth", True),
    ("A line chart with no title", False),
    ("untitled bar chart", False),
    ("折线图，无标题", False),
    ("막대 그래프, 제목 없음", False),
])
def test_show_title_follows_the_intent(intent: str, shown: bool) -> None:
    assert styled(line("rising"), intent=intent)["style"]["show_title"] is shown


@pytest.mark.parametrize("intent", ["a line chart without a legend", "no legend please", "不要图例"])
def test_no_legend_intent_hides_every_legend(intent: str) -> None:
    out = styled(line("rising", "flat"), bars(), intent=intent)
    assert [p["legend"] for p in out["panels"]] == ["none", "none"]


@pytest.mark.parametrize("panels, grid", [
    ([bars()], "y"), ([bars("horizontal")], "x"), ([bars(), bars("horizontal")], "both"),
    ([panel("pie", axis("cat"), axis(), [series("V", "v")])], "none"),
    ([line("rising")], "both"),
])
def test_grid_follows_the_panel_kinds(panels: list[dict[str, Any]], grid: str) -> None:
    assert styled(*panels)["style"]["grid"] == grid


def test_no_grid_intent() -> None:
    assert styled(line("rising"), intent="no gridlines")["style"]["grid"] == "none"


def test_markers_only_on_short_lines() -> None:
    short, long_ = styled(line("rising"), line("long", x="long"))["panels"]
    assert short["markers"] is True and long_["markers"] is False


def test_value_labels_on_few_plain_bars_only() -> None:
    plain, stacked = styled(bars(), bars(stacking="stacked"))["panels"]
    assert plain["value_labels"] is True and stacked["value_labels"] is False


def test_crowded_category_labels_are_tilted() -> None:
    crowded = panel("bar", axis("names"), axis(), [series("N", "n8")])
    assert styled(crowded)["panels"][0]["x"]["tick_angle"] == 45
    assert styled(bars())["panels"][0]["x"]["tick_angle"] == 0


def test_bars_with_long_crowded_labels_turn_horizontal_unless_asked_vertical() -> None:
    crowded = panel("bar", axis("names", "Name"), axis(title="N"), [series("N", "n8")],
                    reference_lines=[{"axis": "y", "value": 4, "label": None}])
    spec = new_spec(DATA, [crowded], width=500, height=250)
    turned = HousePlotStylist().style(spec, "a bar chart")["panels"][0]
    assert turned["orientation"] == "horizontal"
    assert turned["y"]["field"] == "names" and turned["x"]["title"] == "N"
    assert turned["reference_lines"][0]["axis"] == "x"
    kept = HousePlotStylist().style(spec, "a vertical bar chart")["panels"][0]
    assert kept["orientation"] == "vertical" and kept["x"]["tick_angle"] == 45


@pytest.mark.parametrize("chart, where", [
    (line("rising", "flat"), "top_left"),  # the rising line fills the top right
    (panel("pie", axis("cat"), axis(), [series("V", "v")]), "right"),
    (panel("radar", axis("cat"), axis(), [series("V", "v"), series("W", "w")]), "above"),
    (panel("bar", axis("cat"), axis(), [series("V", "v"), series("W", "w")]), "above"),
])
def test_legend_avoids_the_data(chart: dict[str, Any], where: str) -> None:
    assert styled(chart)["panels"][0]["legend"] == where


def test_a_legend_too_big_for_a_corner_goes_outside() -> None:
    wide_and_short = new_spec(DATA, [line("rising", "flat")], width=800, height=150)
    assert HousePlotStylist().style(wide_and_short, "")["panels"][0]["legend"] == "right"


def test_an_explicit_legend_choice_is_kept() -> None:
    chosen = panel("line", axis("x"), axis(), [series("R", "rising")], legend="bottom_right")
    assert styled(chosen)["panels"][0]["legend"] == "bottom_right"
