"""How a period reads in a title: ``{period_name}`` as staff say it (issue #19).

``{period}`` is the period label itself (plan-format.md): the ISO form (``2020-W16``,
``2020-04``, ``2020-Q2``, ``2020-04-15``) that ends the uid, that ``skip`` lists and that
``list --json`` calls ``period``. ``{period_name}`` is the same period as a reader says it, in
the plan's language: 第16周, 4月, 第二季度, 4月15日 in a ``lang = "zh"`` plan, "week 16",
"April", "Q2", "15 April" otherwise; a period of another year than the plan's ``year`` says its
year (the winter campaign's 2021年1月, "January 2021"), so no two periods of a plan read alike.
"""

from __future__ import annotations

import re

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_QUARTERS = "一二三四"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def period_text(label: str | None, lang: str | None, plan_year: int) -> str:
    """The text of ``{period_name}`` for the period ``label`` in a plan of ``lang`` and ``year``."""
    if label is None:
        return ""
    zh = lang == "zh"
    if m := _WEEK.fullmatch(label):
        text = f"第{int(m[2])}周" if zh else f"week {int(m[2])}"
    elif m := _QUARTER.fullmatch(label):
        text = f"第{_QUARTERS[int(m[2]) - 1]}季度" if zh else f"Q{m[2]}"
    elif m := _DAY.fullmatch(label):
        text = f"{int(m[2])}月{int(m[3])}日" if zh else f"{int(m[3])} {_MONTHS[int(m[2]) - 1]}"
    elif m := _MONTH.fullmatch(label):
        text = f"{int(m[2])}月" if zh else _MONTHS[int(m[2]) - 1]
    else:
        return label
    year = int(m[1])
    if year == plan_year:
        return text
    return f"{year}年{text}" if zh else f"{text} {year}"
