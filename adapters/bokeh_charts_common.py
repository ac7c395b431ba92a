"""What every Bokeh chart drawer shares: the panel with its data and style, and house helpers.

Axis roles: a panel's `x` is the domain (categories, time) and `y` the values. Horizontal bar,
box and violin panels draw the domain on the vertical screen axis; a planner that named the
category column on `y` (screen terms) is understood too, as is a horizontal dot plot
(scatter) or histogram.

Spreads: `error` and `band` are symmetric offsets (sign ignored). A one-sided column
(`*_lower`, `*_upper`) is read as the edge itself when it bounds the series on its side and
lies nearer to it than to zero (a "CI lower" column), else as an offset whose sign is
ignored (an "Error minus" column, often stored negative).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from bokeh.core.properties import value
from bokeh.core.property.vectorization import Value
from bokeh.models import DataRange1d, FactorRange, LegendItem, Range1d
from bokeh.plotting import figure
from bokeh.transform import dodge

from adapters.text_metrics import text_width
from application.plots.spec import is_number

Json = dict[str, Any]
MARKERS = ("circle", "square", "triangle", "diamond", "inverted_triangle", "hex", "star")
DASHES = ("solid", "dashed", "dotdash", "dotted", "dashdot")
ORIENTED_KINDS = ("bar", "box", "violin", "scatter", "histogram")
AXIS_COLOR = "#888888"
MIN_BORDER = 8
AXIS_SPACE = (70, 60)
"""Rough pixels the axes and title take from a panel, for fitting text into its frame."""


@dataclass(frozen=True)
class Drawn:
    """A drawn panel: its figure, its legend entries, and whether it keeps Cartesian axes."""

    figure: figure
    legend: list[LegendItem] = field(default_factory=list)
    axes: bool = True
    legend_title: str | None = None


@dataclass(frozen=True)
class Panel:
    """One panel of a spec, with the figure's data and style, at its share of the size."""

    spec: Json
    data: dict[str, list[Any]]
    style: Json
    width: int
    height: int
    title: str | None

    @property
    def kind(self) -> str:
        return str(self.spec["kind"])

    @property
    def series(self) -> list[Json]:
        return list(self.spec["series"])

    @property
    def horizontal(self) -> bool:
        return self.kind in ORIENTED_KINDS and self.spec.get("orientation") == "horizontal"

    @property
    def roles(self) -> tuple[Json, Json]:
        """(domain axis, value axis) of the spec."""
        x, y = self.spec["x"], self.spec["y"]
        if self.horizontal and not x.get("field") and y.get("field"):
            return y, x
        return x, y

    @property
    def screen_axes(self) -> tuple[Json, Json]:
        """(horizontal axis, vertical axis) of the spec, as drawn."""
        domain, value = self.roles
        return (value, domain) if self.horizontal else (domain, value)

    @property
    def across(self) -> str:
        """The dimension of error bars: across the domain axis."""
        return "width" if self.horizontal else "height"

    def place(self, along: Any, value: Any, names: tuple[str, str] = ("x", "y")) -> dict[str, Any]:
        """Keyword arguments putting the domain along x and the values up y, or the other way
        round when the panel is horizontal."""
        return dict(zip(names, (value, along) if self.horizontal else (along, value)))

    def shift(self, offset: float) -> float:
        """An offset within a category, in category widths, that puts the first series of a
        group leftmost (or topmost: vertical categories run top down)."""
        return -offset if self.horizontal else offset

    def dodged(self, fig: figure, column: str, offset: float) -> Any:
        """The categories of `column`, shifted within their slot."""
        categories = fig.y_range if self.horizontal else fig.x_range
        return dodge(column, self.shift(offset), range=categories)

    @property
    def font(self) -> Value:
        """The font family for glyphs and label sets, where a bare string would name a column."""
        return value(self.style["font"])

    def px(self, key: str) -> str:
        return f"{self.style[key]}px"

    def color(self, i: int) -> str:
        palette = self.style["palette"]
        return str(palette[i % len(palette)])

    def column(self, name: str, length: int | None = None) -> list[Any]:
        values = self.data[name]
        if length is not None and len(values) != length:
            raise ValueError(f"column {name!r} has {len(values)} values where {length} are "
                             "expected (the columns of one panel must line up)")
        return values

    def numbers(self, name: str, length: int | None = None) -> np.ndarray:
        return floats(self.column(name, length), f"column {name!r}")

    def domain(self, length: int, name: str | None = None) -> list[Any]:
        """The domain column (a series' own x_field, else the domain axis), else 1..length."""
        name = name or self.roles[0].get("field")
        return self.column(name, length) if name else list(range(1, length + 1))

    def categorical(self, values: list[Any]) -> bool:
        return (self.roles[0].get("scale") == "category"
                or any(v is not None and not is_number(v) for v in values))

    def spread(self, s: Json, values: np.ndarray,
               kind: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Lower and upper edges of a series' error bars (kind "error") or band ("band")."""
        if s.get(kind):
            offset = np.abs(self.numbers(s[kind], len(values)))
            return values - offset, values + offset
        lower, upper = s.get(f"{kind}_lower"), s.get(f"{kind}_upper")
        if not lower and not upper:
            return None
        return (self._edge(lower, values, -1) if lower else values,
                self._edge(upper, values, 1) if upper else values)

    def _edge(self, name: str, values: np.ndarray, side: int) -> np.ndarray:
        """One side of a spread: the column itself when it bounds the series on that side and
        lies nearer to it than to zero ("CI lower"), else an offset of either sign ("Error -")."""
        column = self.numbers(name, len(values))
        ok = np.isfinite(column) & np.isfinite(values)
        gap = np.abs(column[ok] - values[ok])
        bounds = (ok.any() and bool(np.all(side * (column[ok] - values[ok]) >= 0))
                  and np.median(gap) < np.median(np.abs(column[ok])))
        return column if bounds else values + side * np.abs(column)

    def highlighted(self, s: Json, length: int) -> list[int]:
        """Row indices of a series that the spec highlights."""
        rows = [h.get("index") for h in self.spec.get("highlight", [])
                if h.get("series") == s["name"]]
        for row in rows:
            if not isinstance(row, int) or not 0 <= row < length:
                raise ValueError(f"highlight index {row!r} is outside series {s['name']!r}")
        return rows

    def frame(self, axes: bool = True) -> tuple[float, float]:
        """An estimate of the plotting area in pixels, for fitting labels: the panel less
        its axes (category names beside horizontal bars may take more), title and borders."""
        side, below = AXIS_SPACE if axes else (2 * MIN_BORDER, 2 * MIN_BORDER)
        column = self.roles[0].get("field")
        if axes and self.horizontal and column:
            names = [label(v) for v in self.data[column]] or [""]
            side += max(max(text_width(n, self.style["tick_size"]) for n in names) - 40, 0)
        title = self.style["title_size"] * 2 if self.title else 0
        return max(self.width - side, 40.0), max(self.height - below - title, 40.0)

    def figure(self, **ranges: Any) -> figure:
        """A bare figure of the panel's size: no tools, house background, log axes per spec."""
        horizontal, vertical = self.screen_axes
        fig = figure(width=self.width, height=self.height, tools="", toolbar_location=None,
                     x_axis_type="log" if horizontal.get("scale") == "log" else "auto",
                     y_axis_type="log" if vertical.get("scale") == "log" else "auto",
                     background_fill_color=self.style["background"],
                     border_fill_color=self.style["background"], outline_line_color=None,
                     min_border=MIN_BORDER, **ranges)
        fig.toolbar.logo = None
        fig.axis.axis_line_color = AXIS_COLOR
        fig.axis.major_tick_line_color = AXIS_COLOR
        fig.axis.minor_tick_line_color = None
        return fig


def floats(values: list[Any], what: str) -> np.ndarray:
    """Numbers as floats, None as NaN (a gap); anything else cannot be drawn."""
    for i, v in enumerate(values):
        if v is not None and not is_number(v):
            raise ValueError(f"{what} holds {v!r} at row {i}, not a number")
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def factors(values: list[Any], what: str, unique: bool = True) -> list[str]:
    """Category labels for a categorical axis; numbers and years become strings here only
    (rounded as a reader wants them, or in full where rounding would merge two of them).
    Bars, lines and cells need each category once; points may share one (a dot plot)."""
    labels = [label(v) for v in values]
    if unique and len(set(labels)) < len(labels):
        exact = [_exact(v) for v in values]
        if len(set(exact)) == len(exact):
            labels = exact
    repeated = sorted({x for x in labels if labels.count(x) > 1})
    if repeated and unique:
        raise ValueError(f"{what} list {repeated[:5]} more than once; a categorical axis "
                         "needs each category once (split the data into series or panels)")
    return labels


def union_factors(columns: list[list[Any]], what: str, unique: bool = True) -> list[str]:
    """The categories of several series in order of first appearance."""
    seen: dict[str, None] = {}
    for values in columns:
        seen.update(dict.fromkeys(factors(values, what, unique)))
    return list(seen)


def factor_range(labels: list[str], vertical: bool) -> FactorRange:
    """First category on the left, or at the top of a vertical axis (reading order)."""
    return FactorRange(*(reversed(labels) if vertical else labels))


def label(value: Any) -> str:
    if value is None:
        return ""
    return fmt(value) if is_number(value) else str(value)


def _exact(value: Any) -> str:
    """A category label with a number in full ("0.12345"), 1 and 1.0 alike."""
    if is_number(value) and not float(value).is_integer():
        return repr(float(value))
    return label(value)


def fmt(value: float) -> str:
    """A number as a reader wants it: 76.1 rather than 76.10000001, 12000 rather than 1.2e4."""
    if not math.isfinite(value):
        return ""
    if float(value).is_integer():
        return str(int(value))
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def text_on(color: str) -> str:
    """White or house-grey text, whichever reads on a fill of `color` ("#rrggbb")."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "#ffffff" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else "#333333"


def stack(layers: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(start, end) of each stacked layer: positives stack up from 0 and negatives down, so a
    diverging stack reads correctly; a gap (NaN) takes no room and draws nothing."""
    up = np.zeros(len(layers[0]))
    down = np.zeros(len(layers[0]))
    out = []
    for values in layers:
        filled = np.nan_to_num(values)
        start = np.where(filled >= 0, up, down)
        end = start + filled
        up, down = np.where(filled >= 0, end, up), np.where(filled < 0, end, down)
        out.append((start, np.where(np.isnan(values), np.nan, end)))
    return out


def data_range(arrays: list[np.ndarray], log: bool = False, zero: bool = False,
               room: float = 0.06) -> Range1d | DataRange1d:
    """A range holding every value, error bars too (auto ranges miss those annotations), with
    `room` to spare on each side except where bars are anchored (`zero`: at 0, or at the
    lowest value, the bars' baseline, on a log axis)."""
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values) & ((values > 0) if log else True)]
    if values.size == 0:
        return DataRange1d()
    lo, hi = values.min(), values.max()
    if log:
        lo, hi = np.log10(lo), np.log10(hi)
    if zero and not log:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    pad = room * ((hi - lo) or abs(hi) or 1.0)
    lo -= 0 if zero and (log or lo == 0) else pad
    hi += 0 if zero and not log and hi == 0 else pad
    return Range1d(10 ** lo, 10 ** hi) if log else Range1d(float(lo), float(hi))


def fitting_font(style: Json, text: str, width: float, height: float) -> float | None:
    """The largest font (px, up to value_label_size) that fits `text` in a box, or None."""
    lines = text.split("\n")
    per_px = max(text_width(line, 1.0) for line in lines) or 1.0
    size = min(float(style["value_label_size"]), width * 0.9 / per_px,
               height * 0.8 / (1.25 * len(lines)))
    return size if size >= style["min_font_px"] else None


def wrap(text: str, width: float, font_px: float) -> str:
    """Text broken at spaces into lines that fit `width` px where possible (Bokeh draws the
    lines of titles and tick labels); a word longer than the width keeps its own line."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", font_px) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)
