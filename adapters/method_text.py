"""Reading a methodology excerpt without a language model: cleaning, sentences, words.

Papers arrive as extracted PDF text: LaTeX fragments, `[Equation: ...]` blocks, citations,
figure references, numbered headings. `parse` strips all of that and splits what is left
into sentences that remember their section; the word lists say which words name a
component (head words) and which never do. `method_phrases` finds the phrases themselves.
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
        autoencoder embedder teacher student""".split(), "model"),
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
        posterior entropy""".split(), "data"),
    **dict.fromkeys("""image text query question prompt video audio signal instruction
        observation spectrum spectra input noise""".split(), "input"),
    **dict.fromkeys("prediction answer mask response output action caption result label"
                    .split(), "output"),
    **dict.fromkeys("loss objective reward penalty divergence".split(), "loss"),
}
# Heads too vague to stand alone: they need a modifier ("feature selector", not "module").
BARE_GENERIC = GENERIC | {"attention", "encoding", "decoding", "token", "latent", "vector",
                          "map", "context", "score", "entropy", "label", "result",
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
    **dict.fromkeys("图像 文本 查询 问题 提示 视频 音频 信号 文档 指令".split(), "input"),
    **dict.fromkeys("掩码 预测 答案 回答 结果 响应 动作".split(), "output"),
    **dict.fromkeys("损失 奖励".split(), "loss"),
}
CJK_BARE_GENERIC = frozenset(
    "网络 模型 模块 特征 表示 嵌入 编码 解码 融合 选择 检索 聚合 工具 结果 数据集".split())
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[\w-]+")


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


def vocabulary(text: str) -> set[str]:
    """The text's words (hyphenated ones whole), singular: what a label may be made of."""
    return {singular(w) for w in _WORD.findall(text)}


def term_key(phrase: str) -> str:
    """Case- and number-blind identity of a phrase."""
    return " ".join(singular(w) for w in phrase.replace("-", " ").split())


def is_acronym(word: str) -> bool:
    """LLM, ViT, GlimpRouter, dLLMs: capitals inside the word, not a shouted heading."""
    letters = re.sub(r"[^A-Za-z]", "", word)
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and (not letters.isupper() or len(letters) <= 6)
