"""The edges of a planned diagram: what flows where, as the caption and the text say it.

Verbs of flow between neighbouring mentions give edges ("A feeds B", "X is processed by A"),
and a sentence may carry on from the one before ("These features are then fed into B");
reading order then links whatever is still unconnected, so every node has an edge and the
graph is connected; loop words, and the archetype's skeleton, close feedback edges.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from adapters.diagram_terms import Term
from adapters.method_text import STOPWORDS, Sentence, term_key

MAX_FEEDBACK = 2
SHORT = 12  # sentences: a text this short names its inputs and outputs once

Edge = tuple[str, str, str]  # source key, target key, kind

_CLAUSE = re.compile(r";|,\s*(?:and|but|while|whereas)\b")
_FROM = re.compile(r"\s*from\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?", re.I)
_COMPARED = re.compile(r"\b(?:compares|matches|contrasts)\b", re.I)
_COMPARED_AGAIN = re.compile(r"\b(?:compares|matches|contrasts)\s+(?:them|it)\b", re.I)
_AND_VERB = re.compile(r"^\s*and\s+(?:then\s+|also\s+)?[a-z]+(?:es|s)\b")
_BETWEEN = re.compile(r"\s*between\s+(?:the\s+|a\s+|an\s+|its\s+)?", re.I)
_WITH = re.compile(r"\s*(?:with|together with)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?", re.I)
_AGAINST = re.compile(r"\s*(?:with|against|to)\s+(?:the\s+|a\s+|an\s+|its\s+)?", re.I)
_INTO = re.compile(r"\s*(?:in)?to\s+(?:the\s+|a\s+|an\s+)?", re.I)  # "A maps X to Y": Y from A
# "combines the visual features and the geometric features": the next item of a list
_LISTED = re.compile(r"[\s)]*(?:\([^()]*\)\s*)?(?:(?:,|and|or|as well as|&|,\s*(?:and|or))\s+"
                     r"(?:the\s+|a\s+|an\s+|its\s+)?|[和与及、])", re.I)
_PASSIVE_PROCESS = re.compile(r"\b(?:(?:processed|encoded|mapped|consumed|embedded|transformed|"
                              r"converted|handled|analy[sz]ed)\s+(?:by|to|into|through)|"
                              r"(?:fed|passed|sent|forwarded|routed)\s+(?:to|into|through))\b")
_PASSIVE_PRODUCT = re.compile(r"\b(?:produced|generated|output|returned|predicted|created|"
                              r"computed|obtained|extracted|derived|provided|retrieved|"
                              r"initiali[sz]ed|updated|optimi[sz]ed|supervised|guided|trained|"
                              r"sampled|drawn|decoded)\s+"
                              r"(?:by|from|with|via)\b|\b(?:fed|supplied|driven)\s+by\b|\bfrom\b|"
                              r"\bbased on\b|\bconditioned on\b")
_PRODUCE = re.compile(r"\b(?:produc|generat|outputs?\b|yield|returns?\b|predicts?\b|emits?\b|"
                      r"creat|construct|results? in|leads? to|obtain|extract|synthesiz|captur|"
                      r"assigns?\b|provides?\b|trains\b|collects\b|gathers\b|proposes\b|"
                      r"writes\b|drafts\b|samples\b|renders\b)|"
                      r"生成|产生|输出|得到|提取|(?:编码|映射|转换|转化|融合)为")  # Chinese: no \b
_PROCESS = re.compile(r"\b(?:process(?:es)?|maps?|encodes?|takes?|receives?|consumes?|"
                      r"combines|fuses|merges|aggregates|concatenates|integrates|adapts|"
                      r"reads?|embeds?|transforms?|converts?|compress(?:es)?|tokeniz(?:es)?|"
                      r"analy[sz]es?|attends? to|operates? on|uses?|leverages?|queries|"
                      r"applies|translates|transcribes|classifies|scores|ranks|filters|"
                      r"check(?:s|ing)|verifies|evaluates|denoises|summari[sz]es|parses|"
                      r"searches|looks?\s+up|"
                      r"answers|solves|"
                      r"decodes|segments|recogni[sz]es|inspects|critiques|reviews|compares|"
                      r"matches|contrasts)\b|^[将把从]$|接收|读取")  # "A将X", "A从X中"
_FEED = re.compile(r"\b(?:feeds?|pass(?:es)?|sends?|forwards?|followed by|then|into|"
                   r"before|routes?\s+to|stays?\s+with|(?:is|are)\s+handed\s+(?:over\s+)?to)\b|"
                   r"→|->|然后|接着|随后|输入到|送入")
_CARRIED = re.compile(r"(?:these|this|the resulting|the obtained|its|their|the)\s+(?:[\w-]+\s+)?"
                      r"(?:features?|embeddings?|outputs?|sequences?|representations?|tokens?|"
                      r"results?|vectors?)\s+(?:is|are)\s+(?:then\s+|further\s+|subsequently\s+)?"
                      r"(?:fed|passed|sent|forwarded|routed|given|input)\s+(?:in)?to\b", re.I)
# "A (is passed) to the B", "A to train B": A into B
_HANDED = re.compile(r"\s*(?:\([^()]*\)|\))?\s*(?:(?:is|are)\s+)?(?:then\s+)?"
                     r"(?:(?:passed|fed|sent|provided|given|"
                     r"forwarded|routed|returned)\s+)?to(?:\s+(?:train|optimi[sz]e|update|"
                     r"supervise|guide|condition|fine-tune))?(?:\s+(?:the|a|an))?\s*", re.I)
# "A (... from demonstrations) to create B": whatever came before, the purpose makes B of A
_TO_MAKE = re.compile(r"\bto\s+(?:create|generate|produce|build|construct|form|yield|learn|"
                      r"obtain|extract|compute|predict|update|train|optimi[sz]e|guide|refine|"
                      r"supervise)\s+(?:the\s+|a\s+|an\s+)?$", re.I)  # "used to update the B"
# "A encodes the depth map into B": what A turns something into comes from A
_TURNS_INTO = re.compile(r"^[\s,)]*(?:maps?|encodes?|transforms?|converts?|projects?|"
                         r"compress(?:es)?|embeds?|turns?|decomposes?|splits?|tokeniz(?:es)?|"
                         r"aggregates?|merges?|"
                         r"fuses?|combines?)\s+(?:[\w'’-]+\s+){0,6}"
                         r"(?:in)?to\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+(?:\s+and\s+[\w-]+)?\s+of\s+"
                         r"(?:the\s+|a\s+|an\s+)?)?$", re.I)  # "to the mean and variance of a"
_NAMING = re.compile(r"\s*\(\s*|\s*,\s*(?:a|an|the)\s+|\s+or\s+(?:a|an|the)\s+")
# "A returns its scores (back) to the B": what passes, to label the arrow with
_HANDS_OVER = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:then\s+|iteratively\s+|also\s+)?"
                         r"(?:returns?|sends?|passes|feeds?|forwards?|gives?|provides?|hands?)\s+"
                         r"(?:its\s+|their\s+|the\s+|a\s+|an\s+|these\s+)?"
                         r"(?P<what>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)\s+(?:back\s+)?"
                         r"(?:in)?to\s+(?:the\s+|a\s+|an\s+)?", re.I)
# "A generates QA pairs, which the B attempts to solve": what B acts on flows into it
_WHICH_THE = re.compile(r",\s*which\s+(?:the|a|an)\s+$", re.I)
# "After EEG preprocessing, the CST module encodes ...": the first, then the second
_AFTER = re.compile(r"^\s*(?:after|following|once)\s+(?:the\s+|a\s+|an\s+)?$", re.I)
_AFTER_COMMA = re.compile(r"^\s*(?:process|step|stage|phase)?\s*,\s*(?:the\s+|a\s+|an\s+)?$",
                          re.I)
# "Step 1 updates the Proposer via HRPO": HRPO into the proposer
_UPDATES = re.compile(r"\b(?:updat|optimi[sz]|train|refin|fine-tun)\w*\s+(?:the\s+|a\s+|an\s+)?$",
                      re.I)
# "Score the candidates from the detector": the detector scores them; they go into it
_SCORES = re.compile(r"\b(?:scor|rat|evaluat|judg|assess|rank|grad)\w*\s+(?:the\s+|each\s+|"
                     r"every\s+|all\s+)?$", re.I)
_FROM_JUDGE = re.compile(r"^\s*(?:from|by)\s+(?:the\s+|a\s+|an\s+)?$", re.I)
_SENDS = re.compile(r"\b(?:pass|send|forward|feed|route|give|hand|deliver)(?:es|s)?\s+"
                    r"(?:the\s+|a\s+|an\s+|its\s+|their\s+)?$", re.I)
_TO = re.compile(r"\s*to\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?", re.I)
_ON_DATA = re.compile(r"^\s*on\s+(?:its\s+|their\s+|the\s+|a\s+|an\s+)?$", re.I)
_BY_MEANS = re.compile(r"^\s*(?:via|using|with|through)\s+(?:the\s+|a\s+|an\s+)?$", re.I)
# "The SSA module then captures ...": on from what the sentence before made
_FRONTED = re.compile(r"^\s*(?:given|after|before|when|once|for|with|using|in|during|at)\b",
                      re.I)
_LEVEL = re.compile(r"(?:^|[;,.]\s*|\s)(high|low|large|small|easy|hard|simple|complex)\s+$", re.I)
_ROUTED = re.compile(r"\s*(?:routes?\s+to|stays?\s+with|(?:is|are)\s+(?:sent|routed|handed"
                     r"(?:\s+over)?)\s+to)\s+(?:the\s+|a\s+|an\s+)?", re.I)
_ROUTER = re.compile(r"(?:router|routing|dispatcher|gate|gating|selector)$", re.I)
_THEN = re.compile(r"^\s*(?:\([^()]*\)\s*)?(?:module|block|layer|network|model|stage)?\s*"
                   r"(?:then|next|subsequently)\b", re.I)
_ORDINAL = re.compile(r"^\s*(first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|finally|"
                      r"lastly|then|next|after that)\s*,", re.I)
_SEQUEL = re.compile(r"then|next|after that", re.I)
_RETURN = re.compile(r"\b(?:returns?|returned)\b[^.;]*?\bto\b|\bback to\b", re.I)
_LOOP = re.compile(r"\b(?:until|iterativ\w*|iterat(?:e|es|ed|ion|ions)|repeats?|refines?|"
                   r"refined|refinement|loop|cycles?|feedback|recurren\w*)\b"
                   r"|迭代|循环|反复|直到|重复|反馈", re.I)


def flow_edges(order: list[Term], sentences: list[Sentence], slots: dict[str, int],
               skeleton: dict[str, Any], siblings: frozenset[str] = frozenset()
               ) -> tuple[list[Term], list[Edge]]:
    """The nodes in the order the stated flows give (reading order where they say nothing)
    and the edges: a stated flow runs forward unless it closes a cycle. `siblings` (parts
    listed side by side) run in parallel where the text states no flow among them."""
    found, branches = _flows(order, sentences)
    found += _made_by_name(order, found)
    order = _inner_ends_are_data(order, found)
    roles = {t.key: t.role for t in order}
    read = {t.key: i for i, t in enumerate(order)}
    stated = [(a, b, s) for a, b, s in found
              if roles[b] != "input" and (roles[a] not in ("output", "loss")
                                          or roles[b] == "loss")  # a loss compares outputs
              and (roles[a], roles[b]) != ("input", "output")]
    flows = [(a, b) for a, b, _ in stated]
    # "returns feedback to the planner": a loop's way back does not reorder the nodes, nor does
    # a return to a node read earlier that closes a cycle ("returns the labels to the client")
    forward = [(a, b, s) for a, b, s in stated
               if read[a] < read[b] or not _LOOP.search(sentences[s].text)]
    order = _along(order, [(a, b) for a, b, s in forward if read[a] < read[b]
                           or not _RETURN.search(sentences[s].text)])
    position = {t.key: i for i, t in enumerate(order)}
    edges: list[Edge] = []
    for a, b in flows:
        add_edge(edges, a, b, "data" if position[a] < position[b] else "feedback")
    _through_routers(edges, order)
    _link_unreached(edges, order, slots, skeleton, siblings, branches,
                    short=len(sentences) <= SHORT)
    _add_feedback(edges, order, sentences, slots, skeleton)
    return order, _without_shortcuts(edges, order, set(flows))


def _through_routers(edges: list[Edge], order: list[Term]) -> None:
    """What enters a router and is said to reach a model goes there through the router:
    'GlimpRouter checks the entropy ... High entropy routes to the LLM' draws
    entropy -> GlimpRouter -> LLM, not an arrow from the entropy past the router."""
    routers = {t.key for t in order if _ROUTER.search(t.label)}
    roles = {t.key: t.role for t in order}
    for a, r, kind in list(edges):
        if r not in routers or kind != "data":
            continue
        for e in [e for e in edges if e[0] == a and e[1] != r and e[2] == "data"
                  and roles[e[1]] in ("model", "agent")]:
            edges.remove(e)
            add_edge(edges, r, e[1])


def _without_shortcuts(edges: list[Edge], order: list[Term], stated: set[tuple[str, str]]
                       ) -> list[Edge]:
    """No arrow from A to C beside a stated A -> data -> C: the proposer feeds the solver
    through the QA pairs it makes, and a direct arrow as well would only say it twice; nor
    beside A -> model -> C when C is data the model makes (candidates -> detector -> scores)."""
    roles = {t.key: t.role for t in order}
    flows = {(a, b) for a, b, kind in edges if kind == "data"} & stated
    return [(a, c, kind) for a, c, kind in edges if kind != "data" or not any(
        (a, b) in flows and (b, c) in flows for b in roles if roles[b] == "data" or (
            roles[b] in ("model", "agent") and roles[c] == "data"))]


def _made_by_name(order: list[Term], flows: list[tuple[str, str, int]]
                  ) -> list[tuple[str, str, int]]:
    """A product named by the act of a part the text names by its doer or its act
    ('paraphrased text' and the paraphraser, 'translated text' and the translation model)
    comes from that part, when the text names nothing else that makes it."""
    doers = {t.key for t in order if t.role in ("model", "agent", "operation")}
    makers = {_stem(w): k for k in doers for w in k.split() if w.endswith(("er", "or", "ion"))}
    made = []
    for t in order:
        act = t.key.split()[0]
        maker = makers.get(_stem(act)) if act.endswith("ed") and len(act) > 5 else None
        if maker and maker != t.key and not any(b == t.key and a in doers for a, b, _ in flows):
            made.append((maker, t.key, t.spans[0][0]))
    return made


def _stem(word: str) -> str:
    """'paraphrased', 'paraphraser' -> 'paraphras'; 'translated', 'translation' -> 'translat'."""
    return re.sub(r"(?:ed|er|or|ion|d|r)$", "", word)


def _inner_ends_are_data(order: list[Term], flows: list[tuple[str, str, int]]) -> list[Term]:
    """An input a model or an agent makes ('the proposer learns to synthesize challenging
    questions') is data inside the figure, not what enters it; so is an output one of them
    takes in turn ('a critic model scores the draft'), which moves from the end to just
    after what makes it."""
    makers = {t.key for t in order if t.role in ("model", "agent")}
    order = list(order)
    for t in list(order):
        taken = t.role == "output" and any(a == t.key and b in makers for a, b, _ in flows)
        if t.role == "input" and any(b == t.key and a in makers for a, b, _ in flows) or taken:
            t.roles = Counter({"data": 1})
        maker = next((a for a, b, _ in flows if b == t.key and a != t.key), None)
        if taken and maker:
            order.remove(t)
            order.insert(next(i for i, u in enumerate(order) if u.key == maker) + 1, t)
    return order


def _along(order: list[Term], flows: list[tuple[str, str]]) -> list[Term]:
    """The order moved as little as needed for every stated flow to run forward: each step
    takes the earliest node nothing unplaced flows into (outputs and losses last); a cycle
    is broken at its earliest node."""
    ends = {t.key for t in order if t.role in ("output", "loss")}
    pending = {t.key: {a for a, b in flows if b == t.key and a != b} for t in order}
    placed: list[Term] = []
    while len(placed) < len(order):
        left = [t for t in order if t not in placed]
        ready = [t for t in left if not pending[t.key] & {u.key for u in left}]
        inner = [t for t in ready if t.key not in ends] or [t for t in left if t.key not in ends]
        pick = min(inner or ready or left, key=left.index)  # a cycle breaks before an end
        placed.append(pick)
    return placed


def add_edge(edges: list[Edge], a: str, b: str, kind: str = "data") -> None:
    """One edge per pair of nodes and way: a feedback edge takes the place of a data edge the
    same way, and one way's data runs beside the other way's feedback (the proposer feeds the
    solver, whose scores feed back to it); two edges of one kind never join a pair both ways."""
    if a == b or any((s, t, k) == (b, a, kind) for s, t, k in edges):
        return
    same_way = [e for e in edges if e[:2] == (a, b)]
    if same_way and (kind == "data" or same_way[0][2] != "data"):
        return
    for e in same_way:
        edges.remove(e)
    edges.append((a, b, kind))


def _flows(order: list[Term], sentences: list[Sentence]
           ) -> tuple[list[tuple[str, str, int]], frozenset[str]]:
    """Source -> target pairs the verbs between neighbouring mentions state, with the
    sentence that states each; and the sources a list pairs item by item with what they
    make (branches side by side)."""
    by_sentence = _by_sentence(order)
    roles = {t.key: t.role for t in order}
    flows, branches = [], set()
    for s, spans in sorted(by_sentence.items()):
        text = sentences[s].text
        spans = _unnamed(sorted(spans), text)
        carried = _CARRIED.match(text)  # "These features are then fed into B": from A before
        before = [k for _, _, k in sorted(by_sentence.get(s - 1, [])) if roles[k] != "input"]
        if before and not sentences[s - 1].heading:
            into = [k for start, _, k in spans if start >= carried.end()] if carried else [
                k for start, end, k in spans[:1]  # the subject: "(The) SSA module then ..."
                if start <= len("The ") and _THEN.match(text[end:])]
            if into and into[0] != before[-1]:  # from what it made, not what it consumed
                flows.append((before[-1], into[0], s))
        source = None  # where the flow stands: "A checks X and returns Y" -> Y comes from A
        hub = None  # "B combines X and Y": each item listed after the verb flows into B
        # (as (B, way, the verb's words, the list so far))
        subjects: list[str] = []  # "A and B both receive X": X goes into each of them
        acted = False  # a verb of flow came: what is listed after it is no subject
        for i, ((a_start, a_end, a), (b_start, _, b)) in enumerate(zip(spans, spans[1:])):
            between = text[a_end:b_start]
            if hub and _next_item(between, hub[3], hub[2]):
                flows.append((b, hub[0], s) if hub[1] < 0 else (hub[0], b, s))
                hub = (*hub[:3], hub[3] + between)
                continue
            way = 0 if len(between) > 100 or _CLAUSE.search(between) else _direction(between)
            sent = _TO.fullmatch(between) and _SENDS.search(text[:a_start])  # "... pass the
            # encoder features to the matching decoder blocks": from them, not the subject
            if _AFTER_COMMA.match(between) and _AFTER.match(text[:a_start]) or sent or (
                    _FROM_JUDGE.match(between) and _SCORES.search(text[:a_start])):
                way = 1
            elif (_BY_MEANS.match(between) or _ON_DATA.match(between)) and _UPDATES.search(
                    text[:a_start]) or roles[a] == "loss" and _BETWEEN.fullmatch(between):
                way = -1  # "updates B via A", "trains B on A", "the KL divergence between B"
            hub = None
            if way > 0:
                made = not sent and (_PRODUCE.search(between) or _INTO.fullmatch(between))
                flows.append((source if source and made else a, b, s))
                hub = (flows[-1][0], 1, between, "") if _PRODUCE.search(between) else None
                flows += [(k, b, s) for k in subjects[:-1] if flows[-1][0] == a]
                source = None
            elif way < 0:
                # "A extracts X from Y": Y goes into A, which made X of it
                made_of = _FROM.fullmatch(between) and flows and flows[-1][1:] == (a, s)
                doer = source if source and _AND_VERB.match(between) else a  # "A encodes X
                flows.append((b, flows[-1][0] if made_of else doer, s))  # and searches Y"
                made_with = _PASSIVE_PRODUCT.search(between) and i + 2 < len(spans) and \
                    _WITH.fullmatch(text[spans[i + 1][1]:spans[i + 2][0]])  # "... with the T"
                hub = (a, -1, between, "") if _PROCESS.search(between) or _BETWEEN.fullmatch(
                    between) or made_with else None
                flows += [(b, k, s) for k in subjects[:-1] if not made_of]
                source = a
            elif source is None and not between.lstrip().startswith(","):
                source = a  # the subject: "A checks X" (not the "Given X," before it)
            acted = acted or bool(way)
            joined = _LISTED.fullmatch(between) and (  # "Given a query, the retriever ...":
                "," not in between or subjects or not _FRONTED.match(text))  # no list
            subjects = (subjects or [a]) + [b] if not acted and joined else []
        flows += _compared_again(spans, text, s)
        paired, listed, starts = _respectively(spans, text, s)
        flows = [f for f in flows if f[2] != s or not {f[0], f[1]} <= listed] + paired
        branches |= starts
    return (flows + _ordinal_steps(by_sentence, roles, sentences),
            frozenset(branches | _told_alike(by_sentence, sentences)))


def _compared_again(spans: list[tuple[int, int, str]], text: str, s: int
                    ) -> list[tuple[str, str, int]]:
    """'The distillation loss compares the predictions with the soft targets, and the
    cross-entropy loss compares them with the labels': 'them' are what was compared first,
    the predictions, which flow into the second loss too; with nothing compared before,
    'it' is what was named just before the loss."""
    first = _COMPARED.search(text)
    found = []
    for again in _COMPARED_AGAIN.finditer(text):
        before = [k for _, end, k in spans if end <= again.start()]
        compared = next((k for start, _, k in spans if start > first.end()), None) \
            if first.start() < again.start() else before[-2] if len(before) > 1 else None
        if compared and before and before[-1] != compared:  # "... into the pixel color, and
            found.append((compared, before[-1], s))  # the loss compares it with ...": it
    return found


def _told_alike(by_sentence: dict[int, list[tuple[int, int, str]]], sentences: list[Sentence]
                ) -> set[str]:
    """The subjects of consecutive sentences told alike ('The image encoder maps each image
    to ... The text encoder maps each text to ...'): branches side by side."""
    said: dict[int, tuple[str, str]] = {}  # sentence -> (its subject, the verb after it)
    for s, spans in by_sentence.items():
        start, end, key = _unnamed(sorted(spans), sentences[s].text)[0]
        verb = re.match(r"[\s,]*([a-z]+s)\b", sentences[s].text[end:])
        if start <= len("The ") and verb:
            said[s] = (key, verb[1])
    return {k for s, (key, verb) in said.items() if s - 1 in said
            and said[s - 1][1] == verb and said[s - 1][0] != key for k in (key, said[s - 1][0])}


def _by_sentence(order: list[Term]) -> dict[int, list[tuple[int, int, str]]]:
    """Sentence -> the (start, end, key) of every mention in it, caption's included."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    for t in order:
        for s, start, end in set(t.cues + t.spans):  # a caption's stage: its cue is its span
            found.setdefault(s, []).append((start, end, t.key))
    return found


def flow_labels(order: list[Term], sentences: list[Sentence], edges: list[Edge] = ()
                ) -> dict[tuple[str, str], str]:
    """(source, target) -> what the text says passes between them, where no box shows it:
    'the solver returns its scores to the proposer' labels that arrow 'scores', and 'high
    entropy routes to the LLM' labels it 'high', on the router's arrow where one is between."""
    keys = {t.key for t in order}
    labels: dict[tuple[str, str], str] = {}
    for s, spans in _by_sentence(order).items():
        text = sentences[s].text
        spans = _unnamed(sorted(spans), text)
        for (a_start, a_end, a), (b_start, _, b) in zip(spans, spans[1:]):
            level = _LEVEL.search(text[:a_start])  # "High H_init routes to LLM": "high"
            if level and _ROUTED.fullmatch(text[a_end:b_start]):
                labels.setdefault((a, b), level[1].lower())
            handed = _HANDS_OVER.fullmatch(text[a_end:b_start])
            what = handed and handed["what"].lower()
            if what and a != b and term_key(what) not in keys and not set(
                    what.split()) & STOPWORDS:
                labels.setdefault((a, b), what)
    routers = {t.key for t in order if _ROUTER.search(t.label)}
    for x, r, _ in edges:  # entropy -> router -> LLM: the router's arrow says "high"
        if r in routers:
            for b in [b for a, b, _ in edges if a == r and (x, b) in labels]:
                labels.setdefault((r, b), labels[x, b])
    return labels


def _unnamed(spans: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """The mentions without the name a part is given in parentheses or in apposition ('the
    image encoder (ViT)', 'the image encoder, a ResNet or a ViT,'): one mention of the part."""
    kept = spans[:1]
    for span in spans[1:]:
        if span[2] != kept[-1][2] or not _NAMING.fullmatch(text[kept[-1][1]:span[0]]):
            kept.append(span)
        else:  # what follows the part follows its name: ", maps each text to ..."
            kept[-1] = (kept[-1][0], span[1], span[2])
    return kept


def _respectively(spans: list[tuple[int, int, str]], text: str, s: int
                  ) -> tuple[list[tuple[str, str, int]], set[str], set[str]]:
    """'The image encoder and the text encoder produce image embeddings and text embeddings,
    which the fusion transformer combines': two lists of one length on either side of a verb
    pair up item by item, and every item of a list 'which' a module takes flows into it. The
    flows, the items whose one-by-one readings they replace, and the paired sources."""
    runs = [[spans[0]]]
    for before, after in zip(spans, spans[1:]):
        if _next_item(text[before[1]:after[0]], "," if len(runs[-1]) > 1 else ""):
            runs[-1].append(after)
        else:
            runs.append([after])
    flows, listed, starts = [], set(), set()
    for first, second in zip(runs, runs[1:]):
        between = text[first[-1][1]:second[0][0]]
        if len(first) < 2 or len(between) > 60 or _CLAUSE.search(between):
            continue
        way = _direction(between)
        if len(second) == len(first) and way:
            flows += [(a, b, s) if way > 0 else (b, a, s)
                      for (_, _, a), (_, _, b) in zip(first, second)]
            listed |= {k for _, _, k in first + second}
            starts |= {k for _, _, k in (first if way > 0 else second)}
        elif _WHICH_THE.search(between):
            flows += [(a, second[0][2], s) for _, _, a in first]
            listed |= {k for _, _, k in first} | {second[0][2]}
    return flows, listed, starts


def _next_item(between: str, listed: str, verb: str = "") -> bool:
    """Whether `between` goes on to the next item of a list ('X and Y', 'X, Y'), of what a
    comparing `verb` sets side by side ('compares X with Y'), or of what a processing verb
    takes or a product is made with ('searches the index with the query vector', 'is
    sampled from the posterior with the reparameterization trick'); a comma before 'and' ends a
    clause unless the list already had a comma ('X, Y, and Z'), and a list inside
    parentheses ends with them."""
    goes_on = bool(
        _LISTED.fullmatch(between)
        or _COMPARED.search(verb) and _AGAINST.fullmatch(between)
        or (_PROCESS.search(verb) or _PASSIVE_PRODUCT.search(verb)) and _WITH.fullmatch(between))
    clause_ends = _CLAUSE.search(between) and "," not in listed
    closed = "(" in verb and ")" in between  # "LLM (generates answers), GlimpRouter"
    return goes_on and not clause_ends and not closed


def _ordinal_steps(by_sentence: dict[int, list[tuple[int, int, str]]], roles: dict[str, str],
                   sentences: list[Sentence]) -> list[tuple[str, str, int]]:
    """'Firstly, we use GAM to ... Secondly, we introduce SADP, ...': the part each step's
    sentence names first, from one step to the next (within a section)."""
    steps, last = [], None
    for s, sentence in enumerate(sentences):
        ordinal = _ORDINAL.match(sentence.text)
        if not ordinal:
            continue
        named = [k for start, _, k in sorted(by_sentence.get(s, ())) if roles[k] not in (
            "input", "output", "loss") and (start <= ordinal.end() + len(" the ") or not (
                _SEQUEL.match(ordinal[1])))]  # "Then, the B ...", not "Next, we describe B"
        first = ordinal[1].lower().startswith("first")
        if last and not first and named and last[1] == sentence.section and last[0] != named[0]:
            steps.append((last[0], named[0], s))
        last = (named[0], sentence.section) if named else None if first else last
    return steps


def _direction(between: str) -> int:
    """+1 when the text says the first phrase flows into the second, -1 for the reverse."""
    if _HANDED.fullmatch(between) or _TO_MAKE.search(between) or _TURNS_INTO.search(between) \
            or _WHICH_THE.search(between):
        return 1
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
                    skeleton: dict[str, Any], siblings: frozenset[str] = frozenset(),
                    branches: frozenset[str] = frozenset(), short: bool = False) -> None:
    """Reading order feeds each node the text gave no source; siblings of a parallel slot
    fan out from the node before them and into the node after them; of two branches the
    text tells side by side, neither feeds the other. A second input, and in a short text
    the first, goes to a step a sentence names with it."""
    inputs = [t for t in order if t.role == "input"]
    beside = {t.key: _beside(t, order) for t in inputs[1:]}  # a second input starts a branch
    start = _beside(inputs[0], order, first=True) if short and inputs else None
    if start:
        beside[inputs[0].key] = start  # "Starting from Gaussian noise, the U-Net ..."
    keys = [t.key for t in order if t.key not in beside]
    stores = {t.key for t in order if t.role == "store"}
    parallel = {k for k in keys if k in siblings or k in slots
                and skeleton["slots"][slots[k]].get("parallel")}
    for i, k in enumerate(keys[1:], 1):
        if k in branches and any(b in branches for b in keys[:i]):
            continue  # a branch beside an earlier one: reading order does not feed it
        if (k.startswith("ground truth") or k in stores) and any(s == k for s, _, _ in edges):
            continue  # ground truth, or a store read from, is not fed by the step before it
        sources = _previous(keys, i, parallel)
        fed = {s for s, t, _ in edges if t == k}
        if not fed or keys[i - 1] in parallel and k not in parallel and not fed & set(sources):
            for source in sources:  # siblings fan in, unless one of them is said to feed it
                add_edge(edges, source, k)
    ends = {t.key for t in order if t.role in ("output", "loss")}
    roles = {t.key: t.role for t in order}
    for k, after in zip(keys, keys[1:]):
        if k not in ends | parallel and not any(s == k for s, _, _ in edges):
            joins = _past_branch(after, edges, roles) if after in branches else after
            if joins:
                add_edge(edges, k, joins)  # no dead end before the output
    for k, step in beside.items():
        if not any(s == k for s, _, _ in edges):
            add_edge(edges, k, step)
    _connect(edges, [t.key for t in order])


def _past_branch(start: str, edges: list[Edge], roles: dict[str, str]) -> str | None:
    """Where a branch beginning at `start` meets the rest: past the data it makes ('the text
    encoder -> text embedding -> linear projections'), so a product of the branch beside it
    joins there too, not at its start."""
    at, seen = start, {start}
    while True:
        after = [b for a, b, kind in edges if a == at and kind == "data" and b not in seen]
        if not after:
            return None
        met = next((b for b in after if roles[b] != "data"), None) if at != start else None
        if met:
            return met
        at = next((b for b in after if roles[b] == "data"), None)
        if at is None:
            return None
        seen.add(at)


def _beside(given: Term, order: list[Term], first: bool = False) -> str | None:
    """Where an input the text gives no flow for goes: the first step a sentence names
    with it, else the first step; with `first`, only a step named in the sentence that
    first names the input, else None."""
    steps = [t for t in order if t.role != "input"]
    told = {min(given.spans)[0]} if first else {s for s, _, _ in given.spans + given.cues}
    named = next((t for t in steps if any(s in told for s, _, _ in t.spans + t.cues)), None)
    if named:
        return named.key
    return None if first else steps[0].key


def _previous(keys: list[str], i: int, parallel: set[str]) -> list[str]:
    """The nodes that feed position i: the one before it, or every sibling of a run before it."""
    j = i - 1
    if keys[i] in parallel:
        while j > 0 and keys[j] in parallel:
            j -= 1
        return [] if keys[j] in parallel else [keys[j]]  # siblings from the start: no source
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
        add_edge(edges, before[-1], after[0])


def _add_feedback(edges: list[Edge], order: list[Term], sentences: list[Sentence],
                  slots: dict[str, int], skeleton: dict[str, Any]) -> None:
    """A loop the text states ('until', 'iteratively', 'refine') closes from its latest node
    back to its earliest; one it announces ('operates through an iterative Select-Generate-
    Update cycle:') spans the rest of its section. The skeleton's own loops close where the
    text fits them. A short text's loop word closes the whole figure, unless it said the loop
    of one part ('the U-Net iteratively removes noise')."""
    position = {t.key: i for i, t in enumerate(order)}
    loops = {i for i, s in enumerate(sentences) if _LOOP.search(s.text)}
    closed, within = 0, False  # within: a loop around one part ("the U-Net iteratively ...")
    for s in sorted(loops):
        told = {s} if not sentences[s].text.endswith(":") else {
            i for i in range(s, len(sentences)) if sentences[i].section == sentences[s].section}
        inside = sorted({t.key for t in order for span in t.cues + t.spans if span[0] in told},
                        key=position.get)
        movable = [k for k in inside if order[position[k]].role not in ("input", "output")]
        if len(movable) >= 2 and closed < MAX_FEEDBACK:
            add_edge(edges, movable[-1], movable[0], "feedback")
            closed += 1
        within = within or len(movable) == 1
    by_slot = {}
    for k, i in slots.items():
        by_slot.setdefault(skeleton["slots"][i]["slot"], k)
    for e in skeleton.get("edges", ()):
        a, b = by_slot.get(e["source"]), by_slot.get(e["target"])
        if a and b and e.get("kind", "data") != "data":
            add_edge(edges, a, b, e["kind"])
            closed += e["kind"] == "feedback"
    if loops and not closed and not within and len(sentences) <= SHORT:
        inner = [t.key for t in order if t.role not in ("input", "output", "loss")]
        if len(inner) >= 2:
            add_edge(edges, inner[-1], inner[0], "feedback")
