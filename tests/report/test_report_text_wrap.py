"""The text report breaks its lines by Chinese rules (cli-v2.md), not by rich's wrapper.

The cases are the ones issue #16 met in the county example: a closing bracket at the start of a
line (``（全年`` / ``）``) and ``新创建 A`` / ``级旅游村庄`` split at a space.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from tracker.present import cell_width
from tracker.present.wrap import CLOSING, OPENING
from tracker.report.render_text import render_tables
from tracker.report.sections import Table

TITLES = [
    "按人居环境整治三年行动方案完成行政村整治任务（全年）",
    "新创建 A 级旅游村庄，巩固提升乡村旅游扶贫“八个一”工程",
    "县域基本养老保险参保率达到 95% 以上，完成 2020-W16 的 40/119 个",
]


def _rows(text: str) -> list[list[str]]:
    """The title column's lines, row by row (a row's first line carries the number)."""
    rows: list[list[str]] = []
    for line in text.split("──", 1)[1].split("\n")[1:]:
        if not line.strip():
            continue
        cell = re.split(r"\s{2,}", line.strip())[0]
        if re.search(r"\d$", line) and len(re.split(r"\s{2,}", line.strip())) > 1:
            rows.append([cell])
        else:
            rows[-1].append(cell)
    return rows


@pytest.mark.parametrize("width", [24, 28, 33, 38, 41, 46, 53])
def test_cells_break_by_chinese_rules(width: int) -> None:
    table = Table("k", "量化指标进度", ["任务", "目标"], [[t, 119] for t in TITLES], numeric={1})
    out = render_tables("周报", "截至2020年4月15日", [table], "zh", width=width)
    assert all(cell_width(line) <= width for line in out.splitlines())
    rows = _rows(out)
    column = max(cell_width(c) for row in rows for c in row)
    for title, row in zip(TITLES, rows, strict=True):
        assert "".join(row).replace(" ", "") == title.replace(" ", "")  # nothing lost
        for a, b in pairwise(row):
            assert b[0] not in CLOSING and a[-1] not in OPENING, (width, row)
            # not broken early: the next character (and the space between) would not fit
            gap = 1 if title.replace(a + " " + b, "") != title else 0
            if "\u4e00" <= b[0] <= "\u9fff" and b[1:2] not in CLOSING:
                assert cell_width(a) + gap + 2 > column, (width, row)
    for run in ("2020-W16", "40/119", "95%"):  # the Latin runs are whole on one line
        assert any(run in c for row in rows for c in row), (width, run, rows)


def test_the_county_report_cells_from_issue_16() -> None:
    table = Table("k", "量化指标进度", ["行动", "任务", "进度", "目标"], [], numeric={2, 3})
    table.rows = [["春季攻势", t, 0, 119] for t in TITLES[:2]]
    out = render_tables("周报", "", [table], "zh", width=100)
    assert "（全\n" not in out and "\n           ）" not in out
    assert not re.search(r"新创建 A\s*\n", out)
