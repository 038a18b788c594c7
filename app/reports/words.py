"""Where a title, a 主送机关 or a list of names may break: between words, never inside one.

GB/T 9704 7.3.1 asks a title that runs over several lines to keep every word whole (词意完整). Words
come from a Chinese segmenter (jieba-rs through rjieba) whose dictionary is extended with the
vocabulary of inspection work and with the words a document names (units, party organisations,
teams, people), passed in as `keep`. A keep-word is never broken inside, whatever the segmenter
thinks; and a line never ends on a function word (的 和 与 及 或 对 关于 等), which would leave a
phrase hanging.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence

# A line may not end on these: they belong to what follows (关于, 对) or tie to it (的, 和, 与, 及).
FUNCTION_WORDS = frozenset({"的", "和", "与", "及", "或", "对", "关于", "等", "以及", "并", "对于", "之", "暨", "于"})

# Words of the trade the general dictionary splits ("巡察组" → 巡察/组) or joins wrongly.
DOMAIN_WORDS = (
    "巡察组", "巡察办", "巡察工作领导小组", "领导小组", "领导小组办公室", "反馈意见", "专题报告", "整改通知书",
    "整改督办函", "督办函", "移交函", "授权书", "工作方案", "问题底稿", "底稿", "谈话笔录", "问题线索", "线索",
    "巡察公告", "巡察反馈", "反馈问题", "整改工作", "整改方案", "整改落实", "主体责任", "监督责任", "全面从严治党",
    "党风廉政建设", "中央八项规定", "八项规定", "三重一大", "回头看", "立行立改", "党工委", "党委", "党组", "党支部",
    "党总支", "纪委监委", "组织部", "有限公司", "有限责任公司", "集团有限公司", "人民政府", "办事处", "居民委员会",
    "村民委员会", "管理委员会", "街道", "社区", "常规巡察", "专项巡察", "机动巡察", "交叉巡察", "巡察整改",
    "四个落实", "两个维护", "四个意识", "四个自信", "一岗双责", "第一责任人", "问题清单", "任务清单", "责任清单",
    "编制", "选人用人", "意识形态", "基层党组织", "组织生活会", "民主集中制", "公务接待", "公务用车",
)

_lock = threading.Lock()
_jieba = None
_known: set[str] = set()
_CN_NUMBER = re.compile(r"第[一二三四五六七八九十百]+")


def _segmenter():
    global _jieba
    with _lock:
        if _jieba is None:
            import rjieba

            j = rjieba.Jieba()
            for w in DOMAIN_WORDS:
                j.add_word(w, 200000, None)
            _jieba = j
        return _jieba


def preload() -> None:
    """Load the dictionary now (about 0.3 s), e.g. beside the fonts at start-up."""
    _segmenter()


def _add(words: Iterable[str]) -> None:
    j = _segmenter()
    with _lock:
        for w in words:
            w = w.strip()
            if 1 < len(w) <= 40 and w not in _known:
                j.add_word(w, 100000, None)
                _known.add(w)


def segment(text: str, keep: Sequence[str] = ()) -> list[str]:
    """The words of text, keep-words added to the dictionary first."""
    _add(keep)
    return list(_segmenter().cut(text, True))


def keep_spans(text: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    """[start, end) of every occurrence of every keep-word (and of numbered words like 第二) in text."""
    spans = []
    for w in {k.strip() for k in keep if k and len(k.strip()) > 1}:
        start = text.find(w)
        while start >= 0:
            spans.append((start, start + len(w)))
            start = text.find(w, start + 1)
    spans += [m.span() for m in _CN_NUMBER.finditer(text)]
    return spans


def word_breaks(text: str, keep: Sequence[str] = ()) -> tuple[set[int], set[int]]:
    """(strict, relaxed) sets of positions b (0 < b < len) where a line may break before text[b].

    strict: a word boundary outside every keep-word, not after a function word. relaxed drops the
    keep-word rule (for a keep-word longer than a line) but still never ends a line on a function word.
    """
    words = segment(text, keep)
    boundaries: set[int] = set()
    after_function: set[int] = set()
    pos = 0
    for w in words:
        pos += len(w)
        if 0 < pos < len(text):
            boundaries.add(pos)
            if w in FUNCTION_WORDS:
                after_function.add(pos)
    # "关于" is one function word even where the segmenter returns 关/于 or joins it to what follows.
    for m in re.finditer("关于|对于|以及", text):
        boundaries.add(m.start())
        after_function.add(m.end())
        boundaries.discard(m.start() + 1)
    inside: set[int] = set()
    for a, b in keep_spans(text, keep):
        inside.update(range(a + 1, b))
    relaxed = boundaries - after_function
    return relaxed - inside, relaxed


def line_breaks_allowed(text: str, keep: Sequence[str] = ()) -> set[int]:
    """For a 主送机关 or a list: after a separator, or between words outside the names."""
    strict, _relaxed = word_breaks(text, keep)
    return strict | {i + 1 for i, ch in enumerate(text[:-1]) if ch in "、，,；"}
