"""Indicators (plan-format-v2.md): 序时进度 runs linearly over working days through the
milestones; ``sum`` adds instances up, ``each`` counts the owners that reached their own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker.domain.indicators import Part, default_measure, expected_of, figures, share
from tracker.plan.calendar import WorkCalendar

CN = WorkCalendar("cn")
WEEKENDS = WorkCalendar("weekends")
D = date


def test_linear_over_working_days_without_milestones() -> None:
    # Mon 2020-06-01 .. Fri 2020-06-12: ten working days
    start, due = D(2020, 6, 1), D(2020, 6, 12)
    assert share(D(2020, 5, 31), start, due, (), WEEKENDS) == 0.0  # before the start
    assert share(start, start, due, (), WEEKENDS) == pytest.approx(0.1)  # the first day's work
    assert share(D(2020, 6, 5), start, due, (), WEEKENDS) == pytest.approx(0.5)
    # the weekend adds nothing: Saturday and Sunday read as Friday
    assert share(D(2020, 6, 6), start, due, (), WEEKENDS) == pytest.approx(0.5)
    assert share(D(2020, 6, 7), start, due, (), WEEKENDS) == pytest.approx(0.5)
    assert share(D(2020, 6, 8), start, due, (), WEEKENDS) == pytest.approx(0.6)
    assert share(due, start, due, (), WEEKENDS) == 1.0
    assert share(D(2021, 1, 1), start, due, (), WEEKENDS) == 1.0  # from due on


def test_holidays_count_as_no_working_day() -> None:
    # 2020-09-28 .. 2020-10-16 under the cn calendar: 10-01..10-08 off, 09-27 and 10-10 worked
    start, due = D(2020, 9, 28), D(2020, 10, 16)
    total = CN.count_workdays(start, due)
    assert total == 10  # 09-28..30 (3), 10-09, 10-10 (Saturday, worked), 10-12..16 (5)
    assert share(D(2020, 10, 5), start, due, (), CN) == pytest.approx(3 / 10)
    assert share(D(2020, 10, 10), start, due, (), CN) == pytest.approx(5 / 10)


def test_milestones_bend_the_line_and_hold_on_their_day() -> None:
    start, due = D(2020, 6, 1), D(2020, 6, 26)  # four weeks, 20 working days
    points = ((D(2020, 6, 5), 50.0),)  # half by the first Friday
    assert share(D(2020, 6, 3), start, due, points, WEEKENDS) == pytest.approx(0.5 * 3 / 5)
    assert share(D(2020, 6, 5), start, due, points, WEEKENDS) == pytest.approx(0.5)
    # after the milestone: from it through d over from it through due (it counts in both)
    later = share(D(2020, 6, 12), start, due, points, WEEKENDS)
    assert later == pytest.approx(0.5 + 0.5 * 6 / 16)
    assert share(due, start, due, points, WEEKENDS) == 1.0


def test_milestones_outside_the_window_are_ignored_and_flat_segments_hold() -> None:
    start, due = D(2020, 6, 1), D(2020, 6, 12)
    outside = ((D(2020, 5, 1), 90.0), (D(2020, 7, 1), 10.0))
    assert share(D(2020, 6, 5), start, due, outside, WEEKENDS) == pytest.approx(0.5)
    # a segment without a working day (a Saturday to a Sunday) holds the earlier share
    sat, sun = D(2020, 6, 6), D(2020, 6, 7)
    assert share(sat, sat, sun, (), WEEKENDS) == 0.0
    assert share(sun, sat, sun, (), WEEKENDS) == 1.0


def test_share_never_decreases_and_stays_in_bounds() -> None:
    start, due = D(2020, 3, 2), D(2020, 7, 31)
    points = ((D(2020, 4, 30), 30.0), (D(2020, 5, 31), 30.0), (D(2020, 6, 30), 80.0))
    values = [share(start + timedelta(days=i), start, due, points, CN) for i in range(-5, 160)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values)


def test_expected_and_gap_for_sum_and_each() -> None:
    start, due, at = D(2020, 6, 1), D(2020, 6, 12), D(2020, 6, 5)  # half-way
    parts = [
        Part(start, due, 10, 8),  # reached? no (8 < 10)
        Part(start, due, 10, 12),  # reached
        Part(start, due, 30, 0),
    ]
    s = figures("sum", parts, at, WEEKENDS)
    assert (s.target, s.progress, s.owners, s.owners_reached) == (50, 20, 3, 1)
    assert s.expected == pytest.approx(25) and s.gap == pytest.approx(-5)
    assert s.rate == pytest.approx(0.4) and not s.reached
    e = figures("each", parts, at, WEEKENDS)
    assert (e.target, e.progress, e.owners, e.owners_reached) == (3, 1, 3, 1)
    assert e.expected == pytest.approx(1.5) and e.gap == pytest.approx(-0.5)
    assert e.rate == pytest.approx(1 / 3)
    assert expected_of(parts[2], at, WEEKENDS) == pytest.approx(15)


def test_each_never_adds_owners_figures() -> None:
    """ "每村10万元以上": 25 万 over five villages is not 50 %; none of them reached 10."""
    start, due = D(2020, 1, 2), D(2020, 12, 31)
    parts = [Part(start, due, 10, p) for p in (9, 8, 4, 2, 2)]
    e = figures("each", parts, due, CN)
    assert (e.owners, e.owners_reached, e.rate) == (5, 0, 0.0)
    s = figures("sum", parts, due, CN)
    assert s.rate == pytest.approx(0.5)  # what the version 1 sum said


def test_default_measure() -> None:
    assert default_measure("%") == "each" and default_measure(" % ") == "each"
    assert default_measure("户") == "sum" and default_measure(None) == "sum"


def test_empty_indicator() -> None:
    f = figures("each", [], D(2020, 6, 1), CN)
    assert (f.owners, f.rate, f.reached) == (0, None, False)
    f = figures("sum", [], D(2020, 6, 1), CN)
    assert (f.target, f.rate) == (0, None)
