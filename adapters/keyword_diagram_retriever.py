"""A DiagramRetriever that ranks the archetype library by the text's words and structure.

Deterministic and model-free: each archetype's keywords count (capped, so one word repeated
through a long paper cannot decide alone), and each pair of words the archetype's structure
needs (an encoder and a decoder, an agent and its tools) earns a bonus when both occur.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from adapters.diagram_archetypes import ARCHETYPES
from adapters.method_text import clean
from application.diagrams.ports import DiagramRetriever

MAX_COUNT = 5
PAIR_BONUS = 3.0


class KeywordDiagramRetriever(DiagramRetriever):
    def __init__(self, archetypes: tuple[dict[str, Any], ...] = ARCHETYPES) -> None:
        self._archetypes = archetypes

    def retrieve(self, text: str, caption: str, limit: int = 3) -> list[dict[str, Any]]:
        words = clean(f"{text}\n{caption}").lower()
        scored = [(score(a, words), i, a) for i, a in enumerate(self._archetypes)]
        best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:limit]
        return [{**copy.deepcopy(a), "score": round(s, 2)} for s, _, a in best]


def score(archetype: dict[str, Any], words: str) -> float:
    """Capped, weighted keyword counts plus a bonus for each structural pair present."""
    counts = {k: count(k, words) for k in archetype["keywords"]}
    total = sum(w * min(counts[k], MAX_COUNT) for k, w in archetype["keywords"].items())
    pairs = sum(PAIR_BONUS for pair in archetype["pairs"] if all(counts[k] for k in pair))
    return total + pairs


def count(keyword: str, words: str) -> int:
    """Occurrences of a keyword: as a word prefix in English, anywhere in Chinese."""
    if not keyword.isascii():
        return words.count(keyword)
    return len(re.findall(r"(?<![a-z0-9])" + re.escape(keyword), words))
