"""An offline PlotPlanner: the intent's words and the data's shape decide the figure.

Deterministic and model-free. Each panel draws the columns its clause of the intent names
(or a fair share of them); error and band columns ride on the series they qualify; a chart
that cannot be drawn honestly in 2-D becomes the closest 2-D chart and a note says so.
Every column holding a number is drawn by some panel.

Conventions of the panels it writes, beyond the PlotSpec docstring: the category axis of a
bar, line or area chart is the axis whose field is set (y when horizontal); pie, donut,
treemap and radar take their slices or spokes from x.field and draw one ring per series; a
heatmap is long (x.field and y.field name the cell keys, each series holds cell values) or
wide (the one axis with a field labels the rows, or the columns for a one-row heatmap, and
each series is one line of cells along the other axis). Cell values are always numeric
columns; an edge list without numbers colours its cells by a text column instead.

Categories that must each appear once (bars, lines, slices, spokes, tiles, heatmap rows)
but repeat are first joined with a second repeating text column, and what still repeats is
numbered in a derived label column ("A", "A (2)") with a note: every row keeps its own value,
none is summed or dropped. Points (scatter) may share a category.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from adapters.plot_data import (
    Table,
    all_positive,
    cell_label,
    closest,
    common_name,
    distinct_labels,
    few_distinct,
    free_name,
    has_repeats,
    is_color,
    is_numeric,
    is_size,
    is_text,
    is_x_like,
    is_xy,
    length_groups,
    name_tokens,
    numbered,
    one_measure,
    runs,
    spans_decades,
    spreads,
    to_table,
    xy_pairs,
)
from adapters.plot_intent import (
    STOPWORDS,
    FigureIntent,
    PanelIntent,
    assign,
    grid_for,
    parse,
)
from application.plots.ports import PlotDataError, PlotPlanner
from application.plots.spec import (
    axis,
    is_number,
    new_spec,
    panel,
    series,
    used_columns,
)

Panel = dict[str, Any]

LABEL_WORDS = frozenset({"label", "annotation", "text", "note", "tag"})
GROWABLE = ("bar", "line", "area", "scatter", "radar", "box", "violin", "histogram")
HISTOGRAM_MIN = 20
"""A lone numeric column this long is a distribution; shorter ones are bars."""
NOT_MEASURES = STOPWORDS | {f"{w}{n}" for w in ("subplot", "plot", "ax", "x", "y")
                            for n in "123456789"}
"""Words of column names that tie a column to a panel rather than say what it measures."""

NOTES = {
    "inset": "The inset zoom is left out; the main chart shows all of the data.",
    "dual": "The two value axes are merged into one shared axis.",
    "combo": "The combined bar-and-line chart is drawn as one {kind} chart.",
    "network": "The requested network graph is drawn as an adjacency heatmap (source x target).",
    "arrow": "The requested arrow chart is drawn as grouped bars of the start values and "
             "their changes.",
    "broken": "The broken horizontal bars are drawn as stacked bars (start, then duration).",
    "hat": "The hat graph is drawn as grouped bars.",
    "diverging": "The diverging bars are drawn as ordinary stacked bars.",
    "grouped_stacked": "The grouped-and-stacked bars are drawn as stacked bars.",
    "3d_heatmap": "The requested 3-D chart is drawn as a 2-D heatmap of its heights.",
    "3d_bar": "The requested 3-D bar chart is drawn as grouped 2-D bars.",
    "3d_scatter": "The requested 3-D scatter plot is drawn in 2-D, with the third variable as "
                  "marker colour.",
    "3d": "The requested 3-D chart is drawn as a 2-D {kind} chart.",
    "log": "A log scale was asked for, but the data has values <= 0, so the axis stays linear.",
    "lengths": "Columns of different lengths are drawn in separate panels.",
    "facet": "The {count} requested subplots (one per {facet}) are drawn as a single panel.",
    "repeats": "Labels of {column!r} repeat, so the repeats are numbered in order (e.g. "
               "{example!r}); every row keeps its own value, nothing is summed or dropped.",
    "edge_repeats": "Edges given more than once get rows of their own, numbered in order "
                    "(e.g. {example!r}).",
    "edges": "The network's edges carry no numbers: each cell marks one edge ({source} to "
             "{target}), coloured by {kind!r}.",
}


class OfflinePlotPlanner(PlotPlanner):
    def plan(self, data: Any, intent: str) -> dict[str, Any]:
        return _Plan(to_table(data), parse(intent)).spec()


class _Plan:
    """One planning run: the columns, what the intent asked, and the notes gathered."""

    def __init__(self, table: Table, figure: FigureIntent) -> None:
        self.figure = figure
        self.data = {name: list(values) for name, values in table.columns.items()}
        self.generated = table.generated
        self.matrix = table.matrix
        self.numeric = [c for c, values in self.data.items() if is_numeric(values)]
        self.text = [c for c, values in self.data.items() if is_text(values)]
        self.spreads = spreads(self.data, self.numeric)
        self.facet: str | None = None
        self.parts: dict[str, list[str]] = {}
        """Composite label column -> the columns it joins."""
        self.titles: dict[str, str] = {}
        """Derived label column -> the name its axis is titled with."""
        self.numbered: dict[str, str] = {}
        """Label column -> its copy with repeated labels numbered."""
        self.notes: list[str] = []

    def spec(self) -> dict[str, Any]:
        if set(self.numeric) <= self.generated and not self._edge_list():
            raise PlotDataError("data_json: no value is a number, so there is nothing to plot")
        intents, groups = self._layout()
        panels = [self._panel(intent, columns) for intent, columns in zip(intents, groups)]
        self._cover(panels)
        for name in (self.generated | set(self.parts)) - used_columns({"panels": panels}):
            del self.data[name]  # made-up columns no panel draws (an index, a joined label)
        figure = self.figure
        fixed = figure.grid and figure.grid[0] * figure.grid[1] >= len(panels)
        rows, cols = figure.grid if fixed else grid_for(len(panels), figure.width, figure.height)
        return new_spec(self.data, panels, title=figure.title, width=figure.width,
                        height=figure.height, rows=rows, cols=cols,
                        notes=list(dict.fromkeys(self.notes)))

    def _note(self, key: str, **fields: Any) -> None:
        self.notes.append(NOTES[key].format(**fields))

    def _edge_list(self) -> bool:
        """Source, target and kind columns of a network: drawable without numbers."""
        return len(self.text) >= 3 and any("network" in p.degrades for p in self.figure.panels)

    # Which columns each panel draws ----------------------------------------------------

    def _layout(self) -> tuple[list[PanelIntent], list[list[str]]]:
        intents = list(self.figure.panels)
        if len(intents) > 1:
            self.facet = next((c for c in self.text if len(self.data[c]) > len(intents)
                               and runs(self.data[c]) == len(intents)), None)
            if self.facet:  # subplots by rows of one column: a spec panel cannot pick rows
                self._note("facet", count=len(intents), facet=self.facet)
                return intents[:1], [list(self.data)]
            return intents, assign(intents, self.data, self.spreads)
        groups = [g for g in length_groups(self.data) if any(c in self.numeric for c in g)]
        if len(groups) > 1:
            self._note("lengths")
            return intents * len(groups), groups
        return intents, [list(self.data)]

    # Panels --------------------------------------------------------------------------

    def _panel(self, pi: PanelIntent, columns: list[str]) -> Panel:
        texts = [c for c in columns if c in self.text]
        numbers = [c for c in columns if c in self.numeric]
        kind = self._kind(pi, texts, numbers)
        for key in ("inset", "dual", "combo"):
            if key in pi.degrades:
                self._note(key, kind=kind)
        if kind == "heatmap":
            drawn = self._heatmap(pi, texts, numbers)
        elif kind == "scatter":
            drawn = self._scatter(pi, texts, numbers)
        elif kind in ("histogram", "box", "violin"):
            drawn = self._distribution(kind, pi, texts, numbers)
        else:
            drawn = self._categorical(kind, pi, texts, numbers)
        value_axis = "x" if drawn["orientation"] == "horizontal" else "y"
        drawn["reference_lines"] = [{"axis": value_axis if a == "value" else a, "value": v,
                                     "label": None} for a, v in pi.references]
        drawn["title"] = pi.title
        return drawn

    def _kind(self, pi: PanelIntent, texts: list[str], numbers: list[str]) -> str:
        """The intent's kind, or the closest honest 2-D one, or the data's suggestion."""
        if "network" in pi.degrades:
            self._note("network")
            return "heatmap"
        for key in ("arrow", "broken", "hat"):
            if key in pi.degrades:
                self._note(key)
                return "bar"
        if "3d" not in pi.degrades:
            return pi.kind or self._guess(texts, numbers)
        if pi.kind in ("bar", None) and self._long_keys(texts, numbers, coordinates=True):
            self._note("3d_heatmap")
            return "heatmap"
        kind = pi.kind or self._guess(texts, numbers)
        self._note({"bar": "3d_bar", "scatter": "3d_scatter"}.get(kind, "3d"), kind=kind)
        return kind

    def _guess(self, texts: list[str], numbers: list[str]) -> str:
        """The chart the data's shape suggests when the intent names none."""
        values = self._values(numbers)
        real = [c for c in values if c not in self.generated]
        if self.matrix or (texts and {str(v) for v in self.data[texts[0]]} >= set(real) > set()):
            return "heatmap"
        if texts:
            return "bar"
        if len(real) == 1:
            return "histogram" if len(self.data[real[0]]) >= HISTOGRAM_MIN else "bar"
        if values and is_x_like(values[0], self.data[values[0]]):
            return "line"
        return "scatter" if len(values) == 2 else "line"

    def _categorical(self, kind: str, pi: PanelIntent, texts: list[str],
                     numbers: list[str]) -> Panel:
        """Bar, line, area, radar, pie, donut and treemap: categories (or x) and series."""
        horizontal = kind == "bar" and bool({"horizontal"} & pi.flags
                                            or {"arrow", "broken"} & pi.degrades)
        category = self._category(texts, distinct=True)
        values = self._values(numbers)
        x = None
        if category is None and kind in ("bar", "line", "area") and len(values) > 1 \
                and is_x_like(values[0], self.data[values[0]]) \
                and self._keyable(values[0], categorical=kind == "bar"):
            x = values.pop(0)
        labels = [t for t in texts if t not in self._parts(category)
                  and set(name_tokens(t)) & LABEL_WORDS]
        drawn = self._series(values, numbers, pi, label_field=labels[0] if labels else None)
        options: dict[str, Any] = {
            "value_labels": "labels" in pi.flags, "markers": "markers" in pi.flags,
            "trend_line": "trend" in pi.flags, "stacking": self._stacking(kind, pi, len(drawn))}
        key = category or x
        scale = "category" if category or kind == "bar" else self._scale(
            [x] if x else [], "log_x" in pi.flags, auto=True)
        key_axis = axis(key, pi.x_title or self.titles.get(key or ""), scale)
        value_axis = axis(None, self._value_title(pi, self.titles.get(key or "", key)),
                          self._scale(values, "log" in pi.flags, auto=kind in ("line", "area")))
        if horizontal:
            return panel(kind, value_axis, key_axis, drawn, orientation="horizontal", **options)
        return panel(kind, key_axis, value_axis, drawn, **options)

    def _stacking(self, kind: str, pi: PanelIntent, count: int) -> str:
        flags = pi.flags
        if kind == "area":
            return "stacked" if "stacked" in flags else "none"
        if kind != "bar":
            return "none"
        if "diverging" in flags:
            self._note("diverging")
        elif {"grouped", "stacked"} <= flags:
            self._note("grouped_stacked")
        if flags & {"stacked", "diverging"} or "broken" in pi.degrades:
            return "stacked"
        return "grouped" if count > 1 else "none"

    def _scatter(self, pi: PanelIntent, texts: list[str], numbers: list[str]) -> Panel:
        """Points: a numeric x (or the labels, when the series are one measure) against y."""
        values = self._values(numbers)
        with_spreads = len(values) < len(numbers)
        sizes = [c for c in values if is_size(c)]
        colors = [c for c in values if is_color(c)]
        plain = [c for c in values if c not in sizes + colors]
        values, sizes, colors = (_about_first(pi, plain), sizes, colors) if plain else (
            values, [], [])
        category, x, pairs = None, None, xy_pairs(values)
        if texts and (len(values) == 1 or with_spreads or one_measure(values, NOT_MEASURES)):
            category, pairs = self._category(texts), None
        elif pairs is None and len(values) > 1:
            x = values.pop(0)
        if "3d" in pi.degrades and len(values) > 1 and not colors:
            colors.append(values.pop())
        if "bubble" in pi.flags and len(values) > 1 and not sizes:
            sizes.append(values.pop())
        if pairs:
            drawn = [series(common_name(a, b), b, x_field=a) for a, b in pairs]
        else:
            drawn = self._series(values, numbers, pi)
        rest = [t for t in texts if t not in self._parts(category)]
        color = colors[0] if colors else next((t for t in rest if has_repeats(self.data[t])), None)
        label = next((t for t in rest if t != color), None)
        for s in drawn:
            s.update({k: v for k, v in (("size_field", closest(s["name"], sizes)),
                                        ("color_field", color), ("label_field", label)) if v})
        options = {"value_labels": "labels" in pi.flags, "markers": "markers" in pi.flags,
                   "trend_line": "trend" in pi.flags}
        xs = [a for a, _ in pairs] if pairs else [x] if x else []
        key_axis = axis(category, pi.x_title, "category") if category else axis(
            x, pi.x_title, self._scale(xs, "log_x" in pi.flags, auto=True))
        value_axis = axis(None, self._value_title(pi, category or x), self._scale(
            [s["field"] for s in drawn], "log" in pi.flags, auto=True))
        if category and "horizontal" in pi.flags:
            return panel("scatter", value_axis, key_axis, drawn, orientation="horizontal",
                         **options)
        return panel("scatter", key_axis, value_axis, drawn, **options)

    def _heatmap(self, pi: PanelIntent, texts: list[str], numbers: list[str]) -> Panel:
        annotate = "labels" in pi.flags or "confusion" in pi.text.lower()
        if len(texts) >= 3 and set(numbers) <= self.generated:
            return self._edges(pi, texts, annotate)
        long = self._long_keys(texts, numbers, coordinates=bool(pi.degrades & {"3d", "network"}))
        if long:
            keys, values = long
            x, y = keys[-2:] if is_xy(*keys[-2:]) else keys[:-3:-1]
            extra = {}
            if len(keys) > 2:
                # the row key lives on in a composite label; label_field keeps its column drawn
                extra = {"label_field": y} if y in self.numeric else {}
                y = self._composite(keys[:-1])
            drawn = [series(v, v, **extra) for v in values]
            return panel("heatmap", axis(x, pi.x_title, "category"),
                         axis(y, pi.y_title, "category"), drawn, annotate_cells=annotate)
        label = self._category(texts, distinct=True) or next(
            (c for c in numbers if c in self.generated), None)
        values = [c for c in numbers if c not in self.generated]
        if label is None and not self.matrix and len(values) > 1 and is_x_like(
                values[0], self.data[values[0]]) and self._keyable(values[0], categorical=True):
            label = values.pop(0)
        drawn = [series(v, v) for v in values]
        title = self.titles.get(label or "")
        if "one_row" in pi.flags:
            return panel("heatmap", axis(label, pi.x_title or title, "category"),
                         axis(None, pi.y_title, "category"), drawn, annotate_cells=annotate)
        return panel("heatmap", axis(None, pi.x_title, "category"),
                     axis(label, pi.y_title or title, "category"), drawn, annotate_cells=annotate)

    def _edges(self, pi: PanelIntent, texts: list[str], annotate: bool) -> Panel:
        """An edge list without numbers as an adjacency heatmap: a cell per row at its source
        (row) and target (column), coloured by the third text column. The cells have no
        values, so their series is a column of gaps; text is never a cell value."""
        source, target, kind = texts[:3]
        gaps = free_name("Edge weight", self.data)
        self.data[gaps] = [None] * len(self.data[source])
        self._note("edges", source=source, target=target, kind=kind)
        pairs = [(cell_label(a), cell_label(b))
                 for a, b in zip(self.data[source], self.data[target])]
        rows = source
        if len(set(pairs)) < len(pairs):  # an edge given twice gets a row of its own: "a (2)"
            rows = free_name(f"{source} (numbered)", self.data)
            self.data[rows] = _numbered_rows(pairs)
            self.parts[rows], self.titles[rows] = [source], source
            self._note("edge_repeats", example=next(
                new for new, old in zip(self.data[rows], self.data[source])
                if new != cell_label(old)))
        return panel("heatmap", axis(target, pi.x_title, "category"),
                     axis(rows, pi.y_title or self.titles.get(rows), "category"),
                     [series(kind, gaps, color_field=kind)], annotate_cells=annotate)

    def _long_keys(self, texts: list[str], numbers: list[str],
                   coordinates: bool) -> tuple[list[str], list[str]] | None:
        """(keys, values) when rows are cells keyed by two or more columns, else None. The
        values are numeric columns: a text column is a key or a label, never a cell value."""
        if texts:
            if numbers and not all(has_repeats(self.data[t]) for t in texts):
                return None
            few = [c for c in numbers if few_distinct(self.data[c])]
        elif len(numbers) == 3 and (all(few_distinct(self.data[c]) for c in numbers[:2])
                                    or (coordinates and is_xy(*numbers[:2]))):
            few = numbers[:2]
        else:
            return None
        values = [c for c in numbers if c not in few] or few[-1:]
        keys = sorted((c for c in texts + few if c not in values), key=list(self.data).index)
        if len(keys) < 2 or not values:
            return None
        cells = list(zip(*([cell_label(v) for v in self.data[k]] for k in keys)))
        return (keys, values) if len(set(cells)) == len(cells) else None  # each cell once

    def _distribution(self, kind: str, pi: PanelIntent, texts: list[str],
                      numbers: list[str]) -> Panel:
        """Histogram, box and violin: one distribution per column (box and violin per group)."""
        values = [c for c in numbers if c not in self.generated]
        group = None if kind == "histogram" else next(
            (t for t in texts if has_repeats(self.data[t])), None)
        drawn = [series(c, c) for c in values]
        key_axis = axis(group, pi.x_title, "category" if group else "linear")
        value_axis = axis(None, pi.y_title)
        if "horizontal" in pi.flags:
            return panel(kind, value_axis, key_axis, drawn, orientation="horizontal",
                         bins=pi.bins)
        return panel(kind, key_axis, value_axis, drawn, bins=pi.bins)

    # Series, axes and labels -----------------------------------------------------------

    def _values(self, numbers: list[str]) -> list[str]:
        """The columns drawn as series: all but the spreads of series among them."""
        return [c for c in numbers if c not in self.spreads
                or not set(self.spreads[c].targets) & set(numbers)]

    def _series(self, values: list[str], pool: list[str], pi: PanelIntent,
                **extra: str | None) -> list[dict[str, Any]]:
        """A series per column, with the spreads in `pool` that qualify it as error bars
        (or as a band when the intent asks for shading)."""
        kind = "band" if "band" in pi.flags else "error"
        drawn = []
        for c in values:
            columns: dict[str, str] = {}
            for e in pool:
                found = self.spreads.get(e)
                if found and c in found.targets:
                    columns.setdefault(kind + (f"_{found.side}" if found.side else ""), e)
            drawn.append(series(c, c, **columns, **extra))
        return drawn

    def _category(self, texts: list[str], distinct: bool = False) -> str | None:
        """The label column; joined with a second one when its labels repeat. With `distinct`
        (bars, lines, slices and heatmap rows need each category once), labels that still
        repeat are numbered."""
        if not texts:
            return None
        label = next((t for t in texts if t != self.facet), texts[0])
        if has_repeats(self.data[label]):
            other = next((t for t in texts if t == self.facet and t != label), None) or next(
                (t for t in texts if t != label and has_repeats(self.data[t])), None)
            if other is not None:
                label = self._composite(sorted([label, other], key=list(self.data).index))
        return self._distinct(label) if distinct else label

    def _keyable(self, column: str, categorical: bool) -> bool:
        """Whether a numeric column can be the x of bars or heatmap rows (`categorical`: each
        value once), or of lines and areas (numbers may repeat; labels, as text makes the axis
        categorical, may not). A column that cannot stays a series: drawn, never merged."""
        values = self.data[column]
        return distinct_labels(values) or not categorical and all(
            v is None or is_number(v) for v in values)

    def _distinct(self, column: str) -> str:
        """`column` when each of its labels names one row, else a copy with the repeats
        numbered in order ("A", "A (2)"), so that every row keeps its own bar, point or slice:
        values are never summed or dropped to make categories unique."""
        if distinct_labels(self.data[column]):
            return column
        if column not in self.numbered:
            name = free_name(f"{column} (numbered)", self.data)
            self.data[name] = numbered(self.data[column])
            self.parts[name] = self.parts.get(column, [column])
            self.titles[name] = self.titles.get(column, column)
            example = next(new for new, old in zip(self.data[name], self.data[column])
                           if new != cell_label(old))
            self._note("repeats", column=column, example=example)
            self.numbered[column] = name
        return self.numbered[column]

    def _composite(self, parts: list[str]) -> str:
        """A text column joining several columns' labels row by row ("Study A · 2")."""
        name = free_name(" · ".join(parts), self.data)
        rows = zip(*(self.data[p] for p in parts))
        self.data[name] = [" · ".join("" if v is None else str(v) for v in row) for row in rows]
        self.parts[name] = parts
        return name

    def _parts(self, column: str | None) -> list[str | None]:
        return list(self.parts.get(column or "", [column]))

    def _scale(self, columns: list[str], asked: bool, auto: bool) -> str:
        """Log when asked (or named "log scale"), or when automatic and the positive values
        span three decades; linear, with a note, when the data cannot have a log axis."""
        values = [v for c in columns for v in self.data[c]]
        named = any("log scale" in c.lower() for c in columns)
        if (asked or named) and not all_positive(values):
            if asked:
                self._note("log")
            return "linear"
        return "log" if asked or named or (auto and spans_decades(values)) else "linear"

    @staticmethod
    def _value_title(pi: PanelIntent, key: str | None) -> str | None:
        """The y title the intent gives, or B of "about A and B" when A names the x column."""
        if pi.y_title:
            return pi.y_title
        if pi.about and key and set(name_tokens(pi.about[0])) == set(name_tokens(key)):
            title = pi.about[1]
            return title[0].upper() + title[1:]
        return None

    # Every number drawn --------------------------------------------------------------

    def _cover(self, panels: list[Panel]) -> None:
        """Numeric columns no panel drew become extra series, or an extra panel."""
        used = used_columns({"panels": panels})
        missing = [c for c in self.numeric if c not in used and c not in self.generated]
        for c in missing:
            host = next((p for p in panels if p["kind"] in GROWABLE and any(
                len(self.data[s["field"]]) == len(self.data[c]) for s in p["series"])), None)
            if host is None:
                labels = [t for t in self.text if len(self.data[t]) == len(self.data[c])]
                key = self._distinct(labels[0]) if labels else None
                host = panel("bar" if labels else "line",
                             axis(key, self.titles.get(key or ""),
                                  "category" if labels else "linear"), axis(), [])
                panels.append(host)
            host["series"].append(series(c, c))
        if missing:
            self.notes.append("Columns the intent did not place are drawn as extra series: "
                              + ", ".join(repr(c) for c in missing) + ".")


def _numbered_rows(pairs: list[tuple[str, str]]) -> list[str]:
    """Row labels of (row, column) cells, numbered where a cell repeats ("a", "a (2)")."""
    taken, seen, rows = set(pairs), Counter[tuple[str, str]](), []
    for row, column in pairs:
        seen[row, column] += 1
        label, count = row, seen[row, column]
        while count > 1 and (label := f"{row} ({count})", column) in taken:
            count += 1
        taken.add((label, column))
        rows.append(label)
    return rows


def _about_first(pi: PanelIntent, values: list[str]) -> list[str]:
    """"A scatter plot about A and B" puts A on x: the column A names goes first."""
    named = pi.about and next((c for c in values if set(name_tokens(pi.about[0]))
                               <= set(name_tokens(c))), None)
    return [named, *(c for c in values if c != named)] if named else values
