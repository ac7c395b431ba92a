"""An offline DiagramPlanner: the text's own component phrases, ordered as the text tells them.

Deterministic and model-free. The most salient phrases (frequent, defined as acronyms, in
headings, enumerated) become nodes; one input and one output bracket them. Edges follow the
verbs of flow between neighbouring mentions ("A feeds B", "X is processed by A"); reading
order then links whatever is still unconnected, so every node has an edge and the graph is
connected. Loop words add a feedback edge; training / inference wording or the text's named
sections add groups; the best-fitting archetype's skeleton reorders, groups and closes loops
where the text fits it.

The caption says what the figure is for, so it leads: the components it names come first,
in its order, and its verbs of flow ("A -> B", "X is processed by A") are read before the
text's. Only components the text itself names are drawn, and the caption is never a node.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adapters.method_text import (
    CONNECTORS,
    GENERIC,
    STOPWORDS,
    Mention,
    Sentence,
    acronyms,
    is_acronym,
    mentions,
    parse,
    term_key,
)
from application.diagrams.ports import DiagramPlanner, DiagramTextError
from application.diagrams.spec import edge, group, new_diagram, node

MAX_MIDDLE = 10
CAPTION_LED = 3  # components named by the caption: it then says what the figure holds...
EXTRA = 2        # ...and the text adds at most this many of its own
MAX_GROUPS = 4
MAX_FEEDBACK = 2
SHORT = 12  # sentences: a text this short names its inputs and outputs once
RANK = {"input": 0, "output": 2, "loss": 3}

Edge = tuple[str, str, str]  # source key, target key, kind

_SYSTEM_AFTER = re.compile(r"^\s*(?:framework|architecture|system|pipeline|approach)\b", re.I)
_SYSTEM_BEFORE = re.compile(r"\b(?:(?:propose|present|introduce|call|name)[sd]?\s*,?|"
                            r"(?:overview|illustration|architecture|structure) of(?: the)?"
                            r"(?: proposed)?)\s*$", re.I)
_COMPARISON = re.compile(r"\b(?:baselines?|compared? (?:to|with|against)|comparison|prior "
                         r"(?:work|methods?)|previous (?:work|methods?)|existing (?:work|"
                         r"methods?)|unlike|in contrast to|instead of|outperform\w*|"
                         r"state-of-the-art|related work)\b", re.I)
_FIGURE_NUMBER = re.compile(r"^\s*(?:Figure|Fig\.)\s*\d+\s*[:.|]\s*", re.I)
_CLAUSE = re.compile(r";|,\s*(?:and|but|while|whereas)\b")
_PASSIVE_PROCESS = re.compile(r"\b(?:processed|encoded|mapped|consumed|embedded|transformed|"
                              r"converted|handled|analy[sz]ed|fed|passed|sent|forwarded|"
                              r"routed)\s+(?:by|to|into|through)\b")
_PASSIVE_PRODUCT = re.compile(r"\b(?:produced|generated|output|returned|predicted|created|"
                              r"computed|obtained|extracted|derived|provided|retrieved)\s+"
                              r"(?:by|from|with)\b|\bfrom\b|\bbased on\b|\bconditioned on\b")
_PRODUCE = re.compile(r"\b(?:produc|generat|outputs?\b|yield|returns?\b|predicts?\b|emits?\b|"
                      r"creat|construct|results? in|leads? to|obtain|extract)")
_PROCESS = re.compile(r"\b(?:process(?:es)?|maps?|encodes?|takes?|receives?|consumes?|"
                      r"reads?|embeds?|transforms?|converts?|compress(?:es)?|tokeniz(?:es)?|"
                      r"analy[sz]es?|attends? to|operates? on|uses?|leverages?|queries|"
                      r"applies)\b")
_FEED = re.compile(r"\b(?:feeds?|pass(?:es)?|sends?|forwards?|followed by|then|into|"
                   r"before)\b|→|->|然后|接着|随后|输入到|送入")
_LOOP = re.compile(r"\b(?:until|iterativ\w*|iterat(?:e|es|ed|ion|ions)|repeats?|refines?|"
                   r"refined|refinement|loop|cycles?|feedback|recurren\w*)\b"
                   r"|迭代|循环|反复|直到|重复|反馈", re.I)
_PHASE_WORDS = (
    ("Training", re.compile(r"\b(?:during|in|for|at)\s+(?:the\s+)?(?:pre-?)?training\b|"
                            r"\btraining\s+(?:stage|phase|time|process)\b|\bis\s+trained\b|"
                            r"训练(?:时|阶段|过程|中)", re.I)),
    ("Inference", re.compile(r"\b(?:during|at|in|for)\s+(?:the\s+)?(?:inference|deployment|"
                             r"test(?:ing)?(?:\s+time)?)\b|\binference\s+(?:stage|phase|time)\b|"
                             r"推理(?:时|阶段|过程|中)|测试(?:时|阶段)", re.I)))
_PHASE_TITLES = (("Training", re.compile(r"train|训练", re.I)),
                 ("Inference", re.compile(r"inference|test|推理|测试", re.I)))


@dataclass
class Term:
    """One candidate component and everything the text says of it."""

    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    spans: list[tuple[int, int, int]] = field(default_factory=list)   # sentence, start, end
    cues: list[tuple[int, int, int]] = field(default_factory=list)    # the same, in the caption
    bonus: float = 0.0
    name: bool = False
    repeat: int | None = None
    short: str | None = None   # the acronym it was defined with
    long: str | None = None    # the long form that acronym was defined for

    @property
    def first(self) -> tuple[int, int, int]:
        return min(self.spans)

    @property
    def salience(self) -> float:
        capitalised = any(w[:1].isupper() for w in self.label.split())
        return len(self.spans) + self.bonus + capitalised

    @property
    def role(self) -> str:
        role = self.roles.most_common(1)[0][0]
        words = self.key.split()
        if self.key.startswith("输入") or (
                "input" in words and role == "data" and "embedding" not in words):
            return "input"
        return "output" if "output" in words and role == "data" else role

    @property
    def label(self) -> str:
        surface = self.long or max(self.surfaces, key=lambda s: (self.surfaces[s], -len(s)))
        return " ".join(_title(w) for w in surface.split())


class OfflineDiagramPlanner(DiagramPlanner):
    def plan(self, text: str, caption: str, references: list[dict[str, Any]]) -> dict[str, Any]:
        lead = parse(_FIGURE_NUMBER.sub("", caption or ""))
        body = parse(text or "")
        sentences = lead + body
        terms = _chosen(_terms(sentences, len(lead)), short=len(body) <= SHORT)
        if len(terms) < 2:
            raise DiagramTextError(
                "No method components were found in the text: it should name the method's "
                "modules, inputs and outputs (e.g. 'the encoder maps the input image to "
                "features').")
        archetype, slots = _fitting(references, terms)
        skeleton = archetype["skeleton"] if archetype else {}
        order = _ordered(terms, slots)
        edges = _edges(order, sentences, slots, skeleton)
        groups, member = _groups(order, sentences, skeleton)
        ids = {t.key: f"n{i + 1}" for i, t in enumerate(order)}
        gids = {label: f"g{i + 1}" for i, label in enumerate(groups)}
        nodes = [node(ids[t.key], t.label, _role(t, slots, skeleton),
                      group=gids.get(member.get(t.key, "")), sublabel=t.short, repeat=t.repeat)
                 for t in order]
        stacked = any(t.repeat for t in order) and len(order) <= 8
        return new_diagram(
            nodes, [edge(ids[a], ids[b], kind) for a, b, kind in edges],
            [group(gids[label], label) for label in groups],
            direction="TB" if stacked else (archetype or {}).get("direction", "LR"),
            notes=[f"archetype: {archetype['id']}"] if archetype else [])


# -- terms ------------------------------------------------------------------------------

def _terms(sentences: list[Sentence], lead: int) -> list[Term]:
    """Every candidate component the text names (sentences from `lead` on; those before are
    the caption's), its mentions merged across acronyms, case and number."""
    found = mentions(sentences)
    spelled = acronyms(sentences[lead:])
    aliases = _aliases(acronyms(sentences[:lead]) | spelled,
                       {m.key for m in found if m.sentence >= lead},
                       {m.key for m in found if m.sentence < lead})
    systems = _system_names(sentences, found)
    terms: dict[str, Term] = {}
    for m in found:
        key = aliases.get(m.key, m.key)
        term = terms.setdefault(key, Term(key))
        if m.sentence < lead:  # the caption says which terms matter and where; not their words
            term.cues.append((m.sentence, m.start, m.end))
            continue
        term.surfaces[m.surface] += 2 if m.key == key else 1
        term.roles[m.role] += 1
        term.spans.append((m.sentence, m.start, m.end))
        term.name = term.name or m.name
        term.repeat = term.repeat or m.repeat
        term.bonus += 2 * (sentences[m.sentence].heading + m.listed)
        if m.key != key and is_acronym(m.surface) and m.key in spelled:
            term.short, term.long = m.surface, spelled[m.key]
    for t in terms.values():
        t.bonus = min(t.bonus, 6) + (2 if t.short else 0)
    return [t for t in terms.values() if t.key not in systems and t.spans
            and (not t.name or len(t.spans) >= 2 or t.bonus > 0 or t.cues)
            and (t.cues or not _aside(t, sentences))]


def _aside(t: Term, sentences: list[Sentence]) -> bool:
    """A baseline, or a method the text mostly compares with rather than builds."""
    if "baseline" in t.key.split():
        return True
    return 2 * sum(bool(_COMPARISON.search(sentences[s].text)) for s, _, _ in t.spans) \
        > len(t.spans)


def _aliases(defined: dict[str, str], keys: set[str], cues: set[str]) -> dict[str, str]:
    """Key -> the key it merges into: acronym -> long form, 'encoder' -> the one 'X encoder';
    a caption's phrase merges into the one text phrase it contains or is contained in."""
    aliases: dict[str, str] = {}
    for short_key, long_form in defined.items():
        long_key = term_key(long_form)
        if len(long_form.split()) <= 4:
            aliases[short_key] = long_key
            aliases.update({k: long_key for k in keys if k.endswith(" " + long_key)})
        else:
            aliases[long_key] = short_key
    for k in keys - aliases.keys():
        longer = {aliases.get(o, o) for o in keys if o != k and _same(k, o)}
        if len(longer) == 1:
            aliases[k] = longer.pop()
    for k in cues - keys - aliases.keys():
        named = {aliases.get(o, o) for o in keys if _same(k, o) or _same(o, k)}
        if len(named) == 1:
            aliases[k] = named.pop()
    return aliases


def _same(short: str, long: str) -> bool:
    """Whether a shorter key names the same thing: 'encoder' in 'GMAE encoder', 'value
    estimation' in 'value estimation mechanism'; not 'answer' in 'answer decoder'."""
    if long.endswith(" " + short):
        return True
    rest = long[len(short) + 1:].split() if long.startswith(short + " ") else []
    return bool(rest) and all(w in GENERIC or w == "agent" for w in rest)


def _system_names(sentences: list[Sentence], found: list[Mention]) -> set[str]:
    """Names of the whole method ('we propose X', 'the X framework'): a node would hold it all."""
    systems = set()
    for m in found:
        text = sentences[m.sentence].text
        if m.name and " " not in m.key and (
                _SYSTEM_AFTER.match(text[m.end:]) or _SYSTEM_BEFORE.search(text[:m.start])):
            systems.add(m.key)
    return systems


def _chosen(terms: list[Term], short: bool) -> list[Term]:
    """The components the caption names, then the most salient of the text's, none the same
    thing as another, after the earliest input and before the latest output (a long text
    must mention them twice, or call them so).
    Other inputs and outputs stay as data: fake images between generator and discriminator."""
    distinct: list[Term] = []
    for t in sorted(terms, key=lambda t: (not t.cues, -t.salience, t.first)):
        if not any(_same(t.key, c.key) or _same(c.key, t.key) for c in distinct):
            distinct.append(t)
    ends = []
    for role, cues, pick in (("input", ("input",), min), ("output", ("output", "final"), max)):
        fit = [t for t in distinct if t.role == role and (
            short or len(t.spans) >= 2 or any(c in t.key.split() for c in cues))]
        ends.append(pick(fit, key=lambda t: t.first) if fit else None)
    cued = sum(bool(t.cues) for t in distinct if t not in ends)
    room = MAX_MIDDLE if cued < CAPTION_LED else min(MAX_MIDDLE, cued + EXTRA)
    middle = [t for t in distinct if t not in ends][:room]
    for t in middle:
        if t.role in ("input", "output"):
            t.roles = Counter({"data": 1})
    return [t for t in (ends[0], *middle, ends[1]) if t] if middle else []


def _title(word: str) -> str:
    if word.lower() in CONNECTORS or not word[:1].isascii() or is_acronym(word):
        return word
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


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
    """A cue names a term when it starts one of its words (anywhere, for Chinese)."""
    return cue in key if not cue.isascii() else any(w.startswith(cue) for w in key.split())


def _ordered(terms: list[Term], slots: dict[str, int]) -> list[Term]:
    """Input first, then the text's order, output and losses last; the components the
    skeleton knows take its order among the places they hold, and then those the caption
    names take the caption's."""
    order = sorted(terms, key=lambda t: (RANK.get(t.role, 1), t.first))
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


# -- edges ------------------------------------------------------------------------------

def _edges(order: list[Term], sentences: list[Sentence], slots: dict[str, int],
           skeleton: dict[str, Any]) -> list[Edge]:
    edges: list[Edge] = []
    roles = {t.key: t.role for t in order}
    position = {t.key: i for i, t in enumerate(order)}
    for a, b in _flows(order, sentences):
        if roles[b] != "input" and roles[a] not in ("output", "loss") and (
                roles[a], roles[b]) != ("input", "output"):
            _add(edges, a, b, "data" if position[a] < position[b] else "feedback")
    _link_unreached(edges, order, slots, skeleton)
    _add_feedback(edges, order, sentences, slots, skeleton)
    return edges


def _add(edges: list[Edge], a: str, b: str, kind: str = "data") -> None:
    """One edge per pair of nodes; a feedback edge takes the place of a data edge."""
    same = [e for e in edges if {a, b} == {e[0], e[1]}]
    if a == b or any(k != "data" or kind == "data" for _, _, k in same):
        return
    for e in same:
        edges.remove(e)
    edges.append((a, b, kind))


def _flows(order: list[Term], sentences: list[Sentence]) -> list[tuple[str, str]]:
    """Source -> target pairs the verbs between neighbouring mentions state."""
    by_sentence: dict[int, list[tuple[int, int, str]]] = {}
    for t in order:
        for s, start, end in t.cues + t.spans:
            by_sentence.setdefault(s, []).append((start, end, t.key))
    flows = []
    for s, spans in sorted(by_sentence.items()):
        spans.sort()
        text = sentences[s].text
        source = None  # where the flow stands: "A checks X and returns Y" -> Y comes from A
        for i, ((_, a_end, a), (b_start, _, b)) in enumerate(zip(spans, spans[1:])):
            between = text[a_end:b_start]
            way = 0 if len(between) > 100 or _CLAUSE.search(between) else _direction(between)
            if way > 0:
                flows.append((source if source and _PRODUCE.search(between) else a, b))
                source = None
            elif way < 0:
                flows.append((b, a))
                source = a
            elif source is None and not between.lstrip().startswith(","):
                source = a  # the subject: "A checks X" (not the "Given X," before it)
    return flows


def _direction(between: str) -> int:
    """+1 when the text says the first phrase flows into the second, -1 for the reverse."""
    if _PASSIVE_PROCESS.search(between):
        return 1
    if _PASSIVE_PRODUCT.search(between):
        return -1
    if _PRODUCE.search(between):
        return 1
    if _PROCESS.search(between):
        return -1
    return 1 if _FEED.search(between) else 0


def _link_unreached(edges: list[Edge], order: list[Term], slots: dict[str, int],
                    skeleton: dict[str, Any]) -> None:
    """Reading order feeds each node the text gave no source; siblings of a parallel slot
    fan out from the node before them and into the node after them."""
    keys = [t.key for t in order]
    parallel = {k for k in keys if k in slots and skeleton["slots"][slots[k]].get("parallel")}
    for i, k in enumerate(keys[1:], 1):
        sources = _previous(keys, i, parallel)
        if not any(t == k for _, t, _ in edges) or keys[i - 1] in parallel and k not in parallel:
            for source in sources:
                _add(edges, source, k)
    ends = {t.key for t in order if t.role in ("output", "loss")}
    for k, after in zip(keys, keys[1:]):
        if k not in ends | parallel and not any(s == k for s, _, _ in edges):
            _add(edges, k, after)  # no dead end before the output
    _connect(edges, keys)


def _previous(keys: list[str], i: int, parallel: set[str]) -> list[str]:
    """The nodes that feed position i: the one before it, or every sibling of a run before it."""
    j = i - 1
    if keys[i] in parallel:
        while j > 0 and keys[j] in parallel:
            j -= 1
        return [keys[j]]
    run = []
    while j >= 0 and keys[j] in parallel:
        run.append(keys[j])
        j -= 1
    return run or [keys[i - 1]]


def _connect(edges: list[Edge], keys: list[str]) -> None:
    """Join the pieces of the graph in reading order: each piece's last node feeds the next."""
    piece = {k: k for k in keys}

    def root(k: str) -> str:
        while piece[k] != k:
            k = piece[k]
        return k

    for s, t, _ in edges:
        piece[root(s)] = root(t)
    pieces: dict[str, list[str]] = {}
    for k in keys:
        pieces.setdefault(root(k), []).append(k)
    for before, after in zip(list(pieces.values()), list(pieces.values())[1:]):
        _add(edges, before[-1], after[0])


def _add_feedback(edges: list[Edge], order: list[Term], sentences: list[Sentence],
                  slots: dict[str, int], skeleton: dict[str, Any]) -> None:
    """A loop the text states ('until', 'iteratively', 'refine') closes from its latest node
    back to its earliest; the skeleton's own loops close where the text fits them."""
    position = {t.key: i for i, t in enumerate(order)}
    loops = {i for i, s in enumerate(sentences) if _LOOP.search(s.text)}
    closed = 0
    for s in sorted(loops):
        inside = sorted({t.key for t in order for span in t.cues + t.spans if span[0] == s},
                        key=position.get)
        movable = [k for k in inside if order[position[k]].role not in ("input", "output")]
        if len(movable) >= 2 and closed < MAX_FEEDBACK:
            _add(edges, movable[-1], movable[0], "feedback")
            closed += 1
    by_slot = {}
    for k, i in slots.items():
        by_slot.setdefault(skeleton["slots"][i]["slot"], k)
    for e in skeleton.get("edges", ()):
        a, b = by_slot.get(e["source"]), by_slot.get(e["target"])
        if a and b and e.get("kind", "data") != "data":
            _add(edges, a, b, e["kind"])
            closed += e["kind"] == "feedback"
    if loops and not closed and len(sentences) <= SHORT:
        inner = [t.key for t in order if t.role not in ("input", "output", "loss")]
        if len(inner) >= 2:
            _add(edges, inner[-1], inner[0], "feedback")


# -- groups -----------------------------------------------------------------------------

def _groups(order: list[Term], sentences: list[Sentence], skeleton: dict[str, Any]
            ) -> tuple[list[str], dict[str, str]]:
    """Group labels and node key -> label: training / inference when the text splits them,
    else the text's named sections, else the skeleton's sub-systems."""
    for split in (_phase_groups, _section_groups, _skeleton_groups):
        member = split(order, sentences, skeleton)
        labels = list(dict.fromkeys(member.values()))
        if len(labels) >= 2 or (labels and len(member) < len(order)):
            return labels, member
    return [], {}


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
    return member if set(member.values()) == {"Training", "Inference"} else {}


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
        votes = Counter(sentences[s].section for s, _, _ in t.spans
                        if _named_section(sentences[s].section))
        if votes:
            member[t.key] = votes.most_common(1)[0][0]
    sizes = Counter(member.values())
    kept = {label for label, n in sizes.most_common(MAX_GROUPS) if n >= 2}
    return {k: label for k, label in member.items() if label in kept}


def _named_section(heading: str) -> bool:
    words = [w.lower().strip("?:,.") for w in heading.split()]
    return 0 < len(words) <= 6 and any(
        w not in GENERIC and w not in STOPWORDS and w.rstrip("s") not in GENERIC for w in words)


def _skeleton_groups(order: list[Term], _: Any, skeleton: dict[str, Any]) -> dict[str, str]:
    member = {}
    for t in order:
        for g in skeleton.get("groups", ()):
            if any(cue in t.key for cue in g["cues"]):
                member[t.key] = g["label"]
                break
    return member
