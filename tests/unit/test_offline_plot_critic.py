"""The offline critic finds what can be checked and proposes a fixed spec."""

from __future__ import annotations

import copy

from adapters.offline_plot_critic import OfflinePlotCritic
from application.plots.spec import axis, new_spec, panel, series, used_columns, validate
from application.ports import RenderedFigure
from tests.fakes import tiny_png

STYLE = {"tick_size": 12, "legend_size": 11, "value_label_size": 11, "title_size": 16,
         "axis_label_size": 13, "min_font_px": 9}


def rendered_for(spec: dict) -> RenderedFigure:
    return RenderedFigure(png=tiny_png(spec["width"] * 3, spec["height"] * 3), svg=b"<svg/>",
                        width=spec["width"], height=spec["height"], scale=3)


def bar_spec(labels: list[str], values: list[float], **options) -> dict:
    spec = new_spec({"label": labels, "value": values},
                    [panel("bar", axis("label", "Label", "category"), axis(None, "Value"),
                           [series("Value", "value")], **options)],
                    width=400, height=300)
    spec["style"] = dict(STYLE)
    return spec


def review(spec: dict):
    return OfflinePlotCritic().review(spec, rendered_for(spec), "")


def test_a_clean_spec_gets_no_changes() -> None:
    critique = review(bar_spec(["a", "b", "c"], [1.0, 2.0, 3.0]))
    assert critique.revised is None
    assert critique.notes == ["no changes: every check passed"]


def test_long_tick_labels_are_rotated() -> None:
    labels = [f"a long category name {i}" for i in range(8)]
    first = review(bar_spec(labels, list(range(8))))
    assert first.revised["panels"][0]["x"]["tick_angle"] == 45
    assert any("rotated" in note for note in first.notes)
    assert review(first.revised).revised is None


def test_crowded_tick_labels_go_vertical_then_widen_the_figure() -> None:
    labels = [f"category {i}" for i in range(40)]
    spec = bar_spec(labels, list(range(40)))
    for _ in range(2):
        spec = review(spec).revised
    assert spec["panels"][0]["x"]["tick_angle"] == 90
    widened = review(spec).revised
    assert widened["width"] > spec["width"]
    assert review(widened).revised is None


def test_a_legend_over_the_data_moves_outside() -> None:
    data = {"x": [1, 2, 3, 4], "a": [1, 2, 3, 10], "b": [2, 3, 4, 9]}
    spec = new_spec(data, [panel("line", axis("x", "x"), axis(None, "y"),
                                 [series("first series", "a"), series("second series", "b")])],
                    width=600, height=400)
    spec["style"] = dict(STYLE)
    critique = review(spec)
    assert critique.revised["panels"][0]["legend"] == "right"


def test_an_unplotted_numeric_column_is_added() -> None:
    spec = bar_spec(["a", "b"], [1.0, 2.0])
    spec["data"]["forgotten"] = [3.0, 4.0]
    critique = review(spec)
    assert "forgotten" in used_columns(critique.revised)
    assert validate(critique.revised) == []


def test_small_text_is_raised_to_the_minimum_and_axis_titles_are_filled() -> None:
    spec = bar_spec(["a", "b"], [1.0, 2.0])
    spec["style"]["tick_size"] = 6
    spec["panels"][0]["x"]["title"] = None
    critique = review(spec)
    assert critique.revised["style"]["tick_size"] == 9
    assert critique.revised["panels"][0]["x"]["title"] == "Label"


def test_value_labels_that_cannot_fit_are_shrunk_or_removed() -> None:
    many = bar_spec([str(i) for i in range(60)], [123456.789] * 60, value_labels=True)
    critique = review(many)
    assert critique.revised["panels"][0]["value_labels"] is False
    few = bar_spec([str(i) for i in range(9)], [1234.5] * 9, value_labels=True)
    critique = review(few)
    assert critique.revised["style"]["value_label_size"] < STYLE["value_label_size"]


def test_an_extreme_aspect_ratio_is_corrected() -> None:
    spec = bar_spec(["a", "b"], [1.0, 2.0])
    spec["width"], spec["height"] = 1200, 200
    assert review(spec).revised["height"] > 200


def test_the_critic_never_changes_its_input_or_the_data() -> None:
    spec = bar_spec([f"long label {i}" for i in range(9)], list(range(9)), value_labels=True)
    before = copy.deepcopy(spec)
    critique = review(spec)
    assert spec == before
    assert critique.revised["data"] == before["data"]
