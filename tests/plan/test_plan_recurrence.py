"""Recurrence (plan-format.md, Recurrence): every kind, every ``on`` value, periods, shifting."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest
from plan_helpers import HEAD, campaign, task

from tracker.plan.model import Expansion, Instance

Expand = Callable[[str], Expansion]


def run(
    expand: Expand,
    shift: str = "before",
    start: str = "2020-02-01",
    end: str = "2020-04-30",
    **fields: object,
) -> list[Instance]:
    head = HEAD.replace("year = 2020", f'year = 2020\ndue_shift = "{shift}"')
    return expand(head + campaign(start=start, end=end) + task(**fields)).instances


def test_day(expand: Expand) -> None:
    got = run(expand, shift="keep", start="2020-04-01", end="2020-04-05", every="day")
    assert [i.due for i in got] == [date(2020, 4, d) for d in range(1, 6)]
    assert [i.period for i in got] == [f"2020-04-0{d}" for d in range(1, 6)]
    assert got[0].uid == "p/c1/t/2020-04-01"


def test_workday_skips_holidays_and_includes_tiaoxiu(expand: Expand) -> None:
    got = run(expand, start="2020-04-24", end="2020-05-10", every="workday")
    days = [i.due for i in got]
    assert date(2020, 4, 26) in days  # Sunday worked in exchange
    assert date(2020, 5, 9) in days  # Saturday worked in exchange
    assert not any(date(2020, 5, 1) <= d <= date(2020, 5, 5) for d in days)
    assert all(i.due == date.fromisoformat(i.period or "") for i in got)


def test_week_defaults_to_friday_with_iso_week_periods(expand: Expand) -> None:
    got = run(expand, start="2020-04-01", end="2020-04-30", every="week")
    assert [i.due for i in got] == [date(2020, 4, d) for d in (3, 10, 17, 24)]
    assert [i.period for i in got] == ["2020-W14", "2020-W15", "2020-W16", "2020-W17"]


@pytest.mark.parametrize(
    ("on", "first"),
    [("mon", 6), ("tue", 7), ("wed", 1), ("thu", 2), ("fri", 3), ("sat", 4), ("sun", 5)],
)
def test_week_on_each_weekday(expand: Expand, on: str, first: int) -> None:
    got = run(expand, shift="keep", start="2020-04-01", end="2020-04-30", every="week", on=on)
    assert got[0].due == date(2020, 4, first)
    assert all((b.due - a.due).days == 7 for a, b in itertools.pairwise(got))


def test_two_weeks_starts_with_first_in_window(expand: Expand) -> None:
    got = run(expand, shift="keep", start="2020-04-01", end="2020-05-31", every="2 weeks", on="mon")
    assert [i.due for i in got] == [
        date(2020, 4, 6),
        date(2020, 4, 20),
        date(2020, 5, 4),
        date(2020, 5, 18),
    ]
    assert [i.period for i in got] == ["2020-W15", "2020-W17", "2020-W19", "2020-W21"]


def test_month_last_working_day_is_default(expand: Expand) -> None:
    got = run(expand, every="month")
    assert [i.due for i in got] == [date(2020, 2, 28), date(2020, 3, 31), date(2020, 4, 30)]
    assert [i.period for i in got] == ["2020-02", "2020-03", "2020-04"]
    assert [i.start for i in got] == [date(2020, 2, 1), date(2020, 3, 1), date(2020, 4, 1)]


def test_month_on_last_explicit_skips_holidays(expand: Expand) -> None:
    got = run(expand, start="2020-09-01", end="2020-10-31", every="month", on="last")
    assert [i.due for i in got] == [date(2020, 9, 30), date(2020, 10, 30)]


def test_month_on_day_clamped_to_month_length(expand: Expand) -> None:
    got = run(expand, shift="keep", start="2020-01-01", end="2020-04-30", every="month", on=31)
    assert [i.due for i in got] == [
        date(2020, 1, 31),
        date(2020, 2, 29),
        date(2020, 3, 31),
        date(2020, 4, 30),
    ]


def test_month_on_day_outside_window_is_skipped(expand: Expand) -> None:
    got = run(expand, shift="keep", start="2020-02-10", end="2020-04-05", every="month", on=5)
    assert [i.due for i in got] == [date(2020, 3, 5), date(2020, 4, 5)]


def test_month_on_day_shifts(expand: Expand) -> None:
    got = run(expand, every="month", on=15)  # 2020-02-15 is a Saturday
    assert got[0].due == date(2020, 2, 14)


def test_quarter(expand: Expand) -> None:
    got = run(expand, start="2020-01-01", end="2020-12-31", every="quarter")
    assert [i.due for i in got] == [
        date(2020, 3, 31),
        date(2020, 6, 30),
        date(2020, 9, 30),
        date(2020, 12, 31),
    ]
    assert [i.period for i in got] == ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    assert got[1].start == date(2020, 4, 1)
    got = run(expand, shift="keep", start="2020-01-01", end="2020-12-31", every="quarter", on=10)
    assert [i.due.isoformat() for i in got] == [
        "2020-03-10",
        "2020-06-10",
        "2020-09-10",
        "2020-12-10",
    ]


def test_recurrence_window_is_task_start_to_due(expand: Expand) -> None:
    got = run(expand, every="week", start="2020-02-01", end="2020-04-30", due="03-01")
    assert [i.due for i in got] == [
        date(2020, 2, 7),
        date(2020, 2, 14),
        date(2020, 2, 21),
        date(2020, 2, 28),
    ]
    got = run(expand, every="month", **{"start": "2020-02-01", "end": "2020-04-30"})
    assert len(got) == 3


def test_dates_list(expand: Expand) -> None:
    got = run(expand, start="2020-08-01", end="2020-10-31", dates=["10-17", "2020-09-15"])
    assert [(i.due, i.period) for i in got] == [
        (date(2020, 9, 15), "2020-09-15"),
        (date(2020, 10, 16), "2020-10-17"),  # Saturday -> Friday; period keeps the date
    ]
    assert got[1].uid == "p/c1/t/2020-10-17"


def test_shift_before_falls_back_to_after_at_window_start(expand: Expand) -> None:
    # the summer campaign starts on Labour Day (a Friday): "before" would leave the window
    got = run(expand, start="2020-05-01", end="2020-05-31", every="week", on="fri")
    assert got[0].due == date(2020, 5, 6)
    assert got[0].period == "2020-W18"


def test_shift_after_falls_back_to_before_at_window_end(expand: Expand) -> None:
    got = run(expand, shift="after", start="2020-04-01", end="2020-04-25", every="week", on="sat")
    assert got[-1].due == date(2020, 4, 24)  # 04-25 Sat: Monday 04-27 is outside
    assert got[0].due == date(2020, 4, 7)  # 04-04 Sat; 04-06 is 清明 (observed)


def test_shift_after_and_keep(expand: Expand) -> None:
    got = run(expand, shift="after", every="month", on=15)
    assert got[0].due == date(2020, 2, 17)
    got = run(expand, shift="keep", every="month", on=15)
    assert got[0].due == date(2020, 2, 15)


def test_single_task_due_shift_within_campaign(expand: Expand) -> None:
    # campaign ends on Saturday 2020-10-31: "after" would leave it, so Friday
    got = run(expand, shift="after", start="2020-08-01", end="2020-10-31")
    assert got[0].due == date(2020, 10, 30)
    got = run(expand, shift="before", start="2020-08-01", end="2020-10-31")
    assert got[0].due == date(2020, 10, 30)


def test_moved_dates_are_reported(expand: Expand) -> None:
    text = HEAD + campaign() + task(every="week", on="sat", due="02-29")
    exp = expand(text)
    assert len(exp.moved) == len(exp.instances) == 5  # five Saturdays, 02-01 .. 02-29
    m = exp.moved[0]
    assert (m.nominal, m.due, m.uid) == (date(2020, 2, 1), date(2020, 2, 3), "p/c1/t/2020-W05")
    assert m.line == text.splitlines().index('every = "week"') + 1


def test_written_full_dates_move_too(expand: Expand) -> None:
    exp = expand(HEAD + campaign() + task(due="2020-04-04"))
    assert exp.instances[0].due == date(2020, 4, 3)
    assert exp.moved[0].nominal == date(2020, 4, 4)


@pytest.mark.parametrize(
    ("every", "on"),
    [
        ("week", "friday"),
        ("week", 5),
        ("month", 0),
        ("month", 32),
        ("month", "first"),
        ("day", "mon"),
        ("quarter", "fri"),
    ],
)
def test_bad_on_values(errors: Callable[[str], list[str]], every: str, on: object) -> None:
    text = HEAD + campaign() + task(every=every, on=on)
    (line,) = errors(text)
    assert "'on'" in line and f"every = '{every}'" in line


def test_bad_every(errors: Callable[[str], list[str]]) -> None:
    (line,) = errors(HEAD + campaign() + task(every="fortnight"))
    assert "'every' = 'fortnight'" in line


def test_on_without_every(errors: Callable[[str], list[str]]) -> None:
    (line,) = errors(HEAD + campaign() + task(on="mon"))
    assert "'on'" in line and "needs 'every'" in line


def test_every_and_dates_together(errors: Callable[[str], list[str]]) -> None:
    (line,) = errors(HEAD + campaign() + task(every="week", dates=["03-01"]))
    assert "both 'every' and 'dates'" in line


def test_dates_errors(errors: Callable[[str], list[str]]) -> None:
    out = errors(HEAD + campaign() + task(dates=["03-02", "2020-03-02", "01-05"], start="02-10"))
    assert any("listed twice" in e for e in out)
    out = errors(HEAD + campaign() + task(dates=["03-02"], due="03-01"))
    assert any("after the task's 'due'" in e for e in out)
    out = errors(HEAD + campaign() + task(dates=[]))
    assert any("'dates'" in e and "empty" in e for e in out)


def test_no_occurrence_warns(expand: Expand) -> None:
    exp = expand(HEAD + campaign() + task(every="week", on="mon", start="03-03", due="03-08"))
    assert exp.instances == []
    assert [w.message_key for w in exp.warnings] == ["plan.w_no_occurrence"]
