"""The component phrases of a parsed methodology text: mentions, acronyms, enumerations.

`mentions` finds the component noun phrases of each sentence (English head-final phrases,
capitalised names, acronyms, Chinese phrases ending in a head word, and for a short text any
noun phrase an article opens) so the planner can count, order and connect them; `acronyms`
and `enumerations` say which phrases are one and which come as a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from adapters.method_text import (
    BARE_GENERIC,
    CJK_BARE_GENERIC,
    CJK_HEADS,
    GENERIC,
    HEADS,
    NOUN_ING,
    STOPWORDS,
    Sentence,
    has_cjk,
    is_acronym,
    singular,
    term_key,
)

# Function words and verbs that end a Chinese phrase, unless they begin a head word (生成器).
_CJK_SPLIT = re.compile(
    "(" + "|".join(sorted(CJK_HEADS, key=len, reverse=True)) + ")|"
    r"首先|然后|接着|随后|最后|之后|其中|通过|利用|使用|采用|进行|包括|包含|经过|生成|映射|得到|"
    r"产生|送入|传入|传递|输出|用于|以及|并且|同时|根据|基于|依据|按照|结合|作为|从而|如果|直到|"
    r"然而|但是|因此|所以|[的将把被由和与及在对从到并为是以其该此这各每个一了而或后再中上下内若当"
    r"，。、；：！？（）()\s,.;:!?]")

# A head word used as the verb: "将用户指令编码为文本特征" (encodes ... into), "从输入图像中提取视觉
# 特征" (extracts from), "将文本特征和视觉特征融合。" (fuses, at the clause's end after 将/把)
_CJK_VERBS = "编码|解码|映射|转换|转化|融合|提取|抽取|聚合|投影|拼接|检索|处理"
_CJK_VERB = re.compile(rf"(?:{_CJK_VERBS})(?=为|成|到)|(?<=中)(?:{_CJK_VERBS}|获取|得到)")
_CJK_VERB_LAST = re.compile(rf"([将把][^，。；！？]{{2,40}}?)({_CJK_VERBS})(?=[，。；！？]|$)")

# -- mentions ---------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)*|&")
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_REPEAT_BEFORE = re.compile(
    r"(?:\b[A-Za-z]\s*=\s*)?\b(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
    r"(?:\s*-\s*(?:layers?|blocks?)|\s+(?:stacked|identical|repeated|consecutive|successive))?"
    r"\s*$", re.I)
_REPEAT_AFTER = re.compile(r"^\s*[×x]\s*(\d{1,3})\b")
_MAPPED_TO = re.compile(r"\b(?:maps?|mapped|converts?|converted|transforms?|transformed|"
                        r"projects?|projected|encodes?|encoded|sends?|sent|passes|passed|"
                        r"feeds?|fed|forwards?|routes?|routed|added|adds?)\b[^,;]*$", re.I)
# verbs that may stand right before a noun ("does not receive gradient updates")
_BASE_VERBS = frozenset("""receive send return pass feed call check remove select constrain
    represent freeze multiply capture extract combine contain require predict encode decode
    map merge sample""".split())
_DETERMINERS = frozenset("the a an".split())
_NOT_AGENTS = frozenset("""color colour vector factor tensor error paper number order other
    parameter answer letter member matter manner center centre border corner cover power
    cluster character chapter header footer register folder floor door""".split())
# verbs whose bare object is a part: "the teacher produces soft targets"
_OPENING_VERBS = frozenset("""produces generates outputs predicts returns extracts emits yields
    creates computes collects proposes reads takes receives consumes""".split())
_OBJECT_OPENERS = _DETERMINERS | frozenset("them it its their each both all these this".split())
# qualifiers a loose noun phrase may open with, and leaves out: "the final detections"
_QUALIFIERS = frozenset("final initial same next new current original selected best".split())
_BEFORE_VERB = frozenset("""to we they it which that who can could may might will would should must
    cannot does do did have has had""".split())
_NOT_OBJECT = frozenset("""are were is was be of from to in for with and or that which as by on at
    into can may will would should could must have has had remain serve""".split())
_WHOLE = frozenset({"architecture", "framework", "system", "pipeline", "overview", "approach"})
_SYMBOL_AFTER = re.compile(r"\s*\(?\s*([A-Za-z]{1,3}_\{?[A-Za-z0-9]{1,6}\}?)(?![\w-])")
_STACK_HEADS = frozenset("layer block encoder decoder transformer network cell unit head".split())


@dataclass(frozen=True)
class Mention:
    key: str            # term_key of the phrase
    surface: str        # the words as written (at most 4)
    role: str           # what the head word makes it
    sentence: int       # index into the sentences
    start: int          # character offset inside the sentence
    end: int
    name: bool          # a capitalised name or acronym with no head word ("GlimpRouter")
    repeat: int | None  # "6 stacked layers", "6-layer", "layer × 6"
    listed: bool = False  # an item of an enumeration ("three modules: A, B and C")
    loose: bool = False   # a noun phrase only an article marks ("the speech synthesizer")


def mentions(sentences: list[Sentence], loose: bool = False, lead: int = 0) -> list[Mention]:
    """Every component phrase of every sentence, in reading order; where two overlap, the one
    with more telling (non-generic) words wins, then an enumerated item, then the longer. A
    `loose` reading (for a short text) also takes every noun phrase an article opens; the
    caption's (its first `lead` sentences) count wherever the text uses them too."""
    items: dict[str, str | None] = {it: None for found in enumerations(sentences)
                                    for it in found}
    items.update(_anchors(sentences, lead))
    kept: list[Mention] = []
    for i, s in enumerate(sentences):
        found = _english(i, s.text, s.stage) + _chinese(i, s.text) + _listed(i, s.text, items)
        found += [m for m in (_determined(i, s.text) if loose else []) if not any(
            m.start <= f.start and f.end < m.end for f in found)]  # "a crawler collects ..."
        taken: list[Mention] = []
        for m in sorted(found, key=lambda m: (-_telling(m), not m.listed, m.start - m.end,
                                               m.start)):
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        kept += sorted(taken, key=lambda m: m.start)
    return sorted(kept + _symbols(sentences[:lead], kept), key=lambda m: (m.sentence, m.start))


def _symbols(caption: list[Sentence], found: list[Mention]) -> list[Mention]:
    """A caption may name a part by the symbol it writes after it ('initial token entropy
    H_init ... High H_init routes to LLM'): each later use of the symbol is that part."""
    named: dict[str, tuple[Mention, tuple[int, int]]] = {}
    for m in found:
        symbol = _SYMBOL_AFTER.match(caption[m.sentence].text, m.end) \
            if m.sentence < len(caption) else None
        if symbol and symbol[1] not in named:
            named[symbol[1]] = (m, (m.sentence, symbol.start(1)))
    uses = []
    for symbol, (m, defined) in named.items():
        for index, s in enumerate(caption):
            for use in re.finditer(rf"(?<![\w-]){re.escape(symbol)}(?![\w-])", s.text):
                if (index, use.start()) != defined and not any(
                        f.sentence == index and f.start < use.end() and use.start() < f.end
                        for f in found):
                    uses.append(replace(m, surface=symbol, sentence=index, start=use.start(),
                                        end=use.end()))
    return uses


def _telling(m: Mention) -> int:
    """How many of a phrase's words are not generic: 'image encoder' 2, 'graph memory layer' 2."""
    return sum(w not in GENERIC for w in m.key.split())


def _listed(index: int, text: str, items: dict[str, str | None]) -> list[Mention]:
    """Where the enumerated items (and the caption's phrases the text uses) occur in a
    sentence, singular or plural; a bare generic word ('method', 'module') is no item."""
    found = []
    for item, role in sorted(items.items()):
        pattern = r"(?<![\w-])" + re.escape(item) + r"(?:s|es)?(?![\w-])"
        words = item.split()
        head = _head(words[-1])
        if len(words) == 1 and head in BARE_GENERIC:
            continue  # "the first details the method": an item, but no component
        for m in re.finditer(pattern, text, re.I):
            found.append(Mention(term_key(item), m[0], role or HEADS.get(head, "operation"),
                                 index, m.start(), m.end(), head not in HEADS, None, True))
    return found


def _anchors(sentences: list[Sentence], lead: int) -> dict[str, str]:
    """The caption's capitalised names of two words or more ('A Textual Teacher generates
    ...') that the text uses too, with their roles: the caption says they matter though no
    head word does. (Its lowercase phrases too often run into a verb: 'the proof fails'.)"""
    body = " ".join(s.text for s in sentences[lead:]).lower()
    return {m.surface.lower(): m.role for i in range(lead)
            for m in _determined(i, sentences[i].text)
            if " " in m.surface and m.surface.istitle() and re.search(
                r"(?<![\w-])" + re.escape(m.surface.lower()) + r"(?![\w-])", body)}


def _english(index: int, text: str, titled: bool = False) -> list[Mention]:
    tokens = list(_TOKEN.finditer(text))
    found: list[Mention] = []
    taken: set[int] = set()
    for t, tok in enumerate(tokens):
        head = _head(tok[0])
        role = HEADS.get(head)
        if role is None or tok[0][0].isdigit():
            continue
        start = _modifier_start(tokens, t, text)
        if start == t and not is_acronym(tok[0]) and (head in BARE_GENERIC or (
                role == "operation" and not head.endswith(("er", "or")))):
            continue
        if _verb(tokens, t, text, start < t):
            continue  # "the generator network maps random noise"
        if _adjacent_to(tokens, t, text) and _head(tokens[t + 1][0]) in HEADS \
                and not _verb(tokens, t + 1, text, True):
            continue  # "image encoder": the next word is the real head
        span = tokens[start:t + 1]
        taken.update(range(start, t + 1))
        found.append(_mention(index, text, span, role, False, head))
    found += _names(index, text, tokens, taken, titled)
    return found


def _determined(index: int, text: str) -> list[Mention]:
    """Noun phrases an article opens ('the speech synthesizer', 'the candidate boxes'), or a
    sentence's capitalised subject, or a verb like 'produces' bare ('produces soft targets'),
    up to the verb the next article shows ('converts the') or a function word: a short text
    names its parts once, often with head words no list foresees."""
    tokens = list(_TOKEN.finditer(text))
    found = []
    for i, tok in enumerate(tokens):
        opener = tok[0].lower()
        subject = i == 0 and tok[0][:1].isupper() and opener not in STOPWORDS  # "Volume ..."
        if opener not in _DETERMINERS and not subject and not (
                opener in _OPENING_VERBS and _adjacent_to(tokens, i, text)
                and tokens[i + 1][0].lower() not in _DETERMINERS):
            continue
        words = _phrase_after(tokens, i, text, [tok] if subject else [])
        quantity = re.match(r"\s+of\b", text[words[-1].end():]) if words else None
        if not 0 < len(words) <= 4 or quantity or (
                len(words) == 1 and _head(words[0][0]) in BARE_GENERIC):
            continue  # "a stack of ...", "the output"
        head = _head(words[-1][0])
        told = re.match(r"\s+(?:is|are|was|were|has|have|can|may)\b", text[words[-1].end():])
        acts = i == 0 and not told or _agent_noun(head)  # "The student produces ..."
        if subject and (not acts or len(words) < 2 and head not in HEADS):
            continue  # a sentence's capital opens a part only when that part acts
        role = HEADS.get(head) or ("model" if acts else "data")
        found.append(replace(_mention(index, text, words, role, False, head), loose=True))
    return found


def _phrase_after(tokens: list[re.Match[str]], i: int, text: str,
                  words: list[re.Match[str]]) -> list[re.Match[str]]:
    """The words of the phrase token i opens, a qualifier ('the final ...') left out, ending
    in a noun."""
    for j in range(i + 1, min(i + 8, len(tokens))):
        word = tokens[j][0].lower()
        if not _adjacent(text, tokens[j - 1], tokens[j]) or word in _DETERMINERS:
            break
        if word in STOPWORDS and (words or word not in _QUALIFIERS):
            break
        if words and _adjacent_to(tokens, j, text) and tokens[j + 1][0].lower() in (
                _OBJECT_OPENERS):
            break  # "converts the ...", "compares them": the verb before its object
        if word not in _QUALIFIERS:
            words.append(tokens[j])
    while words and not _noun_like(words[-1][0]):
        words.pop()
    return words


def _agent_noun(word: str) -> bool:
    """'synthesizer', 'translator', 'user': one who does; not 'color', 'vector', 'number'."""
    return word.endswith(("er", "or")) and len(word) > 3 and word not in _NOT_AGENTS


def _noun_like(word: str) -> bool:
    lower = word.lower()
    return len(lower) > 2 and not lower[0].isdigit() and not lower.endswith("ly") and (
        not lower.endswith(("ing", "ed")) or lower in NOUN_ING)


def _verb(tokens: list[re.Match[str]], t: int, text: str, qualified: bool) -> bool:
    """Whether a head-like word is its sentence's verb: 'outputs the', 'network maps noise'."""
    word = tokens[t][0].lower()
    if not _adjacent_to(tokens, t, text) or singular(word) == word:
        return False
    following = tokens[t + 1][0]
    if not following.islower() or following in _NOT_OBJECT:
        return False
    if word in ("outputs", "returns", "answers"):
        return True
    if following.endswith("ed") and re.match(r"\s+by\b", text[tokens[t + 1].end():]):
        return False  # "candidate tokens sampled by the LLM": a participle follows a noun
    return qualified or _second_verb(tokens, t)


def _second_verb(tokens: list[re.Match[str]], t: int) -> bool:
    """'extracts and stores multi-dimensional patterns': after a verb and 'and', a plural head
    with an object is a verb too."""
    if t < 2 or tokens[t - 1][0] != "and":
        return False
    before = tokens[t - 2][0]
    return before.islower() and before.endswith("s") and not before.endswith("ss") \
        and _head(before) not in HEADS and singular(before) != before


def _adjacent_to(tokens: list[re.Match[str]], t: int, text: str) -> bool:
    return t + 1 < len(tokens) and _adjacent(text, tokens[t], tokens[t + 1])


def _head(word: str) -> str:
    """The head word of a token: 'layers' -> 'layer', 'self-attention' -> 'attention'."""
    whole = singular(word)
    return whole if whole in HEADS else singular(word.rsplit("-", 1)[-1])


def _modifier_start(tokens: list[re.Match[str]], t: int, text: str) -> int:
    """Where the phrase ending at head token t starts: up to three qualifying words back."""
    start = t
    while start > 0 and t - start < 3 and _adjacent(text, tokens[start - 1], tokens[start]):
        word = tokens[start - 1][0]
        before = tokens[start - 2][0] if start >= 2 else ""
        mapped = before.lower() == "to" and start >= 2 and _MAPPED_TO.search(
            text[:tokens[start - 2].start()])  # "maps random noise to fake images"
        if not _modifier(word) or _verb_follows(before) and not mapped or word.lower() in (
                w[0].lower() for w in tokens[start:t + 1]):
            break
        start -= 1
    if start == 0 < t and _head(tokens[0][0]) not in HEADS and not is_acronym(tokens[0][0]) \
            and not all(w[0][0].isupper() for w in tokens[1:t + 1]):
        start = 1  # "Initialize attention scores ...": a capital that only starts a sentence
    while start < t and tokens[start][0] == "&":
        start += 1
    return start


def _verb_follows(word: str) -> bool:
    """Whether the next word is likely a verb: after 'to', 'we', 'can' or an adverb."""
    lower = word.lower()
    return lower in _BEFORE_VERB or (word.islower() and lower.endswith("ly"))


def _modifier(word: str) -> bool:
    """Whether a word can qualify a head: no function word, verb, number, plural, possessive."""
    lower = word.lower()
    if word == "&" or is_acronym(word):
        return True
    return len(word) > 1 and not word[0].isdigit() and lower not in STOPWORDS | _BASE_VERBS \
        and not lower.endswith(("'s", "’s")) and not (lower.endswith("ly") and word.islower()) \
        and singular(lower) == lower and (not lower.endswith("ing") or lower in NOUN_ING
                                          or _head(lower) in HEADS)


def _names(index: int, text: str, tokens: list[re.Match[str]], taken: set[int],
           titled: bool) -> list[Mention]:
    """Capitalised names that end in no head word: 'Reverse Provenance Expansion', 'GMAE'; at a
    sentence's start only in a step's title ('Guided Continuation.'), where no capital merely
    starts a sentence."""
    found: list[Mention] = []
    t = 0
    while t < len(tokens):
        if t in taken or not _capitalised(tokens[t][0]):
            t += 1
            continue
        end = t
        while end + 1 < len(tokens) and end + 1 not in taken \
                and _adjacent(text, tokens[end], tokens[end + 1]) \
                and (_capitalised(tokens[end + 1][0]) or tokens[end + 1][0] == "&"):
            end += 1
        span = tokens[t:end + 1]
        while span and (span[0][0].lower() in STOPWORDS or span[0][0] == "&"):
            span = span[1:]
        while span and (span[-1][0].lower() in STOPWORDS | _WHOLE or span[-1][0] == "&"):
            span = span[:-1]
        at_start = bool(span) and span[0] is tokens[0] and not titled
        if span and (len(span) >= 2 and not at_start or any(is_acronym(w[0]) for w in span)):
            found.append(_mention(index, text, span[-4:], "operation", True, ""))
        t = end + 1
    return found


def _mention(index: int, text: str, span: list[re.Match[str]], role: str, name: bool,
             head: str) -> Mention:
    span = span[-4:]
    surface = text[span[0].start():span[-1].end()]
    repeat = None
    if head in _STACK_HEADS or re.search(r"stack", text[max(0, span[0].start() - 40):
                                                          span[0].start()], re.I):
        before = _REPEAT_BEFORE.search(text[max(0, span[0].start() - 30):span[0].start()])
        after = _REPEAT_AFTER.match(text[span[-1].end():])
        value = (before or after)[1].lower() if before or after else ""
        count = int(value) if value.isdigit() else _NUMBER_WORDS.get(value, 0)
        repeat = count if count >= 2 else None
    return Mention(term_key(surface), surface, role, index, span[0].start(), span[-1].end(),
                   name, repeat)


def _capitalised(word: str) -> bool:
    return word[0].isupper() and len(word) > 1 and not word.isdigit()


def _adjacent(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    return text[a.end():b.start()] in (" ", "")


def _chinese(index: int, text: str) -> list[Mention]:
    """Chinese phrases: a run of characters between function words, up to a head word;
    adjacent heads make one compound (图像编码器), separated ones each their own phrase."""
    found: list[Mention] = []
    if not has_cjk(text):
        return found  # an English sentence has no head word to look for (a long text's most)
    text = _CJK_VERB.sub(lambda m: "|" * len(m[0]), text.replace("|", " "))
    text = _CJK_VERB_LAST.sub(lambda m: m[1] + "|" * len(m[2]), text)
    split = _CJK_SPLIT.sub(lambda m: m[1] or "|" * len(m[0]), text)  # offsets stay the text's
    for chunk in re.finditer(r"[^|]+", split):
        phrase, begin = chunk[0], 0
        for start, end, head in _cjk_heads(phrase):
            label = phrase[begin if begin == 0 else start:end]
            label = label if len(label) <= 8 else phrase[start:end][-8:]
            begin = end
            if label == head and head in CJK_BARE_GENERIC:
                continue
            role = "input" if label.startswith("输入") else CJK_HEADS[head]
            found.append(Mention(label, label, role, index, chunk.start() + end - len(label),
                                 chunk.start() + end, False, None))
    return found


def _cjk_heads(phrase: str) -> list[tuple[int, int, str]]:
    """(start, end, last head) of each run of adjacent head words, longest heads first."""
    hits: list[tuple[int, int, str]] = []
    for head in sorted(CJK_HEADS, key=len, reverse=True):
        for m in re.finditer(re.escape(head), phrase):
            if all(m.end() <= s or m.start() >= e for s, e, _ in hits):
                hits.append((m.start(), m.end(), head))
    runs: list[tuple[int, int, str]] = []
    for start, end, head in sorted(hits):
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end, head)
        else:
            runs.append((start, end, head))
    return runs


# -- acronyms and enumerations ----------------------------------------------------------

_DEFINITION = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9-]*?)s?\s*[,;)]")
_DEFINED_AFTER = re.compile(r"\b([A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)\s*\(([^()]{3,60})\)")


def acronyms(sentences: list[Sentence]) -> dict[str, str]:
    """Acronym key -> long form, from 'Structured Sparse Attention (SSA)' or, as captions
    write it, 'SSA (Structured Sparse Attention)'."""
    found: dict[str, str] = {}
    for s in sentences:
        for m in _DEFINITION.finditer(s.text):
            words = s.text[:m.start()].split()[-(len(_letters(m[1])) + 2):]
            long_form = _long_form(words, _letters(m[1]))
            if long_form:
                found[term_key(m[1])] = long_form
        for m in _DEFINED_AFTER.finditer(s.text):
            words = m[2].split()
            long_form = _long_form(words, _letters(m[1]))
            if long_form and len(long_form.split()) == len(words):
                found.setdefault(term_key(m[1]), long_form)
    return found


def _letters(acronym: str) -> list[str]:
    return [c.lower() for c in acronym if c.isupper()]


def _long_form(words: list[str], letters: list[str]) -> str | None:
    if len(letters) < 2:
        return None
    for k in range(1, len(words) + 1):
        window = [w.strip(",;:") for w in words[-k:]]
        if window[0][:1].lower() != letters[0] or any(not w for w in window):
            continue
        initials = "".join(p[0].lower() + "".join(c.lower() for c in p[1:] if c.isupper())
                           for w in window for p in w.split("-") if p)
        if subsequence(letters, initials) and len(window) <= len(letters) + 1:
            return " ".join(window)
    return None


def subsequence(needle: list[str], hay: str) -> bool:
    """Whether hay holds needle's characters in order (not necessarily side by side)."""
    it = iter(hay)
    return all(c in it for c in needle)


_ENUMERATION = re.compile(
    r"(?:\b(?P<declared>(?:two|three|four|five|six|\d)\s+(?:[\w-]+\s+){0,2}"
    r"(?:modules?|components?|stages?|steps?|parts?|phases?|blocks?|sub-?modules?|layers?)"
    r"(?:\s+of\s+[\w-]+)?)|\b(?:consists? of|comprises?|composed of|contains?|includes?))"
    r"\s*:\s*(?P<body>.+)", re.I)
_ITEM_MARKER = re.compile(r"\(?\b(?:[ivx]+|\d+|[a-z])\s*\)")
_PARENTHESES = re.compile(r"\([^()]*\)")
_NOT_PARTS = re.compile(r"\s*(?:e\.g|i\.e|cf|see|eq|fig|sec|\d)", re.I)
_ITEM_CUT = re.compile(
    r"\s(?:for|that|which|to|with|via|by|in|using|where|whose|on|from|consisting|as)\s|[(:]")


def enumerations(sentences: list[Sentence], counted: bool = False) -> list[list[str]]:
    """The items of lists such as 'consists of three modules: A, B and C', and of a block's
    parts named in parentheses ('Graph metrics (Node Importance, Redundancy, Robustness)');
    only lists that say how many parts they hold, if `counted`."""
    found = [] if counted else [
        items for s in sentences for items in parts_in_parentheses(s.text).values()]
    for s in sentences:
        m = _ENUMERATION.search(s.text)
        if not m or counted and not m["declared"]:
            continue
        body = m["body"].rstrip(".")
        body = _PARENTHESES.sub(" ", body) if not _ITEM_MARKER.search(body) else body
        parts = _ITEM_MARKER.split(body) if _ITEM_MARKER.search(body) else re.split(
            r";|,\s*(?:and\s+)?|\s+and\s+", body)
        items = [it for it in (_item(p, bool(m["declared"])) for p in parts) if it]
        if len(items) >= 2:
            found.append(items)
    return found


def parts_in_parentheses(text: str) -> dict[int, list[str]]:
    """Where a parenthesised list of two or more names opens -> its names: 'A transformer block
    (Attention, FFN, Add&Norm layers)'. Examples ('(e.g., math, coding)') name no parts."""
    found = {}
    for m in _PARENTHESES.finditer(text):
        body = m[0][1:-1]
        if "," not in body or _NOT_PARTS.match(body):
            continue
        parts = [p for p in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", body) if p]
        items = [_item(p, False) for p in parts]
        named = any(c.isupper() for it in items for c in it)  # not the "(image, text) pairs"
        if len(items) >= 2 and all(items) and named and all(len(p.split()) <= 4 for p in parts):
            found[m.start()] = items
    return found


def _item(part: str, declared: bool) -> str:
    """An item's name: its words before a qualifying clause, when they name a component."""
    words = _ITEM_CUT.split(" " + part.strip() + " ", maxsplit=1)[0].strip(" ,;.").split()
    stops = [i for i, w in enumerate(words) if w.lower() in STOPWORDS]
    words = words[stops[-1] + 1:] if stops else words
    if not words:
        return ""
    named = _head(words[-1]) in HEADS or all(w[0].isupper() for w in words)
    return " ".join(words[-4:]) if named or (declared and len(words) <= 4) else ""
