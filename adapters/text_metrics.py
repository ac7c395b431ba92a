"""Rough text measurement without a browser, good enough to predict overlaps.

Latin glyphs of a sans-serif font average about 0.58 em; CJK and other wide glyphs
take a full em. The critic only needs to know when labels clearly do not fit.
"""

from __future__ import annotations

import unicodedata

LATIN_EM = 0.58
LINE_HEIGHT = 1.25


def text_width(text: str, size_px: float) -> float:
    em = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else LATIN_EM for ch in str(text))
    return em * size_px


def text_height(size_px: float) -> float:
    return size_px * LINE_HEIGHT
