"""How a period reads in a title: ``{period}`` of a zh plan as staff say it (issue #19).

The period label itself stays ISO (``2020-W16``, ``2020-04``, ``2020-Q2``, ``2020-04-15``): it is
the last part of the uid, what ``skip`` lists and what ``list --json`` calls ``period``. Only the
text put into a title for ``{period}`` changes, and only in a plan written with
``lang = "zh"``: 第16周, 4月, 第二季度, 4月15日; a period of another year than the plan's
``year`` says its year (the winter campaign's 2021年1月), so no two periods of a plan read alike.
"""

from __future__ import annotations

import re

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_QUARTERS = "一二三四"


def period_text(label: str | None, lang: str | None, plan_year: int) -> str:
    """The text of ``{period}`` for the period ``label`` in a plan of ``lang`` and ``year``."""
    if label is None:
        return ""
    if lang != "zh":
        return label
    if m := _WEEK.fullmatch(label):
        text = f"第{int(m[2])}周"
    elif m := _QUARTER.fullmatch(label):
        text = f"第{_QUARTERS[int(m[2]) - 1]}季度"
    elif m := _DAY.fullmatch(label):
        text = f"{int(m[2])}月{int(m[3])}日"
    elif m := _MONTH.fullmatch(label):
        text = f"{int(m[2])}月"
    else:
        return label
    year = int(m[1])
    return text if year == plan_year else f"{year}年{text}"
