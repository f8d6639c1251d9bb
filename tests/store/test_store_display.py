"""Cell widths, relative dates and fitted tables."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.present import (
    cell_width,
    fit_table,
    number_text,
    pad,
    relative_due,
    state_changes,
    truncate,
)

D = date(2020, 4, 15)


def test_cell_width() -> None:
    assert cell_width("abc") == 3
    assert cell_width("城关镇") == 6
    assert cell_width("A村（一）") == 9
    assert cell_width("e\u0301") == 1  # combining accent takes no cell


def test_truncate_and_pad() -> None:
    assert truncate("城关镇开展村庄清洁行动", 9) == "城关镇开…"
    assert cell_width(truncate("城关镇开展村庄清洁行动", 9)) <= 9
    assert truncate("short", 9) == "short"
    assert truncate("abc", 0) == ""
    assert pad("镇", 4) == "镇  " and pad("7", 3, right=True) == "  7"


@pytest.mark.parametrize(
    ("days", "open_task", "zh", "en"),
    [
        (0, True, "今天", "today"),
        (1, True, "明天", "tomorrow"),
        (5, True, "5天后", "in 5d"),
        (-3, True, "逾期3天", "3d late"),
        (-3, False, "3天前", "3d ago"),
        (-1, False, "昨天", "yesterday"),
    ],
)
def test_relative_due(days: int, open_task: bool, zh: str, en: str) -> None:
    due = date.fromordinal(D.toordinal() + days)
    assert relative_due(due, D, "zh", open_task=open_task) == zh
    assert relative_due(due, D, "en", open_task=open_task) == en


def test_fit_table_shrinks_title_then_drops_optional_columns() -> None:
    headers = ["id", "状态", "牵头单位", "任务"]
    rows = [["1", "未开始", "县扶贫办", "完成行政村人居环境整治" * 3], ["22", "已完成", "镇", "短"]]
    wide = fit_table(headers, rows, 200, flexible=3, right=(0,), optional=(2,))
    assert "完成行政村人居环境整治" * 3 in wide[1]
    narrow = fit_table(headers, rows, 40, flexible=3, right=(0,), optional=(2,))
    assert all(cell_width(line) <= 40 for line in narrow)
    assert "牵头单位" in narrow[0] and narrow[1].endswith("…")
    tiny = fit_table(headers, rows, 20, flexible=3, right=(0,), optional=(2,))
    assert "牵头单位" not in tiny[0]
    assert all(cell_width(line) <= 20 for line in tiny)
    assert tiny[2].split()[:2] == ["22", "已完成"]


def test_number_text() -> None:
    assert [number_text(v) for v in (119.0, 2.5, 0.0, None)] == ["119", "2.5", "0", ""]


def test_state_changes_only_what_moved() -> None:
    before = {"status": "todo", "progress": None, "due": "2020-04-30", "postponed": 0}
    after = {"status": "doing", "progress": 30.0, "due": "2020-04-30", "postponed": 0}
    assert state_changes(before, after, "zh") == [("", "未开始", "进行中"), ("进度", "-", "30")]
    moved = dict(after, due="2020-05-15", postponed=1)
    assert state_changes(after, moved, "en") == [("due", "2020-04-30", "2020-05-15")]
    assert state_changes(after, after, "en") == []  # a note changes no state
