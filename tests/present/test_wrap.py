"""Line breaking by Chinese rules (cli-v2.md): hand-worked cases, then properties.

The properties are checked against the text itself, not against the wrapper's own units: every
line is found again in the text in order (only the spaces a break consumes are gone), no line
starts with closing punctuation or ends with opening punctuation, no Latin run that fits a
line is split, a line is over the width only where no permitted break lay within reach, and a
line is never broken early before a Chinese character that would still have fitted.
"""

from __future__ import annotations

import itertools
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.present import cell_width, wrap
from tracker.present.wrap import CLOSING, OPENING

SPEC_CLOSING = "）】」』》，。、；：！？"
SPEC_OPENING = "（【「『《"
SPACES = " \t\u3000"
CJK = "城关镇村报告完成率新创建级旅游庄"
ALPHABET = CJK + SPEC_CLOSING + SPEC_OPENING + "aZk09-/.,()" + " \u3000" + "\u0301" + "\n"


def test_spec_punctuation_is_covered() -> None:
    assert set(SPEC_CLOSING) <= CLOSING
    assert set(SPEC_OPENING) <= OPENING


def test_hand_worked_lines() -> None:
    # 10 cells: 新创建A级 is 9, and 旅 would make 11; （ stays with 景区）, 。 with 119
    text = "新创建A级旅游村庄（景区）达到10个，完成率40/119。"
    assert wrap(text, 10) == [
        "新创建A级",
        "旅游村庄",
        "（景区）达",
        "到10个，完",
        "成率",
        "40/119。",
    ]
    # the closing quote and full stop pull 了 down with them
    assert wrap("完成了。」好的", 6) == ["完成", "了。」", "好的"]
    # a space is consumed by the break; a run wider than the line is cut at the width
    assert wrap("2020-W16 周报 abcdefghijklmnop", 8) == [
        "2020-W16",
        "周报",
        "abcdefgh",
        "ijklmnop",
    ]
    assert wrap("a\nb", 5) == ["a", "b"]
    assert wrap("", 5) == [""]
    assert wrap("城关镇", 80) == ["城关镇"]


def _word(ch: str) -> bool:
    return ch not in SPACES and ch != "\n" and cell_width(ch) < 2


def _placed(para: str, lines: list[str]) -> list[int]:
    """Where each line starts in ``para``, asserting that only spaces lie between lines."""
    starts, pos = [], 0
    for k, line in enumerate(lines):
        if k:
            while pos < len(para) and para[pos] in SPACES:
                pos += 1
            assert line[:1] not in SPACES or not line
        assert para.startswith(line, pos), (para, lines)
        starts.append(pos)
        pos += len(line)
    assert para[pos:].strip(SPACES) == ""
    return starts


def _run_width(para: str, i: int) -> int:
    """The width of the Latin run around the gap ``i`` (inside it)."""
    lo, hi = i, i
    while lo > 0 and _word(para[lo - 1]):
        lo -= 1
    while hi < len(para) and _word(para[hi]):
        hi += 1
    return cell_width(para[lo:hi])


def _permitted(para: str, i: int, width: int) -> bool:
    """The rules, written out again: may a line break at the gap before ``para[i]``?"""
    before = para[:i].rstrip(SPACES)[-1:]
    after = para[i:].lstrip(SPACES)[:1]
    if not before or not after or after in CLOSING or before in OPENING:
        return False
    if unicodedata.combining(para[i]):
        return False
    inside_run = _word(para[i - 1]) and _word(para[i])
    return not inside_run or _run_width(para, i) > width


TEXTS = st.text(alphabet=ALPHABET, max_size=80)
WIDTHS = st.integers(min_value=1, max_value=24)


@settings(max_examples=400, deadline=None)
@given(TEXTS, WIDTHS)
def test_no_content_lost_or_reordered(text: str, width: int) -> None:
    lines = wrap(text, width)
    paras = text.split("\n")
    assert lines == [line for p in paras for line in wrap(p, width)]
    for para in paras:
        _placed(para, wrap(para, width))


@settings(max_examples=400, deadline=None)
@given(TEXTS, WIDTHS)
def test_punctuation_and_latin_runs(text: str, width: int) -> None:
    for para in text.split("\n"):
        lines = wrap(para, width)
        starts = _placed(para, lines)
        for k in range(1, len(lines)):
            prev, line = lines[k - 1], lines[k]
            assert line[:1] not in CLOSING or not prev.strip(SPACES), (para, lines)
            assert prev.rstrip(SPACES)[-1:] not in OPENING, (para, lines)
            end = starts[k - 1] + len(prev)
            if end == starts[k] and _word(para[end - 1]) and _word(para[end]):
                assert _run_width(para, end) > width, (para, lines)


@settings(max_examples=400, deadline=None)
@given(TEXTS, WIDTHS)
def test_width_kept_where_a_break_was_permitted(text: str, width: int) -> None:
    for para in text.split("\n"):
        lines = wrap(para, width)
        for start, line in zip(_placed(para, lines), lines, strict=True):
            if cell_width(line) <= width:
                continue
            for i in range(1, len(line)):
                head = line[:i].rstrip(SPACES)
                if head.strip(SPACES) and cell_width(head) <= width:
                    assert not _permitted(para, start + i, width), (para, lines, i)


@settings(max_examples=400, deadline=None)
@given(TEXTS, WIDTHS)
def test_no_early_break_before_a_chinese_character(text: str, width: int) -> None:
    for para in text.split("\n"):
        lines = wrap(para, width)
        starts = _placed(para, lines)
        for k in range(1, len(lines)):
            nxt = lines[k]
            if not nxt or nxt[0] not in CJK or not lines[k - 1].strip(SPACES):
                continue
            follow = para[starts[k] + 1 :]
            glued = follow.lstrip(SPACES)[:1]
            if glued in CLOSING or unicodedata.combining(follow[:1] or "a"):
                continue
            if cell_width(lines[k - 1]) > width:
                continue
            taken = para[starts[k - 1] : starts[k] + 1]  # the line, the spaces, the character
            assert cell_width(taken) > width, (para, lines)


def test_a_fold_moves_a_character_down_with_closing_punctuation() -> None:
    """The report's table cells fold what no permitted break can fit (``fold=True``): the cut
    still keeps ``）`` off a line's start and ``（`` off a line's end where it can."""
    assert wrap("（2020-W06）", 10, fold=True) == ["（2020-W0", "6）"]
    assert wrap("报告（2020-W06）", 10, fold=True) == ["报告", "（2020-W0", "6）"]
    assert wrap("第2020-W06）。", 8, fold=True) == ["第", "2020-W0", "6）。"]  # not "）。"
    assert wrap("。。", 2, fold=True) == ["。", "。"]  # no cut can help: the width wins


@settings(max_examples=300, deadline=None)
@given(TEXTS, WIDTHS)
def test_a_fold_never_loses_or_widens(text: str, width: int) -> None:
    """Folded lines are the wrapped lines cut again, in order; each fits the width but where
    one character alone is wider; punctuation moves only when a cut allows it."""
    for para in text.split("\n"):
        folded = wrap(para, width, fold=True)
        assert "".join(folded) == "".join(wrap(para, width))
        assert all(cell_width(ln) <= width or len(ln) == 1 for ln in folded), (para, folded)
        for prev, line in itertools.pairwise(folded):
            if line[:1] in CLOSING and len(prev) > 1 and prev[-1] not in CLOSING:
                assert cell_width(prev[-1] + line) > width or prev[-2] in OPENING, (para, folded)
