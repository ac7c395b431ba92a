"""Heatmaps and treemaps: values drawn as coloured tiles.

Heatmap data is long form (x and y axis columns name each cell; several value series get
rows of their own) or wide form (each series a line of cells, the category column on the
axis that names it, the series names on the other). A series' `color_field` colours its
cells instead of its values: categories (text) take the palette and a legend, numbers a
colour bar; its values, if any, stay the cell annotations. Treemaps lay out one series with the
squarified algorithm (Bruls et al. 2000).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from bokeh.models import (
    ColorBar,
    ColumnDataSource,
    LegendItem,
    LinearColorMapper,
    Range1d,
)
from bokeh.palettes import RdBu11, Viridis256, interp_palette
from bokeh.transform import transform

from adapters.bokeh_charts_common import (
    Drawn,
    Panel,
    factor_range,
    factors,
    fitting_font,
    floats,
    fmt,
    label,
    text_on,
)
from application.plots.spec import is_number

Rect = tuple[float, float, float, float]
DIVERGING = list(interp_palette(RdBu11, 256))
DIVERGING_BALANCE = 0.2
"""How far (as a share of the other side) values must reach past 0 for a diverging scale."""


def draw_heatmap(panel: Panel) -> Drawn:
    xs, ys, values, marked = _cells(panel)
    columns, rows = list(dict.fromkeys(xs)), list(dict.fromkeys(ys))
    if len(set(zip(xs, ys))) < len(xs):
        raise ValueError("the heatmap has two values for one cell")
    colours = _colour_cells(panel, len(values) // len(panel.series))
    categories = colours is not None and any(v is not None and not is_number(v) for v in colours)
    if categories:
        names = [label(v) for v in colours]
        order = list(dict.fromkeys(names))
        fills = [panel.color(order.index(name)) for name in names]
        shades, fill_color = values, "fill"
    else:
        shades = values if colours is None else floats(colours, "the heatmap colour column")
        mapper = _mapper(shades)
        share = (shades - mapper.low) / ((mapper.high - mapper.low) or 1.0)
        fills = [mapper.palette[min(int(p * len(mapper.palette)), len(mapper.palette) - 1)]
                 if np.isfinite(p) else "#ffffff" for p in share]
        fill_color = transform("shade", mapper)
    source = ColumnDataSource({
        "x": xs, "y": ys, "value": values, "shade": shades, "fill": fills,
        "text": [fmt(v) for v in values],
        "text_color": [text_on(f) for f in fills],
        "line_color": [panel.style["text_color"] if m else panel.style["background"]
                       for m in marked],
        "line_width": [3.0 if m else 1.0 for m in marked]})
    fig = panel.figure(x_range=factor_range(columns, vertical=False),
                       y_range=factor_range(rows, vertical=True))
    tiles = fig.rect(x="x", y="y", width=1, height=1, source=source, fill_color=fill_color,
                     line_color="line_color", line_width="line_width")
    frame_w, frame_h = panel.frame()
    widest = max(source.data["text"], key=len)
    size = fitting_font(panel.style, widest, (frame_w - 60) / len(columns), frame_h / len(rows))
    if panel.spec.get("annotate_cells") and size:
        fig.text(x="x", y="y", text="text", source=source, text_color="text_color",
                 text_align="center", text_baseline="middle", text_font=panel.font,
                 text_font_size=f"{size:.0f}px")
    fig.axis.axis_line_color = None
    fig.axis.major_tick_line_color = None
    if categories:
        items = [LegendItem(label=name, renderers=[tiles], index=names.index(name))
                 for name in order]
        return Drawn(fig, items, legend_title=_colour_title(panel))
    fig.add_layout(ColorBar(color_mapper=mapper, width=12, border_line_color=None,
                            title=_colour_title(panel),
                            title_text_font=panel.style["font"], title_text_font_style="normal",
                            title_text_font_size=panel.px("tick_size"),
                            title_text_color=panel.style["text_color"],
                            background_fill_color=panel.style["background"],
                            major_label_text_font=panel.style["font"],
                            major_label_text_font_size=panel.px("tick_size"),
                            major_label_text_color=panel.style["text_color"]), "right")
    return Drawn(fig)


def _colour_cells(panel: Panel, n: int) -> list[Any] | None:
    """The cells' colour values, series after series, when the series name colour columns
    (every series must then); None when the values colour the cells."""
    named = [s.get("color_field") for s in panel.series]
    if not any(named):
        return None
    if not all(named):
        raise ValueError("either every heatmap series or none names a colour column")
    return [v for name in named for v in panel.column(str(name), n)]


def _colour_title(panel: Panel) -> str | None:
    """The colour column's name, when one column other than the values colours the cells."""
    names = {s.get("color_field") for s in panel.series} - {None}
    if len(names) != 1 or all(s.get("color_field") == s["field"] for s in panel.series):
        return None
    return str(names.pop())


def _cells(panel: Panel) -> tuple[list[str], list[str], np.ndarray, list[bool]]:
    """(column label, row label, value, highlighted) per cell, series after series."""
    x_field, y_field = panel.spec["x"].get("field"), panel.spec["y"].get("field")
    series = panel.series
    n = len(panel.data[series[0]["field"]])
    names = factors([s["name"] for s in series], "the heatmap series names")
    if x_field and y_field:
        keys = [[label(v) for v in panel.column(field, n)] for field in (x_field, y_field)]
        # several value series get rows of their own: "row · series"
        cells = [(keys[0], keys[1] if len(series) == 1 else [f"{y} · {name}" for y in keys[1]])
                 for name in names]
    else:
        categories = factors(panel.domain(n, x_field or y_field), "the heatmap categories")
        cells = [(categories, [name] * n) if x_field else ([name] * n, categories)
                 for name in names]
    marked = [set(panel.highlighted(s, n)) for s in series]
    return ([x for xs, _ in cells for x in xs], [y for _, ys in cells for y in ys],
            np.concatenate([panel.numbers(s["field"], n) for s in series]),
            [i in rows for rows in marked for i in range(n)])


def _mapper(values: np.ndarray) -> LinearColorMapper:
    """Viridis (sequential, colour-blind safe); a blue-red scale centred on 0 when the values
    reach well to both sides of it (a correlation matrix), where the sign is the message."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        raise ValueError("the heatmap has no numbers")
    lo, hi = float(finite.min()), float(finite.max())
    if lo < 0 < hi and min(-lo, hi) >= DIVERGING_BALANCE * max(-lo, hi):
        edge = max(-lo, hi)
        return LinearColorMapper(palette=DIVERGING, low=-edge, high=edge, nan_color="#ffffff")
    return LinearColorMapper(palette=Viridis256, low=lo, high=hi, nan_color="#ffffff")


def draw_treemap(panel: Panel) -> Drawn:
    if len(panel.series) != 1:
        raise ValueError("a treemap draws exactly one series (use one panel per series)")
    s = panel.series[0]
    values = panel.numbers(s["field"])
    if np.any(values < 0):
        raise ValueError("a treemap cannot show negative values")
    names = [label(v) for v in panel.domain(len(values))]
    order = [i for i in np.argsort(-np.nan_to_num(values), kind="stable") if values[i] > 0]
    width, height = panel.frame(axes=False)
    total = float(sum(values[i] for i in order))
    areas = [values[i] / total * width * height for i in order]
    rects = _squarify(areas, (0.0, 0.0, width, height))
    marked = set(panel.highlighted(s, len(values)))
    colors = [panel.color(k) for k in range(len(order))]
    texts = [_tile_text(panel, names[i], values[i], r) for i, r in zip(order, rects)]
    source = ColumnDataSource({
        "category": [names[i] for i in order], "value": [values[i] for i in order],
        "left": [r[0] for r in rects], "right": [r[0] + r[2] for r in rects],
        "top": [r[1] for r in rects], "bottom": [r[1] + r[3] for r in rects],
        "cx": [r[0] + r[2] / 2 for r in rects], "cy": [r[1] + r[3] / 2 for r in rects],
        "color": colors, "text_color": [text_on(c) for c in colors],
        "text": [t for t, _ in texts], "size": [f"{size:.0f}px" for _, size in texts],
        "line_color": [panel.style["text_color"] if i in marked else panel.style["background"]
                       for i in order],
        "line_width": [3.0 if i in marked else 2.0 for i in order]})
    # Pixel-like coordinates with y growing downwards: the largest tile sits top left.
    fig = panel.figure(x_range=Range1d(0, width), y_range=Range1d(height, 0))
    fig.quad(left="left", right="right", top="top", bottom="bottom", source=source, color="color",
             line_color="line_color", line_width="line_width")
    fig.text(x="cx", y="cy", text="text", source=source, text_color="text_color",
             text_align="center", text_baseline="middle", text_font=panel.font,
             text_font_size="size")
    return Drawn(fig, axes=False)


def _tile_text(panel: Panel, name: str, value: float, rect: Rect) -> tuple[str, float]:
    """Name and value when they fit the tile, else the name alone, else nothing."""
    for text in (f"{name}\n{fmt(value)}", name):
        size = fitting_font(panel.style, text, rect[2], rect[3])
        if size:
            return text, size
    return "", float(panel.style["value_label_size"])


def _squarify(areas: list[float], box: Rect) -> list[Rect]:
    """Rectangles (x, y, w, h) of the given areas (largest first) tiling `box`, laid out in
    rows along the shorter side so that tiles stay close to square."""
    rects: list[Rect] = []
    x, y, w, h = box
    rest = list(areas)
    while rest:
        side = min(w, h)
        row = [rest.pop(0)]
        while rest and _worst(row + rest[:1], side) <= _worst(row, side):
            row.append(rest.pop(0))
        thickness = sum(row) / side
        offset = 0.0
        for area in row:
            length = area / thickness
            rects.append((x, y + offset, thickness, length) if w >= h
                         else (x + offset, y, length, thickness))
            offset += length
        if w >= h:
            x, w = x + thickness, w - thickness
        else:
            y, h = y + thickness, h - thickness
    return rects


def _worst(row: list[float], side: float) -> float:
    total = sum(row)
    return max(max(side ** 2 * a / total ** 2, total ** 2 / (side ** 2 * a)) for a in row)
