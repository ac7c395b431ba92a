"""Descriptions state only what the spec and its data show."""

from application.plots.description import describe
from application.plots.spec import axis, new_spec, panel, series


def test_description_names_kind_title_series_and_extremes() -> None:
    spec = new_spec({"model": ["A", "B", "C"], "acc": [70.5, 90.25, 80.0]},
                    [panel("bar", axis("model", "Model", "category"), axis(None, "Accuracy"),
                           [series("Accuracy", "acc")])], title="Results")
    text = describe(spec)
    assert text.startswith('A bar chart titled "Results".')
    assert "from 70.5 at A to 90.25 at B" in text


def test_multi_panel_description_and_notes() -> None:
    spec = new_spec({"x": [1, 2], "y": [3, 4], "z": [5, 6]},
                    [panel("line", axis("x", "x"), axis(None, "y"), [series("y", "y")],
                           title="(a)"),
                     panel("scatter", axis("x", "x"), axis(None, "z"), [series("z", "z")])],
                    cols=2, notes=["The requested 3-D chart is drawn in 2-D."])
    text = describe(spec)
    assert text.startswith("A figure of 2 panels (line chart, scatter plot).")
    assert 'Panel 1 ("(a)")' in text and text.endswith("The requested 3-D chart is drawn in 2-D.")
