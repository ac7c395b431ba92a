"""OfflinePlotPlanner: data shapes to columns, intent words to charts, every number drawn."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.offline_plot_planner import OfflinePlotPlanner
from adapters.plot_data import is_text
from application.plots.ports import PlotDataError
from application.plots.spec import PX_PER_INCH, is_number, used_columns, validate

BENCHMARK = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "plot-ref.json"
PLANNER = OfflinePlotPlanner()
SALES = {"Region": ["North", "South", "East", "West"], "Sales": [10, 20.5, 30, 41],
         "Profit": [1, 2.5, 3, 4]}


def plan(data: Any, intent: str = "") -> dict[str, Any]:
    spec = PLANNER.plan(data, intent)
    assert validate(spec) == []
    return spec


def numbers(value: Any) -> Counter[str]:
    """Every number inside a JSON value, typed, so 1 and 1.0 or 0.0 and -0.0 differ."""
    if isinstance(value, dict):
        return sum((numbers(v) for v in value.values()), Counter())
    if isinstance(value, list):
        return sum((numbers(v) for v in value), Counter())
    return Counter([f"{type(value).__name__}:{value!r}"]) if is_number(value) else Counter()


def assert_all_drawn(data: Any, spec: dict[str, Any]) -> None:
    """Every input number is in the spec unchanged (only a bare list gains an index column),
    and every column holding a number is drawn."""
    bare_list = isinstance(data, list) and not isinstance(data[0], (dict, list))
    if bare_list:
        assert numbers(data) - numbers(spec["data"]) == Counter(), "a number was lost"
    else:
        assert numbers(data) == numbers(spec["data"]), "a number was changed, lost or added"
    numeric = {c for c, values in spec["data"].items() if any(is_number(v) for v in values)}
    assert numeric <= used_columns(spec), "a numeric column is not drawn"


def only(spec: dict[str, Any]) -> dict[str, Any]:
    (panel,) = spec["panels"]
    return panel


def fields(panel: dict[str, Any]) -> list[str]:
    return [s["field"] for s in panel["series"]]


# Intent words -> chart kinds ------------------------------------------------------------

KIND_WORDS = [
    ("A bar chart of sales by region", "bar"), ("Sales as a column chart", "bar"),
    ("A line chart of sales", "line"), ("A scatter plot of profit against sales", "scatter"),
    ("A bubble chart", "scatter"), ("A pie chart of sales", "pie"),
    ("A donut chart of sales", "donut"), ("A treemap of sales", "treemap"),
    ("A heatmap of the table", "heatmap"), ("A confusion matrix", "heatmap"),
    ("A box plot of sales", "box"), ("A violin plot of sales", "violin"),
    ("A histogram of sales", "histogram"), ("A radar chart of regions", "radar"),
    ("A stacked area chart", "area"), ("An error bar plot of sales", "scatter"),
    ("A bar chart with error bars", "bar"), ("A heatmap-style scatter plot", "heatmap"),
    ("各地区销售额的柱状图", "bar"), ("水平条形图", "bar"), ("销售趋势折线图", "line"),
    ("利润与销售额的散点图", "scatter"), ("销售占比饼图", "pie"), ("相关性热力图", "heatmap"),
    ("销售额箱线图", "box"), ("销售额直方图", "histogram"), ("雷达图", "radar"),
    ("堆叠面积图", "area"), ("环形图", "donut"),
    ("지역별 매출 막대 그래프", "bar"), ("매출 추이 선 그래프", "line"), ("산점도", "scatter"),
    ("파이 차트", "pie"), ("히트맵", "heatmap"), ("상자 그림", "box"), ("히스토그램", "histogram"),
    ("레이더 차트", "radar"), ("영역 차트", "area"), ("도넛 차트", "donut"),
]


@pytest.mark.parametrize(("intent", "kind"), KIND_WORDS)
def test_the_kind_named_in_english_chinese_or_korean_is_drawn(intent: str, kind: str) -> None:
    spec = plan(SALES, intent)
    assert spec["panels"][0]["kind"] == kind
    assert_all_drawn(SALES, spec)


@pytest.mark.parametrize(("data", "kind"), [
    (SALES, "bar"),
    ({"Year": [2019, 2020, 2021, 2022], "A": [3, 1, 4, 1], "B": [5, 9, 2, 6]}, "line"),
    ({"Height": [170, 160, 181, 175], "Weight": [70, 52, 80, 71]}, "scatter"),
    ({"Score": [float(i % 7) for i in range(40)]}, "histogram"),
    ({"rows": ["a", "b"], "cols": ["x", "y"], "values": [[1, 2], [3, 4]]}, "heatmap"),
    ({"Metric": ["A", "B"], "A": [1.0, 0.5], "B": [0.5, 1.0]}, "heatmap"),
])
def test_a_vague_intent_takes_the_kind_from_the_data_shape(data: Any, kind: str) -> None:
    assert plan(data, "Plot this data")["panels"][0]["kind"] == kind


def test_a_horizontal_bar_chart_puts_the_categories_on_y() -> None:
    panel = only(plan(SALES, "A horizontal bar chart"))
    assert (panel["orientation"], panel["y"]["field"], panel["y"]["scale"]) == (
        "horizontal", "Region", "category")
    assert panel["x"]["field"] is None


@pytest.mark.parametrize(("intent", "stacking"), [
    ("A stacked bar chart", "stacked"), ("A grouped bar chart", "grouped"),
    ("A bar chart", "grouped"), ("堆叠柱状图", "stacked"), ("누적 막대 그래프", "stacked")])
def test_bar_stacking_follows_the_intent(intent: str, stacking: str) -> None:
    assert only(plan(SALES, intent))["stacking"] == stacking


def test_diverging_bars_are_stacked_with_a_note() -> None:
    spec = plan(SALES, "A diverging horizontal bar chart")
    assert only(spec)["stacking"] == "stacked"
    assert any("diverging" in note for note in spec["notes"])


@pytest.mark.parametrize(("intent", "option"), [
    ("A bar chart with value labels", "value_labels"), ("A line chart with markers", "markers"),
    ("A scatter plot with a regression line", "trend_line"),
    ("A heatmap with annotations", "annotate_cells")])
def test_variants_switch_panel_options_on(intent: str, option: str) -> None:
    assert only(plan(SALES, intent))[option] is True


def test_a_log_scale_is_used_when_asked_and_possible() -> None:
    assert only(plan(SALES, "A line chart on a log scale"))["y"]["scale"] == "log"
    spec = plan({"x": [1, 2, 3], "y": [-1, 0, 5]}, "A line chart with a log scale")
    assert only(spec)["y"]["scale"] == "linear"
    assert any("log scale" in note for note in spec["notes"])


def test_a_line_spanning_three_decades_gets_a_log_axis_by_itself() -> None:
    data = {"Step": [1, 2, 3, 4], "Loss": [1000.0, 50.0, 3.0, 0.5]}
    panel = only(plan(data, "A line chart of the loss"))
    assert (panel["x"]["field"], panel["y"]["scale"]) == ("Step", "log")


def test_a_bubble_chart_sizes_points_by_the_third_column() -> None:
    data = {"City": ["A", "B", "C"], "Income": [30, 40, 50], "Growth": [1.5, 2.0, 0.5],
            "Population": [100, 300, 200]}
    panel = only(plan(data, "A bubble chart"))
    assert panel["x"]["field"] == "Income"
    assert panel["series"] == [{"name": "Growth", "field": "Growth", "size_field": "Population",
                                "label_field": "City"}]


def test_scatter_points_are_labelled_or_coloured_by_text_columns() -> None:
    data = {"Model": ["a", "b", "c", "d"], "Params": [1, 2, 3, 4], "Score": [5, 3, 4, 1],
            "Family": ["x", "x", "y", "y"]}
    (s,) = only(plan(data, "A scatter plot"))["series"]
    assert (s["label_field"], s["color_field"]) == ("Model", "Family")


# Error bars and bands -------------------------------------------------------------------

@pytest.mark.parametrize(("columns", "expected"), [
    (["Score", "Error"], {"error": "Error"}),
    (["Score", "Std"], {"error": "Std"}),
    (["Score", "SD"], {"error": "SD"}),
    (["Score", "Score_Error"], {"error": "Score_Error"}),
    (["Score", "CI Lower", "CI Upper"], {"error_lower": "CI Lower", "error_upper": "CI Upper"}),
    (["Score", "Min", "Max"], {"error_lower": "Min", "error_upper": "Max"}),
    (["Score", "Lower", "Upper"], {"error_lower": "Lower", "error_upper": "Upper"}),
    (["Score", "Score_Volatility"], {"error": "Score_Volatility"}),
    (["Score", "Standard Deviation"], {"error": "Standard Deviation"}),
])
def test_spread_columns_ride_on_their_series(columns: list[str], expected: dict[str, str]) -> None:
    data = {"Group": ["a", "b", "c"], **{c: [1.0 + i, 2.0, 3.0] for i, c in enumerate(columns)}}
    panel = only(plan(data, "A bar chart"))
    assert panel["series"] == [{"name": "Score", "field": "Score", **expected}]


def test_a_shaded_band_uses_band_columns() -> None:
    data = {"Month": [1, 2, 3], "Mean": [5.0, 6.0, 7.0], "Std": [0.5, 0.4, 0.6]}
    (s,) = only(plan(data, "A line chart with a shaded confidence band"))["series"]
    assert s == {"name": "Mean", "field": "Mean", "band": "Std"}


def test_each_named_error_column_finds_its_own_series() -> None:
    data = {"Year": ["2020", "2021"], "Revenue": [10, 12], "Revenue Error": [1, 2],
            "Profit": [3, 4], "Profit Error": [0.5, 0.6]}
    panel = only(plan(data, "A line chart with error bars"))
    assert [(s["field"], s["error"]) for s in panel["series"]] == [
        ("Revenue", "Revenue Error"), ("Profit", "Profit Error")]


def test_volatility_alone_is_a_measure_not_an_error() -> None:
    data = {"Sector": ["a", "b", "c"], "Volatility (%)": [5, 9, 12], "Return (%)": [3, 6, 7]}
    panel = only(plan(data, "A scatter plot"))
    assert panel["x"]["field"] == "Volatility (%)"
    assert fields(panel) == ["Return (%)"]


# Titles, axes and sizes -----------------------------------------------------------------

@pytest.mark.parametrize(("intent", "title"), [
    ("A bar chart titled Sales by Region", "Sales by Region"),
    ("A bar chart. title: Quarterly revenue", "Quarterly revenue"),
    ('A bar chart "Sales by Region" with labels', "Sales by Region"),
    ("A bar chart titled 'Sales, 2023' with error bars", "Sales, 2023"),
    ("A pie chart titled Share vs. Size(size of the desired plot: width=6.0, height=6.0)",
     "Share vs. Size"),
    ("地区销售额柱状图，标题为“2023年销售额”", "2023年销售额"),
    ("지역별 막대 그래프, 제목: 매출 현황", "매출 현황"),
    ("'매출'이라는 제목의 막대 그래프", "매출"),
])
def test_the_title_is_taken_from_the_intent(intent: str, title: str) -> None:
    spec = plan(SALES, intent)
    assert (spec["title"], only(spec)["title"]) == (title, None)


def test_axis_titles_come_from_the_intent() -> None:
    panel = only(plan(SALES, "A bar chart, x-axis labelled Area (km) and y-axis labelled USD"))
    assert (panel["x"]["title"], panel["y"]["title"]) == ("Area (km)", "USD")
    data = {"Time (Weeks)": [1, 2, 3], "A": [1, 2, 3]}
    panel = only(plan(data, "A line chart about Time (Weeks) and Effectiveness comparing A"))
    assert panel["y"]["title"] == "Effectiveness"


@pytest.mark.parametrize(("intent", "size"), [
    ("A bar chart (size of the desired plot: width=12.0, height=9.0)",
     (12 * PX_PER_INCH, 9 * PX_PER_INCH)),
    ("A bar chart", (600, 400)),
    ("A bar chart, 1000 x 500 px", (1000, 500)),
    ("A bar chart (size of the desired plot: width=80.0, height=1.0)", (3000, 150)),
])
def test_the_size_in_inches_becomes_css_pixels(intent: str, size: tuple[int, int]) -> None:
    spec = plan(SALES, intent)
    assert (spec["width"], spec["height"]) == size


# Subplots -------------------------------------------------------------------------------

def test_numbered_clauses_become_panels_each_with_its_own_columns() -> None:
    data = {"Model": ["a", "b"], "Wheat Yield": [1, 2], "Corn Yield": [3, 4],
            "Soy Yield": [5, 6]}
    spec = plan(data, "A figure with 3 subplots: (1) a horizontal bar chart of wheat yield, "
                      "titled Wheat, (2) a line chart of corn yield, titled Corn, and (3) a "
                      "pie chart of soy yield, titled Soy")
    assert [(p["kind"], p["title"], fields(p)) for p in spec["panels"]] == [
        ("bar", "Wheat", ["Wheat Yield"]), ("line", "Corn", ["Corn Yield"]),
        ("pie", "Soy", ["Soy Yield"])]
    assert spec["grid"] == {"rows": 1, "cols": 3}
    assert all(p["y" if p["orientation"] == "horizontal" else "x"]["field"] == "Model"
               for p in spec["panels"])


@pytest.mark.parametrize("prefixes", [("Company_A_", "Company_B_"), ("Ax1_", "Ax2_"),
                                      ("Bar_", "Heatmap_")])
def test_prefixed_columns_go_to_the_panel_they_name(prefixes: tuple[str, str]) -> None:
    first, second = prefixes
    data = {f"{first}Label": ["a", "b", "c"], f"{first}Value": [1, 2, 3],
            f"{second}Label": ["d", "e", "f"], f"{second}Value": [4, 5, 6]}
    spec = plan(data, "A figure with 2 subplots: (1) a bar chart for company A, "
                      "(2) a heatmap for company B")
    assert [fields(p) for p in spec["panels"]] == [[f"{first}Value"], [f"{second}Value"]]


def test_clauses_naming_no_column_split_the_columns_evenly_in_order() -> None:
    data = {"Label": ["a", "b"], "P": [1, 2], "Q": [3, 4], "R": [5, 6], "S": [7, 8]}
    spec = plan(data, "A figure with 2 subplots: (1) a bar chart, (2) a line chart")
    assert [fields(p) for p in spec["panels"]] == [["P", "Q"], ["R", "S"]]


def test_a_clause_asking_for_the_same_data_reuses_the_previous_columns() -> None:
    spec = plan(SALES, "A figure with 2 subplots: (1) a bar chart of sales and profit, "
                       "(2) the same chart zoomed in")
    assert fields(spec["panels"][0]) == fields(spec["panels"][1]) == ["Sales", "Profit"]


def test_many_subplots_wrap_into_a_grid_and_the_overall_title_is_kept() -> None:
    data = {"Model": ["a", "b"], **{f"Metric {n}": [n, n + 1] for n in range(1, 6)}}
    clauses = ", ".join(f"({n}) a bar chart of metric {n}" for n in range(1, 6))
    spec = plan(data, f"A figure with 5 subplots: {clauses}. The overall figure is titled All"
                      "(size of the desired plot: width=12.0, height=10.0)")
    assert (len(spec["panels"]), spec["title"]) == (5, "All")
    assert spec["grid"] == {"rows": 3, "cols": 2}
    assert plan(data, f"A figure with 5 subplots: {clauses}")["grid"] == {"rows": 2, "cols": 3}


def test_columns_of_different_lengths_are_separate_panels() -> None:
    data = {"Year": [1, 2, 3], "Yield": [4, 5, 6], "Field": ["a", "b"], "Papers": [7, 8]}
    spec = plan(data, "A bar chart")
    assert [fields(p) for p in spec["panels"]] == [["Yield"], ["Papers"]]
    assert any("different lengths" in note for note in spec["notes"])
    assert_all_drawn(data, spec)


def test_subplots_that_split_rows_are_drawn_as_one_labelled_panel() -> None:
    data = {"Hospital": ["A", "A", "B", "B"], "Metric": ["x", "y", "x", "y"],
            "Score": [1, 2, 3, 4]}
    spec = plan(data, "A figure with 2 subplots: (1) a bar chart for hospital A, "
                      "(2) a bar chart for hospital B")
    panel = only(spec)
    assert spec["data"][panel["x"]["field"]] == ["A · x", "A · y", "B · x", "B · y"]
    assert any("single panel" in note for note in spec["notes"])


# Categories that repeat -----------------------------------------------------------------

def test_repeated_bar_categories_are_numbered_with_a_note_never_merged() -> None:
    data = {"Country": ["A", "A", "B", "A"], "Start": [1950, 1985, 1960, 2000],
            "Years": [30, 10, 15, 20]}
    spec = plan(data, "A broken horizontal bar chart")
    panel = only(spec)
    assert spec["data"][panel["y"]["field"]] == ["A", "A (2)", "B", "A (3)"]
    assert (panel["y"]["title"], fields(panel)) == ("Country", ["Start", "Years"])
    assert any("'A (2)'" in note and "nothing is summed" in note for note in spec["notes"])
    assert_all_drawn(data, spec)


@pytest.mark.parametrize("intent", ["A bar chart", "A line chart", "An area chart",
                                    "A pie chart", "A radar chart", "A treemap", "A heatmap"])
def test_every_chart_needing_distinct_categories_numbers_repeats(intent: str) -> None:
    data = {"Name": ["A", "B", "A"], "Value": [1, 2, 3]}
    spec = plan(data, intent)
    panel = only(spec)
    key = panel["y" if panel["kind"] == "heatmap" else "x"]["field"]
    assert spec["data"][key] == ["A", "B", "A (2)"]
    assert fields(panel) == ["Value"]
    assert_all_drawn(data, spec)


def test_labels_still_repeating_after_joining_two_columns_are_numbered() -> None:
    data = {"Config": ["p", "p", "q", "q", "p", "p"], "Metric": ["m", "n"] * 3,
            "Value": [0.7, 0.8, 0.75, 0.85, 0.72, 0.81]}
    spec = plan(data, "A bar chart")
    panel = only(spec)
    assert spec["data"][panel["x"]["field"]] == [
        "p · m", "p · n", "q · m", "q · n", "p · m (2)", "p · n (2)"]
    assert panel["x"]["title"] == "Config · Metric"
    assert "Config · Metric" not in spec["data"]  # the joined step no panel draws is not kept
    assert_all_drawn(data, spec)


def test_numbering_skips_labels_the_column_already_has() -> None:
    data = {"Name": ["A", "A", "A (2)", None, None], "Value": [1, 2, 3, 4, 5]}
    spec = plan(data, "A bar chart")
    assert spec["data"][only(spec)["x"]["field"]] == ["A", "A (3)", "A (2)", "", "(2)"]


def test_distinct_categories_and_dot_plots_keep_their_labels() -> None:
    assert only(plan(SALES, "A bar chart"))["x"]["field"] == "Region"
    data = {"Group": ["a", "b", "a", "b"], "Score": [1, 2, 3, 4]}
    spec = plan(data, "A dot plot of the scores")
    assert (only(spec)["kind"], only(spec)["x"]["field"]) == ("scatter", "Group")
    assert not any("numbered" in note for note in spec["notes"])


def test_a_repeating_x_stays_a_series_of_bars_and_the_x_of_a_line() -> None:
    data = {"Year": [2020, 2020, 2021], "Sales": [1, 2, 3]}
    bars = only(plan(data, "A bar chart"))
    assert (bars["x"]["field"], fields(bars)) == (None, ["Year", "Sales"])
    line = only(plan(data, "A line chart"))
    assert (line["x"]["field"], fields(line)) == ("Year", ["Sales"])


# Heatmap values are numbers ---------------------------------------------------------------

def heatmap_value_columns(spec: dict[str, Any]) -> list[list[Any]]:
    return [spec["data"][s["field"]] for p in spec["panels"] if p["kind"] == "heatmap"
            for s in p["series"]]


@pytest.mark.parametrize(("data", "intent"), [
    ({"Source": ["a", "b", "c"], "Target": ["b", "c", "a"], "Kind": ["x", "x", "y"]},
     "A directed network graph"),
    ({"Source": ["a", "b", "c"], "Target": ["b", "c", "a"], "Kind": ["x", "x", "y"],
      "Weight": [1, 2, 3]}, "A network graph"),
    ({"Row": ["a", "a", "b", "b"], "Col": ["x", "y", "x", "y"], "Note": ["p", "q", "r", "s"],
      "V": [1, 2, 3, 4]}, "A heatmap"),
    ({"Row": ["a", "b"], "Note": ["x", "y"], "V": [1, 2], "W": [3, 4]}, "A heatmap"),
    ({"Row": ["a", "a", "b"], "Col": ["x", "x", "y"], "V": [1, 2, 3]}, "A heatmap"),
])
def test_a_text_column_is_never_a_heatmap_value(data: dict[str, list[Any]], intent: str) -> None:
    spec = plan(data, intent)
    assert only(spec)["kind"] == "heatmap"
    for values in heatmap_value_columns(spec):
        assert not is_text(values)
    assert_all_drawn(data, spec)


def test_an_edge_list_without_numbers_colours_its_cells_by_the_text_column() -> None:
    data = {"Source": ["a", "b", "a", "a"], "Target": ["b", "a", "b", "a"],
            "Kind": ["x", "x", "y", "self"]}
    spec = plan(data, "A directed network graph")
    panel = only(spec)
    (s,) = panel["series"]
    assert (s["name"], s["color_field"], spec["data"][s["field"]]) == ("Kind", "Kind", [None] * 4)
    assert panel["x"]["field"] == "Target"
    assert spec["data"][panel["y"]["field"]] == ["a", "b", "a (2)", "a"]  # a -> b given twice
    assert any("carry no numbers" in note for note in spec["notes"])
    assert_all_drawn(data, spec)


def test_long_cells_given_twice_are_drawn_as_numbered_rows() -> None:
    data = {"Row": ["a", "a", "b"], "Col": ["x", "x", "y"], "V": [1, 2, 3]}
    spec = plan(data, "A heatmap")
    panel = only(spec)
    assert (fields(panel), panel["x"]["field"], panel["y"]["title"]) == (
        ["V"], None, "Row · Col")
    assert spec["data"][panel["y"]["field"]] == ["a · x", "a · x (2)", "b · y"]
    assert_all_drawn(data, spec)


# What cannot be drawn in 2-D ------------------------------------------------------------

@pytest.mark.parametrize(("data", "intent", "kind", "note"), [
    ({"Year": [1, 2], "Public": [3, 4], "Private": [5, 6]}, "A 3D bar chart", "bar",
     "grouped 2-D bars"),
    ({"Region": [1, 1, 2, 2], "Religion": ["a", "b", "a", "b"], "N": [1, 2, 3, 4]},
     "A 3D bar chart", "heatmap", "heatmap"),
    ({"Age": [20, 30, 40], "Income": [1, 2, 3], "Debt": [3, 1, 2]}, "A 3D scatter plot",
     "scatter", "marker colour"),
    ({"Dept": ["a", "b"], "Start": [1, 2], "Change": [1, -1]}, "An arrow chart", "bar",
     "arrow chart"),
    ({"Source": ["a", "b", "c"], "Target": ["b", "c", "a"], "Kind": ["x", "x", "y"]},
     "A directed network graph", "heatmap", "network graph"),
    (SALES, "A line chart with an inset zoom", "line", "inset"),
    (SALES, "A dual-axis bar chart", "bar", "value axes"),
])
def test_what_2d_cannot_show_degrades_with_a_note(data: Any, intent: str, kind: str,
                                                  note: str) -> None:
    spec = plan(data, intent)
    assert spec["panels"][0]["kind"] == kind
    assert any(note in n for n in spec["notes"]), spec["notes"]
    assert_all_drawn(data, spec)


# Data shapes ----------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "columns"), [
    ([{"name": "a", "v": 1}, {"name": "b", "v": 2.5, "w": 3}],
     {"name": ["a", "b"], "v": [1, 2.5], "w": [None, 3]}),
    ([["name", "v"], ["a", 1], ["b", None]], {"name": ["a", "b"], "v": [1, None]}),
    ([3, 1.5, None], {"index": [1, 2, 3], "value": [3, 1.5, None]}),
    ({"a": 1, "b": 2.5}, {"label": ["a", "b"], "value": [1, 2.5]}),
    ({"A": {"x": 1, "y": 2}, "B": {"x": 3}}, {"label": ["x", "y"], "A": [1, 2], "B": [3, None]}),
    ({"y_labels": ["r1", "r2"], "x_labels": ["c1", "c2"], "z": [[1, 2], [3, 4]]},
     {"y_labels": ["r1", "r2"], "c1": [1, 3], "c2": [2, 4]}),
    ({"rows": ["r1", "r2"], "cols": ["c1", "c2"], "matrix": [[1, 2], [3, 4]]},
     {"rows": ["r1", "r2"], "c1": [1, 3], "c2": [2, 4]}),
    ({"data": [{"v": 1}, {"v": 2}]}, {"v": [1, 2]}),
])
def test_every_shape_becomes_columns_value_for_value(data: Any, columns: dict[str, list[Any]]
                                                     ) -> None:
    spec = plan(data, "A bar chart")
    assert {k: v for k, v in spec["data"].items() if k in columns} == columns
    assert_all_drawn(data, spec)


@pytest.mark.parametrize(("data", "message"), [
    ({}, "the object is empty"),
    ([], "the list is empty"),
    ({"a": [], "b": []}, "every column is empty"),
    ({"a": ["x", "y"], "b": [None, "z"]}, "no value is a number"),
    ({"a": [1, 2, 3, 4, 5], "b": ["w", "x", "y", "z"]},
     "column 'b' has 4 values but 'a' has 5 and they cannot be paired"),
    ({"rows": ["a", "b"], "values": [[1, 2], [3]]}, "row 2 has 1 values but .* row 1 has 2"),
    ({"rows": ["a"], "values": [[1, 2], [3, 4]]}, "'rows' has 1 labels but the matrix has 2"),
    ({"a": [1, {"b": 2}]}, "column 'a' row 2 holds a object"),
    ({"a": [1, 2], "title": "x"}, "key 'title' holds a string"),
    ([1, [2], {"a": 3}], "mixes objects, lists and single values"),
    ("text", "expected an object or a list, got a string"),
])
def test_unplottable_data_is_refused_with_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(PlotDataError, match=message):
        PLANNER.plan(data, "A bar chart")


def test_planning_is_deterministic_and_leaves_the_input_alone() -> None:
    data = copy.deepcopy(SALES)
    first = PLANNER.plan(data, "A grouped bar chart titled Sales")
    assert data == SALES
    assert PLANNER.plan(data, "A grouped bar chart titled Sales") == first


# Properties over generated data -------------------------------------------------------

NAMES = st.one_of(st.text(st.sampled_from("abcXYZ _-12"), min_size=1, max_size=8),
                  st.sampled_from(["Year", "Error", "Std", "Lower", "Upper", "Min", "Max",
                                   "Size", "Label", "Group A", "Group_A_Error", "Location X",
                                   "Location Y", "Ax1_Value", "Volatility", "index", "label"]))
NUMBER = st.one_of(st.integers(-10**6, 10**6),
                   st.floats(allow_nan=False, allow_infinity=False, width=64))
CELL = st.one_of(NUMBER, NUMBER, st.none(), st.sampled_from(["a", "b", "Error", ""]))
INTENTS = st.sampled_from([
    "", "A bar chart", "A horizontal stacked bar chart with error bars", "A line chart on a log "
    "scale", "A scatter plot with a trend line", "A bubble chart", "A pie chart", "A heatmap",
    "A histogram with 10 bins", "A box plot", "A radar chart", "A 3D bar chart",
    "A figure with 2 subplots: (1) a bar chart of a, (2) a line chart of b",
    "A figure with 3 subplots, each a donut chart", "An arrow chart", "A network graph",
    "A line chart with a shaded band (size of the desired plot: width=5.0, height=3.0)"])


def with_a_number(columns: dict[str, list[Any]]) -> bool:
    return any(is_number(v) for values in columns.values() for v in values)


@st.composite
def tables(draw: st.DrawFn, lengths: st.SearchStrategy[int] = st.just(0)
           ) -> dict[str, list[Any]]:
    """Columns of one length, or of a few lengths when `lengths` draws more than 0."""
    rows = draw(st.integers(1, 8))
    names = draw(st.lists(NAMES, min_size=1, max_size=6, unique=True))
    sizes = {name: rows + draw(lengths) for name in names}
    return {name: draw(st.lists(CELL, min_size=n, max_size=n)) for name, n in sizes.items()}


@st.composite
def matrices(draw: st.DrawFn) -> dict[str, Any]:
    rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    keys = draw(st.sampled_from([("rows", "cols", "values"), ("y_labels", "x_labels", "z"),
                                 ("rows", "cols", "matrix")]))
    return {keys[0]: draw(st.lists(NAMES, min_size=rows, max_size=rows)),
            keys[1]: draw(st.lists(NAMES, min_size=cols, max_size=cols, unique=True)),
            keys[2]: draw(st.lists(st.lists(NUMBER, min_size=cols, max_size=cols),
                                   min_size=rows, max_size=rows))}


SHAPES = st.one_of(
    tables().filter(with_a_number),
    tables().filter(with_a_number).map(
        lambda t: [dict(zip(t, row)) for row in zip(*t.values())]),
    st.lists(NUMBER, min_size=1, max_size=30),
    matrices(),
    st.dictionaries(NAMES, NUMBER, min_size=1, max_size=8),
)


@settings(max_examples=1000, deadline=None)
@given(data=SHAPES, intent=INTENTS)
def test_any_plottable_shape_gives_a_valid_spec_drawing_every_number(data: Any,
                                                                     intent: str) -> None:
    assert_all_drawn(data, plan(data, intent))


@settings(max_examples=600, deadline=None)
@given(data=tables(lengths=st.integers(0, 2)), intent=INTENTS)
def test_any_table_is_planned_or_refused_with_a_plot_data_error(data: dict[str, list[Any]],
                                                                intent: str) -> None:
    lengths = {len(values) for values in data.values()}
    by_length = [{c: v for c, v in data.items() if len(v) == n} for n in lengths]
    try:
        spec = plan(data, intent)
    except PlotDataError as error:
        assert str(error).startswith("data_json: ")
        assert not all(with_a_number(group) for group in by_length)
    else:
        assert_all_drawn(data, spec)


@settings(max_examples=400, deadline=None)
@given(data=tables(), intent=st.sampled_from(["A heatmap", "A network graph", "A 3D bar chart",
                                             "A confusion matrix"]))
def test_no_table_puts_a_text_column_into_heatmap_cells(data: dict[str, list[Any]],
                                                         intent: str) -> None:
    try:
        spec = plan(data, intent)
    except PlotDataError:
        return
    assert not any(is_text(values) for values in heatmap_value_columns(spec))


# The benchmark --------------------------------------------------------------------------

KIND_OF_CATEGORY = {"line": {"line", "area"}, "bar": {"bar"}, "scatter": {"scatter"},
                    "tree_pie": {"pie", "donut", "treemap"}, "radar": {"radar"},
                    "heatmap": {"heatmap"}}


def test_every_benchmark_case_is_planned_and_the_kind_matches_its_category() -> None:
    cases = json.loads(BENCHMARK.read_text())
    assert len(cases) == 240
    matched: Counter[str] = Counter()
    for case in cases:
        spec = plan(case["content"], case["visual_intent"])
        assert_all_drawn(case["content"], spec)
        expected = KIND_OF_CATEGORY.get(case["category"])
        matched[case["category"]] += expected is None or spec["panels"][0]["kind"] in expected
    rates = {category: matched[category] / count for category, count in
             Counter(case["category"] for case in cases).items()}
    print("kind match by category:", {c: round(r, 3) for c, r in sorted(rates.items())})
    assert sum(matched.values()) >= 0.9 * len(cases), rates


def test_benchmark_plans_keep_panel_titles_and_sizes() -> None:
    cases = {case["id"]: case for case in json.loads(BENCHMARK.read_text())}
    spec = plan(cases["ref_51"]["content"], cases["ref_51"]["visual_intent"])
    assert [p["title"] for p in spec["panels"]] == [
        "(a) Weekly Clicks", "(b) Weekly Shares", "(c) Weekly Views", "(d) Weekly Likes"]
    assert [p["x"]["field"] for p in spec["panels"]] == [
        "Clicks_Weeks", "Shares_Weeks", "Views_Weeks", "Likes_Weeks"]
    assert (spec["width"], spec["height"], spec["grid"]) == (750, 600, {"rows": 2, "cols": 2})
