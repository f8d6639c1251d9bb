"""The presentation package: widths, truncation, relative dates, numbers, progress and bars.

Every expected value is worked out by hand: a CJK character takes two cells, the ellipsis one.
"""

from __future__ import annotations

import string
import subprocess
import sys
from datetime import date, timedelta

import pytest

from tracker import i18n
from tracker.i18n import present as catalogue
from tracker.present import (
    bar,
    cell_width,
    char_width,
    fit,
    fit_title,
    number_text,
    pad,
    percent,
    progress_text,
    relative_due,
    truncate,
)

D = date(2020, 4, 15)


def test_cell_width_ascii_cjk_combining() -> None:
    assert cell_width("") == 0
    assert cell_width("in 3d") == 5
    assert cell_width("城关镇") == 6
    assert cell_width("A村（一）") == 9  # the fullwidth parentheses are wide too
    assert cell_width("Ａ") == 2  # fullwidth Latin
    assert cell_width("ｱ") == 1  # halfwidth katakana
    assert cell_width("e\u0301") == 1  # a combining accent takes no cell
    assert cell_width("a\u200db") == 2  # nor does a zero-width joiner
    assert cell_width("…·—") == 3  # ambiguous width: one cell, as terminals draw them
    assert (char_width("中"), char_width("a"), char_width("\u0301")) == (2, 1, 0)


def test_truncate_at_odd_widths_with_a_wide_character_at_the_boundary() -> None:
    assert truncate("城关镇开展村庄清洁行动", 9) == "城关镇开…"  # 8 + 1 cells
    # 5 cells of room before the ellipsis: 镇 would end on the 6th, so it is left out
    assert truncate("城关镇开展", 6) == "城关…"
    assert cell_width(truncate("城关镇开展", 6)) == 5
    assert truncate("a城关", 4) == "a城…"  # room 3: a + 城, 关 would straddle
    assert truncate("城", 1) == "…"
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("abcd", 4) == "abcd"
    assert truncate("城关镇", 6) == "城关镇"
    assert truncate("e\u0301e\u0301e\u0301", 2) == "e\u0301…"  # the mark stays with its letter
    assert truncate("abc", 0) == "" and truncate("城关", -1) == ""


def test_fit_is_exactly_the_width() -> None:
    assert fit("城关镇开展", 6) == "城关… "  # one cell short after the cut: padded back
    assert fit("城关镇开展", 6, right=True) == " 城关…"
    assert fit("a城关镇", 6) == "a城关…"  # 1 + 2 + 2 + 1: no padding needed
    assert fit("城关镇", 6) == "城关镇"
    assert fit("城关", 5) == "城关 "
    assert fit("7", 3, right=True) == "  7"
    assert fit("abcdef", 4) == "abc…"
    assert fit("城", 1) == "…"
    assert fit("abc", 0) == ""
    for text in ("开展中央专项巡视反馈问题整改推进行动", "A村（一）", "Village roads", "e\u0301x"):
        for width in range(1, 20):
            assert cell_width(fit(text, width)) == width, (text, width)


def test_pad() -> None:
    assert pad("镇", 4) == "镇  "
    assert pad("7", 3, right=True) == "  7"
    assert pad("城关镇", 4) == "城关镇"  # never cut, never negative


@pytest.mark.parametrize(
    ("days", "open_task", "zh", "en"),
    [
        (0, True, "今天", "today"),
        (0, False, "今天", "today"),
        (1, True, "明天", "tomorrow"),
        (3, True, "3天后", "in 3d"),
        (10, False, "10天后", "in 10d"),  # a finished task's future deadline reads the same
        (-1, True, "逾期1天", "1d late"),
        (-2, True, "逾期2天", "2d late"),
        (-1, False, "昨天", "yesterday"),
        (-5, False, "5天前", "5d ago"),
        (-100, True, "逾期100天", "100d late"),
    ],
)
def test_relative_due(days: int, open_task: bool, zh: str, en: str) -> None:
    due = D + timedelta(days=days)
    assert relative_due(due, D, "zh", open_task=open_task) == zh
    assert relative_due(due, D, "en", open_task=open_task) == en


def test_relative_due_fits_the_tui_column() -> None:
    """The TUI gives the relative date 9 cells; a season's deadlines must read whole in it."""
    for days in range(-199, 200):
        for lang in ("zh", "en"):
            for open_task in (True, False):
                text = relative_due(D + timedelta(days=days), D, lang, open_task=open_task)
                assert cell_width(text) <= 9, text


def test_number_text() -> None:
    assert [number_text(v) for v in (119.0, 2.5, 0.0, None)] == ["119", "2.5", "0", ""]
    assert number_text(1234567.0) == "1234567"  # not 1.23457e+06
    assert number_text(0.1 + 0.2) == "0.3"  # not 0.30000000000000004
    assert number_text(2.25) == "2.25"


def test_percent() -> None:
    assert percent(None) == "—"
    assert percent(0.571) == "57.1%"
    assert percent(1 / 3) == "33.3%"
    assert percent(1) == "100.0%"
    assert percent(0) == "0.0%"


def test_progress_text_with_and_without_target_and_unit() -> None:
    assert progress_text(40, 119, "个") == "40/119 个"
    assert progress_text(57.0, 119.0, "个行政村") == "57/119 个行政村"
    assert progress_text(None, 119, "个行政村") == "0/119 个行政村"  # not measured yet
    assert progress_text(2.5, 10, None) == "2.5/10"
    assert progress_text(2.5, 10, "") == "2.5/10"
    assert progress_text(0.1 + 0.2, 1, "km") == "0.3/1 km"
    assert progress_text(30, None, "个") == "30"  # no target: the bare figure
    assert progress_text(None, None, None) == ""


def test_bar_in_eighths() -> None:
    assert bar(None, 4) == ("", "····")  # no figure: dots, not an empty bar
    assert bar(0, 4) == ("", "░░░░")
    assert bar(1, 4) == ("████", "")
    assert bar(0.5, 3) == ("█▌", "░")  # 12 eighths: one full cell and a half
    assert bar(1 / 3, 10) == ("███▍", "░░░░░░")  # 26.7 -> 27 eighths: 3 cells and 3/8
    assert bar(0.01, 10) == ("▏", "░" * 9)  # 0.8 eighths rounds up to one
    assert bar(0.001, 10) == ("", "░" * 10)  # 0.08 eighths: nothing drawn
    assert bar(1.5, 4) == ("████", "") and bar(-0.2, 4) == ("", "░░░░")  # clamped
    for i in range(101):
        filled, track = bar(i / 100, 7)
        assert cell_width(filled + track) == 7


def test_catalogue_has_both_languages_with_the_same_placeholders() -> None:
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, (zh, en) in catalogue.CATALOG.items():
        assert i18n.has(key)
        assert zh.strip() and en.strip() and fields(zh) == fields(en), key


def test_no_terminal_library_is_imported() -> None:
    code = (
        "import sys, tracker.present; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'textual', 'rich'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fit_title_keeps_the_closing_period() -> None:
    title = "城关镇报送脱贫攻坚周报（2020-W06）"
    for width in (16, 22, 30):
        cut = fit_title(title, width)
        assert cell_width(cut) == width and cut.rstrip().endswith("（2020-W06）"), cut
        assert cut.startswith("城") and "…" in cut
    assert fit_title(title, 40).rstrip() == title  # room enough: whole
    assert fit_title(title, 10) == fit(title, 10)  # too narrow for both: the start wins
    assert fit_title("Weekly report (W16)", 14) == "Weekly r…(W16)"
    assert fit_title("no period here at all", 10) == fit("no period here at all", 10)
