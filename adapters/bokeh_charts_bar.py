"""Bar charts: single, grouped (dodged), stacked and diverging, in either orientation.

Stack offsets are computed here (not with vbar_stack) so that negative layers stack
downwards; every source keeps the raw series under "value".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from bokeh.models import ColumnDataSource, LabelSet, LegendItem, Whisker

from adapters.bokeh_charts_common import (
    Drawn,
    Json,
    Panel,
    data_range,
    factor_range,
    factors,
    fmt,
    stack,
    text_on,
)
from adapters.text_metrics import text_width

GROUP_WIDTH = 0.8


def draw_bar(panel: Panel) -> Drawn:
    series = panel.series
    n = len(panel.data[series[0]["field"]])
    categories = factors(panel.domain(n), "the bar categories")
    values = [panel.numbers(s["field"], n) for s in series]
    stacked = panel.spec.get("stacking") == "stacked"
    log = panel.roles[1].get("scale") == "log"
    if log and any(np.any(v <= 0) for v in values):
        raise ValueError("a log value axis cannot show bars of zero or negative height")
    baseline = 10.0 ** math.floor(math.log10(np.nanmin(values))) if log else 0.0
    extents = stack(values) if stacked else [(np.full(n, baseline), v) for v in values]
    sources = [_source(panel, s, categories, v, start, end)
               for s, v, (start, end) in zip(series, values, extents)]
    reach = [src.data[c] for src in sources for c in ("start", "end", "lower", "upper")
             if c in src.data]
    fig = panel.figure(**panel.place(factor_range(categories, vertical=panel.horizontal),
                                     data_range(reach, log, zero=True, room=_room(panel, sources)),
                                     ("x_range", "y_range")))
    width = GROUP_WIDTH if stacked else GROUP_WIDTH / len(series)
    items = []
    for i, (s, source) in enumerate(zip(series, sources)):
        at = panel.dodged(fig, "category", 0.0 if stacked else width * (i + 0.5) - GROUP_WIDTH / 2)
        style = {"source": source, "color": panel.color(i), "line_color": "line_color",
                 "line_width": "line_width"}
        bars = (fig.hbar(y=at, left="start", right="end", height=width, **style) if panel.horizontal
                else fig.vbar(x=at, bottom="start", top="end", width=width, **style))
        items.append(LegendItem(label=s["name"], renderers=[bars]))
        if "lower" in source.data:
            fig.add_layout(Whisker(source=source, base=at, lower="lower", upper="upper",
                                   dimension=panel.across, line_color=panel.style["text_color"]))
        if panel.spec.get("value_labels"):
            fig.add_layout(_labels(panel, source, at, stacked, panel.color(i)))
    return Drawn(fig, items)


def _room(panel: Panel, sources: list[ColumnDataSource]) -> float:
    """Share of the value axis to spare past the bars: more for labels beside them."""
    if not panel.spec.get("value_labels"):
        return 0.05
    if not panel.horizontal:
        return 0.12
    size = panel.style["value_label_size"]
    widest = max(text_width(t, size) for src in sources for t in src.data["text"])
    return max(0.12, (widest + 10) / panel.frame()[0])


def _source(panel: Panel, s: Json, categories: list[str], values: np.ndarray, start: np.ndarray,
            end: np.ndarray) -> ColumnDataSource:
    marked = set(panel.highlighted(s, len(values)))
    rows = range(len(values))
    negative = values < 0
    data: dict[str, Any] = {
        "category": categories, "value": values, "start": start, "end": end,
        "text": [fmt(v) for v in values],
        "line_color": [panel.style["text_color"] if r in marked else panel.style["background"]
                       for r in rows],
        "line_width": [2.5 if r in marked else 0.8 for r in rows]}
    spread = panel.spread(s, end, "error")
    if spread:
        data["lower"], data["upper"] = spread
    if panel.spec.get("stacking") == "stacked":
        data["label_at"] = (start + end) / 2
    else:
        data["label_at"] = np.where(negative, np.fmin(end, data.get("lower", end)),
                                    np.fmax(end, data.get("upper", end)))
    data["label_offset"] = np.where(negative, -4.0, 4.0)
    data["label_align"] = np.where(negative, "right", "left").tolist()
    data["label_baseline"] = np.where(negative, "top", "bottom").tolist()
    return ColumnDataSource(data)


def _labels(panel: Panel, source: ColumnDataSource, at: Any, stacked: bool, fill: str) -> LabelSet:
    """Value labels: centred in stacked segments, else just beyond the bar (or its error bar)."""
    if stacked:
        place = {"text_align": "center", "text_baseline": "middle"}
    elif panel.horizontal:
        place = {"x_offset": "label_offset", "text_align": "label_align", "text_baseline": "middle"}
    else:
        place = {"y_offset": "label_offset", "text_align": "center",
                 "text_baseline": "label_baseline"}
    return LabelSet(source=source, text="text", text_font=panel.font,
                    text_font_size=panel.px("value_label_size"),
                    text_color=text_on(fill) if stacked else panel.style["text_color"],
                    **panel.place(at, "label_at"), **place)
