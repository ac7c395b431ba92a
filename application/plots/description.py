"""A factual one-paragraph description of a PlotSpec, usable as alt text.

Every statement comes from the spec and its data: kinds, axes, series, counts and
extremes. Nothing is inferred that the numbers do not show.
"""

from __future__ import annotations

from typing import Any

from application.plots.spec import is_number

KIND_PHRASES = {
    "bar": "bar chart", "line": "line chart", "scatter": "scatter plot", "area": "area chart",
    "histogram": "histogram", "box": "box plot", "violin": "violin plot", "heatmap": "heatmap",
    "pie": "pie chart", "donut": "donut chart", "radar": "radar chart", "treemap": "treemap",
}


def describe(spec: dict[str, Any]) -> str:
    panels = spec["panels"]
    if len(panels) == 1:
        opening = f"A {_kind(panels[0])}"
    else:
        kinds = ", ".join(_kind(p) for p in panels)
        opening = f"A figure of {len(panels)} panels ({kinds})"
    if spec.get("title"):
        opening += f' titled "{spec["title"]}"'
    sentences = [opening + "."]
    for number, p in enumerate(panels, 1):
        prefix = f"Panel {number}" + (f' ("{p["title"]}")' if p.get("title") else "")
        sentences.append(_panel_sentence(p, spec["data"], prefix if len(panels) > 1 else ""))
    sentences.extend(spec.get("notes") or [])
    return " ".join(s for s in sentences if s)


def _kind(p: dict[str, Any]) -> str:
    phrase = KIND_PHRASES[p["kind"]]
    if p["kind"] in ("bar", "area") and p.get("stacking") == "stacked":
        phrase = "stacked " + phrase
    elif p["kind"] == "bar" and p.get("stacking") == "grouped" and len(p["series"]) > 1:
        phrase = "grouped " + phrase
    if p["kind"] == "bar" and p.get("orientation") == "horizontal":
        phrase = "horizontal " + phrase
    return phrase


def _panel_sentence(p: dict[str, Any], data: dict[str, list[Any]], prefix: str) -> str:
    parts = []
    x_field = p["x"].get("field")
    x_title = p["x"].get("title") or x_field
    y_title = p["y"].get("title")
    names = [s["name"] for s in p["series"]]
    if x_title:
        count = len(data[x_field]) if x_field else None
        parts.append(f"it shows {_join(names)} over {count} values of {x_title}"
                     if count else f"it shows {_join(names)} against {x_title}")
    else:
        parts.append(f"it shows {_join(names)}")
    if y_title:
        parts[-1] += f", with {y_title} on the value axis"
    if p["y"].get("scale") == "log" or p["x"].get("scale") == "log":
        parts[-1] += " (logarithmic scale)"
    for s in p["series"][:6]:
        extreme = _extremes(s, data, x_field)
        if extreme:
            parts.append(extreme)
    sentence = "; ".join(parts)
    sentence = sentence[0].upper() + sentence[1:]
    return (f"{prefix}: {sentence[0].lower()}{sentence[1:]}." if prefix else f"{sentence}.")


def _extremes(s: dict[str, Any], data: dict[str, list[Any]], x_field: str | None) -> str:
    values = data.get(s["field"], [])
    indexed = [(i, v) for i, v in enumerate(values) if is_number(v)]
    if len(indexed) < 2:
        return ""
    labels = data.get(x_field) if x_field else None
    (lo_i, lo), (hi_i, hi) = min(indexed, key=lambda t: t[1]), max(indexed, key=lambda t: t[1])

    def at(i: int) -> str:
        return f" at {labels[i]}" if labels and i < len(labels) and labels[i] is not None else ""

    return f"{s['name']} ranges from {_num(lo)}{at(lo_i)} to {_num(hi)}{at(hi_i)}"


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    shown = names[:5]
    rest = f" and {len(names) - 5} more" if len(names) > 5 else ""
    return ", ".join(shown[:-1]) + f" and {shown[-1]}" + rest if not rest else ", ".join(shown) + rest
