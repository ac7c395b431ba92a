"""build_figure draws every chart kind from the spec's own numbers; inspected as Bokeh models."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest
from bokeh.core.validation import check_integrity
from bokeh.models import (
    Column,
    ColumnDataSource,
    FactorRange,
    GlyphRenderer,
    GridPlot,
    Label,
    LabelSet,
    LayoutDOM,
    Legend,
    LogScale,
    Range1d,
    Span,
    Whisker,
)
from bokeh.plotting import figure

from adapters.bokeh_charts_tiles import _squarify
from adapters.bokeh_plot_builder import DRAWERS, build_figure
from adapters.house_plot_stylist import HousePlotStylist, house_style
from application.plots.spec import CHART_KINDS, axis, new_spec, panel, series

DATA: dict[str, list[Any]] = {
    "city": ["Tokyo", "東京", "Paris", "Lagos"], "year": [2015, 2016, 2017, 2018],
    "a": [12, 18.5, None, 40], "b": [6, -12, 18, 24], "err": [1, 2, 1.5, -3],
    "lo": [10, 15, 16, 35], "hi": [14, 22, 20, 45], "size": [100, 400, 900, 1600],
}
SAMPLES: dict[str, list[Any]] = {
    "v": [1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 20.0, None],
    "w": [2.0, 2.2, 2.4, 3.0, 3.1, 3.3, 3.9, 4.1, 4.2, 4.4],
    "group": ["g1", "g2"] * 5,
}
XY_KINDS = ("bar", "line", "scatter", "area")


def one(kind: str, x: dict[str, Any] | None = None, y: dict[str, Any] | None = None,
        names: tuple[str, ...] = ("a", "b"), data: dict[str, list[Any]] | None = None,
        **options: Any) -> dict[str, Any]:
    """A one-panel spec of `kind` over DATA (or SAMPLES for distributions)."""
    if data is None:
        data = SAMPLES if kind in ("histogram", "box", "violin") else DATA
    if kind in ("histogram", "box", "violin") and names == ("a", "b"):
        names = ("v", "w")
    default_x = (axis("year", "Year") if kind in ("line", "scatter", "area")
                 else axis(title="Series") if data is SAMPLES else axis("city", "City"))
    p = panel(kind, x or default_x, y or axis(title="Value"),
              [series(n.upper(), n) for n in names], **options)
    return new_spec(data, [p], title="Figure", width=640, height=420)


def small_spec(kind: str) -> dict[str, Any]:
    if kind in ("pie", "donut", "treemap"):
        return one(kind, names=("size",))
    if kind == "radar":
        return one(kind, names=("size", "hi"))
    if kind == "histogram":
        return one(kind, x=axis(title="v"))
    return one(kind)


def plots(layout: LayoutDOM) -> list[figure]:
    if isinstance(layout, figure):
        return [layout]
    if isinstance(layout, GridPlot):
        return [child for child, _, _ in layout.children]
    return [p for child in layout.children for p in plots(child)]


def sources(fig: figure) -> list[ColumnDataSource]:
    """The distinct data sources of a figure's glyphs, in drawing order."""
    found = [r.data_source for r in fig.renderers if isinstance(r, GlyphRenderer)]
    return [s for i, s in enumerate(found) if s not in found[:i]]


def with_column(fig: figure, name: str) -> list[ColumnDataSource]:
    return [s for s in sources(fig) if name in s.data]


def same(a: Any, b: list[Any]) -> bool:
    """Equal numbers, with None in the spec drawn as NaN."""
    return np.array_equal(np.asarray(a, dtype=float),
                          np.array([np.nan if v is None else v for v in b], dtype=float),
                          equal_nan=True)


def assert_drawable(layout: LayoutDOM) -> None:
    issues = check_integrity(layout.references())
    assert not issues.error, issues.error


def test_every_chart_kind_has_a_drawer() -> None:
    assert set(DRAWERS) == set(CHART_KINDS)


@pytest.mark.parametrize("styled", [False, True])
@pytest.mark.parametrize("kind", CHART_KINDS)
def test_every_kind_draws_one_figure_of_the_spec_size_without_tools(kind: str,
                                                                    styled: bool) -> None:
    spec = small_spec(kind)
    layout = build_figure(HousePlotStylist().style(spec, "") if styled else spec)
    assert isinstance(layout, figure)
    assert (layout.width, layout.height) == (640, 420)
    assert layout.toolbar_location is None and layout.toolbar.tools == []
    assert layout.output_backend == "canvas"
    assert layout.title.text == "Figure"
    assert_drawable(layout)


@pytest.mark.parametrize("kind", XY_KINDS)
def test_sources_hold_exactly_the_input_numbers(kind: str) -> None:
    fig = build_figure(one(kind))
    values = [s.data["value"] for s in with_column(fig, "value")]
    assert any(same(v, DATA["a"]) for v in values)
    assert any(same(v, DATA["b"]) for v in values)


def test_the_builder_does_not_change_the_spec() -> None:
    spec = HousePlotStylist().style(one("bar", stacking="stacked", value_labels=True), "")
    before = copy.deepcopy(spec)
    build_figure(spec)
    assert spec == before


def test_grouped_bars_are_dodged_side_by_side() -> None:
    fig = build_figure(one("bar", stacking="grouped"))
    bars = [r for r in fig.renderers if type(r.glyph).__name__ == "VBar"]
    offsets = [r.glyph.x.transform.value for r in bars]
    assert len(bars) == 2 and offsets[0] < 0 < offsets[1]
    assert isinstance(fig.x_range, FactorRange)
    assert list(fig.x_range.factors) == ["Tokyo", "東京", "Paris", "Lagos"]


def test_stacked_bars_stack_positives_up_and_negatives_down() -> None:
    fig = build_figure(one("bar", stacking="stacked"))
    first, second = with_column(fig, "start")
    assert same(first.data["end"], [12, 18.5, None, 40])
    assert same(second.data["start"], [12, 0, 0, 40])
    assert same(second.data["end"], [18, -12, 18, 64])


def test_horizontal_bars_list_categories_top_down() -> None:
    fig = build_figure(one("bar", orientation="horizontal"))
    assert {type(r.glyph).__name__ for r in fig.renderers} == {"HBar"}
    assert list(fig.y_range.factors) == ["Lagos", "Paris", "東京", "Tokyo"]
    assert fig.xaxis[0].axis_label == "Value" and fig.yaxis[0].axis_label == "City"


def test_diverging_bars_keep_zero_on_the_value_axis() -> None:
    fig = build_figure(one("bar", names=("b",)))
    assert fig.y_range.start < 0 < fig.y_range.end


def test_error_bars_and_value_labels() -> None:
    spec = one("bar", names=("a",), value_labels=True)
    spec["panels"][0]["series"][0]["error"] = "err"
    fig = build_figure(spec)
    whisker = next(a for a in fig.center if isinstance(a, Whisker))
    assert same(whisker.source.data["upper"], [13, 20.5, None, 43])
    assert same(whisker.source.data["lower"], [11, 16.5, None, 37])
    labels = next(a for a in fig.center if isinstance(a, LabelSet))
    assert labels.source.data["text"] == ["12", "18.5", "", "40"]


def test_numbers_that_are_categories_become_strings_only_there() -> None:
    fig = build_figure(one("bar", x=axis("year", scale="category")))
    assert list(fig.x_range.factors) == ["2015", "2016", "2017", "2018"]
    line = build_figure(one("line"))
    assert same(with_column(line, "x")[0].data["x"], DATA["year"])


def test_log_scale_and_axis_range() -> None:
    fig = build_figure(one("line", y=axis(title="V", scale="log", range_=[1, 100]), names=("a",)))
    assert isinstance(fig.y_scale, LogScale)
    assert isinstance(fig.y_range, Range1d) and (fig.y_range.start, fig.y_range.end) == (1, 100)


def test_line_band_markers_and_gaps() -> None:
    spec = one("line", names=("a",), markers=True)
    spec["panels"][0]["series"][0].update(band_lower="lo", band_upper="hi")
    fig = build_figure(spec)
    kinds = {type(r.glyph).__name__ for r in fig.renderers}
    assert {"Line", "Scatter", "VArea"} <= kinds
    band = with_column(fig, "band_lower")[0]
    assert same(band.data["band_lower"], DATA["lo"]) and same(band.data["band_upper"], DATA["hi"])
    assert math.isnan(band.data["value"][2])


def test_one_sided_spreads_are_edges_or_offsets_as_the_numbers_say() -> None:
    spec = one("scatter", names=("a",))
    spec["panels"][0]["series"][0].update(error_lower="err", error_upper="hi")
    source = with_column(build_figure(spec), "lower")[0]
    assert same(source.data["lower"], [11, 16.5, None, 37])  # |err| below the value
    assert same(source.data["upper"], DATA["hi"])  # hi bounds every value from above


def test_scatter_trend_line_is_the_least_squares_fit() -> None:
    fig = build_figure(one("scatter", names=("b",), trend_line=True))
    fit = next(s for s in sources(fig) if "y" in s.data)
    slope, intercept = np.polyfit(DATA["year"], DATA["b"], 1)
    assert fit.data["x"][0] == 2015 and fit.data["x"][-1] == 2018
    assert np.allclose(fit.data["y"], slope * np.asarray(fit.data["x"]) + intercept)


def test_a_trend_over_ordered_categories_fits_their_positions() -> None:
    fig = build_figure(one("line", x=axis("city"), names=("b",), trend_line=True))
    fit = next(s for s in sources(fig) if "y" in s.data)
    slope, intercept = np.polyfit([0.5, 1.5, 2.5, 3.5], DATA["b"], 1)
    assert np.allclose(fit.data["y"], slope * np.asarray(fit.data["x"]) + intercept)


def test_scatter_bubbles_labels_and_highlight() -> None:
    spec = one("scatter", names=("b",), highlight=[{"series": "B", "index": 2}])
    spec["panels"][0]["series"][0].update(size_field="size", label_field="city")
    fig = build_figure(spec)
    points = with_column(fig, "size")[0]
    assert np.all(np.diff(points.data["size"]) > 0)
    labels = next(a for a in fig.center if isinstance(a, LabelSet))
    assert labels.source.data["text"] == DATA["city"]
    ring = next(s for s in sources(fig) if list(s.data.get("value", [])) == [18])
    assert list(ring.data["x"]) == [2017]


def test_stacked_areas() -> None:
    fig = build_figure(one("area", names=("lo", "hi"), stacking="stacked"))
    _, upper = with_column(fig, "start")
    assert same(upper.data["start"], DATA["lo"])
    assert same(upper.data["end"], np.add(DATA["lo"], DATA["hi"]).tolist())


def test_histogram_bins_every_number() -> None:
    fig = build_figure(one("histogram", names=("v",), bins=4))
    counts = with_column(fig, "count")[0].data
    assert len(counts["count"]) == 4 and sum(counts["count"]) == 9
    assert counts["low"][0] == 1.0 and counts["high"][-1] == 20.0


def test_box_quartiles_come_from_the_data_by_category() -> None:
    fig = build_figure(one("box", x=axis("group", "Group")))
    summary = with_column(fig, "q1")[0].data
    g1 = [v for v, g in zip(SAMPLES["v"], SAMPLES["group"]) if g == "g1" and v is not None]
    assert summary["category"] == ["g1", "g2"]
    assert summary["values"][0] == g1
    assert np.allclose([summary["q1"][0], summary["q2"][0], summary["q3"][0]],
                       np.percentile(g1, [25, 50, 75]))
    outliers = next(s for s in sources(fig) if list(s.data.get("value", [])) == [20.0])
    assert outliers.data["category"] == ["g1"]


def test_violin_densities_integrate_to_one() -> None:
    fig = build_figure(one("violin"))
    for shape in with_column(fig, "density"):
        assert np.trapezoid(shape.data["density"], shape.data["at"]) == pytest.approx(1, abs=0.05)


@pytest.mark.parametrize("x_field, y_field", [("city", None), (None, "city")])
def test_wide_heatmap_puts_categories_on_the_axis_that_names_them(x_field: str | None,
                                                                   y_field: str | None) -> None:
    spec = one("heatmap", x=axis(x_field), y=axis(y_field), annotate_cells=True)
    fig = build_figure(spec)
    cells = with_column(fig, "value")[0].data
    categories = fig.x_range if x_field else fig.y_range
    assert set(categories.factors) == set(DATA["city"])
    assert same(cells["value"], DATA["a"] + DATA["b"])
    assert any(type(r.glyph).__name__ == "Text" for r in fig.renderers)
    assert any(type(a).__name__ == "ColorBar" for a in fig.right)


def test_long_heatmap_and_its_series_as_rows() -> None:
    data = {"x": ["p", "q", "p", "q"], "y": ["r", "r", "s", "s"], "v": [1, 2, 3, None],
            "w": [5, 6, 7, 8]}
    fig = build_figure(one("heatmap", x=axis("x"), y=axis("y"), names=("v",), data=data))
    cells = with_column(fig, "value")[0].data
    assert cells["x"] == data["x"] and cells["y"] == data["y"] and same(cells["value"], data["v"])
    both = one("heatmap", x=axis("x"), y=axis("y"), names=("v", "w"), data=data)
    two = with_column(build_figure(both), "value")
    assert two[0].data["y"][4:] == ["r · W", "r · W", "s · W", "s · W"]
    assert same(two[0].data["value"], data["v"] + data["w"])


def test_a_heatmap_cell_given_twice_is_an_error() -> None:
    data = {"x": ["p", "p"], "y": ["r", "r"], "v": [1, 2]}
    with pytest.raises(ValueError, match="two values for one cell"):
        build_figure(one("heatmap", x=axis("x"), y=axis("y"), names=("v",), data=data))


@pytest.mark.parametrize("values, diverging", [([0.9, -0.7, 0.1, 0.3], True),
                                               ([5, -0.1, 3, 4], False)])
def test_heatmap_colours_diverge_only_around_a_meaningful_zero(values: list[float],
                                                              diverging: bool) -> None:
    fig = build_figure(one("heatmap", x=axis("city"), names=("v",), data={**DATA, "v": values}))
    mapper = next(a for a in fig.right if type(a).__name__ == "ColorBar").color_mapper
    assert ("#053061" in mapper.palette) is diverging
    assert (mapper.low == -mapper.high) is diverging


def test_heatmap_cells_coloured_by_a_text_column_get_a_legend_not_a_colour_bar() -> None:
    data = {"src": ["a", "b", "a"], "dst": ["b", "a", "a"], "kind": ["link", "link", "self"],
            "weight": [None, None, None]}
    spec = one("heatmap", x=axis("dst"), y=axis("src"), names=("weight",), data=data)
    spec["panels"][0]["series"][0]["color_field"] = "kind"
    fig = build_figure(spec)
    cells = with_column(fig, "fill")[0].data
    palette = house_style(spec)["palette"]
    assert cells["fill"] == [palette[0], palette[0], palette[1]]
    assert not any(type(a).__name__ == "ColorBar" for a in fig.right)
    legend = next(a for a in fig.center + fig.right if isinstance(a, Legend))
    assert [i.label.value for i in legend.items] == ["link", "self"]
    assert legend.title == "kind"


def test_heatmap_cells_coloured_by_another_numeric_column_keep_their_values() -> None:
    spec = one("heatmap", x=axis("city"), names=("a",), annotate_cells=True)
    spec["panels"][0]["series"][0]["color_field"] = "size"
    fig = build_figure(spec)
    cells = with_column(fig, "shade")[0].data
    assert same(cells["shade"], DATA["size"]) and same(cells["value"], DATA["a"])
    bar = next(a for a in fig.right if type(a).__name__ == "ColorBar")
    assert (bar.title, bar.color_mapper.low, bar.color_mapper.high) == ("size", 100, 1600)


def test_heatmap_series_either_all_or_none_name_a_colour_column() -> None:
    spec = one("heatmap", x=axis("city"))
    spec["panels"][0]["series"][0]["color_field"] = "size"
    with pytest.raises(ValueError, match="every heatmap series or none"):
        build_figure(spec)


def test_categories_from_numbers_that_round_alike_stay_distinct() -> None:
    data = {"k": [1.001, 1.002, 2], "v": [1, 2, 3]}
    fig = build_figure(one("bar", x=axis("k", scale="category"), names=("v",), data=data))
    assert list(fig.x_range.factors) == ["1.001", "1.002", "2"]
    fig = build_figure(one("bar", x=axis("k", scale="category"), names=("v",),
                           data={"k": [1.5, 2.25, 3], "v": [1, 2, 3]}))
    assert list(fig.x_range.factors) == ["1.5", "2.25", "3"]


def test_horizontal_dot_plot_puts_categories_down_the_y_axis() -> None:
    spec = one("scatter", x=axis(title="Value"), y=axis("city", "City"), names=("a",),
               orientation="horizontal")
    spec["panels"][0]["series"][0]["error"] = "err"
    fig = build_figure(spec)
    assert list(fig.y_range.factors) == list(reversed(DATA["city"]))
    assert fig.xaxis[0].axis_label == "Value" and fig.yaxis[0].axis_label == "City"
    assert next(a for a in fig.center if isinstance(a, Whisker)).dimension == "width"


def test_horizontal_histogram() -> None:
    fig = build_figure(one("histogram", names=("v",), orientation="horizontal", bins=3))
    bars = next(r.glyph for r in fig.renderers if type(r.glyph).__name__ == "Quad")
    assert (bars.bottom, bars.top, bars.left, bars.right) == ("low", "high", "start", "end")


def test_long_titles_wrap_to_the_panel() -> None:
    spec = one("bar")
    spec["title"] = "A rather long title that will not fit on one line of a narrow figure"
    spec["width"] = 300
    assert "\n" in build_figure(spec).title.text


@pytest.mark.parametrize("kind", ["pie", "donut"])
def test_pie_wedges_share_the_circle_with_percentages(kind: str) -> None:
    fig = build_figure(one(kind, names=("size",)))
    wedges = with_column(fig, "share")[0].data
    assert same(wedges["value"], DATA["size"])
    assert wedges["start"][0] == pytest.approx(math.pi / 2)
    assert wedges["end"][-1] == pytest.approx(math.pi / 2 - 2 * math.pi)
    assert wedges["text"][0] == f"{100 * 100 / 3000:.1f}%"
    glyph = next(r.glyph for r in fig.renderers if type(r.glyph).__name__ == "AnnularWedge")
    assert (glyph.inner_radius > 0) == (kind == "donut")


def test_radar_polygons_carry_raw_values() -> None:
    fig = build_figure(one("radar", names=("size",)))
    polygon = with_column(fig, "value")[0].data
    assert same(polygon["value"], DATA["size"])
    radius = np.hypot(polygon["x"], polygon["y"])
    assert np.allclose(radius / radius.max(), np.array(DATA["size"]) / max(DATA["size"]))


def test_treemap_tiles_are_proportional_and_squarify_fills_its_box() -> None:
    fig = build_figure(one("treemap", names=("size",)))
    tiles = with_column(fig, "left")[0].data
    areas = (np.array(tiles["right"]) - tiles["left"]) * (np.array(tiles["bottom"]) - tiles["top"])
    assert np.allclose(areas / areas.sum(), np.array(tiles["value"]) / sum(DATA["size"]))
    rects = _squarify([6, 6, 4, 3, 2, 2, 1], (0, 0, 6, 4))
    assert sum(w * h for _, _, w, h in rects) == pytest.approx(24)
    assert all(x >= 0 and y >= 0 and x + w <= 6 + 1e-9 and y + h <= 4 + 1e-9
               for x, y, w, h in rects)


@pytest.mark.parametrize("where, side", [("right", "right"), ("above", "above"),
                                         ("bottom_left", "center")])
def test_legend_placement(where: str, side: str) -> None:
    fig = build_figure(one("line", legend=where))
    legends = [a for a in getattr(fig, side) if isinstance(a, Legend)]
    assert len(legends) == 1 and [i.label.value for i in legends[0].items] == ["A", "B"]
    if side == "center":
        assert legends[0].location == "bottom_left"


def test_no_legend_when_hidden_or_for_a_single_series() -> None:
    hidden = build_figure(one("line", legend="none"))
    single = build_figure(one("line", names=("a",)))
    assert not any(isinstance(a, Legend) for f in (hidden, single)
                   for a in f.center + f.right + f.above)


def test_style_fonts_sizes_and_colours_are_applied() -> None:
    spec = one("bar")
    spec["style"] = {**house_style(spec), "title_size": 21, "axis_label_size": 17,
                     "tick_size": 14, "palette": ["#111111", "#222222"], "grid": "none"}
    fig = build_figure(spec)
    assert fig.title.text_font_size == "21px" and "Noto Sans CJK SC" in fig.title.text_font
    assert fig.xaxis[0].axis_label_text_font_size == "17px"
    assert fig.yaxis[0].major_label_text_font_size == "14px"
    assert [r.glyph.fill_color for r in fig.renderers] == ["#111111", "#222222"]
    assert not any(g.visible for g in fig.grid)


def test_hidden_title_and_tick_angle() -> None:
    spec = one("bar", x=axis("city", tick_angle=45))
    spec["style"] = {"show_title": False}
    fig = build_figure(spec)
    assert not fig.title.text
    assert fig.xaxis[0].major_label_orientation == pytest.approx(math.pi / 4)


def test_reference_lines_are_spans_with_labels() -> None:
    fig = build_figure(one("bar", reference_lines=[{"axis": "y", "value": 20, "label": "goal"},
                                                   {"axis": "x", "value": 1.5, "label": None}]))
    spans = [a for a in fig.center if isinstance(a, Span)]
    assert [(s.location, s.dimension) for s in spans] == [(20, "width"), (1.5, "height")]
    assert [a.text for a in fig.center if isinstance(a, Label)] == ["goal"]


def test_highlighted_bar_is_outlined() -> None:
    fig = build_figure(one("bar", names=("a",), highlight=[{"series": "A", "index": 1}]))
    widths = with_column(fig, "line_width")[0].data["line_width"]
    assert widths[1] > widths[0] == widths[2]


def test_a_two_by_two_grid_splits_the_size_under_a_title_strip() -> None:
    panels = [panel(k, axis("city"), axis(), [series("A", "size")], title=f"P{i}")
              for i, k in enumerate(("bar", "pie", "line", "treemap"))]
    spec = new_spec(DATA, panels, title="Four", width=901, height=700, rows=2, cols=2)
    layout = build_figure(HousePlotStylist().style(spec, ""))
    assert isinstance(layout, Column)
    strip, grid = layout.children
    assert isinstance(grid, GridPlot) and len(grid.children) == 4
    figures = plots(grid)
    assert sorted({(r, c) for _, r, c in grid.children}) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert sum(f.width for f, r, _ in grid.children if r == 0) == 901
    assert strip.height + sum(f.height for f, _, c in grid.children if c == 0) == 700
    assert [f.title.text for f in figures] == ["P0", "P1", "P2", "P3"]
    assert_drawable(layout)


def test_a_grid_without_title_is_the_gridplot_itself() -> None:
    panels = [panel("bar", axis("city"), axis(), [series("A", "size")]) for _ in range(3)]
    layout = build_figure(new_spec(DATA, panels, rows=1, cols=3, width=900, height=300))
    assert isinstance(layout, GridPlot) and [f.height for f in plots(layout)] == [300] * 3


@pytest.mark.parametrize("spec, message", [
    (one("bar", names=("city",)), "holds 'Tokyo' at row 0, not a number"),
    (one("bar", x=axis("group"), names=("v",), data=SAMPLES), "more than once"),
    (one("treemap", names=("size", "hi")), "exactly one series"),
    (one("pie", names=("b",)), "non-negative"),
    (one("bar", names=("b",), y=axis(scale="log")), "log value axis"),
    (one("bar", x=axis("k"), names=("v",), data={"k": [1, 1.0], "v": [1, 2]}), "more than once"),
    (one("line", names=("a",), data={"a": [1, 2], "t": [1, 2, 3]}, x=axis("t")), "line up"),
])
def test_undrawable_specs_raise_value_error_naming_the_panel(spec: dict[str, Any],
                                                             message: str) -> None:
    with pytest.raises(ValueError, match="panel 1") as caught:
        build_figure(spec)
    assert message in str(caught.value)


def test_an_invalid_spec_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no column"):
        build_figure(one("bar", names=("missing",)))
