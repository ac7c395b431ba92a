"""Distributions of raw samples: histogram, box and violin plots.

Each series column is a sample. Box and violin plots draw one shape per series, or, when
the domain axis names a column, one per category of that column (long-form data), dodged
per series. Bins, quartiles and densities are computed here from the numbers as given.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from bokeh.models import ColumnDataSource, LegendItem, Whisker
from bokeh.plotting import figure

from adapters.bokeh_charts_common import (
    Drawn,
    Panel,
    data_range,
    factor_range,
    factors,
    label,
    stack,
)

MAX_BINS = 100
SHAPE_WIDTH = 0.7


def draw_histogram(panel: Panel) -> Drawn:
    samples = [_finite(panel.numbers(s["field"])) for s in panel.series]
    edges = _edges(np.concatenate(samples), panel.spec.get("bins"))
    counts = [np.histogram(v, bins=edges)[0].astype(float) for v in samples]
    stacked = panel.spec.get("stacking") == "stacked"
    extents = stack(counts) if stacked else [(np.zeros(len(c)), c) for c in counts]
    bins, heights = data_range([edges], room=0.02), data_range([e for _, e in extents], zero=True,
                                                               room=0.05)
    fig = panel.figure(**panel.place(bins, heights, ("x_range", "y_range")))
    items = []
    for i, (s, c, (start, end)) in enumerate(zip(panel.series, counts, extents)):
        source = ColumnDataSource({"low": edges[:-1], "high": edges[1:], "count": c,
                                   "start": start, "end": end})
        bars = fig.quad(source=source, color=panel.color(i), line_color=panel.style["background"],
                        fill_alpha=0.85 if stacked or len(counts) == 1 else 0.5,
                        **panel.place("low", "start", ("left", "bottom")),
                        **panel.place("high", "end", ("right", "top")))
        items.append(LegendItem(label=s["name"], renderers=[bars]))
    return Drawn(fig, items)


def _finite(values: np.ndarray) -> np.ndarray:
    return values[np.isfinite(values)]


def _edges(values: np.ndarray, bins: Any) -> np.ndarray:
    """Bin edges shared by all series: `bins` if given, else Freedman-Diaconis, falling back to
    the square-root rule when the spread is too small or too large for it."""
    if values.size == 0:
        raise ValueError("a histogram needs at least one number")
    if isinstance(bins, int) and bins > 0:
        return np.histogram_bin_edges(values, bins=min(bins, MAX_BINS))
    edges = np.histogram_bin_edges(values, bins="fd")
    return edges if 2 <= len(edges) - 1 <= MAX_BINS else np.histogram_bin_edges(values, bins="sqrt")


class _Groups:
    """The shapes of a box or violin panel: (category, sample) per series."""

    def __init__(self, panel: Panel) -> None:
        column = panel.roles[0].get("field")
        self.by_category = bool(column)
        if column:
            keys = np.array([label(v) for v in panel.column(column)], dtype=object)
            self.categories = list(dict.fromkeys(keys))
            self.samples = [[(c, _finite(panel.numbers(s["field"], len(keys))[keys == c]))
                             for c in self.categories] for s in panel.series]
        else:
            self.categories = factors([s["name"] for s in panel.series], "the series names")
            self.samples = [[(c, _finite(panel.numbers(s["field"])))]
                            for c, s in zip(self.categories, panel.series)]
        self.samples = [[(c, v) for c, v in series if v.size] for series in self.samples]
        for s, series in zip(panel.series, self.samples):
            if not series:
                raise ValueError(f"series {s['name']!r} has no numbers to summarise")
        self.width = SHAPE_WIDTH / len(panel.series) if column else SHAPE_WIDTH

    def offset(self, i: int) -> float:
        """Where series i sits in a category (in category widths), the series side by side."""
        return self.width * (i + 0.5) - SHAPE_WIDTH / 2 if self.by_category else 0.0

    def color(self, panel: Panel, i: int) -> str:
        return panel.color(i if self.by_category else 0)

    def figure(self, panel: Panel, reach: list[np.ndarray]) -> figure:
        value = data_range(reach, panel.roles[1].get("scale") == "log")
        domain = factor_range(self.categories, vertical=panel.horizontal)
        return panel.figure(**panel.place(domain, value, ("x_range", "y_range")))

    def summary(self, i: int) -> ColumnDataSource:
        """One row per shape of series i: the raw sample, its quartiles and whiskers."""
        stats = [_quartiles(v) for _, v in self.samples[i]]
        return ColumnDataSource({"category": [c for c, _ in self.samples[i]],
                                 "values": [v.tolist() for _, v in self.samples[i]],
                                 **{k: [st[k] for st in stats] for k in stats[0]}})


def draw_box(panel: Panel) -> Drawn:
    groups = _Groups(panel)
    fig = groups.figure(panel, [v for series in groups.samples for _, v in series])
    ink = panel.style["text_color"]
    items = []
    for i, series in enumerate(groups.samples):
        source = groups.summary(i)
        at = panel.dodged(fig, "category", groups.offset(i))
        fig.add_layout(Whisker(source=source, base=at, lower="lower", upper="upper",
                               level="underlay", dimension=panel.across, line_color=ink))
        box = _bars(panel, fig, at, "q1", "q3", groups.width, source, color=groups.color(panel, i),
                    fill_alpha=0.8, line_color=ink)
        _bars(panel, fig, at, "q2", "q2", groups.width, source, line_color=ink, line_width=2)
        fences = zip(series, source.data["lower"], source.data["upper"])
        outside = [(c, x) for (c, v), low, high in fences for x in v if not low <= x <= high]
        outliers = ColumnDataSource({"category": [c for c, _ in outside],
                                     "value": [x for _, x in outside]})
        fig.scatter(source=outliers, size=panel.style["marker_size"], fill_alpha=0,
                    line_color=groups.color(panel, i), **panel.place(at, "value"))
        if groups.by_category:
            items.append(LegendItem(label=panel.series[i]["name"], renderers=[box]))
    return Drawn(fig, items)


def draw_violin(panel: Panel) -> Drawn:
    groups = _Groups(panel)
    shapes = [[_density(v) for _, v in series] for series in groups.samples]
    fig = groups.figure(panel, [grid for series in shapes for grid, _ in series])
    peak = max((d.max() for series in shapes for _, d in series), default=1.0) or 1.0
    order = list(reversed(groups.categories)) if panel.horizontal else groups.categories
    items = []
    for i, (series, densities) in enumerate(zip(groups.samples, shapes)):
        color = groups.color(panel, i)
        areas = []
        for (c, _), (grid, density) in zip(series, densities):
            # A FactorRange puts category k at the synthetic coordinate k + 0.5.
            centre = order.index(c) + 0.5 + panel.shift(groups.offset(i))
            half = density / peak * groups.width / 2
            source = ColumnDataSource({"at": grid, "density": density, "low": centre - half,
                                       "high": centre + half})
            fill = {"source": source, "color": color, "alpha": 0.7}
            areas.append(fig.varea(x="at", y1="low", y2="high", **fill) if panel.horizontal
                         else fig.harea(y="at", x1="low", x2="high", **fill))
        summary = groups.summary(i)
        at = panel.dodged(fig, "category", groups.offset(i))
        _bars(panel, fig, at, "q1", "q3", groups.width * 0.08, summary,
              color=panel.style["text_color"])
        fig.scatter(source=summary, size=panel.style["marker_size"] * 0.8,
                    color=panel.style["background"], line_color=panel.style["text_color"],
                    **panel.place(at, "q2"))
        if groups.by_category and areas:
            items.append(LegendItem(label=panel.series[i]["name"], renderers=areas[:1]))
    return Drawn(fig, items)


def _bars(panel: Panel, fig: figure, at: Any, low: str, high: str, width: float,
          source: ColumnDataSource, **style: Any) -> Any:
    if panel.horizontal:
        return fig.hbar(y=at, left=low, right=high, height=width, source=source, **style)
    return fig.vbar(x=at, bottom=low, top=high, width=width, source=source, **style)


def _quartiles(values: np.ndarray) -> dict[str, float]:
    """Quartiles and Tukey whiskers: the furthest data within 1.5 IQR of the box."""
    q1, q2, q3 = (float(q) for q in np.percentile(values, [25, 50, 75]))
    fence = 1.5 * (q3 - q1)
    inside = values[(values >= q1 - fence) & (values <= q3 + fence)]
    return {"q1": q1, "q2": q2, "q3": q3,
            "lower": float(inside.min()), "upper": float(inside.max())}


def _density(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A Gaussian KDE (Scott's bandwidth) on a grid reaching two bandwidths past the data."""
    spread = values.std(ddof=1) if values.size > 1 else 0.0
    bandwidth = (spread * values.size ** -0.2) or (abs(values.mean()) * 0.05) or 1.0
    grid = np.linspace(values.min() - 2 * bandwidth, values.max() + 2 * bandwidth, 120)
    kernel = np.exp(-0.5 * ((grid[:, None] - values[None, :]) / bandwidth) ** 2)
    return grid, kernel.sum(axis=1) / (values.size * bandwidth * np.sqrt(2 * np.pi))
