"""Input data shapes -> named columns, value for value, and what each column looks like.

The planner only ever sees columns. Every shape the API accepts is turned into them here,
so no value is rounded, converted, sorted or dropped on its way into the spec; anything that
cannot become columns is rejected with a message naming the offending part.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from application.plots.ports import PlotDataError
from application.plots.spec import is_number

Columns = dict[str, list[Any]]

MATRIX_KEYS = ("values", "matrix", "z", "cells", "counts", "data")
ROW_LABEL_KEYS = ("rows", "y_labels", "row_labels", "ylabels", "index", "y")
COL_LABEL_KEYS = ("cols", "x_labels", "col_labels", "xlabels", "columns", "x")
SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Table:
    """The input as named columns of equal or grouped lengths."""

    columns: Columns
    matrix: bool = False
    """The input was a grid of numbers: a heatmap when the intent does not say otherwise."""
    generated: frozenset[str] = frozenset()
    """Columns made up here (a 1..n index), left out of the spec unless a panel uses them."""


def to_table(data: Any) -> Table:
    """The columns of any accepted shape; otherwise PlotDataError saying what is wrong."""
    table = _shape(data)
    for name, values in table.columns.items():
        for row, value in enumerate(values, 1):
            if not isinstance(value, SCALARS):
                raise PlotDataError(
                    f"data_json: column {name!r} row {row} holds a {_kind(value)}; "
                    "cells must be numbers, text or null")
    if not any(table.columns.values()):
        raise PlotDataError("data_json: every column is empty; there is nothing to plot")
    _check_pairable(table.columns)
    return table


def _shape(data: Any) -> Table:
    if isinstance(data, dict):
        if not data:
            raise PlotDataError("data_json: the object is empty; there is nothing to plot")
        only = next(iter(data.values())) if len(data) == 1 else None
        if isinstance(only, dict) or (isinstance(only, list) and only
                                      and all(isinstance(v, (dict, list)) for v in only)):
            return _shape(only)
        if any(_is_grid(data.get(key)) for key in MATRIX_KEYS):
            return _labelled_matrix(data)
        return Table(_from_mapping(data))
    if isinstance(data, list):
        if not data:
            raise PlotDataError("data_json: the list is empty; there is nothing to plot")
        if all(isinstance(row, dict) for row in data):
            return Table(_from_records(data))
        if all(isinstance(row, list) for row in data):
            return _from_rows(data)
        if all(isinstance(v, SCALARS) for v in data):
            return Table({"index": list(range(1, len(data) + 1)), "value": list(data)},
                         generated=frozenset({"index"}))
        raise PlotDataError("data_json: the list mixes objects, lists and single values")
    raise PlotDataError(f"data_json: expected an object or a list, got a {_kind(data)}")


def _from_mapping(data: dict[str, Any]) -> Columns:
    values = list(data.values())
    if all(isinstance(v, list) for v in values):
        return {name: list(column) for name, column in data.items()}
    if all(isinstance(v, dict) for v in values):
        keys = _union(inner for inner in values)
        label = free_name("label", data)
        return {label: keys, **{name: [inner.get(k) for k in keys] for name, inner in data.items()}}
    if all(isinstance(v, SCALARS) for v in values):
        return {"label": list(data), "value": values}
    odd = next(name for name, v in data.items() if not isinstance(v, list))
    raise PlotDataError(f"data_json: key {odd!r} holds a {_kind(data[odd])} while other keys "
                        "hold lists of values")


def _from_records(rows: list[dict[str, Any]]) -> Columns:
    keys = _union(rows)
    return {key: [row.get(key) for row in rows] for key in keys}


def _from_rows(rows: list[list[Any]]) -> Table:
    _check_rectangular(rows, "row")
    header, body = rows[0], rows[1:]
    if body and all(isinstance(h, str) for h in header) and not all(
            isinstance(v, str) for row in body for v in row):
        names = _unique(header)
    else:
        names, body = [f"column {j}" for j in range(1, len(header) + 1)], rows
    grid = all(is_number(v) or v is None for row in body for v in row)
    return Table({name: [row[j] for row in body] for j, name in enumerate(names)}, matrix=grid)


def _labelled_matrix(data: dict[str, Any]) -> Table:
    cells_key = next(key for key in MATRIX_KEYS if _is_grid(data.get(key)))
    row_key = next((k for k in ROW_LABEL_KEYS if k in data and k != cells_key), None)
    col_key = next((k for k in COL_LABEL_KEYS if k in data and k != cells_key), None)
    extra = set(data) - {cells_key, row_key, col_key}
    if extra:
        raise PlotDataError(f"data_json: key {sorted(extra)[0]!r} is not part of a labelled "
                            f"matrix (row labels, column labels and {cells_key!r})")
    matrix = data[cells_key]
    _check_rectangular(matrix, f"{cells_key!r} row")
    width = len(matrix[0])
    rows = _labels(data, row_key, len(matrix), "rows")
    cols = _labels(data, col_key, width, "columns")
    row_name = row_key or "row"
    names = _unique([str(c) for c in cols] if col_key else
                    [f"column {j}" for j in range(1, width + 1)], taken={row_name})
    columns = {row_name: rows, **{name: [r[j] for r in matrix] for j, name in enumerate(names)}}
    return Table(columns, matrix=True, generated=frozenset() if row_key else frozenset({"row"}))


def _labels(data: dict[str, Any], key: str | None, count: int, what: str) -> list[Any]:
    if key is None:
        return list(range(1, count + 1))
    labels = data[key]
    if not isinstance(labels, list) or len(labels) != count:
        size = len(labels) if isinstance(labels, list) else "no"
        raise PlotDataError(f"data_json: {key!r} has {size} labels but the matrix has "
                            f"{count} {what}")
    return list(labels)


def _check_rectangular(rows: list[Any], what: str) -> None:
    if not all(isinstance(row, list) for row in rows):
        raise PlotDataError(f"data_json: every {what} must be a list")
    width = len(rows[0])
    for number, row in enumerate(rows, 1):
        if len(row) != width:
            raise PlotDataError(f"data_json: {what} {number} has {len(row)} values but "
                                f"{what} 1 has {width} (a ragged matrix)")
    if width == 0:
        raise PlotDataError(f"data_json: {what} 1 is empty; there is nothing to plot")


def _check_pairable(columns: Columns) -> None:
    """Columns of different lengths are separate panels, so each length needs numbers."""
    groups = length_groups(columns)
    if len(groups) < 2:
        return
    anchor = next((g[0] for g in groups if any(is_numeric(columns[c]) for c in g)), None)
    for group in groups:
        if anchor is not None and not any(is_numeric(columns[c]) for c in group):
            raise PlotDataError(
                f"data_json: column {group[0]!r} has {len(columns[group[0]])} values but "
                f"{anchor!r} has {len(columns[anchor])} and they cannot be paired")


def length_groups(columns: Columns) -> list[list[str]]:
    """Column names grouped by length, in order of first appearance."""
    groups: dict[int, list[str]] = {}
    for name, values in columns.items():
        groups.setdefault(len(values), []).append(name)
    return list(groups.values())


def _is_grid(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, list) for r in value)


def _union(mappings: Iterable[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for mapping in mappings for key in mapping))


def _unique(names: list[Any], taken: set[str] | None = None) -> list[str]:
    seen = set(taken or ())
    unique = []
    for name in names:
        unique.append(free_name(str(name), seen))
        seen.add(unique[-1])
    return unique


def free_name(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base (2)`, `base (3)`... whichever is not taken yet."""
    taken = set(taken)
    name, n = base, 2
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    return name


def _kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number" if isinstance(value, (int, float)) else type(value).__name__)


# What a column looks like -------------------------------------------------------------

def is_numeric(values: list[Any]) -> bool:
    """Holds at least one number: such a column must be drawn (other cells count as gaps)."""
    return any(is_number(v) for v in values)


def is_text(values: list[Any]) -> bool:
    return not is_numeric(values) and any(isinstance(v, (str, bool)) for v in values)


def has_repeats(values: list[Any]) -> bool:
    present = [v for v in values if v is not None]
    return len(set(map(repr, present))) < len(present)


def cell_label(value: Any) -> str:
    """A cell as a category axis names it: text as is, a number in full ("2020", "0.125";
    1 and 1.0 alike), a gap as ""."""
    if value is None:
        return ""
    if is_number(value):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def distinct_labels(values: list[Any]) -> bool:
    """Every cell names its own category (gaps count as the label "")."""
    labels = [cell_label(v) for v in values]
    return len(set(labels)) == len(labels)


def numbered(values: list[Any]) -> list[str]:
    """The cells' labels with repeats numbered in order of appearance: the first "A" stays
    "A", the next ones become "A (2)", "A (3)"..., skipping labels the column already has."""
    labels = [cell_label(v) for v in values]
    taken = set(labels)
    seen: dict[str, int] = {}
    out = []
    for text in labels:
        count = seen[text] = seen.get(text, 0) + 1
        if count > 1:
            candidate = f"{text} ({count})".strip()
            while candidate in taken:
                count += 1
                candidate = f"{text} ({count})".strip()
            seen[text] = count
            taken.add(candidate)
            text = candidate
        out.append(text)
    return out


def runs(values: list[Any]) -> int:
    """How many blocks of equal consecutive values the column has."""
    return sum(1 for i, v in enumerate(values) if i == 0 or v != values[i - 1])


def is_monotone(values: list[Any]) -> bool:
    numbers = [v for v in values if is_number(v)]
    steps = [b - a for a, b in zip(numbers, numbers[1:])]
    return bool(steps) and (all(s > 0 for s in steps) or all(s < 0 for s in steps))


def spans_decades(values: Iterable[Any], decades: float = 3) -> bool:
    """All positive and max/min >= 10**decades: a case for a log axis."""
    numbers = [v for v in values if is_number(v)]
    return bool(numbers) and min(numbers) > 0 and (
        math.log10(max(numbers)) - math.log10(min(numbers)) >= decades)


def all_positive(values: Iterable[Any]) -> bool:
    numbers = [v for v in values if is_number(v)]
    return bool(numbers) and min(numbers) > 0


def name_tokens(text: str) -> list[str]:
    """Lower-case word stems; a one-letter or one-digit word also joins the word before it
    ("Company A" -> company, company_a) so that A/B/1/2 suffixes can tell names apart."""
    words = re.findall(r"[^\W_]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).lower())
    return [f"{_stem(words[i - 1])}_{word}" if len(word) == 1 and i and len(words[i - 1]) > 1
            else _stem(word) for i, word in enumerate(words)]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ly"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Columns that qualify others ----------------------------------------------------------

SPREAD_WORDS = frozenset({"error", "err", "std", "stdev", "stddev", "sd", "se", "sem", "ci",
                          "uncertainty", "margin", "deviation", "spread"})
WEAK_SPREAD_WORDS = frozenset({"volatility", "variance"})
SPREAD_MODIFIERS = frozenset({"standard", "symmetric", "asymmetric", "confidence", "interval"})
LOWER_WORDS = frozenset({"lower", "minus", "negative", "neg", "min", "minimum"})
UPPER_WORDS = frozenset({"upper", "plus", "positive", "pos", "max", "maximum"})
BARE_BOUNDS = frozenset({"lower", "upper", "min", "max", "minimum", "maximum"})
SIZE_WORDS = frozenset({"size", "bubble"})
COLOR_WORDS = frozenset({"color", "colour", "hue"})
X_WORDS = frozenset({"year", "time", "date", "month", "day", "week", "quarter", "step", "epoch",
                     "iteration", "index", "age", "hour", "minute", "second", "period",
                     "session", "round", "phase", "stage", "x"})


@dataclass(frozen=True)
class Spread:
    """A column measuring other columns' spread (error bars, bands): not a series itself."""

    side: str | None
    """"lower", "upper", or None for a symmetric spread."""
    targets: tuple[str, ...]
    """The series it qualifies."""


def spreads(columns: Columns, numeric: list[str]) -> dict[str, Spread]:
    """Spread columns by name: an error word (Error, Std, SD, CI...) or a bound (Lower, Max...)
    plus words naming the series ("Revenue Error" -> Revenue; a bare "Error" -> every series).
    Volatility and variance count only when the rest of the name names a series."""
    named = {c: set(name_tokens(c)) for c in numeric}
    roles = {c: _spread_words(words, c) for c, words in named.items()}
    found = {}
    for c, role in roles.items():
        if role is None:
            continue
        base, side, needs_base = role
        if needs_base and not base:
            continue
        centers = {s: words for s, words in named.items()
                   if roles[s] is None and len(columns[s]) == len(columns[c])}
        overlap = {s: len(base & words) for s, words in centers.items()}
        full = [s for s, words in centers.items() if base <= words]
        partial = [s for s, n in overlap.items() if n and n == max(overlap.values())]
        targets = full or ([] if needs_base else partial)
        if targets:
            found[c] = Spread(side, tuple(targets))
    return found


def _spread_words(words: set[str], name: str) -> tuple[set[str], str | None, bool] | None:
    """(the other words, the side, whether they must name a series) for a spread's name."""
    strong = bool(words & SPREAD_WORDS) or "confidence interval" in name.lower()
    if not strong and not words & (WEAK_SPREAD_WORDS | BARE_BOUNDS):
        return None
    side = "lower" if words & LOWER_WORDS else "upper" if words & UPPER_WORDS else None
    base = words - SPREAD_WORDS - WEAK_SPREAD_WORDS - SPREAD_MODIFIERS - LOWER_WORDS - UPPER_WORDS
    return base, side, not strong and not words & BARE_BOUNDS


def is_size(name: str) -> bool:
    return bool(set(name_tokens(name)) & SIZE_WORDS)


def is_color(name: str) -> bool:
    return bool(set(name_tokens(name)) & COLOR_WORDS)


def is_x_like(name: str, values: list[Any]) -> bool:
    """Reads as an independent variable: a time-like name, or strictly monotone numbers."""
    return is_numeric(values) and (bool(set(name_tokens(name)) & X_WORDS) or is_monotone(values))


def few_distinct(values: list[Any]) -> bool:
    """At most half as many distinct values as values: a key of long-form cells."""
    present = [repr(v) for v in values if v is not None]
    return len(set(present)) * 2 <= len(present)


def is_xy(a: str, b: str) -> bool:
    """Names of a pair of plane coordinates ("Location X", "Location Y")."""
    ends = [(name_tokens(n) or [""])[-1] for n in (a, b)]
    return bool(re.search(r"(?:^|_)x$", ends[0]) and re.search(r"(?:^|_)y$", ends[1]))


def one_measure(names: list[str], ignore: set[str]) -> bool:
    """Names sharing a word ("Majority Accuracy", "Minority Accuracy") measure one thing."""
    words = [set(name_tokens(c)) - ignore for c in names]
    return len(words) > 1 and bool(set.intersection(*words))


def xy_pairs(names: list[str]) -> list[tuple[str, str]] | None:
    """(x, y) pairs when the columns come as "A x, A y, B x, B y" (no shared x column)."""
    if len(names) < 4 or len(names) % 2:
        return None
    pairs = [(names[i], names[i + 1]) for i in range(0, len(names), 2)]
    shared = [frozenset(name_tokens(a)) & frozenset(name_tokens(b)) for a, b in pairs]
    return pairs if all(shared) and len(set(shared)) == len(pairs) else None


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate sharing most words with `name` (the first one on a tie)."""
    words = set(name_tokens(name))
    return max(candidates, key=lambda c: len(words & set(name_tokens(c))), default=None)


def common_name(a: str, b: str) -> str:
    """What two names start with ("City A Population", "City A Age" -> "City A")."""
    prefix = os.path.commonprefix([a, b]).rstrip(" _-|:")
    return prefix or f"{b} vs {a}"
