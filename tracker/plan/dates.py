"""Date expressions of a plan: ``2020-04-30``, ``"04-30"``, ``"start"``, ``"end - 5wd"`` ….

A date is parsed once into a ``DateExpr`` and resolved against its context (the campaign's
start for month-day dates, the anchors ``start``/``end``, the working-day calendar for ``wd``).
Failures raise ``DateError`` carrying an i18n key, so the caller can place it on the right line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.plan.calendar import WorkCalendar

_FULL = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MD = re.compile(r"(\d{2})-(\d{2})")
_HEAD = re.compile(r"\s*(\d{4}-\d{2}-\d{2}|\d{2}-\d{2}|start|end)\s*")
_OFFSET = re.compile(r"([+-])\s*(\d+)\s*(wd|d|w|m)\s*")

#: The largest offset accepted (in its unit): enough for any plan, small enough to stay cheap.
MAX_OFFSET = 10_000


class DateError(ValueError):
    """A date that cannot be parsed or resolved; ``key`` is an i18n message key."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A parsed date: a base (a full date, a month-day, or an anchor) plus offsets."""

    kind: str  # "date" | "md" | "start" | "end"
    value: date | None = None
    month: int = 0
    day: int = 0
    offsets: tuple[tuple[int, str], ...] = ()
    text: str = ""


def parse_date(raw: object) -> DateExpr:
    """Parse a TOML value into a ``DateExpr`` (``DateError`` when it is not a date form)."""
    if isinstance(raw, datetime):
        raise DateError("plan.date_not_date", value=str(raw))
    if isinstance(raw, date):
        return DateExpr("date", value=raw, text=raw.isoformat())
    if not isinstance(raw, str):
        raise DateError("plan.date_bad", value=str(raw))
    text = raw
    m = _HEAD.match(text)
    if not m:
        raise DateError("plan.date_bad", value=text)
    head = m.group(1)
    pos = m.end()
    offsets: list[tuple[int, str]] = []
    while pos < len(text):
        om = _OFFSET.match(text, pos)
        if not om:
            raise DateError("plan.date_bad", value=text)
        digits = om.group(2)
        n = int(digits) if len(digits) <= 6 else MAX_OFFSET + 1
        if n > MAX_OFFSET:
            raise DateError("plan.date_offset_big", value=text, limit=MAX_OFFSET)
        offsets.append((n if om.group(1) == "+" else -n, om.group(3)))
        pos = om.end()
    if head in ("start", "end"):
        return DateExpr(head, offsets=tuple(offsets), text=text)
    full = _FULL.fullmatch(head)
    if full:
        y, mo, d = (int(g) for g in full.groups())
        try:
            value = date(y, mo, d)
        except ValueError as e:
            raise DateError("plan.date_nosuch", value=head) from e
        return DateExpr("date", value=value, offsets=tuple(offsets), text=text)
    md = _MD.fullmatch(head)
    assert md is not None
    mo, d = int(md.group(1)), int(md.group(2))
    try:
        date(2000, mo, d)  # a leap year: accepts 02-29
    except ValueError as e:
        raise DateError("plan.date_nosuch", value=head) from e
    return DateExpr("md", month=mo, day=d, offsets=tuple(offsets), text=text)


@dataclass(frozen=True, slots=True)
class DateContext:
    """What a date resolves against: the anchors, the month-day anchor, bounds, calendar."""

    start: date | None
    end: date | None
    md_from: date | None
    lo: date
    hi: date
    calendar: WorkCalendar


def resolve(expr: DateExpr, ctx: DateContext) -> date:
    """The date ``expr`` means in ``ctx`` (``DateError`` when it cannot be resolved)."""
    if expr.kind == "date":
        assert expr.value is not None
        d = expr.value
    elif expr.kind == "start" or expr.kind == "end":
        anchor = ctx.start if expr.kind == "start" else ctx.end
        if anchor is None:
            raise DateError("plan.date_anchor", value=expr.text, anchor=expr.kind)
        d = anchor
    else:
        if ctx.md_from is None:
            raise DateError("plan.date_no_year", value=expr.text)
        d = _month_day_on_or_after(expr.month, expr.day, ctx.md_from, expr.text)
    _check_range(d, expr, ctx)
    for n, unit in expr.offsets:
        d = _offset(d, n, unit, expr, ctx)
        _check_range(d, expr, ctx)
    return d


def _month_day_on_or_after(month: int, day: int, anchor: date, text: str) -> date:
    for year in (anchor.year, anchor.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d >= anchor:
            return d
    raise DateError("plan.date_nosuch_year", value=text, year=anchor.year)


def _check_range(d: date, expr: DateExpr, ctx: DateContext) -> None:
    if not ctx.lo <= d <= ctx.hi:
        raise DateError("plan.date_range", value=expr.text, lo=ctx.lo.year, hi=ctx.hi.year)


def _offset(d: date, n: int, unit: str, expr: DateExpr, ctx: DateContext) -> date:
    try:
        if unit == "d":
            return d + timedelta(days=n)
        if unit == "w":
            return d + timedelta(weeks=n)
        if unit == "m":
            return add_months(d, n)
        moved = ctx.calendar.add_workdays(d, n) if ctx.lo <= d <= ctx.hi else None
    except (OverflowError, ValueError) as e:
        raise DateError("plan.date_range", value=expr.text, lo=ctx.lo.year, hi=ctx.hi.year) from e
    if moved is None:
        raise DateError("plan.date_range", value=expr.text, lo=ctx.lo.year, hi=ctx.hi.year)
    return moved


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months, the day clamped to the month's length."""
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    last = 31 if month == 12 else (date(year, month + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, last))
