"""Reading a methodology excerpt without a language model: cleaning, sentences, term mentions.

Papers arrive as extracted PDF text: LaTeX fragments, `[Equation: ...]` blocks, citations,
figure references, numbered headings. `parse` strips all of that and splits what is left
into sentences that remember their section; `mentions` finds the component noun phrases
(English head-final phrases, capitalised names, acronyms; Chinese phrases ending in a head
word) so the planner can count, order and connect them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# -- cleaning ---------------------------------------------------------------------------

_MULTILINE_JUNK = re.compile(
    r"\[Equation:.*?\$\$\s*\]|\$\$.*?\$\$|!\[[^\]]*\]\([^)]*\)|\\\[.*?\\\]", re.S)
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-[ \t]*\n\s*(?=[a-z])")
_INLINE_MATH = re.compile(r"\$([^$]*)\$")
_KEPT_MATH = re.compile(r"\s*(?:[A-Za-z]\s*=\s*)?\d+\s*|\s*[NLK]\s*")
_CAPTION_LINE = re.compile(r"^\s*(?:Figure|Fig\.|Table|Algorithm)\s*\d+\s*[:.|]")
_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:\d+(?:\.\d+)*\.?|[A-Z]\.\d+(?:\.\d+)*)\s+(?=\S)|^\s*#+\s+")
_JUNK = re.compile(
    r"\[[^\[\]]*(?:et al\.|\b(?:19|20)\d\d[a-z]?\b)[^\[\]]*\]"     # [Hou et al., 2022]
    r"|\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\]"                          # [14], [41, 40]
    r"|\((?:[^()]*?(?:et al\.|\b(?:19|20)\d\d[a-z]?\b))[^()]*\)"   # (Wang et al., 2024c)
    r"|\(?\s*§\s*[\d.]+\s*\)?"                                     # (§4.1)
    r"|\(?\b(?:Fig(?:ure)?s?\.?|Tables?|Tab\.|Eqs?\.|Equations?|Sec(?:tion)?s?\.?|Appendix"
    r"|Algorithm|Alg\.|Theorem|Lemma|Definition)\s*(?:equation\s*)?[A-Z]?\d+(?:\.\d+)*"
    r"(?:\s*\([a-z]\))?\s*\)?"                                     # Figure 2, (Sec. 3.2)
    r"|\?\?+")
# Markdown's bold, italics and code marks around words
_EMPHASIS = re.compile(r"\*\*|__|`|(?<![\w*])\*(?=\w)|(?<=\w)\*(?![\w*])")
# a list item titled before a colon: "1. Data Collection: a crawler ...", "- **Filtering**: ..."
_TITLED_ITEM = re.compile(r"^\s*(?:(?:\d{1,2}[.)]|\(\d{1,2}\))\s+(?:\*\*)?|[-•·*]\s+\*\*)"
                          r"(?P<title>[A-Z][\w-]*(?:\s+[\w&-]+){0,5})(?:\*\*)?\s*:(?:\*\*)?\s+"
                          r"(?P<rest>\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-•·*]\s*)+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)])")
_EMPTY_PARENS = re.compile(r"\(\s*[,;]?\s*\)")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Ms|Prof|vs|etc|al|e\.g|i\.e|cf|No|St)\.$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(\[])|(?<=[。！？；])")


@dataclass(frozen=True)
class Sentence:
    text: str
    section: str        # the heading above it ("" before the first)
    heading: bool       # a heading line, or a short run-in title ending a paragraph's start
    aside: bool = False  # front matter, or a section that is not the method (experiments...)
    stage: bool = False  # a run-in title naming a step: "(ii) Test Input Generation."


_ASIDE_SECTION = re.compile(
    r"\b(?:abstract|introduction|related work|background|preliminar\w*|motivation|"
    r"problem (?:formulation|setting|definition|statement)|experiment\w*|evaluation|results?|"
    r"limitations?|conclusions?|discussion|ablations?|appendix|phenomen(?:on|a)|analys[ie]s|"
    r"(?:empirical|pilot|case) (?:study|studies|analysis|observations?))\b|"
    r"摘要|引言|相关工作|实验|结论",
    re.I)
_ASIDE_PARAGRAPH = re.compile(r"\b(?:motivation|remarks?|discussion|intuition|limitations?|"
                              r"(?:an? |illustrative )?examples?|comparison|why)\b", re.I)
_ENUMERATOR = re.compile(r"^(?:\((?:[ivx]+|[a-z]|\d+)\)|(?:[ivx]+|\d+)\)|Step\s+\d+\s*:)\s*",
                         re.I)
# two to six capitalised words (connectors between), then a sentence's usual first word
_UNPUNCTUATED_TITLE = re.compile(
    r"^((?!(?:The|A|An|We|Our|This|These|In|To|For|At|Given|Each|Both)\b)[A-Z][\w-]*"
    r"(?:\s+(?:of|and|for|via|with|in|to|[A-Z][\w-]*)){0,4}\s+[A-Z][\w-]*)\s+"
    r"(?:At|Given|Following|After|Before|In|On|For|To|We|The|This|These|Our|Each|Unlike|Since|"
    r"When|While|As|By|Once|Here|First|Specifically|Instead|Based|Taking|Using|Considering)\s")
_EXAMPLE_TITLE = re.compile(r"\bexamples?\b", re.I)
_PROMPT = re.compile(r"^\W*(?:you are|your task|you will|you should|you must)\b", re.I)
_FRONT_END = re.compile(r"^(?:[\dIVX.]+\s*)?(?:abstract|introduction|摘要|引言)[\s:.]*$", re.I)


def parse(text: str) -> list[Sentence]:
    """The text's sentences, cleaned, each with the heading of its section."""
    text = _HYPHEN_BREAK.sub("", _MULTILINE_JUNK.sub(" ", text))
    text = _INLINE_MATH.sub(lambda m: m[1] if _KEPT_MATH.fullmatch(m[1]) else " ", text)
    found: list[Sentence] = []
    section = ""
    example = False  # a worked example runs on to the next heading or title
    for raw in text.splitlines():
        if _CAPTION_LINE.match(raw):
            continue
        item = _TITLED_ITEM.match(raw)  # "1. **Data Collection**: a crawler collects ..."
        raw = _EMPHASIS.sub("", raw)
        if item:
            raw = f"{item['title'].strip()}. {item['rest'][:1].upper()}{item['rest'][1:]}"
        is_heading = not item and bool(_HEADING.match(raw)) and len(raw.split()) <= 14
        line = _tidy(_HEADING.sub("", raw) if is_heading else raw)
        if not line:
            continue
        if is_heading:
            section = _unhung(_headline(line) if line.isupper() else line)
            found.append(Sentence(section, section, True))
            example = False
            continue
        recovered = _run_in(line)
        parts = _sentences(recovered)
        titled = bool(parts) and _is_run_in_title(parts[0])
        stage = titled and (recovered != line or bool(item or _ENUMERATOR.match(parts[0])))
        if titled:
            example = bool(_EXAMPLE_TITLE.search(parts[0]))
        aside = example or bool(parts and (titled and _ASIDE_PARAGRAPH.search(parts[0])
                                           or _PROMPT.match(parts[0])))
        for k, part in enumerate(parts):
            found.append(Sentence(part, section, _is_run_in_title(part), aside, stage and k == 0))
    return _asides(found)


def _asides(sentences: list[Sentence]) -> list[Sentence]:
    """Marks what is not the method: sections such as the experiments, paragraphs run in as a
    motivation, remark or example, and the front matter (the title, authors and a teaser
    figure) before an Abstract or Introduction heading."""
    front = next((i for i, s in enumerate(sentences)
                  if s.heading and _FRONT_END.match(s.section)), 0)
    return [replace(s, aside=s.aside or i < front or bool(_ASIDE_SECTION.search(s.section)))
            for i, s in enumerate(sentences)]


def clean(text: str) -> str:
    """The text without math, citations, references and section numbers."""
    return "\n".join(s.text for s in parse(text))


def _sentences(line: str) -> list[str]:
    """The sentences of a line; a piece ending in an abbreviation joins the next one."""
    parts: list[str] = []
    for part in filter(None, (p.strip() for p in _SENTENCE_END.split(line))):
        if parts and _ABBREVIATION.search(parts[-1]):
            parts[-1] += " " + part
        else:
            parts.append(part)
    return parts


def _headline(line: str) -> str:
    """An all-capitals heading in title case, its short words (PSV, CTS) kept as acronyms."""
    return " ".join(w.lower() if w.lower() in CONNECTORS else w if len(w) <= 3 else
                    w.capitalize() for w in line.split())


def _unhung(heading: str) -> str:
    """A heading without the connectors its stripped math left hanging ('Watermark
    Embedding $g$ and $f$' -> 'Watermark Embedding')."""
    words = heading.split()
    while len(words) > 1 and words[-1].lower() in CONNECTORS:
        words.pop()
    return " ".join(words)


def _tidy(line: str) -> str:
    line = _BULLET.sub("", _JUNK.sub(" ", line))
    line = _EMPTY_PARENS.sub(" ", _SPACES.sub(" ", line))
    return _SPACE_BEFORE_PUNCT.sub(r"\1", line).strip()


def _is_run_in_title(sentence: str) -> bool:
    """'Setup.', '(ii) Test Input Generation.', 'Step 1: Verification of Test Cases.'"""
    words = _ENUMERATOR.sub("", sentence).rstrip(".:").split()
    return sentence[-1] in ".:" and 1 <= len(words) <= 6 and words[0][0].isupper() and all(
        w[0].isupper() or w.lower() in CONNECTORS for w in words)


def _run_in(line: str) -> str:
    """A paragraph whose bold run-in title lost its period in extraction ('Guided
    Continuation Given the eligible subset, ...') with the period back after the title."""
    title = _UNPUNCTUATED_TITLE.match(line)
    return f"{title[1]}. {line[title.end(1):].lstrip()}" if title else line


# -- words ------------------------------------------------------------------------------

CONNECTORS = frozenset({"of", "and", "&", "for", "to", "in", "with", "via", "the", "a", "an"})
STOPWORDS = frozenset("""
a an the this that these those it its their our we they he she his her them us you your of
in on at by for to from with without into onto over under via per as than then thus and or
nor but if while when where which who whom whose what how why both either each every all any
some such other another same different various several many much more most less few is are
was were be been being has have had do does did can could may might must shall should will
would not no only also just very so too here there however therefore further moreover first
second third fourth final finally initial initially next last new novel proposed existing
previous prior standard simple general specific given used using based following respective
corresponding resulting overall stacked identical repeated consecutive successive whole
entire full own single multiple two three four five six seven eight nine ten one i.e e.g etc
additional key main core uses use employs employ applies apply adopts adopt leverages
leverage introduces introduce propose proposes define defines denote denotes called termed
named make makes made take takes taken obtain obtains obtained get gets produce produces
produced generate generates generated outputs returns feeds fed passes passed processes
processed maps mapped compute computes computed learn learns learned trains trained updates
updated perform performs performed allow allows enable enables ensure ensures aim aims serve
serves act acts consist consists comprise comprises contain contains include includes
including integrate integrates combine combines through across between among within during
before after until since toward towards introduced presented designed developed adopted
employed described shown considered performing leveraging applying combining incorporating
employing producing constructing computing having making taking providing enabling ensuring
capturing integrating introducing achieving allowing considering supporting support supports
whether similar efficient effective indispensable critical crucial important essential
powerful robust strong reduced desired relevant appropriate suitable optimal better best
evaluate evaluates capture captures characterize characterizes
""".split())
GENERIC = frozenset("""
model module network layer block head component framework system method approach process
pipeline mechanism strategy step stage part unit function technique procedure scheme setting
design task problem formulation overview abstract conclusion background related preliminary
preliminaries notation definition methodology introduction experiment result analysis detail
implementation architecture structure work paper section figure table equation way case
example time state space information input output data feature representation token vector
value set number type graph memory loss objective level version variant baseline
""".split())

NOUN_ING = frozenset("""learning training reasoning planning thinking processing matching
    tracking clustering parsing modeling modelling understanding caching rendering labeling
    prompting""".split())
# Head words name a component; the role is what the head makes it.
HEADS: dict[str, str] = {
    **dict.fromkeys("""encoder decoder network model transformer backbone layer block head
        predictor estimator adapter projector classifier generator discriminator retriever
        reranker detector mlp llm vlm mllm slm lm cnn gnn gcn vit rnn lstm gru unet u-net vae
        autoencoder embedder""".split(), "model"),
    **dict.fromkeys("""agent critic planner solver proposer verifier controller executor policy
        judge actor reasoner client""".split(), "agent"),
    **dict.fromkeys("""module tokenizer router selector extractor aggregator scorer attention
        normalization norm encoding decoding fusion pooling aggregation projection convolution
        tokenization selection retrieval extraction estimation generation reconstruction
        distillation augmentation masking scoring routing filtering ranking verification
        search mechanism strategy preprocessing expansion smoothing indexing alignment
        consolidation synthesis construction refinement decomposition compression
        optimization sampling update tool server device service worker crawler
        scheduler simulator renderer recognizer""".split(), "operation"),
    **dict.fromkeys("memory database index cache buffer bank pool store repository library"
                    .split(), "store"),
    **dict.fromkeys("""embedding feature representation token latent vector map dataset data
        graph trajectory context score passage document pair corpus photo page patch
        posterior""".split(), "data"),
    **dict.fromkeys("""image text query question prompt video audio signal instruction
        observation spectrum spectra input noise""".split(), "input"),
    **dict.fromkeys("prediction answer mask response output action caption result label"
                    .split(), "output"),
    **dict.fromkeys("loss objective reward penalty divergence".split(), "loss"),
}
# Heads too vague to stand alone: they need a modifier ("feature selector", not "module").
BARE_GENERIC = GENERIC | {"attention", "encoding", "decoding", "token", "latent", "vector",
                          "map", "context", "score", "label", "result",
                          "action", "update", "search", "selection", "generation", "sampling",
                          "optimization", "construction", "index", "head", "text", "signal",
                          "patch", "page"}

CJK_HEADS: dict[str, str] = {
    **dict.fromkeys("编码器 解码器 网络 模型 生成器 判别器 分类器 检索器 投影器 预测器 骨干网络"
                    .split(), "model"),
    **dict.fromkeys("智能体 代理 规划器 评论家 评判器 求解器 策略".split(), "agent"),
    **dict.fromkeys("模块 分词器 注意力 融合 池化 归一化 编码 解码 检索 选择 聚合 工具".split(),
                    "operation"),
    **dict.fromkeys("记忆 数据库 索引 缓存 知识库".split(), "store"),
    **dict.fromkeys("嵌入 特征 表示 数据集".split(), "data"),
    **dict.fromkeys("图像 文本 查询 问题 提示 视频 音频 信号 文档".split(), "input"),
    **dict.fromkeys("掩码 预测 答案 结果 响应 动作".split(), "output"),
    **dict.fromkeys("损失 奖励".split(), "loss"),
}
CJK_BARE_GENERIC = frozenset(
    "网络 模型 模块 特征 表示 嵌入 编码 解码 融合 选择 检索 聚合 工具 结果 数据集".split())
# Function words and verbs that end a Chinese phrase, unless they begin a head word (生成器).
_CJK_SPLIT = re.compile(
    "(" + "|".join(sorted(CJK_HEADS, key=len, reverse=True)) + ")|"
    r"首先|然后|接着|随后|最后|之后|其中|通过|利用|使用|采用|进行|包括|包含|经过|生成|映射|得到|"
    r"产生|送入|传入|传递|输出|用于|以及|并且|同时|根据|基于|依据|按照|结合|作为|从而|如果|直到|"
    r"然而|但是|因此|所以|[的将把被由和与及在对从到并为是以其该此这各每个一了而或后再中上下内若当"
    r"，。、；：！？（）()\s,.;:!?]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def singular(word: str) -> str:
    """A plural's singular, good enough to match 'layers'/'layer', 'queries', 'GPUs'."""
    w = word.lower()
    if len(w) > 2 and word.endswith("s") and word[:-1].isupper():
        return w[:-1]
    if len(w) <= 3 or not w.endswith("s") or w.endswith(("ss", "us", "is", "ics")):
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    return w[:-1]


def term_key(phrase: str) -> str:
    """Case- and number-blind identity of a phrase."""
    return " ".join(singular(w) for w in phrase.replace("-", " ").split())


def is_acronym(word: str) -> bool:
    """LLM, ViT, GlimpRouter, dLLMs: capitals inside the word, not a shouted heading."""
    letters = re.sub(r"[^A-Za-z]", "", word)
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and (not letters.isupper() or len(letters) <= 6)


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
_DETERMINERS = frozenset("the a an".split())
_NOT_AGENTS = frozenset("""color colour vector factor tensor error paper number order other
    parameter answer letter member matter manner center centre border corner cover power
    cluster character chapter header footer register folder floor door""".split())
# verbs whose bare object is a part: "the teacher produces soft targets"
_OPENING_VERBS = frozenset("""produces generates outputs predicts returns extracts emits yields
    creates computes collects proposes reads takes receives consumes""".split())
_OBJECT_OPENERS = _DETERMINERS | frozenset("them it its their each both all these this".split())
# qualifiers a loose noun phrase may open with, and leaves out: "the final detections"
_QUALIFIERS = frozenset("final initial same next new current original selected".split())
_BEFORE_VERB = frozenset("""to we they it which that who can could may might will would should must
    cannot does do did have has had""".split())
_NOT_OBJECT = frozenset("""are were is was be of from to in for with and or that which as by on at
    into can may will would should could must have has had remain serve""".split())
_WHOLE = frozenset({"architecture", "framework", "system", "pipeline", "overview", "approach"})
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


def mentions(sentences: list[Sentence], loose: bool = False) -> list[Mention]:
    """Every component phrase of every sentence, in reading order; where two overlap, an
    enumerated item wins over a found phrase, and a longer phrase over a shorter one. A
    `loose` reading (for a short text) also takes every noun phrase an article opens."""
    items = {it for found in enumerations(sentences) for it in found}
    kept: list[Mention] = []
    for i, s in enumerate(sentences):
        found = _english(i, s.text, s.stage) + _chinese(i, s.text) + _listed(i, s.text, items)
        found += [m for m in (_determined(i, s.text) if loose else []) if not any(
            m.start <= f.start and f.end < m.end for f in found)]  # "a crawler collects ..."
        taken: list[Mention] = []
        for m in sorted(found, key=lambda m: (not m.listed, m.start - m.end, m.start)):
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        kept += sorted(taken, key=lambda m: m.start)
    return kept


def _listed(index: int, text: str, items: set[str]) -> list[Mention]:
    """Where the enumerated items occur in a sentence (singular or plural); a bare generic
    word ('method', 'module') is no item."""
    found = []
    for item in sorted(items):
        pattern = r"(?<![\w-])" + re.escape(item) + r"(?:s|es)?(?![\w-])"
        words = item.split()
        head = _head(words[-1])
        if len(words) == 1 and head in BARE_GENERIC:
            continue  # "the first details the method": an item, but no component
        for m in re.finditer(pattern, text, re.I):
            found.append(Mention(term_key(item), m[0], HEADS.get(head, "operation"), index,
                                 m.start(), m.end(), head not in HEADS, None, True))
    return found


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
    """Noun phrases an article opens ('the speech synthesizer', 'the candidate boxes'), up to
    the verb that the next article shows ('converts the') or a function word: a short text
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
        words: list[re.Match[str]] = [tok] if subject else []
        for j in range(i + 1, min(i + 8, len(tokens))):
            word = tokens[j][0].lower()
            if not _adjacent(text, tokens[j - 1], tokens[j]) or word in _DETERMINERS:
                break
            if word in STOPWORDS and not (not words and word in _QUALIFIERS):
                break
            if words and _adjacent_to(tokens, j, text) and tokens[j + 1][0].lower() in (
                    _OBJECT_OPENERS):
                break  # "converts the ...", "compares them": the verb before its object
            if word not in _QUALIFIERS:
                words.append(tokens[j])
        while words and not _noun_like(words[-1][0]):
            words.pop()
        quantity = re.match(r"\s+of\b", text[words[-1].end():]) if words else None
        if 0 < len(words) <= 4 and not quantity and (
                len(words) > 1 or _head(words[0][0]) not in BARE_GENERIC):
            head = _head(words[-1][0])
            acts = i == 0 or _agent_noun(head)  # "The student produces ...", "synthesizer"
            if subject and (not acts or len(words) < 2 and head not in HEADS):
                continue  # a capital that only starts a sentence names a part it qualifies
            role = HEADS.get(head) or ("model" if acts else "data")
            found.append(replace(_mention(index, text, words, role, False, head), loose=True))
    return found


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
    return word in ("outputs", "returns", "answers") or qualified or _second_verb(tokens, t)


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
    return len(word) > 1 and not word[0].isdigit() and lower not in STOPWORDS \
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
    split = _CJK_SPLIT.sub(lambda m: m[1] or "|", text.replace("|", " "))
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


def enumerations(sentences: list[Sentence]) -> list[list[str]]:
    """The items of lists such as 'consists of three modules: A, B and C', and of a block's
    parts named in parentheses ('Graph metrics (Node Importance, Redundancy, Robustness)')."""
    found = [items for s in sentences for items in parts_in_parentheses(s.text).values()]
    for s in sentences:
        m = _ENUMERATION.search(s.text)
        if not m:
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
        if len(items) >= 2 and all(items) and all(len(p.split()) <= 4 for p in parts):
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
