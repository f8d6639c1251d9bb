"""The working-day calendar: which days count as working days for due dates and ``wd`` offsets.

``calendar = "cn"`` is Monday to Friday, minus China's statutory holidays, plus the weekend days
worked in exchange (调休), from the maintained ``holidays`` package, then the plan's own
``[calendar]`` overrides. Years are computed once, lazily, as one flag per day, because
expansion asks about the same few years hundreds of thousands of times.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.plan.model import Plan

CALENDARS = ("cn", "weekends", "none")

#: How far ``next_workday``/``prev_workday`` look before giving up (a year of holidays).
_SEARCH_LIMIT = 400


@functools.lru_cache(maxsize=256)
def _cn_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """China's statutory days off and officially worked weekend days (调休) of ``year``."""
    from holidays.countries.china import China

    if not 1 <= year <= 9999:
        return frozenset(), frozenset()
    try:
        cn = China(years=year)  # type: ignore[no-untyped-call]
    except (NotImplementedError, ValueError, OverflowError):  # pragma: no cover - lib limits
        return frozenset(), frozenset()
    days_off = frozenset(d for d in cn if d.year == year)
    worked = frozenset(d for d in getattr(cn, "weekend_workdays", ()) if d.year == year)
    return days_off, worked


def official_workdays(year: int) -> frozenset[date]:
    """The weekend days China officially works in ``year`` (empty when not yet announced)."""
    return _cn_year(year)[1]


class WorkCalendar:
    """Answers "is this a working day?" quickly, and walks to the next/previous one.

    ``kind`` is ``"cn"``, ``"weekends"`` or ``"none"``; ``holidays``/``workdays`` are the plan's
    overrides (extra days off, extra working days), applied last.
    """

    def __init__(
        self,
        kind: str = "cn",
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
    ) -> None:
        if kind not in CALENDARS:
            raise ValueError(f"unknown calendar {kind!r}")
        self.kind = kind
        self.extra_holidays = frozenset(holidays)
        self.extra_workdays = frozenset(workdays)
        self._years: dict[int, bytearray] = {}

    @classmethod
    def for_plan(cls, plan: Plan) -> WorkCalendar:
        """The working-day calendar a plan was expanded with (its kind and overrides)."""
        return cls(plan.calendar, plan.holidays, plan.workdays)

    def _flags(self, year: int) -> bytearray:
        flags = self._years.get(year)
        if flags is None:
            flags = self._build(year)
            self._years[year] = flags
        return flags

    def _build(self, year: int) -> bytearray:
        first = date(year, 1, 1)
        ndays = (date(year, 12, 31) - first).days + 1
        weekday0 = first.weekday()
        if self.kind == "none":
            flags = bytearray(b"\x01" * ndays)
        else:
            flags = bytearray(1 if (weekday0 + i) % 7 < 5 else 0 for i in range(ndays))
        if self.kind == "cn":
            days_off, worked = _cn_year(year)
            for d in days_off:
                flags[d.timetuple().tm_yday - 1] = 0
            for d in worked:
                flags[d.timetuple().tm_yday - 1] = 1
        for d in self.extra_holidays:
            if d.year == year:
                flags[d.timetuple().tm_yday - 1] = 0
        for d in self.extra_workdays:
            if d.year == year:
                flags[d.timetuple().tm_yday - 1] = 1
        return flags

    def year_flags(self, year: int) -> str:
        """``year``'s days as ``"0"``/``"1"`` (day off / working day), 1 January first: what a
        store keeps so that it can count working days without the holidays data."""
        return self._flags(year).translate(bytes.maketrans(b"\x00\x01", b"01")).decode()

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day."""
        return bool(self._flags(d.year)[d.timetuple().tm_yday - 1])

    def next_workday(self, d: date) -> date | None:
        """The first working day strictly after ``d`` (None if none within a year or at 9999)."""
        for _ in range(_SEARCH_LIMIT):
            if d.year == 9999 and d.month == 12 and d.day == 31:
                return None
            d += timedelta(days=1)
            if self.is_workday(d):
                return d
        return None

    def prev_workday(self, d: date) -> date | None:
        """The last working day strictly before ``d`` (None if none within a year or at 1)."""
        for _ in range(_SEARCH_LIMIT):
            if d == date.min:
                return None
            d -= timedelta(days=1)
            if self.is_workday(d):
                return d
        return None

    def add_workdays(self, d: date, n: int) -> date | None:
        """``d`` moved by ``n`` working days (``n < 0``: backwards); ``d`` itself if ``n == 0``."""
        step = self.next_workday if n > 0 else self.prev_workday
        for _ in range(abs(n)):
            nxt = step(d)
            if nxt is None:
                return None
            d = nxt
        return d

    def workdays_between(self, start: date, end: date) -> list[date]:
        """Every working day from ``start`` to ``end``, both included."""
        out: list[date] = []
        d = start
        one = timedelta(days=1)
        while d <= end:
            if self.is_workday(d):
                out.append(d)
            if d == date.max:
                break
            d += one
        return out

    def count_workdays(self, start: date, end: date) -> int:
        """How many working days lie from ``start`` through ``end``, both included (0 when
        ``end`` is before ``start``): one slice count per year, not a walk day by day."""
        total = 0
        for year in range(start.year, end.year + 1):
            flags = self._flags(year)
            lo = start.timetuple().tm_yday - 1 if year == start.year else 0
            hi = end.timetuple().tm_yday if year == end.year else len(flags)
            if hi > lo:
                total += flags.count(1, lo, hi)
        return total

    def last_workday_of_month(self, year: int, month: int) -> date | None:
        """The month's last working day (None when the month has none)."""
        d = _month_end(year, month)
        one = timedelta(days=1)
        while d.month == month:
            if self.is_workday(d):
                return d
            if d.day == 1:
                return None
            d -= one
        return None  # pragma: no cover - loop always returns

    def shift(self, d: date, mode: str, lo: date, hi: date) -> date:
        """Move a non-working ``d`` by ``mode`` (before/after/keep), staying within ``lo..hi``.

        Where ``before`` would leave the window ``after`` is used, and the reverse; when
        neither finds a working day in the window the date stays as it is.
        """
        if mode == "keep" or self.is_workday(d):
            return d
        prev = self.prev_workday(d)
        nxt = self.next_workday(d)
        ok_prev = prev is not None and prev >= lo
        ok_next = nxt is not None and nxt <= hi
        if mode == "before":
            if ok_prev:
                assert prev is not None
                return prev
            if ok_next:
                assert nxt is not None
                return nxt
        else:
            if ok_next:
                assert nxt is not None
                return nxt
            if ok_prev:
                assert prev is not None
                return prev
        return d


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def month_end(year: int, month: int) -> date:
    """The last day of ``year-month``."""
    return _month_end(year, month)
