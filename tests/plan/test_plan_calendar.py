"""Working days (plan-format.md, Dates): China's calendar with 调休, overrides, shifting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from plan_helpers import HEAD, campaign, task

from tracker.plan.calendar import WorkCalendar, official_workdays
from tracker.plan.model import Expansion

CN = WorkCalendar("cn")


@pytest.mark.parametrize(
    "day", ["2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"]
)
def test_tiaoxiu_weekend_days_are_working_days(day: str) -> None:
    d = date.fromisoformat(day)
    assert d.weekday() >= 5
    assert CN.is_workday(d)
    assert not WorkCalendar("weekends").is_workday(d)


def test_national_day_week_is_off() -> None:
    for i in range(8):
        assert not CN.is_workday(date(2020, 10, 1) + timedelta(days=i))
    assert CN.is_workday(date(2020, 10, 9))


def test_ordinary_days() -> None:
    assert CN.is_workday(date(2020, 4, 15))  # a Wednesday
    assert not CN.is_workday(date(2020, 4, 18))  # a Saturday
    assert not CN.is_workday(date(2020, 5, 1))  # Labour Day, a Friday


def test_weekends_and_none_calendars() -> None:
    weekends, none = WorkCalendar("weekends"), WorkCalendar("none")
    assert weekends.is_workday(date(2020, 10, 1))  # a Thursday: no holidays in "weekends"
    assert not weekends.is_workday(date(2020, 10, 3))
    assert none.is_workday(date(2020, 10, 3))


def test_overrides_come_last() -> None:
    cal = WorkCalendar("cn", holidays=[date(2020, 10, 9)], workdays=[date(2020, 10, 3)])
    assert not cal.is_workday(date(2020, 10, 9))
    assert cal.is_workday(date(2020, 10, 3))


def test_next_prev_and_workday_offsets() -> None:
    assert CN.next_workday(date(2020, 9, 30)) == date(2020, 10, 9)
    assert CN.prev_workday(date(2020, 10, 9)) == date(2020, 9, 30)
    assert CN.add_workdays(date(2020, 9, 30), 2) == date(2020, 10, 10)  # Saturday, 调休
    assert CN.last_workday_of_month(2020, 1) == date(2020, 1, 23)  # 春节 from the 24th


def test_shift_modes_and_window() -> None:
    sat = date(2020, 4, 18)
    lo, hi = date(2020, 4, 1), date(2020, 4, 30)
    assert CN.shift(sat, "before", lo, hi) == date(2020, 4, 17)
    assert CN.shift(sat, "after", lo, hi) == date(2020, 4, 20)
    assert CN.shift(sat, "keep", lo, hi) == sat
    # "before" would leave the window: "after" is used, and the reverse
    assert CN.shift(sat, "before", sat, hi) == date(2020, 4, 20)
    assert CN.shift(sat, "after", lo, sat) == date(2020, 4, 17)
    # no working day inside the window at all: unchanged
    assert CN.shift(sat, "before", sat, sat) == sat


def test_plan_calendar_overrides(expand: Callable[[str], Expansion]) -> None:
    text = HEAD + '\n[calendar]\nholidays = [2020-04-17]\nworkdays = ["2020-04-19"]\n'
    text += campaign() + task(due="04-18")
    (inst,) = expand(text).instances
    assert inst.due == date(2020, 4, 16)  # 04-17 made a holiday by the plan
    text2 = text.replace('task(due="04-18")', "").replace('"04-18"', '"04-19"')
    (inst2,) = expand(text2).instances
    assert inst2.due == date(2020, 4, 19)  # a Sunday worked by the plan


def test_calendar_both_holiday_and_workday_is_an_error(errors: Callable[[str], list[str]]) -> None:
    text = HEAD + "\n[calendar]\nholidays = [2020-04-17]\nworkdays = [2020-04-17]\n"
    text += campaign() + task()
    (line,) = errors(text)
    assert "2020-04-17" in line and "both" in line


def test_calendar_unknown_key(errors: Callable[[str], list[str]]) -> None:
    text = HEAD + "\n[calendar]\nholiday = [2020-04-17]\n" + campaign() + task()
    (line,) = errors(text)
    assert line.startswith(f"{text.splitlines().index('holiday = [2020-04-17]') + 1}: ")
    assert "unknown key 'holiday' in [calendar]" in line


def test_known_years_have_official_schedules() -> None:
    assert date(2020, 10, 10) in official_workdays(2020)
    assert official_workdays(2021)


def test_missing_schedule_warns(expand: Callable[[str], Expansion]) -> None:
    year = 2035
    assert not official_workdays(year)
    text = HEAD.replace("year = 2020", f"year = {year}")
    text += campaign(start=f"{year}-02-01", end=f"{year}-04-30") + task()
    warnings = [w.render("en") for w in expand(text).warnings]
    assert any(f"{year} schedule" in w for w in warnings)


def test_missing_schedule_silenced_by_calendar_entries(expand: Callable[[str], Expansion]) -> None:
    year = 2035
    text = HEAD.replace("year = 2020", f"year = {year}")
    text += f"\n[calendar]\nworkdays = [{year}-02-03]\n"
    text += campaign(start=f"{year}-02-01", end=f"{year}-04-30") + task()
    assert not [w for w in expand(text).warnings if w.message_key == "plan.w_no_schedule"]


def test_no_schedule_warning_for_weekends_calendar(expand: Callable[[str], Expansion]) -> None:
    text = HEAD.replace("year = 2020", 'year = 2035\ncalendar = "weekends"')
    text += campaign(start="2035-02-01", end="2035-04-30") + task()
    assert not expand(text).warnings


def test_winter_2020_needs_no_schedule_warning(expand: Callable[[str], Expansion]) -> None:
    text = HEAD + campaign(start="2020-11-01", end="2021-01-31") + task(due="01-29")
    assert not expand(text).warnings


def test_calendar_for_plan_keeps_overrides(expand: Callable[[str], Expansion]) -> None:
    text = HEAD + "\n[calendar]\nholidays = [2020-04-17]\n" + campaign() + task()
    plan = expand(text).plan
    assert plan.holidays == (date(2020, 4, 17),)
    cal = WorkCalendar.for_plan(plan)
    assert not cal.is_workday(date(2020, 4, 17))
    assert cal.is_workday(date(2020, 4, 16))
