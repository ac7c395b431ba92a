"""Every benchmark case goes the whole offline way: plan -> style -> build_figure (no browser).

For each of the 240 cases of plot-ref.json the planned and the styled spec are valid, every
number of the input sits unchanged in a column some panel draws, and Bokeh builds the figure.
Also end to end: the two general fixes the benchmark asked for (repeated bar categories are
numbered, never merged; a text column is never a heatmap's values).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bokeh.models import ColumnDataSource, FactorRange, GlyphRenderer, LayoutDOM, Legend
from bokeh.plotting import figure

from adapters.bokeh_plot_builder import build_figure
from adapters.house_plot_stylist import HousePlotStylist
from adapters.offline_plot_planner import OfflinePlotPlanner
from application.plots.spec import is_number, used_columns, validate

BENCHMARK = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "plot-ref.json"
CASES: list[dict[str, Any]] = json.loads(BENCHMARK.read_text())
PLANNER, STYLIST = OfflinePlotPlanner(), HousePlotStylist()


def scalars(value: Any) -> Iterator[Any]:
    """Every scalar inside a JSON value."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            yield item


def numbers(value: Any) -> Counter[str]:
    """The numbers inside a JSON value, typed, so 1 and 1.0 or 0.0 and -0.0 differ."""
    return Counter(f"{type(v).__name__}:{v!r}" for v in scalars(value) if is_number(v))


def pipeline(content: Any, intent: str) -> tuple[dict[str, Any], LayoutDOM]:
    spec = PLANNER.plan(content, intent)
    assert validate(spec) == []
    styled = STYLIST.style(spec, intent)
    assert validate(styled) == []
    return styled, build_figure(styled)


def test_the_benchmark_has_240_cases_with_distinct_ids() -> None:
    assert len(CASES) == 240
    assert len({case["id"] for case in CASES}) == 240


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_benchmark_case_is_planned_styled_and_built(case: dict[str, Any]) -> None:
    spec, layout = pipeline(case["content"], case["visual_intent"])
    assert isinstance(layout, LayoutDOM)
    drawn = {column: spec["data"][column] for column in used_columns(spec)}
    missing = numbers(case["content"]) - numbers(drawn)
    assert missing == Counter(), f"input numbers not drawn (or changed): {sorted(missing)[:5]}"


# The general fixes, end to end ------------------------------------------------------------

def plots(layout: LayoutDOM) -> list[figure]:
    return [layout] if isinstance(layout, figure) else [
        p for child in getattr(layout, "children", []) for p in plots(
            child[0] if isinstance(child, tuple) else child)]


def sources(layout: LayoutDOM) -> list[ColumnDataSource]:
    """The distinct data sources of the glyphs."""
    found = {id(r.data_source): r.data_source for fig in plots(layout) for r in fig.renderers
             if isinstance(r, GlyphRenderer)}
    return list(found.values())


@pytest.mark.parametrize("intent", ["A bar chart", "A horizontal stacked bar chart",
                                    "A broken horizontal bar chart", "A line chart",
                                    "A pie chart", "A radar chart"])
def test_repeated_categories_keep_every_value_in_its_own_category(intent: str) -> None:
    data = {"Country": ["A", "A", "B", "A", "C"], "Start": [1950, 1985, 1960, 2000, 1970],
            "Years": [30, 10, 15, 20, 5]}
    spec, layout = pipeline(data, intent)
    assert all(spec["data"][c] == v for c, v in data.items())
    drawn = [v for src in sources(layout) if "value" in src.data for v in src.data["value"]]
    assert sorted(drawn) == sorted(data["Start"] + data["Years"])  # nothing summed or dropped
    assert any("numbered" in note for note in spec["notes"])


def test_subplots_by_repeating_blocks_still_get_one_bar_per_row() -> None:
    data = {"Configuration": ["p", "p", "q", "q", "p", "p"], "Metric": ["m", "n"] * 3,
            "Value": [0.7, 0.8, 0.75, 0.85, 0.72, 0.81], "Error": [0.01] * 6}
    spec, layout = pipeline(data, "A figure with 3 subplots, each a horizontal bar chart "
                                  "with error bars")
    (fig,) = plots(layout)
    assert isinstance(fig.y_range, FactorRange) and len(set(fig.y_range.factors)) == 6
    assert "p · m (2)" in fig.y_range.factors


def test_an_edge_list_without_numbers_is_an_adjacency_heatmap_coloured_by_kind() -> None:
    data = {"Source": ["a", "b", "c", "a"], "Target": ["b", "c", "a", "a"],
            "Kind": ["link", "link", "link", "self"]}
    spec, layout = pipeline(data, "A directed network graph of the links")
    (p,) = spec["panels"]
    assert p["kind"] == "heatmap" and p["x"]["field"] == "Target" and p["y"]["field"] == "Source"
    assert all(s["field"] not in data for s in p["series"])  # the text is not the cell value
    assert [s["color_field"] for s in p["series"]] == ["Kind"]
    (fig,) = plots(layout)
    legend = next(item for item in fig.center + fig.right if isinstance(item, Legend))
    assert [item.label.value for item in legend.items] == ["link", "self"]
