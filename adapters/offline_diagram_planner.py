"""An offline DiagramPlanner: the text's own component phrases, ordered as the text tells them.

Deterministic and model-free. The most salient terms (adapters/diagram_terms.py: frequent,
defined as acronyms, in headings, enumerated) become nodes; one input and one output bracket
them; edges follow the flow the words state (adapters/diagram_flow.py). Training / inference
wording or the text's named sections add groups; the best-fitting archetype's skeleton
reorders, groups and closes loops where the text fits it.

The caption says what the figure is for, so it leads: the components it names come first,
in its order, and its verbs of flow ("A -> B", "X is processed by A") are read before the
text's. Only components the text itself names are drawn, and the caption is never a node.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from adapters.diagram_comparison import compared
from adapters.diagram_flow import SHORT, Edge, add_edge, flow_edges, flow_labels
from adapters.diagram_terms import Term, chain_steps, components, same
from adapters.method_phrases import enumerations, parts_in_parentheses
from adapters.method_text import (
    CONNECTORS,
    GENERIC,
    STOPWORDS,
    Sentence,
    parse,
    singular,
    term_key,
)
from application.diagrams.ports import DiagramPlanner, DiagramTextError
from application.diagrams.spec import edge, group, new_diagram, node

MAX_MIDDLE = 10
CAPTION_LED = 3  # components named by the caption: it then says what the figure holds...
EXTRA = 2        # ...and the text adds at most this many of its own
MAX_GROUPS = 4
RANK = {"input": 0, "output": 2, "loss": 3}

_UNREAD_SCRIPTS = (("Japanese", re.compile(r"[\u3040-\u30ff]")),
                   ("Korean", re.compile(r"[\uac00-\ud7af]")),
                   ("Cyrillic", re.compile(r"[\u0400-\u04ff]")),
                   ("Arabic", re.compile(r"[\u0600-\u06ff]")))
_QUOTES = re.compile(r"[\"“”]|(?<!\w)['‘’]|['‘’](?!\w)")  # not the apostrophe in "GRIFFIN’s"
_LEADING_FILLER = re.compile(r"^(?:(?:the|a|an|our|proposed)\s+)+", re.I)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_ARTICLE = re.compile(r"^(?:the|a|an) ")
_HAS_PARTS = re.compile(r"\b(?:each|every)\s+(\w+)\s+(?:has|contains|consists of|comprises|"
                        r"includes|is composed of)\b", re.I)
_QUALIFIER = re.compile(r"\s+(?:with|via|using|under|for)\s+", re.I)  # "Gene Encoding with ..."
_FIGURE_NUMBER = re.compile(r"^\s*(?:Figure|Fig\.)\s*\d+\s*[:.|]\s*", re.I)
_PHASE_WORDS = (
    ("Training", re.compile(r"\b(?:during|in|for|at)\s+(?:the\s+)?(?:pre-?)?training\b|"
                            r"\btraining\s+(?:stage|phase|time|process)\b|\bis\s+trained\b|"
                            r"训练(?:时|阶段|过程|中)", re.I)),
    ("Inference", re.compile(r"\b(?:during|at|in|for)\s+(?:the\s+)?(?:inference|deployment|"
                             r"test(?:ing)?(?:\s+time)?)\b|\binference\s+(?:stage|phase|time)\b|"
                             r"推理(?:时|阶段|过程|中)|测试(?:时|阶段)", re.I)))
_PHASE_TITLES = (("Training", re.compile(r"train|训练", re.I)),
                 ("Inference", re.compile(r"inference|test|推理|测试", re.I)))
_PANEL = re.compile(r"(?:^|(?<=\s))(?:\((?:[a-h]|[ivx]{1,3}|\d)\)|(?:[a-hA-H]|\d)\))\s+")
# A panel's title ends at a colon, a full stop, "with ...", "showing ...", or a comma before the
# next panel: "(a) Rollout & Lookahead, (b) Value Estimation combining Advantage, ..."
_PANEL_TITLE = re.compile(r"^(?:(?:the|a|an)\s+)?([^,.:;()]+?)\s*(?:[:.;]|$|,\s*(?:and\s+)?"
                          r"(?=\(?[a-hA-H\divx]{1,3}\)\s)|\s+(?=(?:with|showing|combining|"
                          r"including|using|to|for|via)\b))", re.I)
_NOT_TITLE = re.compile(r"^(?:in|during|at|for|after|before|when|we|our|it|this|these|each|"
                        r"given|here)\b", re.I)


class OfflineDiagramPlanner(DiagramPlanner):
    def plan(self, text: str, caption: str, references: list[dict[str, Any]]) -> dict[str, Any]:
        panels = compared(_FIGURE_NUMBER.sub("", caption or ""), text or "")
        if panels:
            return panels
        lead = parse(_FIGURE_NUMBER.sub("", caption or ""))
        body = parse(text or "")
        sentences = lead + body
        short = len(body) <= SHORT
        terms = _chosen(components(sentences, len(lead), short), short=short,
                        chain=chain_steps(lead), inventory=enumerations(lead, counted=True))
        if len(terms) < 2:
            script = next((name for name, letters in _UNREAD_SCRIPTS
                           if len(letters.findall(text or "")) >= 10), None)
            raise DiagramTextError(
                f"The text is written in {script}, which the offline planner does not read: "
                "write the method in English or Chinese."
                if script else
                "No method components were found in the text: it should name the method's "
                "modules, inputs and outputs (e.g. 'the encoder maps the input image to "
                "features').")
        archetype, slots = _fitting(references, terms)
        skeleton = archetype["skeleton"] if archetype else {}
        order = _ordered(terms, slots)
        groups, member = _groups(order, sentences, skeleton, len(lead))
        listed = {k for k, label in _listed_parts(order, sentences).items()
                  if member.get(k) == label}
        order = _together(_parts_after_block(order, member), listed, member)
        order, edges = _contracted(*flow_edges(order, sentences, slots, skeleton,
                                               frozenset(listed)), member, listed)
        groups, member = _along_the_flow(groups, member, order)
        order = _inputs_at_their_steps(order, edges, member)
        ids = {t.key: f"n{i + 1}" for i, t in enumerate(order)}
        gids = {label: f"g{i + 1}" for i, label in enumerate(groups)}
        nodes = [node(ids[t.key], t.label, _role(t, slots, skeleton),
                      group=gids.get(member.get(t.key, "")), repeat=t.repeat,
                      sublabel=t.short if t.short != t.label else None)  # no "PSV / PSV"
                 for t in order]
        stacked = any(t.repeat for t in order) and len(order) <= 8
        labels = flow_labels(order, sentences, edges)
        return new_diagram(
            nodes, [edge(ids[a], ids[b], kind, labels.get((a, b))) for a, b, kind in edges],
            [group(gids[label], label) for label in groups],
            direction="TB" if stacked else (archetype or {}).get("direction", "LR"),
            notes=[f"Its layout follows the {archetype['name'].lower()} reference."]
            if archetype else [])


def _titled(label: str) -> str:
    """A group's label without the article or the 'proposed' its heading may start with ('The
    Proposed Masking Strategy' -> 'Masking Strategy'), nor quotes ('“Just GRPO” for ...')."""
    bare = _LEADING_FILLER.sub("", _QUOTES.sub("", label))
    return bare[:1].upper() + bare[1:] if bare else label


def _chosen(terms: list[Term], short: bool, chain: list[tuple[int, int, int]] = (),
            inventory: list[list[str]] = ()) -> list[Term]:
    """The components the caption names, then the most salient of the text's, none the same
    thing as another, after the earliest input and before the latest output (a long text
    must mention them twice, call them so, declare them in an algorithm or have the caption
    name them; a declared end wins). A caption that draws the flow as a `chain` of
    steps ("A -> B -> C") whose every step but perhaps the last names a component says all
    the figure holds: nothing is added to it, and its ends are the ones it names.
    A caption that counts three parts or more as it lists them ('coordinates three layers:
    LLM, GlimpRouter and SLM') names all the middle holds too, its ends aside.
    Other inputs and outputs stay as data: fake images between generator and discriminator."""
    distinct: list[Term] = []
    for t in sorted(terms, key=lambda t: (not t.cues, -t.salience, t.first)):
        if not any(same(t.key, c.key) or same(c.key, t.key) for c in distinct):
            distinct.append(t)
    closed = len(chain) >= CAPTION_LED and all(
        any(c[0] == at and start <= c[1] < end for t in distinct for c in t.cues)
        for at, start, end in chain[:-1])
    ends, second, also = [], None, []
    for role, cues, pick in (("input", ("input",), min), ("output", ("output", "final"), max)):
        fit = [t for t in distinct if t.role == role and (not closed or t.cues) and (
            short or len(t.spans) >= 2 or any(c in t.key.split() for c in cues)
            or t.declared == role or t.cues)]
        declared = [t for t in fit if t.declared == role]  # "Output: Humanized text"
        ends.append(pick(declared or fit, key=lambda t: t.first) if fit else None)
        if role == "output" and closed:  # "..., producing AR and DLLM Base Models"
            also = [t for t in fit if t is not ends[-1]]
        if role == "input":  # a second input as plain as the first: declared, captioned, or
            # in a short text, which names each part once
            second = min((t for t in fit if t is not ends[0] and (
                t.declared == role or not _made(t) and (short or t.cues and len(t.spans) >= 2))),
                key=lambda t: t.first, default=None)
    cued = sum(bool(t.cues) for t in distinct if t not in (*ends, second, *also))
    named = {k for t in distinct if t.cues for k in (t.key, term_key(t.short or ""))}
    counted = any(len(items) >= CAPTION_LED and all(term_key(item) in named for item in items)
                  for items in inventory)
    room = MAX_MIDDLE if cued < CAPTION_LED else min(
        MAX_MIDDLE, cued + (0 if closed or counted else EXTRA))
    middle = [t for t in distinct if t not in (*ends, second, *also)][:room]
    for t in middle:
        if t.role in ("input", "output"):
            t.roles = Counter({"data": 1})
    return [t for t in (ends[0], second, *middle, *also, ends[1]) if t] if middle else []


def _made(t: Term) -> bool:
    """'The translated text': a product, named by how it was made, is no input."""
    first = t.key.split()[0]
    return first.endswith("ed") and len(first) > 4


# -- skeleton and order -----------------------------------------------------------------

def _fitting(references: list[dict[str, Any]], terms: list[Term]
             ) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """The first reference whose skeleton two of the components fit, and which slot each fills."""
    for ref in references:
        skeleton = ref.get("skeleton") if isinstance(ref, dict) else None
        slots = {}
        for t in terms:
            for i, slot in enumerate((skeleton or {}).get("slots", ())):
                if any(_cued(cue, t.key) for cue in slot.get("cues", ())):
                    slots[t.key] = i
                    break
        if len(set(slots.values())) >= 2:
            return ref, slots
    return None, {}


def _cued(cue: str, key: str) -> bool:
    """A cue names a term when it starts one of its words (anywhere, for Chinese); the word
    'masking' is an act, not the 'mask' it makes."""
    return cue in key if not cue.isascii() else any(
        w.startswith(cue) and (w == cue or not w.endswith("ing")) for w in key.split())


def _ordered(terms: list[Term], slots: dict[str, int]) -> list[Term]:
    """Input first, then the text's order, output and losses last; the components the
    skeleton knows take its order among the places they hold, and then those the caption
    names (outputs too) take the caption's."""
    order = sorted(terms, key=lambda t: (RANK.get(t.role, 1), min(t.cues)
                                         if t.role == "output" and t.cues else t.first))
    _reorder(order, lambda t: t.key in slots, lambda t: (slots[t.key], t.first))
    _reorder(order, lambda t: bool(t.cues), lambda t: min(t.cues))
    return order


def _reorder(order: list[Term], among: Callable[[Term], bool],
             by: Callable[[Term], Any]) -> None:
    """Sort the middle terms `among` picks by `by`, each staying in a place one of them held."""
    places = [i for i, t in enumerate(order) if among(t) and RANK.get(t.role, 1) == 1]
    for i, t in zip(places, sorted((order[i] for i in places), key=by)):
        order[i] = t


def _role(t: Term, slots: dict[str, int], skeleton: dict[str, Any]) -> str:
    """The term's own role, or its slot's when the slot names its head ('planner' -> agent)."""
    if t.key not in slots:
        return t.role
    slot = skeleton["slots"][slots[t.key]]
    head = t.key.split()[-1] if t.key.isascii() else t.key
    named = any(_cued(cue, head) for cue in slot.get("cues", ()))
    return slot["role"] if named and t.role in ("operation", "model") else t.role


# -- groups -----------------------------------------------------------------------------

def _groups(order: list[Term], sentences: list[Sentence], skeleton: dict[str, Any],
            lead: int) -> tuple[list[str], dict[str, str]]:
    """Group labels and node key -> label: a block around the parts the text gives it, else
    the caption's titled panels (its first `lead` sentences), else training / inference when
    the text splits them, else the text's named sections, else the skeleton's sub-systems."""
    for split in (_part_groups, _panel_groups, _phase_groups, _section_groups,
                  _skeleton_groups):
        member = split(order, sentences[:lead] if split is _panel_groups else sentences,
                       skeleton)
        member = {key: _titled(label) for key, label in member.items()}
        if split is not _phase_groups:
            member = _sizable(member, order)
        labels = list(dict.fromkeys(member.values()))
        if len(labels) >= 2 or (labels and len(member) < len(order)):
            return labels, member
    return [], {}


def _sizable(member: dict[str, str], order: list[Term]) -> dict[str, str]:
    """Groups of two or more parts. A group named after a node stands for that node ('CST'
    around its temporal and spatial tokenizers), so the node is no part of any group."""
    sizes = Counter(label for key, label in member.items()
                    if _naming_group(_term(order, key), member) is None)
    return {key: label for key, label in member.items() if sizes[label] >= 2}


def _naming_group(t: Term, member: dict[str, str]) -> str | None:
    """The group that already shows `t`, being named after it (its own group first): the
    name may drop an article or a generic word ('Token-Alignable Training' around the
    training strategy's parts), qualify a one-word name ('Watermark Embedding') or add how
    ('Gene Encoding with Mixture-of-Aggregations'). An input or output is shown by a group
    only of its very name ('Cross-Attention Prompts' are a module, not the figure's input)."""
    own = (t.key, term_key(t.label))
    if t.role in ("input", "output"):
        return next((label for label in member.values() if term_key(label) in own), None)
    for label in dict.fromkeys([member.get(t.key, ""), *member.values()]):
        named = {_ARTICLE.sub("", term_key(g)) for g in (
            label, _PARENTHESES.sub("", label), _QUALIFIER.split(label)[0])}
        if label and (any(k == o or same(k, o) or (" " not in o and same(o, k) and not (
                              k.split()[-2] in CONNECTORS))  # "Frozen Parameters in VQE"
                          for k in named for o in own)
                      or (t.short is not None and f"({t.short.lower()})" in label.lower())):
            return label
    return None


def _parts(block: Term, order: list[Term], member: dict[str, str]) -> list[Term]:
    """The parts, in `order`, of the group named after `block` (none if no group is)."""
    label = _naming_group(block, member)
    return [t for t in order if label and member.get(t.key) == label and t is not block]


def _parts_after_block(order: list[Term], member: dict[str, str]) -> list[Term]:
    """The parts of a group named after a node right after that node, so that reading order
    runs through them before what follows the block (the caption may name the block and the
    next module, and the parts only later)."""
    for block in list(order):
        parts = _parts(block, order, member)
        if parts:
            rest = [t for t in order if t not in parts]
            at = rest.index(block) + 1
            order = rest[:at] + parts + rest[at:]
    return order


def _together(order: list[Term], listed: set[str], member: dict[str, str]) -> list[Term]:
    """The parts a block lists side by side, next to each other where most of them are."""
    for label in dict.fromkeys(member[k] for k in listed):
        parts = [t for t in order if t.key in listed and member[t.key] == label]
        at = [i for i, t in enumerate(order) if t in parts][len(parts) // 2]
        before = sum(1 for t in order[:at] if t not in parts)
        rest = [t for t in order if t not in parts]
        order = rest[:before] + parts + rest[before:]
    return order


def _contracted(order: list[Term], edges: list[Edge], member: dict[str, str],
                listed: set[str] = frozenset()) -> tuple[list[Term], list[Edge]]:
    """Each node a group already shows gives way to the group: its parts keep their places
    in the flow's order (they followed it there), what flowed into it flows into the first
    part, what left it leaves the last (into and out of every part, for parts `listed` side
    by side); an edge between it and one of its parts goes, the group showing that, unless
    it was that part's only edge."""
    for named in list(order):
        parts = _parts(named, order, member)
        if not parts:
            continue
        order = [t for t in order if t is not named]
        keys = [t.key for t in parts]
        side_by_side = set(keys) <= listed
        place = {t.key: i for i, t in enumerate(order)}
        linked = {k for a, b, _ in edges if named.key not in (a, b) for k in (a, b)}
        contracted: list[Edge] = []
        for a, b, kind in edges:
            if named.key in (a, b) and ({a, b} - {named.key}) <= linked & set(keys):
                continue  # the block to one of its own, linked parts: the group shows that
            sources = (keys if side_by_side else keys[-1:]) if a == named.key else [a]
            targets = (keys if side_by_side else keys[:1]) if b == named.key else [b]
            for a_, b_ in ((s, t) for s in sources for t in targets):
                add_edge(contracted, a_, b_, "feedback" if kind == "data"
                         and place[a_] > place[b_] else kind)
        edges = contracted
    return order, edges


def _along_the_flow(groups: list[str], member: dict[str, str], order: list[Term]
                    ) -> tuple[list[str], dict[str, str]]:
    """The groups whose parts the flow passes in one stretch (one other node between them at
    most): a panel around parts the flow keeps leaving would stretch across the figure and
    say the parts work together when the text has them apart. Training and inference are
    kept whatever the flow: they say when a part runs, not that parts work together."""
    place = {t.key: i for i, t in enumerate(order)}
    phases = {label for label, _ in _PHASE_TITLES}
    kept = []
    for label in groups:
        at = [place[k] for k, g in member.items() if g == label and k in place]
        if label in phases or at and max(at) - min(at) + 1 <= len(at) + 1:
            kept.append(label)
    return kept, {k: g for k, g in member.items() if g in kept}


def _inputs_at_their_steps(order: list[Term], edges: list[Edge], member: dict[str, str]
                           ) -> list[Term]:
    """A second input just before the first step it feeds (before that step's group), where
    a wrapped row puts it beside that step rather than across the figure."""
    for t in [t for t in order if t.role == "input"][1:]:
        fed = {b for a, b, _ in edges if a == t.key}
        rest = [u for u in order if u is not t]
        at = next((i for i, u in enumerate(rest) if u.key in fed), None)
        if at is not None:
            group = member.get(rest[at].key)
            at = next(i for i, u in enumerate(rest) if u.key in fed or group and member.get(
                u.key) == group)
            order = rest[:at] + [t] + rest[at:]
    return order


def _term(order: list[Term], key: str) -> Term:
    return next(t for t in order if t.key == key)


def _part_groups(order: list[Term], sentences: list[Sentence], _: Any) -> dict[str, str]:
    """A block the text says has parts ('a stack of N = 6 encoder layers; each layer has a
    multi-head self-attention sublayer followed by ...') around those parts, labelled with the
    block (and its repeat count)."""
    member = {}
    for index, sentence in enumerate(sentences):
        for has in _HAS_PARTS.finditer(sentence.text):
            head = singular(has[1])
            mentioned = sorted((span, t) for t in order for span in t.spans
                               if span[0] in (index, index - 1))
            blocks = [t for (s, start, _), t in mentioned
                      if (s, start) < (index, has.start()) and t.key.split()[-1] == head]
            if not blocks:
                continue
            block = blocks[-1]
            label = block.label + (f" (×{block.repeat})" if block.repeat else "")
            for (s, start, _), t in mentioned:
                if s == index and start >= has.end() and t is not block and t.role not in (
                        "input", "output"):
                    member.setdefault(t.key, label)
            member.setdefault(block.key, label)
    return {**_listed_parts(order, sentences), **member}


def _listed_parts(order: list[Term], sentences: list[Sentence]) -> dict[str, str]:
    """The parts a block lists in parentheses ('Graph metrics (Node Importance, Redundancy,
    Robustness) characterize ...'), labelled with the block: its term, or else its words."""
    member: dict[str, str] = {}
    for index, sentence in enumerate(sentences):
        for opened in parts_in_parentheses(sentence.text):
            closed = sentence.text.index(")", opened)
            said = [(span, t) for t in order for span in t.spans + t.cues if span[0] == index]
            inside = [t for (_, start, _), t in said if opened < start < closed
                      and t.role not in ("input", "output")]
            block = next((t for (_, _, end), t in said if 0 <= opened - end <= 1), None)
            label = block.label if block else _words_before(sentence.text[:opened])
            if len(inside) >= 2 and label:
                member.update({t.key: label for t in inside if t.key not in member})
    return member


def _words_before(text: str) -> str:
    """The name that ends `text` ('A transformer block' -> 'Transformer Block'), at most four
    words after its last function word."""
    words = text.split()[-4:]
    stops = [i for i, w in enumerate(words) if w.lower() in STOPWORDS]
    words = words[stops[-1] + 1:] if stops else words
    return " ".join(w[:1].upper() + w[1:] for w in words)


def _panel_groups(order: list[Term], sentences: list[Sentence], _: Any) -> dict[str, str]:
    """The caption's titled panels ('(a) Rollout & Lookahead, (b) Value Estimation combining
    Advantage, Step-level Variance, ...'), each around the components it names: the figure's
    author divided it so. A panel told as a sentence ('(a) AR Order confronts ...') has no
    title to label a group with."""
    marks = [(s, m) for s, sentence in enumerate(sentences) if not sentence.heading or s == 0
             for m in _PANEL.finditer(sentence.text)]
    member: dict[str, str] = {}
    for (s, mark), after in zip(marks, [*marks[1:], None]):
        title = _PANEL_TITLE.match(sentences[s].text[mark.end():])
        words = title[1].split() if title else []
        if not 1 <= len(words) <= 5 or _NOT_TITLE.match(title[1]) or all(
                w.lower() in GENERIC | STOPWORDS for w in words):
            continue
        start, end = (s, mark.end()), (after[0], after[1].start()) if after else (s + 1, 0)
        told = " ".join(sentences[i].text[start[1] if i == s else 0:end[1] if i == end[0]
                                          else None] for i in range(s, end[0] + (end[1] > 0)))
        said = {w.lower() for w in re.findall(r"[\w-]+", told)} - GENERIC - STOPWORDS
        label = title[1]  # _groups capitalises every group's label (_titled)
        for t in order:
            if t.role in ("input", "output"):
                continue  # they bracket the panels' work
            if any(start <= c[:2] < end for c in t.cues) or set(t.key.split()) & said:
                member.setdefault(t.key, label)
    return member if len(set(member.values())) >= 2 else {}  # one titled panel divides nothing


def _phase_groups(order: list[Term], sentences: list[Sentence], _: Any) -> dict[str, str]:
    phase = [_phase(s) for s in sentences]
    member = {}
    for t in order:
        votes = Counter(phase[s] for s, _, _ in t.spans if phase[s])
        if t.role == "loss" and not votes:
            votes["Training"] = 1
        top = votes.most_common(2)
        if top and (len(top) == 1 or top[0][1] > top[1][1]):
            member[t.key] = top[0][0]
    split = set(member.values()) == {"Training", "Inference"} and len(member) >= 3
    return member if split else {}  # two lone boxes in two phases are no split


def _phase(s: Sentence) -> str | None:
    """Training or Inference when the sentence, or else its section's heading, names just one."""
    for where, patterns in ((s.text, _PHASE_WORDS), (s.section, _PHASE_TITLES)):
        named = [label for label, pattern in patterns if pattern.search(where)]
        if len(named) == 1:
            return named[0]
    return None


def _section_groups(order: list[Term], sentences: list[Sentence], _: Any) -> dict[str, str]:
    member = {}
    for t in order:
        if t.role in ("input", "output"):
            continue  # they bracket the sections' work
        votes = Counter(sentences[s].section for s, _, _ in t.spans
                        if _named_section(sentences[s].section) and not sentences[s].aside)
        if votes:
            member[t.key] = votes.most_common(1)[0][0]
    sizes = Counter(member.values())
    kept = {label for label, n in sizes.most_common(MAX_GROUPS) if n >= 2}
    return {k: label for k, label in member.items() if label in kept}


def _named_section(heading: str) -> bool:
    """A heading that names a part of the method: not only generic words, and not the whole
    ('Overall StructMAE Architecture', 'Overview')."""
    words = [w.lower().strip("?:,.") for w in heading.split()]
    return 0 < len(words) <= 6 and not {"overall", "overview"} & set(words) and any(
        w not in GENERIC and w not in STOPWORDS and w.rstrip("s") not in GENERIC for w in words)


def _skeleton_groups(order: list[Term], _: Any, skeleton: dict[str, Any]) -> dict[str, str]:
    member = {}
    for t in order:
        for g in skeleton.get("groups", ()):
            if any(cue in t.key for cue in g["cues"]):
                member[t.key] = g["label"]
                break
    return member
