"""Draw a PlotSpec with Bokeh: a pure function from a validated, styled spec to a layout.

One panel gives one figure of the spec's size. Several panels give a gridplot of `cols`
columns and as many rows as they fill, the spec's size split evenly among the cells,
under a title strip (a text-only plot, so PNG and SVG exports both keep it) when the
figure has a title. Missing style keys take the house defaults. A spec that cannot be
drawn raises ValueError naming the panel.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from bokeh.core.properties import value
from bokeh.layouts import column, gridplot
from bokeh.models import (
    CustomJSTickFormatter,
    FactorRange,
    Label,
    LayoutDOM,
    Legend,
    Range1d,
    Span,
)
from bokeh.plotting import figure

from adapters.bokeh_charts_bar import draw_bar
from adapters.bokeh_charts_common import MIN_BORDER, Drawn, Json, Panel, wrap
from adapters.bokeh_charts_distribution import draw_box, draw_histogram, draw_violin
from adapters.bokeh_charts_radial import draw_pie, draw_radar
from adapters.bokeh_charts_tiles import draw_heatmap, draw_treemap
from adapters.bokeh_charts_xy import draw_area, draw_line, draw_scatter
from adapters.house_plot_stylist import house_style
from adapters.text_metrics import text_width
from application.plots.spec import check

DRAWERS: dict[str, Callable[[Panel], Drawn]] = {
    "bar": draw_bar, "line": draw_line, "scatter": draw_scatter, "area": draw_area,
    "histogram": draw_histogram, "box": draw_box, "violin": draw_violin,
    "heatmap": draw_heatmap, "pie": draw_pie, "donut": draw_pie, "radar": draw_radar,
    "treemap": draw_treemap}
GRID_COLOR = "#e5e5e5"
REFERENCE_COLOR = "#666666"
TITLE_SLACK = 24
"""Pixels a wide title keeps free, as the plot area's position is only estimated."""


def build_figure(spec: Json) -> LayoutDOM:
    check(spec)
    style = {**house_style(spec), **spec.get("style", {})}
    width, height = int(spec["width"]), int(spec["height"])
    panels = spec["panels"]
    title = spec.get("title") if style["show_title"] else None
    if len(panels) == 1:
        own = panels[0].get("title") if style["show_title"] else None
        return _draw(0, Panel(panels[0], spec["data"], style, width, height, title or own))
    cols = spec["grid"]["cols"]
    rows = math.ceil(len(panels) / cols)
    strip = _title_strip(title, width, style) if title else None
    widths, heights = _split(width, cols), _split(height - (strip.height if strip else 0), rows)
    plots = [_draw(k, Panel(p, spec["data"], style, widths[k % cols], heights[k // cols],
                            p.get("title"))) for k, p in enumerate(panels)]
    grid = gridplot([plots[r * cols:(r + 1) * cols] for r in range(rows)], toolbar_location=None)
    return column(strip, grid) if strip else grid


def _split(total: int, parts: int) -> list[int]:
    """Integer shares of `total` that add up to it exactly."""
    return [total * (i + 1) // parts - total * i // parts for i in range(parts)]


def _draw(k: int, panel: Panel) -> figure:
    try:
        drawn = DRAWERS[panel.kind](panel)
    except ValueError as error:
        raise ValueError(f"panel {k + 1} ({panel.kind}): {error}") from None
    _finish(panel, drawn)
    return drawn.figure


def _title_strip(text: str, width: int, style: Json) -> figure:
    """The figure's title above its panels, a little larger than theirs, wrapped to fit."""
    size = round(style["title_size"] * 1.15)
    text = wrap(text, width - 2 * MIN_BORDER, size)
    strip = figure(width=width, height=round(size * (1.3 * (text.count("\n") + 1) + 0.8)),
                   tools="", toolbar_location=None, min_border=0, x_range=Range1d(0, 1),
                   y_range=Range1d(0, 1), outline_line_color=None,
                   background_fill_color=style["background"], border_fill_color=style["background"])
    strip.axis.visible = False
    strip.grid.visible = False
    strip.text(x=[0.5], y=[0.5], text=[text], text_align="center", text_baseline="middle",
               text_font=value(style["font"]), text_font_size=f"{size}px", text_font_style="bold",
               text_color=style["text_color"])
    return strip


def _finish(panel: Panel, drawn: Drawn) -> None:
    """What every panel shares: title, axes, grid, reference lines and legend."""
    fig = drawn.figure
    if panel.title:
        _title(panel, fig, panel.title)
    if drawn.axes:
        _axes(panel, fig)
    else:
        fig.axis.visible = False
        fig.grid.visible = False
    for line in panel.spec.get("reference_lines", []):
        _reference_line(panel, fig, line)
    _legend(panel, drawn)


def _title(panel: Panel, fig: figure, text: str) -> None:
    """Centred over the plot area; a title too wide for it spans the whole panel instead (Bokeh
    aligns titles to the plot area, so it is set left with an offset reaching back)."""
    size, frame = panel.style["title_size"], panel.frame()[0]
    fig.title.text_font = panel.style["font"]
    fig.title.text_font_size = panel.px("title_size")
    fig.title.text_color = panel.style["text_color"]
    fig.title.align = fig.title.text_align = "center"
    fig.title.text = text
    if text_width(text, size) <= frame:
        return
    room = panel.width - 2 * MIN_BORDER - TITLE_SLACK
    fig.title.text = wrap(text, room, size)
    widest = max(text_width(line, size) for line in fig.title.text.split("\n"))
    fig.title.align = fig.title.text_align = "left"
    frame_left = panel.width - frame - 2 * MIN_BORDER
    fig.title.offset = (room - widest + TITLE_SLACK) / 2 - frame_left


def _axes(panel: Panel, fig: figure) -> None:
    style = panel.style
    sides = zip(panel.screen_axes, (fig.xaxis[0], fig.yaxis[0]), (fig.xgrid[0], fig.ygrid[0]),
                ("x", "y"), ("x_range", "y_range"))
    for spec_axis, axis, grid, side, range_name in sides:
        axis.axis_label = spec_axis.get("title")
        axis.axis_label_text_font = style["font"]
        axis.axis_label_text_font_size = panel.px("axis_label_size")
        axis.axis_label_text_font_style = "normal"
        axis.axis_label_text_color = style["text_color"]
        axis.major_label_text_font = style["font"]
        axis.major_label_text_font_size = panel.px("tick_size")
        axis.major_label_text_color = style["text_color"]
        if spec_axis.get("tick_angle"):
            axis.major_label_orientation = math.radians(spec_axis["tick_angle"])
        categories = getattr(fig, range_name)
        categorical = isinstance(categories, FactorRange)
        wrapped = (_wrapped(list(categories.factors), panel, side)
                   if categorical and not spec_axis.get("tick_angle") else {})
        if wrapped:
            # Categorical axes ignore major_label_overrides; this fixed lookup is the way to
            # show a category on several lines while the data keep the label as given.
            axis.formatter = CustomJSTickFormatter(args={"labels": wrapped},
                                                   code="return labels[tick] ?? tick")
        if hasattr(axis.formatter, "power_limit_high"):
            axis.formatter.power_limit_high = 7  # 150000 rather than 1.5e+5
        if spec_axis.get("range") and not categorical:
            setattr(fig, range_name, Range1d(*spec_axis["range"][:2]))
        grid.visible = style["grid"] in (side, "both") and not categorical
        grid.grid_line_color = GRID_COLOR


def _wrapped(factors: list[str], panel: Panel, side: str) -> dict[str, str]:
    """Long level category labels on lines that fit: their slot along the x axis; beside
    the y axis, a quarter of the panel's width (or their longest word) when their slot is
    tall enough for two lines."""
    size = panel.style["tick_size"]
    if side == "y" and panel.frame()[1] / max(len(factors), 1) < 2.6 * size:
        return {}
    room = (panel.frame()[0] / max(len(factors), 1) if side == "x" else
            max(panel.width / 4, *(text_width(w, size) for f in factors for w in f.split(" "))))
    return {f: wrap(f, room, size) for f in factors if text_width(f, size) > room}


def _reference_line(panel: Panel, fig: figure, line: Json) -> None:
    """A dashed line at a value; its label sits at the left end (or bottom, turned upright)."""
    across = panel.spec[line["axis"]] is panel.screen_axes[1]
    fig.add_layout(Span(location=line["value"], dimension="width" if across else "height",
                        line_color=REFERENCE_COLOR, line_dash="dashed", line_width=1.5))
    if not line.get("label"):
        return
    place: dict[str, Any] = ({"x": 4, "x_units": "screen", "y": line["value"], "y_offset": 2}
                             if across else
                             {"x": line["value"], "y": 4, "y_units": "screen", "x_offset": -2,
                              "angle": math.pi / 2})
    fig.add_layout(Label(text=line["label"], text_baseline="bottom", text_font=panel.style["font"],
                         text_font_size=panel.px("tick_size"), text_color=REFERENCE_COLOR, **place))


def _legend(panel: Panel, drawn: Drawn) -> None:
    """Two or more entries get a legend: inside a corner, right of the plot or above it in
    as many columns as fit; one entry is said by the axis title already."""
    where = panel.spec.get("legend", "top_right")
    if where == "none" or len(drawn.legend) < 2:
        return
    style = panel.style
    outside = where in ("right", "above")
    legend = Legend(items=drawn.legend, title=drawn.legend_title, click_policy="none",
                    label_text_font=style["font"], label_text_font_size=panel.px("legend_size"),
                    label_text_color=style["text_color"], title_text_font=style["font"],
                    title_text_font_size=panel.px("legend_size"), title_text_font_style="normal",
                    title_text_color=style["text_color"], border_line_alpha=0,
                    background_fill_color=style["background"],
                    background_fill_alpha=0 if outside else 0.85,
                    glyph_width=18, glyph_height=14, spacing=3, padding=6, margin=4)
    if where == "above":
        entry = 30 + max(text_width(str(item.label.value), style["legend_size"])
                         for item in drawn.legend)
        legend.orientation = "horizontal"
        legend.location = "center"
        legend.ncols = max(1, min(len(drawn.legend), int((panel.width - 20) // entry)))
    if outside:
        drawn.figure.add_layout(legend, where)
    else:
        legend.location = where
        drawn.figure.add_layout(legend)
