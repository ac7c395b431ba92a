"""Line, scatter and area charts: values over a numeric or categorical domain.

Each series gets its own source ("x" for the domain, "value" for the raw numbers), since
series may bring their own x column. Trend lines are least-squares fits of the data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from bokeh.models import (
    ColorBar,
    ColumnDataSource,
    LabelSet,
    LegendItem,
    LinearColorMapper,
    Whisker,
)
from bokeh.palettes import Viridis256
from bokeh.plotting import figure

from adapters.bokeh_charts_common import (
    DASHES,
    MARKERS,
    Drawn,
    Json,
    Panel,
    data_range,
    factor_range,
    factors,
    floats,
    label,
    stack,
    union_factors,
)
from application.plots.spec import is_number

BUBBLE_PX = (6.0, 40.0)
"""Marker diameters for the smallest and largest value of a size column."""


class _Domain:
    """The shared domain axis of a panel's series: categorical or numeric."""

    def __init__(self, panel: Panel) -> None:
        self.columns = [panel.domain(len(panel.column(s["field"])), s.get("x_field"))
                        for s in panel.series]
        self.categorical = any(panel.categorical(c) for c in self.columns)
        self.unique = panel.kind != "scatter"
        self.factors = (union_factors(self.columns, "the x column", self.unique)
                        if self.categorical else [])
        self.log = panel.roles[0].get("scale") == "log"

    def coords(self, i: int) -> list[str] | np.ndarray:
        column = self.columns[i]
        return (factors(column, "the x column", self.unique) if self.categorical
                else floats(column, "the x column"))

    def synthetic(self, panel: Panel, i: int) -> np.ndarray:
        """Series i as numbers on its axis: a category sits at its index + 0.5 in the
        FactorRange (whose factors run top down when vertical)."""
        coords = self.coords(i)
        if not self.categorical:
            return np.asarray(coords)
        order = list(reversed(self.factors)) if panel.horizontal else self.factors
        return np.array([order.index(c) + 0.5 for c in coords])

    def figure(self, panel: Panel, values: list[np.ndarray]) -> figure:
        room = 0.1 if any(s.get("size_field") for s in panel.series) else 0.04  # bubbles are wide
        along = (factor_range(self.factors, vertical=panel.horizontal) if self.categorical
                 else data_range([self.coords(i) for i in range(len(self.columns))], self.log,
                                 room=room))
        labelled = any(s.get("label_field") for s in panel.series) and not panel.horizontal
        above = (panel.style["value_label_size"] + 10) / panel.frame()[1] if labelled else 0.0
        log = panel.roles[1].get("scale") == "log"
        across = data_range(values, log, room=max(above, room, 0.06))
        fig = panel.figure(**panel.place(along, across, ("x_range", "y_range")))
        if not self.categorical and not self.log and all(
                float(x).is_integer() for c in self.columns for x in c if x is not None):
            # years and counts: no 2015.5 ticks
            (fig.yaxis if panel.horizontal else fig.xaxis)[0].ticker.min_interval = 1
        return fig


def _sources(panel: Panel, domain: _Domain) -> list[ColumnDataSource]:
    sources = []
    for i, s in enumerate(panel.series):
        x = domain.coords(i)
        values = panel.numbers(s["field"], len(x))
        data: dict[str, Any] = {"x": x, "value": values}
        for kind, prefix in (("error", ""), ("band", "band_")):
            spread = panel.spread(s, values, kind)
            if spread:
                data[f"{prefix}lower"], data[f"{prefix}upper"] = spread
        if s.get("label_field"):
            data["text"] = [label(v) for v in panel.column(s["label_field"], len(x))]
        sources.append(ColumnDataSource(data))
    _label_sides(panel, domain, sources)
    return sources


def _label_sides(panel: Panel, domain: _Domain, sources: list[ColumnDataSource]) -> None:
    """Point labels go right of their points, except in the right fifth of the plot, where
    they would be cut off: there they go left."""
    across = [np.asarray(src.data["value"]) if panel.horizontal else domain.synthetic(panel, i)
              for i, src in enumerate(sources)]
    every = np.concatenate(across)
    lo, hi = np.nanmin(every), np.nanmax(every)
    for src, xs in zip(sources, across):
        if "text" in src.data:
            late = (xs - lo) / ((hi - lo) or 1.0) > 0.8
            src.data["text_align"] = np.where(late, "right", "left").tolist()
            src.data["text_offset"] = np.where(late, -6.0, 6.0)


def _reach(sources: list[ColumnDataSource], *also: np.ndarray) -> list[np.ndarray]:
    columns = ("value", "lower", "upper", "band_lower", "band_upper", "start", "end")
    drawn = [np.asarray(src.data[c]) for src in sources for c in columns if c in src.data]
    return drawn + list(also)


def _xy_figure(panel: Panel) -> tuple[Any, list[ColumnDataSource], list[Any], Any]:
    """The domain, one source per series, their trend lines, and a figure that reaches all."""
    domain = _Domain(panel)
    sources = _sources(panel, domain)
    trends = [_trend(panel, domain, i, src) for i, src in enumerate(sources)]
    return domain, sources, trends, domain.figure(panel, _reach(sources, *(t[1] for t in trends if t)))


def draw_line(panel: Panel) -> Drawn:
    domain, sources, trends, fig = _xy_figure(panel)
    items = []
    for i, (s, src) in enumerate(zip(panel.series, sources)):
        color = panel.color(i)
        if "band_lower" in src.data:
            fig.varea(x="x", y1="band_lower", y2="band_upper", source=src, color=color, alpha=0.18)
        dash = DASHES[i % len(DASHES)]
        renderers = [fig.line("x", "value", source=src, color=color, line_dash=dash,
                              line_width=panel.style["line_width"])]
        if panel.spec.get("markers"):
            renderers.append(fig.scatter("x", "value", source=src, marker=MARKERS[i % len(MARKERS)],
                                         size=panel.style["marker_size"], color=color,
                                         line_color=panel.style["background"]))
        items.append(LegendItem(label=s["name"], renderers=renderers))
        items += _extras(panel, fig, s, src, "x", color, trends[i])
    return Drawn(fig, items)


def draw_scatter(panel: Panel) -> Drawn:
    domain, sources, trends, fig = _xy_figure(panel)
    items = []
    for i, (s, src) in enumerate(zip(panel.series, sources)):
        color = panel.color(i)
        along: Any = "x"
        if domain.categorical and len(sources) > 1:  # series side by side within a category
            along = panel.dodged(fig, "x", 0.12 * (i - (len(sources) - 1) / 2))
        style: dict[str, Any] = {"color": color, "size": panel.style["marker_size"] * 1.3,
                                 "alpha": 0.85}
        if s.get("size_field"):
            src.data["size"] = _bubble(panel.numbers(s["size_field"], len(src.data["x"])))
            style.update(size="size", alpha=0.6)
        groups: dict[str, int] = {}
        if s.get("color_field"):
            style["color"], groups = _color_by(panel, fig, s, src)
        points = fig.scatter(source=src, marker=MARKERS[i % len(MARKERS)],
                             line_color=panel.style["background"], **panel.place(along, "value"),
                             **style)
        items += ([LegendItem(label=name, renderers=[points], index=row)
                   for name, row in groups.items()]
                  or [LegendItem(label=s["name"], renderers=[points])])
        items += _extras(panel, fig, s, src, along, color, trends[i])
    return Drawn(fig, items)


def draw_area(panel: Panel) -> Drawn:
    domain = _Domain(panel)
    sources = _sources(panel, domain)
    stacked = panel.spec.get("stacking") == "stacked"
    if stacked:
        if len({len(src.data["x"]) for src in sources}) > 1 or any(
                s.get("x_field") for s in panel.series):
            raise ValueError("a stacked area chart needs every series on the same x column")
        for src, (start, end) in zip(sources, stack([src.data["value"] for src in sources])):
            src.data.update(start=start, end=end)
    else:
        for src in sources:
            src.data.update(start=np.zeros(len(src.data["x"])), end=src.data["value"])
    fig = domain.figure(panel, _reach(sources, np.zeros(1)))
    items = []
    for i, (s, src) in enumerate(zip(panel.series, sources)):
        color = panel.color(i)
        fill = fig.varea(x="x", y1="start", y2="end", source=src, color=color,
                         alpha=0.8 if stacked else 0.25)
        edge = fig.line("x", "end", source=src, color=color,
                        line_width=panel.style["line_width"] / (2 if stacked else 1))
        items.append(LegendItem(label=s["name"], renderers=[fill, edge]))
        items += _extras(panel, fig, s, src, "x", color, None, at="end")
    return Drawn(fig, items)


def _extras(panel: Panel, fig: figure, s: Json, src: ColumnDataSource, along: Any, color: str,
            trend: tuple[np.ndarray, np.ndarray] | None, at: str = "value") -> list[LegendItem]:
    """Error bars, point labels, highlights and trend line of one series."""
    text_color = panel.style["text_color"]
    if "lower" in src.data:
        whisker = Whisker(source=src, base=along, lower="lower", upper="upper", line_color=color,
                          dimension=panel.across)
        whisker.upper_head.size = whisker.lower_head.size = 6
        whisker.upper_head.line_color = whisker.lower_head.line_color = color
        fig.add_layout(whisker)
    if "text" in src.data:
        fig.add_layout(LabelSet(source=src, text="text", x_offset="text_offset", y_offset=4,
                                text_align="text_align", text_font=panel.font,
                                text_color=text_color, text_font_size=panel.px("value_label_size"),
                                **panel.place(along, at)))
    rows = panel.highlighted(s, len(src.data["x"]))
    if rows:
        marked = ColumnDataSource({"x": [src.data["x"][r] for r in rows],
                                   at: [src.data[at][r] for r in rows]})
        fig.scatter(source=marked, size=panel.style["marker_size"] * 2.6, fill_alpha=0,
                    line_color=text_color, line_width=2.5, **panel.place(along, at))
    if not trend:
        return []
    fit = fig.line(color=color, line_dash="dashed", line_width=1.5, alpha=0.9,
                   **panel.place(*trend))
    return [LegendItem(label=f"{s['name']} (linear fit)", renderers=[fit])]


def _trend(panel: Panel, domain: _Domain, i: int, src: ColumnDataSource
           ) -> tuple[np.ndarray, np.ndarray] | None:
    """The least-squares line through series i over its x extent (ordered categories count
    by position), sampled densely enough to draw straight or curved as the axes demand."""
    if not panel.spec.get("trend_line"):
        return None
    x, y = domain.synthetic(panel, i), np.asarray(src.data["value"])
    ok = np.isfinite(x) & np.isfinite(y)
    if np.unique(x[ok]).size < 2:
        return None
    slope, intercept = np.polyfit(x[ok], y[ok], 1)
    spaced = np.geomspace if domain.log else np.linspace
    along = spaced(x[ok].min(), x[ok].max(), 50)
    return along, slope * along + intercept


def _bubble(sizes: np.ndarray) -> np.ndarray:
    """Marker diameters whose areas grow with the values (sqrt), from BUBBLE_PX[0] up."""
    lo, hi = np.nanmin(sizes), np.nanmax(sizes)
    share = (sizes - min(lo, 0.0)) / ((hi - min(lo, 0.0)) or 1.0)
    return BUBBLE_PX[0] + (BUBBLE_PX[1] - BUBBLE_PX[0]) * np.sqrt(np.nan_to_num(share))


def _color_by(panel: Panel, fig: figure, s: Json,
              src: ColumnDataSource) -> tuple[Any, dict[str, int]]:
    """Colours from a column: categories take the palette (returned with their first rows, for
    the legend), numbers a Viridis colour bar."""
    column = panel.column(s["color_field"], len(src.data["x"]))
    if any(v is not None and not is_number(v) for v in column):
        names = [label(v) for v in column]
        first = {name: names.index(name) for name in dict.fromkeys(names)}
        src.data["color"] = [panel.color(list(first).index(name)) for name in names]
        return "color", first
    src.data["shade"] = panel.numbers(s["color_field"], len(column))
    mapper = LinearColorMapper(palette=Viridis256, low=np.nanmin(src.data["shade"]),
                               high=np.nanmax(src.data["shade"]))
    fig.add_layout(ColorBar(color_mapper=mapper, width=10, title=s["color_field"],
                            major_label_text_font=panel.style["font"],
                            major_label_text_font_size=panel.px("tick_size"),
                            major_label_text_color=panel.style["text_color"],
                            title_text_font=panel.style["font"], title_text_font_style="normal",
                            title_text_font_size=panel.px("tick_size"),
                            title_text_color=panel.style["text_color"]), "right")
    return {"field": "shade", "transform": mapper}, {}
