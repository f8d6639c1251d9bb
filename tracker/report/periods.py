"""The period a report covers: an ISO week, a calendar month or a quarter (cli-v2.md).

A monthly or quarterly report is the weekly report over a longer span: the same figures at
the end of its as-of day ``min(to, today)``, compared with the end of the period before; its
``done_this_week`` holds the tasks done in the period and ``due_next_week`` the tasks due in
the next period (the next month or quarter, as the next week for a weekly report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tracker import i18n
from tracker.context import check_date
from tracker.errors import BadInput

WEEK, MONTH, QUARTER = "week", "month", "quarter"


@dataclass(slots=True)
class Period:
    """The span reported on and the moments its figures are taken at."""

    year: int  # the ISO year of ``start`` (a week) or the calendar year (a month, a quarter)
    week: int  # the ISO week of ``start``
    start: date
    end: date
    asof: date  # min(end, today): the figures are the state at the end of that day
    prev: date  # the as-of day of the period before: the comparison column
    next_day: str  # the day after ``asof``, ISO: events before it are the past
    next_end: date  # the last day of the next period (``due_next_week``)
    kind: str = WEEK
    label: str = ""  # "2020-04", "2020-Q2"; "" for a week (its label is the ISO week)


def span(start: date, end: date, next_end: date, today: date, kind: str, label: str) -> Period:
    """The period from ``start`` through ``end`` seen from ``today``."""
    asof = min(end, today)
    prev = min(start - timedelta(days=1), today)
    year, week, _ = start.isocalendar()
    if kind != WEEK:
        year = start.year
    nxt = (asof + timedelta(days=1)).isoformat()
    return Period(year, week, start, end, asof, prev, nxt, next_end, kind, label)


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def parse_month(value: str | None, today: date) -> tuple[int, int]:
    """``2020-04`` (also ``2020-4``, ``202004``, or a date inside the month) → (year, month);
    default the month holding ``today``."""
    if not value:
        return today.year, today.month
    text = value.strip()
    m = re.fullmatch(r"(\d{4})-?(\d{1,2})", text)
    try:
        if m:
            found = date(int(m.group(1)), int(m.group(2)), 1)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            found = date.fromisoformat(text)
        else:
            raise ValueError(text)
        check_date(found, value)
    except ValueError as e:
        raise BadInput("period.bad_month", value=value[:80]) from e
    return found.year, found.month


def parse_quarter(value: str | None, today: date) -> tuple[int, int]:
    """``2020-Q2`` (also ``2020Q2``, ``2020-q2``, or a date inside the quarter) → (year,
    quarter); default the quarter holding ``today``."""
    if not value:
        return today.year, (today.month - 1) // 3 + 1
    text = value.strip()
    m = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text)
    try:
        if m:
            found = date(int(m.group(1)), (int(m.group(2)) - 1) * 3 + 1, 1)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            found = date.fromisoformat(text)
        else:
            raise ValueError(text)
        check_date(found, value)
    except ValueError as e:
        raise BadInput("period.bad_quarter", value=value[:80]) from e
    return found.year, (found.month - 1) // 3 + 1


def month_period(value: str | None, today: date) -> Period:
    """The calendar month ``value`` (default: the one holding today)."""
    year, month = parse_month(value, today)
    start = date(year, month, 1)
    end = _month_end(year, month)
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    return span(start, end, _month_end(ny, nm), today, MONTH, f"{year}-{month:02d}")


def quarter_period(value: str | None, today: date) -> Period:
    """The quarter ``value`` (default: the one holding today)."""
    year, q = parse_quarter(value, today)
    start = date(year, (q - 1) * 3 + 1, 1)
    end = _month_end(year, q * 3)
    ny, nq = (year + 1, 1) if q == 4 else (year, q + 1)
    return span(start, end, _month_end(ny, nq * 3), today, QUARTER, f"{year}-Q{q}")


#: The i18n keys that name a week, and their month and quarter forms (sections.py).
_WORDS = {
    "report.title": "period.title.{kind}",
    "report.fig.this_week": "period.this.{kind}",
    "report.fig.last_week": "period.last.{kind}",
    "report.sec.done": "period.sec.done.{kind}",
    "report.sec.next": "period.sec.next.{kind}",
}


def word(key: str, kind: str) -> str:
    """The i18n key ``key`` (worded for a week) as the report over a ``kind`` period words it."""
    if kind == WEEK or key not in _WORDS:
        return key
    return _WORDS[key].format(kind=kind)


def label_text(kind: str, start: date, lang: str) -> str:
    """``2020年4月`` / ``2020年第2季度`` (or English) for a month or quarter starting ``start``."""
    if kind == MONTH:
        name = start.strftime("%B")
        return i18n.t("period.label.month", lang, year=start.year, month=start.month,
                      month_name=name)  # fmt: skip
    return i18n.t("period.label.quarter", lang, year=start.year, quarter=(start.month + 2) // 3)
