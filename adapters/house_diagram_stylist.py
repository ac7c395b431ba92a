"""The house style for methodology diagrams (/work/shared/figure-style.md), and its typography.

`HouseDiagramStylist.style` fills spec["style"] with the keys the layout, the builder and the
critic read. The typography half (`wrap`, `node_text`, `group_label`, `edge_label`, `math_text`)
says how text is wrapped, measured and inset in each shape, so that the layout sizes boxes and
the builder draws text by the same rules, and text never outgrows its box.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass
from typing import Any

from adapters.text_metrics import text_height, text_width
from application.diagrams.ports import DiagramStylist

Json = dict[str, Any]
FONT = "Noto Sans, Noto Sans CJK SC, DejaVu Sans, sans-serif"
MATH_FONT = "Noto Serif, DejaVu Serif, serif"
ROLE_FILL = {"input": "#FFFFFF", "data": "#EEF2F7", "model": "#FFE6CC", "operation": "#DAE8FC",
             "loss": "#F8CECC", "output": "#FFF2CC", "store": "#D5E8D4", "agent": "#E1D5E7"}
"""Soft fills: warm for trainable models, cool for fixed operations and data, the strongest
(red, yellow) for losses and outputs."""
ROLE_STROKE = {"input": "#666666", "data": "#5F7A96", "model": "#C77C02", "operation": "#6C8EBF",
               "loss": "#B85450", "output": "#B89B3E", "store": "#6A9A55", "agent": "#8A6A9E"}
GROUP_FILLS = ("#E6F3FF", "#F5F5DC", "#E0F2F1", "#F3E5F5", "#FFF3E0")
HOUSE_STYLE: Json = {
    "font": FONT, "math_font": MATH_FONT, "label_size": 16, "sublabel_size": 13,
    "group_label_size": 13, "edge_label_size": 12, "min_font_px": 9,
    "role_fill": ROLE_FILL, "role_stroke": ROLE_STROKE, "group_fills": list(GROUP_FILLS),
    "group_stroke": "#8C8C8C", "text_color": "#333333", "edge_color": "#4D4D4D",
    "node_padding": 10, "rank_gap": 44, "node_gap": 24}
"""Sizes in CSS px; gaps are the space between boxes across (rank) and along (node) the flow."""

WRAP_EM = 11.0
"""A line wider than this many ems of its size is wrapped onto two lines."""
MIN_BOX_EM = (5.0, 2.5)
"""The smallest node box (width, height) in ems of the label size, so short labels align."""
SKEW = 10.0
"""How far a parallelogram (input, output) leans; its text keeps clear of both slants."""
CAP = 7.0
"""Half the height of a cylinder's (store's) elliptic lid."""
STACK = 4.0
"""Offset of each card behind a repeated block."""
ARROW = (9.0, 3.6)
"""Arrowhead length (the room the layout leaves before a target) and half-width, in px."""
CAPITALS, BROAD = re.compile(r"[A-Z]"), re.compile(r"[MWmw]")
GROUP_LABEL_PAD = 4.0
"""Room around a group's or an edge's label."""
GROUP_LABEL_X = 12.0
"""From a panel's left edge to its label's text (dot puts the padded label 8 px in)."""


class HouseDiagramStylist(DiagramStylist):
    def style(self, spec: Json) -> Json:
        styled = copy.deepcopy(spec)
        styled["style"] = merged_style(styled.get("style"))
        return styled


def merged_style(chosen: Json | None) -> Json:
    """The house style under the keys already chosen (per role for the role colours)."""
    style = copy.deepcopy(HOUSE_STYLE)
    for key, value in (chosen or {}).items():
        house = style.get(key)
        style[key] = ({**house, **(value if isinstance(value, dict) else {})}
                      if isinstance(house, dict) else value)
    return style


def measure(text: str, size: float) -> float:
    """text_width, plus what capitals and m/w take beyond its average glyph in Noto Sans (an
    all-caps label would outgrow its box otherwise); never less than text_width."""
    return text_width(text, size) + size * (0.12 * len(CAPITALS.findall(text))
                                            + 0.3 * len(BROAD.findall(text)))


def font_px(style: Json, key: str) -> float:
    """A text size of the style, never below its min_font_px."""
    return max(float(style[key]), float(style["min_font_px"]))


@dataclass(frozen=True)
class Line:
    text: str
    size: float
    math: bool = False

    @property
    def width(self) -> float:
        return measure(self.text, self.size)

    @property
    def height(self) -> float:
        return text_height(self.size)


@dataclass(frozen=True)
class NodeText:
    """A node's text block (label lines, math, sublabel lines), its "xN" badge, and the room
    (left, top, right, bottom) its shape takes before the padding."""

    lines: tuple[Line, ...]
    badge: Line | None
    inset: tuple[float, float, float, float]
    padding: float

    @property
    def width(self) -> float:
        return max(line.width for line in self.lines)

    @property
    def height(self) -> float:
        return sum(line.height for line in self.lines)

    def box_size(self, label_size: float) -> tuple[int, int]:
        left, top, right, bottom = self.inset
        w = max(MIN_BOX_EM[0] * label_size, self.width + 2 * self.padding + left + right)
        h = max(MIN_BOX_EM[1] * label_size, self.height + 2 * self.padding + top + bottom)
        return 2 * math.ceil(w / 2), 2 * math.ceil(h / 2)


def wrap(text: str, size: float, max_px: float | None = None) -> list[str]:
    """No line for blank text, one line, or two balanced ones when wider than WRAP_EM (between
    words, or between characters in unspaced CJK); an explicit newline always breaks."""
    if "\n" in text or not text.strip():
        return [part for part in (" ".join(p.split()) for p in text.split("\n")) if part]
    text = " ".join(text.split())
    if measure(text, size) <= (max_px or WRAP_EM * size):
        return [text]
    words = text.split(" ")
    if len(words) > 1:
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    elif any(text_width(ch, 1) >= 1 for ch in text):
        splits = [(text[:i], text[i:]) for i in range(1, len(text))]
    else:
        return [text]
    return list(min(splits, key=lambda pair: max(measure(s, size) for s in pair)))


def node_text(node: Json, style: Json) -> NodeText:
    size, small = font_px(style, "label_size"), font_px(style, "sublabel_size")
    lines = [Line(s, size) for s in wrap(node["label"], size)]
    if node.get("math"):
        lines.append(Line(math_text(node["math"]), size, math=True))
    if node.get("sublabel"):
        lines += [Line(s, small) for s in wrap(node["sublabel"], small)]
    left = right = SKEW if node["role"] in ("input", "output") else 0.0
    top, bottom = (2 * CAP, CAP) if node["role"] == "store" else (0.0, 0.0)
    badge = Line(f"×{node['repeat']}", small) if node.get("repeat") else None
    if badge:
        top += 2 * STACK
        right += 2 * STACK + badge.width + float(style["node_padding"]) / 2
    return NodeText(tuple(lines), badge, (left, top, right, bottom), float(style["node_padding"]))


def group_label(group: Json, style: Json) -> list[Line]:
    size = font_px(style, "group_label_size")
    return [Line(s, size) for s in wrap(group.get("label") or "", size, 2 * WRAP_EM * size)]


def edge_label(edge: Json, style: Json) -> list[Line]:
    size = font_px(style, "edge_label_size")
    return [Line(s, size) for s in wrap(edge.get("label") or "", size)]


def label_cell(lines: list[Line]) -> tuple[int, int]:
    """The room a group's or an edge's label lines take, padding included."""
    if not lines:
        return 0, 0
    return (math.ceil(max(line.width for line in lines) + 2 * GROUP_LABEL_PAD),
            math.ceil(sum(line.height for line in lines) + 2 * GROUP_LABEL_PAD))


GREEK = {name: chr(0x3B1 + i) for i, name in enumerate(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "varsigma sigma tau upsilon phi chi psi omega".split())}
GREEK |= {name.capitalize(): chr(ord(ch) - 0x20) for name, ch in GREEK.items()
          if name != "varsigma"}
SYMBOLS = GREEK | dict(zip(
    "varepsilon varphi cdot times in sim to rightarrow leftarrow infty partial nabla sum prod ell "
    "dots ldots approx leq geq".split(), "εφ·×∈∼→→←∞∂∇ΣΠℓ……≈≤≥"))
SCRIPT = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵"))
SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
SUP = dict(zip("0123456789+-=()inT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿᵀ"))
ACCENTS = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304", "dot": "\u0307", "vec": "\u20D7"}


def math_text(tex: str) -> str:
    """A short TeX symbol as plain Unicode ("h_t" -> "hₜ", "\\mathcal{L}" -> "ℒ", "\\hat{y}" ->
    "ŷ"), since the page has no TeX engine; other commands keep only their argument, and
    scripts without Unicode forms keep their "_" or "^"."""
    text = re.sub(r"\\mathcal\{?([A-Z])\}?", lambda m: SCRIPT[m[1]], tex.strip().strip("$"))
    text = re.sub(r"\\(hat|tilde|bar|dot|vec)(?![A-Za-z])\s*\{?(\w)\}?",
                  lambda m: m[2] + ACCENTS[m[1]], text)
    text = re.sub(r"\\([A-Za-z]+)\s?", lambda m: SYMBOLS.get(m[1], ""), text)

    def script(m: re.Match[str]) -> str:
        table = SUB if m[1] == "_" else SUP
        body = m[2] or m[3]
        return "".join(table[c] for c in body) if all(c in table for c in body) else m[1] + body
    return re.sub(r"([_^])(?:\{([^}]*)\}|(\w))", script, text).replace("{", "").replace("}", "")
