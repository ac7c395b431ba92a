"""The words of a plot intent -> what was asked: chart kinds, variants, titles, size, panels,
and which columns each panel's clause names.

Keyword tables cover English, Chinese and Korean. Matching is by regular expression and
deliberately literal: whatever the intent does not say is left to the data's shape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from adapters.plot_data import (
    Columns,
    Spread,
    is_color,
    is_numeric,
    is_size,
    is_text,
    is_x_like,
    length_groups,
    name_tokens,
)
from application.plots.spec import MAX_SIZE, MIN_SIZE, PX_PER_INCH

DEFAULT_SIZE = (600, 400)
MAX_PANELS = 16

KINDS = (  # (kind, pattern); the earliest match in a clause wins, except that heatmap dominates
    ("heatmap", r"heat ?-?maps?|confusion matri|correlation matri|热力图|热图|混淆矩阵|히트맵|혼동 ?행렬"),
    ("radar", r"radar|spider (?:chart|plot|web)|雷达图|蛛网图|레이더"),
    ("treemap", r"tree ?-?maps?|矩形树图|树状图|트리맵"),
    ("donut", r"donut|doughnut|ring chart|环形图|圆环图|도넛"),
    ("pie", r"\bpie|饼图|饼状图|파이(?!썬)"),
    ("violin", r"violin|小提琴图|바이올린"),
    ("box", r"box[- ]?(?:and[- ]whisker|plot)|箱线图|箱形图|箱型图|상자 ?(?:그림|도표|플롯)|박스 ?플롯"),
    ("histogram", r"histogram|直方图|히스토그램"),
    ("area", r"area (?:chart|plot|graph)|面积图|영역 ?(?:차트|그래프)|면적 ?(?:차트|그래프)"),
    ("scatter", r"scatter|bubble|dot plot|errorplot|散点图|气泡图|산점도|버블"),
    ("line", r"(?<!trend )(?<!regression )(?<!reference )(?<!fit )(?<!fitted )(?<!threshold )"
             r"\bline\b(?! of best)|折线图|曲线图|线图|꺾은선|선 ?(?:그래프|차트)"),
    ("bar", r"\bbars?\b|column chart|hat graph|柱状图|条形图|柱形图|막대"),
)

FLAGS = {
    "horizontal": r"horizontal|\bbarh\b|水平|横向|横条|가로|수평",
    "stacked": r"stack|堆叠|堆积|누적|스택",
    "grouped": r"grouped|clustered|side[- ]by[- ]side|分组|簇状|并列|그룹|묶은",
    "diverging": r"diverging|发散|분기형|발산",
    "error": r"error ?bars?|with errors?\b|±|\+/-|误差|오차",
    "labels": r"value labels?|data labels?|\bannotat(?:ed|ions?)\b|labell?ed with|"
              r"with (?:the )?values|numeric labels|数值标签|数据标签|标注|값 ?(?:레이블|라벨|표시)|"
              r"데이터 레이블|주석",
    "markers": r"markers?\b|with (?:data )?points|connected scatter|标记|数据点|마커",
    "log": r"log(?:arithmic)?[- ]?scale|logarithmic|semi-?log|log[- ]log|log axis|对数|로그",
    "log_x": r"log[- ]log|log(?:arithmic)? x|x[- ]axis (?:on|in) (?:a )?log",
    "band": r"shad(?:ed|ing)|\bbands?\b|confidence (?:interval|band|region)|deviation area|"
            r"fill(?:ed)? between|置信|阴影|음영|신뢰 ?구간",
    "trend": r"trend ?line|regression|best fit|fitted line|polynomial (?:trend|fit)|linear fit|"
             r"趋势线|回归|추세선|회귀",
    "one_row": r"single[- ]row|\b1[- ]row|one[- ]row|\b1-?d\b|one-dimensional",
    "bubble": r"bubble|气泡|버블",
    "same": r"\bsame\b|similar|duplicate|identical|alternate|alternative|相同|同样|동일|같은",
}

DEGRADES = {
    "3d": r"\b3-?d\b|three[- ]dimensional|三维|3차원",
    "arrow": r"arrow|quiver|vector field|箭头|화살표",
    "network": r"network|directed graph|undirected graph|node-link|网络图|关系图|네트워크",
    "inset": r"inset|zoom(?:ed)?[- ]in|magnif|放大|插图|확대|인셋",
    "dual": r"dual[- ]axis|dual y|twin ax|two y[- ]axes|secondary (?:y[- ])?axis|双轴|双y轴|이중 ?축",
    "combo": r"\bbar (?:chart )?(?:and|with) (?:a )?line|line overlay|combination chart|"
             r"combined .*\bbar.*\bline|组合图|콤보",
    "broken": r"broken (?:horizontal )?bar",
    "hat": r"hat graph",
}

NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                "七": 7, "八": 8, "九": 9, "十": 10}
_COUNT = r"(\d+|two|three|four|five|six|seven|eight|nine|ten|[两二三四五六七八九十])"
PANEL_COUNT = (rf"{_COUNT}\s*(?:sub-?plots?|panels?|sub-?figures?|sub-?charts?)"
               rf"|{_COUNT}\s*个?\s*(?:子图|面板|分图)"
               rf"|{_COUNT}\s*개의?\s*(?:서브 ?플롯|하위 ?(?:그림|플롯)|패널)")
SIZE_NOTE = r"\(\s*size of the desired plot[^)]*\)"
INCHES = (r"width\s*[=:]\s*(\d+(?:\.\d+)?)\s*(?:in(?:ches)?)?\s*,?\s*(?:and\s*)?"
          r"height\s*[=:]\s*(\d+(?:\.\d+)?)")
SIZE_WITH_UNIT = (r"(\d+(?:\.\d+)?)\s*(?:x|×|by)\s*(\d+(?:\.\d+)?)\s*"
                  r"(px|pixels?|in\b|inch(?:es)?|英寸|인치)")
QUOTED = r"['\"“‘「《『]([^'\"”’」》』]+)['\"”’」》』]"
STRICT_QUOTED = r"[\"“「《『]([^\"”」》』]+)[\"”」》』]"
TITLE_LEAD = (r"\b(?:en)?titled|\bwith (?:the |a )?title|\btitle\s*(?:is|:|=)|"
              r"标题(?:为|是|:)?|题为|제목(?:은|는|이|:)?")
OVERALL_TITLE = (r"(?:the )?(?:overall|whole|entire) (?:figure|plot|chart)? ?(?:is )?titled\s*"
                 r"(.+?)\s*(?:\.\s|\.?$)")
ABOUT = (r"\babout ([^,]+?) and ([^,]+?)(?= comparing| for | across | by | with | over | in "
         r"| categorized| grouped| showing| including| featuring|,|$)")
AXIS_TITLE = r"\b{0}[- ]?axis\s*(?:labell?ed|titled|label|title|shows?|showing|as|for|is|:)\s*{1}"
AXIS_AFTER = r"(?:with|and|,)\s+((?:(?!axis)[^,;])+?) on the {0}[- ]?axis"
TITLE_END = r"(?:,\s+(?:with|using|showing|where|in which)\b.*|[\s.,;:。]+)$"
_CJK_END = r"(?=的|인\s|이고|으로|로\s|[，。,;；]|$)"
CJK_AXIS = {"x": rf"(?:横轴|x轴|x ?축)(?:为|是|表示|은|는|:)\s*(.+?){_CJK_END}",
            "y": rf"(?:纵轴|y轴|y ?축)(?:为|是|表示|은|는|:)\s*(.+?){_CJK_END}"}
REFERENCE = (r"(?:threshold|reference line|baseline|target)(?: level| value)?\s*(?:of|at|=)\s*"
             r"(?:([xy])\s*=\s*)?(-?\d+(?:\.\d+)?)")
GRID = r"(\d)\s*(?:x|×|by)\s*(\d)\s*(?:grid|layout|arrangement)|(\d) rows? (?:and|by|x) (\d) col"
ONE_ROW = r"in a (?:single )?row|side by side|arranged horizontally|一行|한 줄"
ONE_COLUMN = (r"in a (?:single )?column|stacked vertically|arranged vertically|"
              r"one above the other|一列")


@dataclass(frozen=True)
class PanelIntent:
    """What one clause of the intent asks of its panel."""

    text: str
    kind: str | None
    flags: frozenset[str]
    degrades: frozenset[str]
    title: str | None = None
    x_title: str | None = None
    y_title: str | None = None
    about: tuple[str, str] | None = None
    """"about A and B": A usually names the x column, B the value axis."""
    bins: int | None = None
    references: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class FigureIntent:
    """What the whole intent asks: a panel per numbered clause (or per subplot asked for)."""

    title: str | None
    width: int
    height: int
    panels: tuple[PanelIntent, ...]
    grid: tuple[int, int] | None
    """Rows and columns when the intent fixes them."""


def parse(intent: str) -> FigureIntent:
    text = _normalise(intent or "")
    width, height = _size(text)
    text = re.sub(SIZE_NOTE, " ", text, flags=re.I).strip()
    overall = re.search(OVERALL_TITLE, text, re.I)
    if overall:
        text = (text[:overall.start()] + text[overall.end():]).strip()
    preamble, clauses = _clauses(text)
    lead = _panel(preamble, None)
    if clauses:
        panels = [_panel(clause, lead) for clause in clauses]
        title = _title(preamble)
        if not title and panels[-1].title and not any(p.title for p in panels[:-1]):
            # "(1) ..., (2) ..., titled X" with no other titles names the whole figure
            title, panels[-1] = panels[-1].title, replace(panels[-1], title=None)
    else:
        panels = [replace(lead, title=None)] * min(max(_panel_count(text), 1), MAX_PANELS)
        title = lead.title
    if overall:
        title = overall.group(1).strip()
    return FigureIntent(title, width, height, tuple(panels), _grid(text, len(panels)))


def _normalise(text: str) -> str:
    text = text.translate(str.maketrans("（）：，", "():,"))
    return re.sub(r"[ \t]+", " ", text)


def _size(text: str) -> tuple[int, int]:
    inches = re.search(INCHES, text, re.I)
    if inches:
        w, h = (float(v) * PX_PER_INCH for v in inches.groups())
    else:
        sized = re.search(SIZE_WITH_UNIT, text, re.I)
        if not sized:
            return DEFAULT_SIZE
        scale = 1 if sized.group(3).lower().startswith("p") else PX_PER_INCH
        w, h = float(sized.group(1)) * scale, float(sized.group(2)) * scale
    return _clamp(w), _clamp(h)


def _clamp(px: float) -> int:
    return int(min(max(round(px), MIN_SIZE), MAX_SIZE))


def _clauses(text: str) -> tuple[str, list[str]]:
    """Split "..., (1) ..., (2) ..." into the preamble and the numbered clauses."""
    marks, expected = [], 1
    for match in re.finditer(r"\((\d{1,2})\)", text):
        if int(match.group(1)) == expected:
            marks.append(match)
            expected += 1
    if len(marks) < 2:
        return text, []
    ends = [m.start() for m in marks[1:]] + [len(text)]
    clauses = [re.sub(r"^[\s,;:]+|[\s,;:]+(?:and)?[\s,;:]*$", "", text[m.end():end])
               for m, end in zip(marks, ends)]
    return text[:marks[0].start()].strip(), clauses


def _panel_count(text: str) -> int:
    match = re.search(PANEL_COUNT, text, re.I)
    if not match:
        return 1
    word = next(g for g in match.groups() if g).lower()
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _panel(text: str, lead: PanelIntent | None) -> PanelIntent:
    lowered = text.lower()
    flags = {name for name, pattern in FLAGS.items() if re.search(pattern, lowered)}
    degrades = {name for name, pattern in DEGRADES.items() if re.search(pattern, lowered)}
    bins = re.search(r"(\d+)\s*(?:bins|个区间|개 구간)", lowered)
    return PanelIntent(
        text=text,
        kind=_kind(lowered) or (lead.kind if lead else None),
        flags=frozenset(flags | (lead.flags - {"same"} if lead else set())),
        degrades=frozenset(degrades | (lead.degrades if lead else set())),
        title=_title(text),
        x_title=_axis_title(text, "x"),
        y_title=_axis_title(text, "y"),
        about=_about(text),
        bins=int(bins.group(1)) if bins else None,
        references=tuple((axis or "value", float(value))
                         for axis, value in re.findall(REFERENCE, lowered)),
    )


def _kind(lowered: str) -> str | None:
    lowered = re.sub(r"error ?bars? (?:plot|chart|graph)", "errorplot", lowered)
    lowered = re.sub(r"error ?bars?", "errorbars", lowered)
    found = [(m.start(), kind) for kind, pattern in KINDS
             for m in [re.search(pattern, lowered)] if m]
    if any(kind == "heatmap" for _, kind in found):
        return "heatmap"
    return min(found)[1] if found else None


def _title(text: str) -> str | None:
    korean = re.search(rf"{QUOTED}\s*(?:이라는|라는) 제목", text)
    if korean:
        return korean.group(1).strip()
    lead = re.search(TITLE_LEAD, text, re.I)
    if lead:
        rest = text[lead.end():].lstrip(" :=-")
        quoted = re.match(QUOTED, rest)
        title = quoted.group(1) if quoted else re.sub(TITLE_END, "", rest)
        return title.strip() or None
    quoted = re.search(STRICT_QUOTED, text)
    return quoted.group(1).strip() if quoted else None


def _axis_title(text: str, axis: str) -> str | None:
    english = re.search(AXIS_TITLE.format(axis, QUOTED), text, re.I) or re.search(
        AXIS_TITLE.format(axis, r"((?:(?!\s(?:and|with)\s)[^,;.])+)"), text, re.I) or re.search(
        AXIS_AFTER.format(axis), text, re.I)
    found = english or re.search(CJK_AXIS[axis], text, re.I)
    return found.group(1).strip() if found else None


def _about(text: str) -> tuple[str, str] | None:
    match = re.search(ABOUT, re.split(TITLE_LEAD, text, maxsplit=1, flags=re.I)[0])
    return (match.group(1).strip(), match.group(2).strip()) if match else None


def _grid(text: str, count: int) -> tuple[int, int] | None:
    fixed = re.search(GRID, text, re.I)
    if fixed:
        rows, cols = (int(v) for v in fixed.groups() if v)
        return (rows, cols) if rows * cols >= count else None
    if count > 1 and re.search(ONE_ROW, text, re.I):
        return 1, count
    if count > 1 and re.search(ONE_COLUMN, text, re.I):
        return count, 1
    return None


def grid_for(count: int, width: int, height: int) -> tuple[int, int]:
    """1 x N up to three panels; beyond, the layout (at most one empty cell) whose cells
    come closest to 4:3."""
    if count <= 3:
        return 1, count

    def misfit(cols: int) -> float:
        rows = math.ceil(count / cols)
        return abs(math.log((width / cols) / (height / rows) / (4 / 3)))

    cols = min((c for c in range(2, count + 1) if math.ceil(count / c) * c - count <= 1),
               key=misfit)
    return math.ceil(count / cols), cols


# Which columns each clause names ----------------------------------------------------------

STOPWORDS = frozenset(
    "a an the of and or for in on with about by to from vs versus across between over "
    "showing show shows displaying display comparing compare chart plot graph figure subplot "
    "titled title data value each same similar".split())
PANEL_NUMBER = re.compile(r"(?:^|[^a-z])(?:axe?s?|subplot|plot|panel|fig|figure|chart|graph|x|y)"
                          r"[ _-]?([1-9]|[a-h])(?![a-z0-9])")


def assign(panels: Sequence[PanelIntent], columns: Columns,
           spreads: dict[str, Spread]) -> list[list[str]]:
    """The columns each panel draws, its labels first (those its clause names leading)."""
    return _Assignment(panels, columns, spreads).columns()


class _Assignment:
    """Numeric columns go to the clauses naming them best (ties share; a prefix or a panel
    number like "Ax1_" weighs most), and a panel keeps one column length. Columns no clause
    names fill the panels still empty, in order, or else join their neighbour's panel; a panel
    still empty reuses the columns its clause names, or its neighbour's ("the same data").
    Spreads follow their series; labels, x, size and colour columns join every panel of their
    length."""

    def __init__(self, panels: Sequence[PanelIntent], columns: Columns,
                 spreads: dict[str, Spread]) -> None:
        self.data = columns
        self.count = len(panels)
        self.spreads = spreads
        self.numeric = [c for c, values in columns.items() if is_numeric(values)]
        self.text = [c for c, values in columns.items() if is_text(values)]
        self.shared = self._shared()
        self.drawn = [c for c in self.numeric if c not in spreads and c not in self.shared]
        words = [set(name_tokens(p.text)) - STOPWORDS | {p.kind or ""} for p in panels]
        common = set.intersection(*words)
        self.score = {c: [_match(c, w - common, k) for k, w in enumerate(words)]
                      for c in columns}
        self.owners: dict[str, set[int]] = {}
        for c in self.numeric:
            if c in spreads or (c in self.shared and not _identified(c)):
                continue
            if max(self.score[c]) > 0:
                self.owners[c] = _best(self.score[c])
            elif all(_names(c, w) for w in words):
                self.owners[c] = set(range(self.count))  # named in full by every clause
        self._keep_lengths()
        self._place_the_unnamed([k > 0 and "same" in p.flags for k, p in enumerate(panels)])
        for e, found in spreads.items():  # with their series, where their clause says
            hosts = set().union(*(self.owners.get(t, set()) for t in found.targets))
            self.owners[e] = hosts & _best(self.score[e]) or hosts

    def columns(self) -> list[list[str]]:
        return [self._panel(k) for k in range(self.count)]

    def _shared(self) -> set[str]:
        """Numeric columns every panel of their length may use: x columns, sizes, colours."""
        shared = {c for c in self.numeric if is_size(c) or is_color(c)}
        for group in length_groups(self.data):
            numbers = [c for c in group if c in self.numeric and c not in self.spreads]
            if len(numbers) > 1 and group[0] == numbers[0] and is_x_like(group[0],
                                                                         self.data[group[0]]):
                shared.add(group[0])
        return shared

    def _keep_lengths(self) -> None:
        """A panel keeps the column length it matched best; other lengths move elsewhere."""
        weight: dict[tuple[int, int], int] = {}
        for c, ks in self.owners.items():
            for k in ks:
                key = (k, len(self.data[c]))
                weight[key] = weight.get(key, 0) + self.score[c][k]
        dominant = {k: max((w, n) for (j, n), w in weight.items() if j == k)[1]
                    for k in {j for j, _ in weight}}
        for c, ks in list(self.owners.items()):
            fitting = {k for k in ks if dominant.get(k) == len(self.data[c])}
            if fitting != ks:
                moved = fitting or _best([s if dominant.get(k) == len(self.data[c]) else 0
                                          for k, s in enumerate(self.score[c])])
                if moved:
                    self.owners[c] = moved
                else:
                    del self.owners[c]

    def _place_the_unnamed(self, same: list[bool]) -> None:
        left = [c for c in self.drawn if c not in self.owners]
        empty = [k for k in range(self.count) if not self._owns(k) and not same[k]]
        for k, chunk in zip(empty, _chunks(left, len(empty))):
            self.owners.update({c: {k} for c in chunk})
        for c in (c for c in left if c not in self.owners):
            self.owners[c] = self._neighbour(c)
        for k in range(self.count):
            if self._owns(k):
                continue
            reuse = {c for c in self.owners if self.score[c][k] > 0}
            if not reuse & set(self.drawn):  # "(2) the same data, zoomed"
                reuse = {c for c, ks in self.owners.items() if (k - 1 if k else k + 1) in ks}
            for c in reuse:
                self.owners[c] = self.owners[c] | {k}

    def _owns(self, k: int) -> bool:
        return any(k in self.owners.get(c, ()) for c in self.drawn)

    def _neighbour(self, column: str) -> set[int]:
        """The panels of the nearest column before (else after) it with the same length."""
        i = self.drawn.index(column)
        same = [c for c in self.drawn
                if c in self.owners and len(self.data[c]) == len(self.data[column])]
        near = [c for c in same if self.drawn.index(c) < i][-1:] or [
            c for c in same if self.drawn.index(c) > i][:1]
        return set(self.owners[near[0]]) if near else {0}

    def _panel(self, k: int) -> list[str]:
        mine = {c for c, ks in self.owners.items() if k in ks}
        if not mine & set(self.numeric):
            return list(self.data)
        lengths = {len(self.data[c]) for c in mine}
        mine |= {c for c in self.shared if c not in self.owners and len(self.data[c]) in lengths}
        texts = sorted((c for c in self.text if len(self.data[c]) in lengths),
                       key=lambda c: -self.score[c][k])
        return texts + [c for c in self.data if c in mine]


def _match(column: str, words: set[str], k: int) -> int:
    """How well clause k's words name the column; its panel number ("Ax2_") decides."""
    number = PANEL_NUMBER.search(column.lower())
    if number and "123456789abcdefgh".index(number.group(1)) % 9 == k:
        return 10
    tokens = name_tokens(column)
    prefix = tokens[0] if "_" in column and tokens else None
    # a name's prefix ("Bar_...") and its letter or number ("Company A") identify it best
    return sum(2 if t == prefix or "_" in t else 1 for t in set(tokens) - STOPWORDS
               if any(_alike(t, w) for w in words))


def _alike(a: str, b: str) -> bool:
    """The same word, or one a 4+ letter prefix of the other (corr ~ correlation)."""
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and long_.startswith(short) and "_" not in a + b)


def _best(scores: list[int]) -> set[int]:
    """The clauses with the highest positive score (none when all are 0)."""
    top = max(scores)
    return {k for k, s in enumerate(scores) if s == top and top > 0}


def _names(column: str, words: set[str]) -> bool:
    """Every word of the column's name appears among `words`."""
    tokens = set(name_tokens(column)) - STOPWORDS
    return bool(tokens) and all(any(_alike(t, w) for w in words) for t in tokens)


def _identified(column: str) -> bool:
    """Carries a prefix or a letter/number that ties it to one panel ("Company_A_Days")."""
    return "_" in column or any("_" in t for t in name_tokens(column))


def _chunks(items: list[str], count: int) -> list[list[str]]:
    """`items` in `count` consecutive runs as even as possible."""
    size, extra = divmod(len(items), count) if count else (0, 0)
    bounds = [i * size + min(i, extra) for i in range(count + 1)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:])]
