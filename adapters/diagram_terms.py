"""The components a methodology text names, each with everything the text says of it.

Mentions (adapters/method_phrases.py) merge into terms across acronyms, case, number and the
caption's wording; the whole method's own name, and what the text mostly compares against, are
not components. The caption's mentions only mark which terms it names and where (`cues`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from adapters.method_phrases import Mention, acronyms, enumerations, mentions, subsequence
from adapters.method_text import (
    BARE_GENERIC,
    CONNECTORS,
    GENERIC,
    HEADS,
    STOPWORDS,
    Sentence,
    is_acronym,
    singular,
    term_key,
    vocabulary,
)
from application.diagrams.spec import MAX_LABEL_WORDS

_SYSTEM_AFTER = re.compile(r"^\s*\)?\s*(?:(?:overall|training|inference|learning)\s+)?(?:framework|"
                           r"architecture|system|pipeline|approach)\b", re.I)
_SYSTEM_BEFORE = re.compile(r"\b(?:(?:propose|present|introduce|call|name)[sd]?\s*,?|"
                            r"(?:overview|illustration|architecture|structure) of(?: the)?"
                            r"(?: proposed)?)\s*$", re.I)
_APPOSITION = re.compile(r"\s*,\s*(?:a|an)\s+(?:[\w-]+,?\s+){0,3}")  # "X, a training-free, "
_WHOLE = frozenset("framework system approach method pipeline strategy paradigm architecture "
                   "model".split())  # what a name for the whole method is called
_COMPARISON = re.compile(r"\b(?:baselines?|compared? (?:to|with|against)|comparison|prior "
                         r"(?:work|methods?)|previous (?:work|methods?)|existing (?:work|"
                         r"methods?)|unlike|in contrast to|instead of|outperform\w*|"
                         r"state-of-the-art|related work)\b", re.I)
_PURPOSE = re.compile(r"^\s*(?:tasks?|applications?|domains?|scenarios?|settings?|benchmarks?)\b",
                      re.I)  # "for diverse BCI tasks": what the method serves, not a part of it
_EXAMPLE = re.compile(r"\b(?:such as|e\.g\.,?|for (?:example|instance),?|including)\s+"
                      r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+,\s*)*$", re.I)  # "(such as AM-GM, "
_SERVED = re.compile(r"\bfor\s+(?:the\s+|a\s+|an\s+)?$", re.I)  # "a large model for high-..."
_DECLARED = re.compile(r"\b(Input|Output)s?\s*:\s*(?:[\w-]+\s+){0,3}?(?:[\w-]+\s*,\s*)?$")
# "Real-World Experimental Results": how the method was measured, not what it is made of
_APPLIED = re.compile(r"\([^()\s]{1,8}(?:,\s*[^()\s]{1,8})*\)")  # "FR(vi)", "f(x, y)"
# generic words that name what a model makes, not the model: 'encoder features' are no encoder
_PRODUCTS = frozenset("""feature representation output data token vector value information
    result state""".split())
_APPOSED = re.compile(r"\s*,\s*(?:a|an|the)\s+")      # "the image encoder, a ResNet ..."
_ALTERNATIVE = re.compile(r"\s+or\s+(?:a|an|the)\s+")  # "... or a Vision Transformer"
_APPOSITION_END = re.compile(r"\s*(?:,|or\b)")
_EVALUATION = frozenset({"experimental", "experiment", "evaluation", "benchmark", "ablation"})
_ADJECTIVE = re.compile(r"[a-z](?:able|ible|aware|based|guided|driven|free|agnostic|specific|"
                        r"wise)$")  # "Token-Alignable" qualifies a component, it is none
_INITIALISM = re.compile(r"(?=(?:[a-z]*[A-Z]){2})[A-Za-z]{2,6}")  # LLM, SLM, DiT; not GlimpRouter
_SPELLING = re.compile(r"(?<=[A-Za-z])[A-Z](?=[a-z])|(?<=^[A-Z])[A-Z](?=[a-z]{2})")
CHAIN_ARROW = re.compile(r"->|→")
_CHAIN_STEP = re.compile(r"(?:(?<=->)|(?<=→))\s*([A-Za-z][A-Za-z-]{2,}(?: [A-Za-z][A-Za-z-]*){0,2})"
                         r"(?=\s*(?:->|→|\(|[.,;]|$))")
_STEP_END = re.compile(r"[,.;]\s|[,.;]?$")
_PRODUCING = re.compile(r"\s*,?\s*(?:producing|yielding|resulting in|to produce|which produces?)\s+"
                        r"(?:the\s+|a\s+|an\s+)?(.+?)(?=\s+(?:with|for|that|which|in|on|by)\b|"
                        r"[,.;]|$)")
_FUNCTION_AFTER = "by|to|in|with|and|or|from|is|are|was|were|that|which|using|of|for|on|into"
_PARENTHESISED = re.compile(r"(.*?)\s*(?:\(([^()]*)\))?", re.S)
ASIDE_WEIGHT = 0.3  # a mention in the introduction or the experiments, against one in the method


@dataclass
class Term:
    """One candidate component and everything the text says of it."""

    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    spans: list[tuple[int, int, int]] = field(default_factory=list)   # sentence, start, end
    cues: list[tuple[int, int, int]] = field(default_factory=list)    # the same, in the caption
    weight: float = 0.0        # its mentions, those outside the method counting less
    bonus: float = 0.0
    name: bool = False
    loose: bool = True         # every mention a noun phrase only an article marks
    repeat: int | None = None
    short: str | None = None   # the acronym it was defined with
    long: str | None = None    # the long form that acronym was defined for
    declared: str | None = None  # "input" or "output", as an algorithm block declares it

    @property
    def first(self) -> tuple[int, int, int]:
        return min(self.spans)

    @property
    def salience(self) -> float:
        capitalised = any(w[:1].isupper() for w in self.label.split())
        return self.weight + self.bonus + capitalised

    @property
    def role(self) -> str:
        role = self.roles.most_common(1)[0][0]
        words = self.key.split()
        if self.key.startswith("输入") or (
                "input" in words and role == "data" and "embedding" not in words):
            return "input"
        if self.key.startswith("ground truth") and role == "output":
            return "data"  # what a loss compares against, not what the method outputs
        return "output" if "output" in words and role == "data" else role

    @property
    def label(self) -> str:
        surface = self.long or max(self.surfaces, key=lambda s: (self.surfaces[s], -len(s)))
        words = surface.split()
        if self.long and self.short and "".join(w[0] for w in words).upper() != "".join(
                c for c in self.short if c.isupper()):
            # "Hierarchical GArment ManipuLation POlicy" capitals spell HALO; they name nothing
            words = [_SPELLING.sub(lambda m: m[0].lower(), w) for w in words]
        return " ".join(_title(w) for w in words)


def components(sentences: list[Sentence], lead: int, short: bool = False) -> list[Term]:
    """Every candidate component the text names (sentences from `lead` on; those before are
    the caption's), its mentions merged across acronyms, case and number; a `short` text's
    every noun phrase is a candidate."""
    found = mentions(sentences, loose=short, lead=lead)
    spelled = acronyms(sentences[lead:])
    defined = acronyms(sentences[:lead]) | spelled
    keys = {m.key for m in found if m.sentence >= lead}
    initialisms = {m.key: [c.lower() for c in m.surface if c.isupper()] for m in found
                   if m.key in keys and m.key not in defined and _INITIALISM.fullmatch(m.surface)}
    systems = _system_names(sentences, found, lead) - {  # "coordinates three layers: LLM,
        term_key(item) for items in enumerations(sentences[:lead]) for item in items}  # X, SLM"
    aliases = _aliases(defined, keys, {m.key for m in found if m.sentence < lead}, initialisms,
                       systems)
    loose = {m.key for m in found if m.loose} - {m.key for m in found if not m.loose}
    for k in sorted(loose - aliases.keys()):  # "a draft answer ... the draft": one thing
        longer = [o for o in keys if o.startswith(k + " ")]
        if " " not in k and len(longer) == 1:
            aliases[k] = aliases.get(longer[0], longer[0])
    named = {k: v for k, v in _named_instances(sentences, found, defined).items()
             if k not in systems}
    aliases.update(named)  # a name given to a part in place is that part
    terms: dict[str, Term] = {}
    for m in found:
        key = aliases.get(m.key, m.key)
        term = terms.setdefault(key, Term(key))
        if m.sentence < lead:  # the caption says which terms matter and where; not their words
            if not _PURPOSE.match(sentences[m.sentence].text[m.end:]):
                term.cues.append((m.sentence, m.start, m.end))
            continue
        term.surfaces[m.surface] += 2 if m.key == key else 1
        term.loose = term.loose and m.loose
        term.roles[m.role] += 0 if m.name and m.key != key else 1  # a name has no head word
        declared = _DECLARED.search(sentences[m.sentence].text[:m.start])
        if declared:  # an algorithm's "Input: ... Output: Humanized text"
            term.declared = declared[1].lower()
            term.roles[term.declared] += 3
        term.spans.append((m.sentence, m.start, m.end))
        term.name = term.name or m.name
        term.repeat = term.repeat or m.repeat
        aside = sentences[m.sentence].aside
        term.weight += ASIDE_WEIGHT if aside else 1
        said = sentences[m.sentence]  # a step's title names a step more surely than a heading
        term.bonus += 0 if aside else 2 * (said.heading + said.stage + m.listed)
        if m.key != key and is_acronym(m.surface) and m.key in spelled:
            term.short, term.long = m.surface, spelled[m.key]
        elif m.key in named and term.short is None:
            term.short = m.surface  # "the image encoder (ViT)": the encoder, drawn as ViT
    spelt = {aliases[k] for k in keys if aliases.get(k) in initialisms}
    for t in terms.values():
        acronym = next((s for s, _ in t.surfaces.most_common() if is_acronym(s)), None)
        if t.key in spelt and acronym and t.label != acronym:
            t.short = acronym  # "Small Model" drawn with the "SLM" the text also calls it
        t.bonus = min(t.bonus, 6) + (2 if t.short else 0)
    _cue_chain_abbreviations(sentences[:lead], found, terms)
    _chain_stages(sentences, lead, terms)
    _shortened(sentences[lead:], lead, terms)
    method = any(not s.aside for s in sentences[lead:])
    return [t for t in terms.values() if t.key not in systems and t.spans
            and (t.cues or not method or any(not sentences[s].aside for s, _, _ in t.spans))
            and (not t.name or len(t.spans) >= 2 or t.bonus > 0 or t.cues)
            and (not t.loose or " " in t.key or len(t.spans) >= 2 or t.cues or t.role == "model")
            and (t.cues or not _aside(t, sentences))
            and (t.cues or not _only_after(_SERVED, t, sentences))
            and (t.cues or not _only_after(_EXAMPLE, t, sentences))
            and (t.long or not _function_only(t, sentences))
            and not (" " not in t.label and _ADJECTIVE.search(t.label.lower()))
            and not _EVALUATION & set(t.key.split())]


def _named_instances(sentences: list[Sentence], found: list[Mention], defined: dict[str, str]
                     ) -> dict[str, str]:
    """Name key -> the component it names in parentheses or in apposition: 'the image encoder
    (ViT)', 'the image encoder, a ResNet or a Vision Transformer, maps ...'; the name is which
    model fills the part, not a part of its own."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in found:
        by_sentence.setdefault(m.sentence, []).append(m)
    named: dict[str, str] = {}
    for index, said in by_sentence.items():
        text = sentences[index].text
        filled = None  # the part an apposition names: its alternatives ("or a ...") too
        for part, name in zip(said, said[1:]):
            between, after = text[part.end:name.start], text[name.end:]
            bracketed = re.fullmatch(r"\s*\(\s*", between) and after.lstrip().startswith(")")
            if bracketed and is_acronym(name.surface) and " " not in name.surface and not (
                    name.key in defined or part.name or is_acronym(part.surface)):
                named.setdefault(name.key, part.key)
            alternative = filled and _ALTERNATIVE.fullmatch(between)
            if (_APPOSED.fullmatch(between) and not part.name and part.surface.islower()
                    or alternative) and name.surface[:1].isupper() and _APPOSITION_END.match(
                    after) and name.key not in defined:
                filled = filled if alternative else part.key
                named.setdefault(name.key, filled)
            else:
                filled = None
    return named


def _cue_chain_abbreviations(caption: list[Sentence], found: list[Mention],
                             terms: dict[str, Term]) -> None:
    """A caption's chain 'SBS -> SGM -> Enc -> Dec' may shorten the text's words: 'Enc' cues
    the most salient term whose words it starts ('GMAE encoder')."""
    for index, sentence in enumerate(caption):
        if not CHAIN_ARROW.search(sentence.text):
            continue
        taken = [(m.start, m.end) for m in found if m.sentence == index]
        for step in _CHAIN_STEP.finditer(sentence.text):
            start, end = step.span(1)
            words = step.group(1).lower().split()
            if any(a < end and start < b for a, b in taken):
                continue
            fits = [t for t in terms.values() if t.spans and _abbreviates(words, t.key)]
            if fits:
                max(fits, key=lambda t: (t.salience, t.key)).cues.append((index, start, end))


def _shortened(body: list[Sentence], lead: int, terms: dict[str, Term]) -> None:
    """A part named once in full is then often called by its one telling word: the
    'candidate text tokens' become 'each candidate', 'the candidates'. Those mentions count
    where nothing else is named."""
    taken: dict[int, list[tuple[int, int]]] = {}
    for u in terms.values():
        for s, a, b in u.spans:
            taken.setdefault(s, []).append((a, b))
    for t in list(terms.values()):
        words = t.key.split()
        if len(words) < 2 or not t.spans or words[0] in BARE_GENERIC | STOPWORDS or any(
                w not in BARE_GENERIC for w in words[1:]) or _ADJECTIVE.search(words[0]):
            continue
        bare = re.compile(rf"\b(?:each|every|all|the|these|those)\s+({words[0]}s?)\b"
                          rf"(?=\s*(?:[,.;:)]|$)|\s+(?:{_FUNCTION_AFTER})\b)", re.I)
        for index, sentence in enumerate(body, lead):
            if not sentence.aside:
                t.spans += [(index, *m.span(1)) for m in bare.finditer(sentence.text) if not any(
                    a < m.end(1) and m.start(1) < b for a, b in taken.get(index, ()))]


def chain_steps(caption: list[Sentence]) -> list[tuple[int, int, int]]:
    """The steps of the caption's longest arrow chain, as (sentence, start, end), trimmed:
    the first starts after a colon ('The overall pipeline: Input Graph -> ...'), the last
    ends with its clause ('... -> Big Block Diffusion, producing ...')."""
    steps: list[tuple[int, int, int]] = []
    for index, sentence in enumerate(caption):
        text = sentence.text
        arrows = list(CHAIN_ARROW.finditer(text))
        if len(arrows) + 1 <= len(steps):
            continue
        bounds = [0, *(a.start() for a in arrows), len(text)]
        starts = [0, *(a.end() for a in arrows)]
        starts[0] = text.rfind(":", 0, bounds[1]) + 1
        ends = bounds[1:]
        last = _STEP_END.search(text, starts[-1])
        ends[-1] = last.start() if last else ends[-1]
        steps = []
        for start, end in zip(starts, ends):
            words = text[start:end]
            start += len(words) - len(words.lstrip())
            end -= len(words) - len(words.rstrip())
            steps.append((index, start, end))
    return steps if len(steps) >= 3 else []


def _chain_stages(sentences: list[Sentence], lead: int, terms: dict[str, Term]) -> None:
    """A caption chain's step that no one term of the text fills whole ('Small Block
    Diffusion (DLLM Mode)' where the text says 'small blocks' and 'DLLM') is a stage of
    its own: the authors name the figure's stages there. It is labelled with the step's
    words the text uses, a parenthesised name as its sub-label, and stands where the
    caption puts it. What the chain is said to produce ('..., producing AR and DLLM Base
    Models') are its outputs, one each."""
    used = vocabulary(" ".join(s.text for s in sentences[lead:]))
    steps = chain_steps(sentences[:lead])
    for index, start, end in steps:
        step = sentences[index].text[start:end]
        main, aside = _PARENTHESISED.fullmatch(step).group(1, 2)
        if any(t.spans and any(c[0] == index and c[1] <= start and c[2] >= start + len(main)
                               for c in t.cues) for t in terms.values()):
            continue  # 'SBS (Structure-based Scoring)': the text's SBS fills the step
        stage = _stage(terms, main, (index, start, end), used)
        short = _used_words(aside or "", used)
        if stage and 0 < len(short) <= 2:
            stage.short = " ".join(short)
    if steps:
        index, _, end = steps[-1]
        made = _PRODUCING.match(sentences[index].text, end)
        at = made.start(1) if made else 0
        for item, said in _distributed(made[1]) if made else ():
            at = sentences[index].text.find(said, at)
            _stage(terms, item, (index, at, at + len(said)), used, "output")
            at += len(said)


def _stage(terms: dict[str, Term], phrase: str, at: tuple[int, int, int],
           used: set[str], role: str | None = None) -> Term | None:
    """The term a caption's `phrase` names at `at`, made of the words the text uses (the
    text's own, if it has one by that name); no other term is cued there."""
    words = _used_words(phrase, used)
    whole = len(words) == len(phrase.split())
    if not 0 < len(words) <= MAX_LABEL_WORDS or not whole and len(words) < 2 or all(
            w.lower() in GENERIC for w in words):
        return None  # 'Reconstructed Nodes' is no 'Nodes'
    index, start, end = at
    for t in terms.values():
        t.cues = [c for c in t.cues if not (c[0] == index and start <= c[1] < end)]
    label = " ".join(words)
    stage = terms.setdefault(term_key(label), Term(term_key(label)))
    cue = (index, start, min(end, start + len(phrase)))
    if not stage.spans:
        stage.surfaces = Counter({label: 1})
        stage.spans, stage.loose = [cue], False
    stage.roles = Counter({role or HEADS.get(singular(words[-1]), "operation"): 1})
    stage.cues = [cue]
    return stage


def _distributed(phrase: str) -> list[tuple[str, str]]:
    """(item, its words as written) of a list: 'AR and DLLM Base Models' -> 'AR Base Model'
    and 'DLLM Base Model', one-word items sharing the last item's head, one each."""
    items = [i for i in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", phrase) if i]
    tail = items[-1].split()[1:]
    if len(items) < 2 or not tail or any(" " in i for i in items[:-1]):
        return [(i, i) for i in items]
    head = tail[-1][:1] + singular(tail[-1])[1:]  # "Models" -> "Model", one each
    return [(" ".join([i.split()[0], *tail[:-1], head]), i) for i in items]


def _used_words(phrase: str, used: set[str]) -> list[str]:
    """The words of a phrase the text uses: of 'Big Block or Bidirectional Diffusion', the
    alternatives whose every word it uses ('Bidirectional Diffusion')."""
    def known(words: list[str]) -> bool:
        return all(singular(w) in used for w in words)
    options = [o.split() for o in re.split(r"\s+or\s+", phrase)]
    kept = [o for o in options if known(o)]
    if len(options) > 1 and kept:
        return kept[0] if len(kept) == 1 else phrase.split()
    return [w for w in phrase.split() if known([w])]


def _abbreviates(words: list[str], key: str) -> bool:
    """'enc' for 'GMAE encoder', 'dec' for 'decoder module': each word starts the
    corresponding one of the key's last words, generic ones left aside."""
    head = [w for w in key.split() if w not in GENERIC][-len(words):]
    return len(head) == len(words) and all(k.startswith(w) for k, w in zip(head, words))


def _aside(t: Term, sentences: list[Sentence]) -> bool:
    """A baseline, or a method the text mostly compares with rather than builds."""
    if "baseline" in t.key.split():
        return True
    return 2 * sum(bool(_COMPARISON.search(sentences[s].text)) for s, _, _ in t.spans) \
        > len(t.spans)


def _only_after(words: re.Pattern[str], t: Term, sentences: list[Sentence]) -> bool:
    """Whether the method names `t` only right after `words` (asides aside): a purpose ('a
    large model for high-quality generation') or an example ('lemmas such as the
    Cauchy-Schwarz inequality'), what a part is for or may meet, not a part."""
    return all(words.search(sentences[s].text[:start]) for s, start, _ in t.spans
               if not sentences[s].aside)


def _function_only(t: Term, sentences: list[Sentence]) -> bool:
    """Whether the text writes `t`'s acronym only as a function of a variable ('FR(vi) = ...'):
    math, unless an acronym it defines for a long form ('GCC(w)', Global Causal Contribution)."""
    written = [(s, end) for s, start, end in t.spans if sentences[s].text[start:end].isupper()]
    return bool(written) and all(_APPLIED.match(sentences[s].text[end:]) for s, end in written)


def _aliases(defined: dict[str, str], keys: set[str], cues: set[str],
             initialisms: dict[str, list[str]], systems: set[str]) -> dict[str, str]:
    """Key -> the key it merges into: acronym -> long form, 'large model' -> the one undefined
    acronym spelling it, 'AIscore' -> 'AI-score', 'encoder' -> the one 'X encoder' (a part
    rather than the method's name when both fit); a caption's phrase merges into the one text
    phrase it contains, is contained in, or has one word more ('candidate tokens')."""
    aliases: dict[str, str] = {}
    for short_key, long_form in defined.items():
        long_key = term_key(long_form)
        if len(long_form.split()) <= 4:
            aliases[short_key] = long_key
            aliases.update({k: long_key for k in keys if k.endswith(" " + long_key)})
        else:
            aliases[long_key] = short_key
    spaced = {k.replace(" ", ""): k for k in keys | cues if " " in k}
    for k in sorted(keys - aliases.keys()):
        if spaced.get(k):  # "AIscores" are the "AI-scores", "pretraining" the "pre-training"
            aliases[k] = spaced[k]
    for k in sorted(keys - aliases.keys() - initialisms.keys()):
        spelling = _spelling(k, initialisms, cues)
        if spelling:
            aliases[k] = spelling
    holding: dict[str, set[str]] = {}  # word -> the keys that hold it: a longer key fitting
    for o in keys:  # k shares its first or its last word (a long text has thousands of keys)
        for w in set(o.split()):
            holding.setdefault(w, set()).add(o)
    for k in sorted(keys - aliases.keys()):
        near = holding.get(k.split()[0], set()) | holding.get(k.split()[-1], set())
        longer = {aliases.get(o, o) for o in near
                  if o != k and (same(k, o) or _one_word_more(k, o) or _generic_head_added(k, o))}
        longer = longer - systems if len(longer - systems) == 1 else longer
        if len(longer) == 1:
            aliases[k] = longer.pop()
    for k in sorted(cues - keys - aliases.keys()):
        named = {aliases.get(o, o) for o in keys
                 if same(k, o) or same(o, k) or _one_word_more(k, o)}
        if len(named) == 1:
            aliases[k] = named.pop()
    return aliases


def _spelling(key: str, initialisms: dict[str, list[str]], cues: set[str]) -> str | None:
    """The undefined acronym a phrase's initials spell ('multi head attention' for MHA; a
    model may drop one letter: 'large model' for LLM, 'small model' for SLM), when only one
    does (or only one the caption names)."""
    words = key.split()
    initials = [w[0] for w in words]
    if len(initials) < 2:
        return None
    fits = [k for k, letters in sorted(initialisms.items()) if initials == letters or (
        words[-1] == "model" and len(initials) == len(letters) - 1 and letters[-1] == "m"
        and initials[0] == letters[0] and subsequence(initials, "".join(letters)))]
    named = [k for k in fits if k in cues]
    fits = named if len(fits) > 1 and len(named) == 1 else fits
    return fits[0] if len(fits) == 1 else None


def _one_word_more(short: str, long: str) -> bool:
    """'cross layer smoothing' and 'cross layer memory smoothing': the same first and last
    word, one word more inside."""
    words, more = short.split(), long.split()
    return len(words) >= 2 and len(more) == len(words) + 1 and (words[0], words[-1]) == (
        more[0], more[-1]) and any(more[:i] + more[i + 1:] == words for i in range(len(more)))


def _generic_head_added(short: str, long: str) -> bool:
    """'teacher' and 'large teacher model': one word named, a model's generic head after it."""
    words = long.split()
    return " " not in short and len(words) >= 2 and words[-2] == short and words[-1] in (
        "model", "network", "module", "agent")


def same(short: str, long: str) -> bool:
    """Whether a shorter key names the same thing: 'encoder' in 'GMAE encoder', 'value
    estimation' in 'value estimation mechanism'; not 'answer' in 'answer decoder'."""
    if long.endswith(" " + short):
        return True
    rest = long[len(short) + 1:].split() if long.startswith(short + " ") else []
    makes = HEADS.get(short.split()[-1]) in ("model", "agent") and set(rest) <= _PRODUCTS
    return bool(rest) and not makes and all(w in GENERIC or w == "agent" for w in rest)


def _system_names(sentences: list[Sentence], found: list[Mention], lead: int) -> set[str]:
    """Names of the whole method ('we propose X', 'the X framework', 'Stable-DiffCoder
    training pipeline', a caption titled 'Generalizable Policy.'), and what the text calls it
    in apposition ('X, a step-aware collaboration strategy that ...'): a node would hold it
    all. A name in apposition with a part ('we propose X, an encoder that ...') is that part."""
    systems = {m.key for m in found if lead and m.sentence == 0
               and sentences[0].text.rstrip(".:") == m.surface}
    for m, after in zip(found, [*found[1:], None]):
        text = sentences[m.sentence].text
        if not m.name or " " in m.surface or not (
                _SYSTEM_AFTER.match(text[m.end:]) or _SYSTEM_BEFORE.search(text[:m.start])):
            continue
        called = after if after and after.sentence == m.sentence and _APPOSITION.fullmatch(
            text[m.end:after.start]) else None
        if called is None:
            systems.add(m.key)
        elif called.key.split()[-1] in _WHOLE:  # "X, a step-aware collaboration strategy"
            systems |= {m.key, called.key}
        # "we propose NMR-ConvFormer, an encoder that ...": one of the method's parts
    return systems


def _title(word: str) -> str:
    if word.lower() in CONNECTORS or not word[:1].isascii() or is_acronym(word):
        return word
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
