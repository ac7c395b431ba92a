"""A comparison caption is a figure of its own: one panel per approach, side by side.

'Confronting vs. bypassing uncertainty. (a) AR Order confronts uncertain (forking) tokens
sequentially. (b) Arbitrary Order bypasses uncertain tokens, ..., which limits reasoning
potential.' The figure sets what each approach does to the same thing side by side; the
method text around it argues, it does not describe a flow. Each panel draws, in a row and
in words the text uses, its subject, what the subject acts on (the verb and its adverb on
the arrow) and what that leads to ('which limits ...').
"""

from __future__ import annotations

import re
from typing import Any

from adapters.method_text import HEADS, singular, vocabulary
from application.diagrams.spec import MAX_LABEL_WORDS, edge, group, new_diagram, node

_VERSUS = re.compile(r"\b(?:vs\.?|versus)(?=\s)|\bcompared (?:to|with)\b|\bin contrast to\b",
                     re.I)
_PANEL = re.compile(r"(?:^|\s)\(([a-h])\)\s+")
_ASIDE = re.compile(r"\s*\([^()]*\)")
_PHRASE = r"[\w-]+(?:\s+[\w-]+){0,3}?"
_CLAUSE = re.compile(rf"^(?:the\s+|a\s+|an\s+)?(?P<subject>{_PHRASE})\s+(?:(?P<before>\w+ly)\s+)?"
                     rf"(?P<verb>[a-z]{{3,}}s)\s+(?:the\s+|a\s+|an\s+)?(?P<object>{_PHRASE})"
                     rf"(?:\s+(?P<after>\w+ly))?(?=[,.;]|\s+(?:by|with|to|in|at|on|for|and|"
                     rf"which|while)\b|$)", re.I)
_LEADS_TO = re.compile(r",\s*which\s+([a-z]{3,}s)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s*[.,;]?$")
_WORD = re.compile(r"[\w-]+")
_ALTERNATIVE = re.compile(r"([\w-]+)\s+\(([\w-]+)\)")


def compared(caption: str, text: str) -> dict[str, Any] | None:
    """The panels' spec when the caption compares approaches panel by panel, else None."""
    if not _VERSUS.search(caption):
        return None
    used = vocabulary(text)
    marks = list(_PANEL.finditer(caption))
    bodies = [caption[m.end():nxt.start() if nxt else len(caption)]
              for m, nxt in zip(marks, [*marks[1:], None])]
    # "uncertain (forking) tokens": the word in parentheses may be the one the text uses
    instead = {w.lower(): alt for w, alt in _ALTERNATIVE.findall(caption)}
    panels = [p for p in (_panel(body, used, instead) for body in bodies) if p]
    if len(panels) < 2 or len(panels) != len(bodies):
        return None
    nodes, edges, groups = [], [], []
    for index, ((subject, acts), mark) in enumerate(zip(panels, marks), 1):
        gid = f"g{index}"
        groups.append(group(gid, f"({mark[1]})"))
        nodes.append(node(f"n{len(nodes) + 1}", subject[0], subject[1], group=gid))
        for verb, (label, role) in acts:  # 'bypasses X, which limits Y': X -> Y, in a row
            nodes.append(node(f"n{len(nodes) + 1}", label, role, group=gid))
            edges.append(edge(nodes[-2]["id"], nodes[-1]["id"], label=verb))
    spec = new_diagram(nodes, edges, groups, direction="LR",
                       notes=["The caption compares approaches; each has its own panel."])
    spec["style"]["rows"] = len(panels)  # one panel a row, (a) on top
    return spec


def _panel(body: str, used: set[str], instead: dict[str, str]
           ) -> tuple[tuple[str, str], list[tuple[str, tuple[str, str]]]] | None:
    """(subject, [(verb, object)]) of a panel's clause: 'AR Order confronts uncertain tokens
    sequentially' -> (AR Order, [(confronts sequentially, Forking Tokens)])."""
    clause = _ASIDE.sub("", body).strip()
    said = _CLAUSE.match(clause)
    if not said:
        return None
    subject, thing = (_grounded(said[k], used, instead) for k in ("subject", "object"))
    if not subject or not thing:
        return None
    verb = " ".join(w for w in said.group("before", "verb", "after") if w)
    acts = [(verb, (thing, "data"))]
    outcome = _LEADS_TO.search(clause)
    result = outcome and _grounded(outcome[2], used, instead)
    if result:
        acts.append((outcome[1], (result, "output")))
    return (subject, HEADS.get(singular(subject.split()[-1]), "operation")), acts


def _grounded(phrase: str, used: set[str], instead: dict[str, str]) -> str | None:
    """The phrase in words the text uses, titled, a word it does not use swapped for the
    caption's alternative to it; None if that leaves a word the text does not use."""
    words = [w if singular(w) in used else instead.get(w.lower(), w)
             for w in _WORD.findall(phrase)]
    if not 0 < len(words) <= MAX_LABEL_WORDS or any(singular(w) not in used
                                                    for w in words):
        return None
    return " ".join(w if w[:1].isupper() else w[:1].upper() + w[1:] for w in words)
