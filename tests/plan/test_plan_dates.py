"""Dates (plan-format.md, Dates): every written form, offsets, year-crossing, bounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from plan_helpers import HEAD, campaign, task

from tracker.plan.calendar import WorkCalendar
from tracker.plan.dates import DateContext, DateError, add_months, parse_date, resolve
from tracker.plan.model import Expansion

NONE = WorkCalendar("none")
CN = WorkCalendar("cn")


def ctx(
    start: date | None = date(2020, 2, 1),
    end: date | None = date(2020, 4, 30),
    md_from: date | None = date(2020, 2, 1),
    cal: WorkCalendar = NONE,
) -> DateContext:
    return DateContext(start, end, md_from, date(2010, 1, 1), date(2030, 12, 31), cal)


def r(text: object, **kw: object) -> date:
    return resolve(parse_date(text), ctx(**kw))  # type: ignore[arg-type]


def keep_due(expand: Callable[[str], Expansion], due: object, **camp: str) -> date:
    """The due date of a one-task plan with ``due_shift = keep`` (no moving)."""
    text = HEAD.replace("year = 2020", 'year = 2020\ndue_shift = "keep"')
    text += campaign(**camp) + task(due=due) if not isinstance(due, date) else ""
    if isinstance(due, date):
        text += campaign(**camp) + task().replace('title = "任务"', f'title = "任务"\ndue = {due}')
    (inst,) = expand(text).instances
    return inst.due


def test_toml_local_date(expand: Callable[[str], Expansion]) -> None:
    assert keep_due(expand, date(2020, 3, 15)) == date(2020, 3, 15)


def test_full_date_string() -> None:
    assert r("2020-04-30") == date(2020, 4, 30)


def test_month_day_resolves_in_campaign_window() -> None:
    assert r("03-15") == date(2020, 3, 15)


def test_month_day_before_campaign_start_is_next_year() -> None:
    # a winter campaign 2020-11-01 .. 2021-01-31: "01-15" is 2021-01-15
    winter = {"start": date(2020, 11, 1), "end": date(2021, 1, 31), "md_from": date(2020, 11, 1)}
    assert r("01-15", **winter) == date(2021, 1, 15)
    assert r("11-01", **winter) == date(2020, 11, 1)
    assert r("12-31", **winter) == date(2020, 12, 31)


def test_year_crossing_in_a_plan(expand: Callable[[str], Expansion]) -> None:
    got = keep_due(expand, "01-15", start="2020-11-01", end="2021-01-31")
    assert got == date(2021, 1, 15)


def test_campaign_month_day_dates_use_plan_year(expand: Callable[[str], Expansion]) -> None:
    text = HEAD + campaign(start='"11-01"', end='"01-31"') + task()
    exp = expand(text)
    (c,) = exp.plan.campaigns
    assert (c.start, c.end) == (date(2020, 11, 1), date(2021, 1, 31))


def test_anchors_start_and_end() -> None:
    assert r("start") == date(2020, 2, 1)
    assert r("end") == date(2020, 4, 30)


def test_due_start_is_the_tasks_own_start(expand: Callable[[str], Expansion]) -> None:
    text = HEAD + campaign() + task(start="03-02", due="start + 2d")
    (inst,) = expand(text).instances
    assert (inst.start, inst.due) == (date(2020, 3, 2), date(2020, 3, 4))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("start + 3d", date(2020, 2, 4)),
        ("end - 5d", date(2020, 4, 25)),
        ("start + 2w", date(2020, 2, 15)),
        ("start+1m", date(2020, 3, 1)),
        ("2020-04-30 - 1w", date(2020, 4, 23)),
        ("04-30 - 10d", date(2020, 4, 20)),
        ("start + 1m + 1d", date(2020, 3, 2)),
    ],
)
def test_offsets_in_days_weeks_months(text: str, expected: date) -> None:
    assert r(text) == expected


def test_month_offset_clamps_to_month_end() -> None:
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert add_months(date(2020, 3, 31), -1) == date(2020, 2, 29)
    assert add_months(date(2020, 12, 15), 1) == date(2021, 1, 15)
    assert r("01-31 + 1m", md_from=date(2020, 1, 1)) == date(2020, 2, 29)


def test_working_day_offsets_skip_holidays_and_count_tiaoxiu() -> None:
    # 2020-04-30 (Thu) + 1wd: 05-01..05-05 are off (Labour Day) -> 05-06
    assert r("04-30 + 1wd", cal=CN) == date(2020, 5, 6)
    # 2020-04-24 (Fri) + 1wd: Sunday 04-26 is worked in exchange (调休)
    assert r("04-24 + 1wd", cal=CN) == date(2020, 4, 26)
    # backwards: 04-30 - 2wd = 04-28
    assert r("04-30 - 2wd", cal=CN) == date(2020, 4, 28)
    assert r("04-30 - 0wd", cal=CN) == date(2020, 4, 30)


def test_wd_offset_in_plan(expand: Callable[[str], Expansion]) -> None:
    text = HEAD + campaign() + task(due="04-30 - 2wd")
    (inst,) = expand(text).instances
    assert inst.due == date(2020, 4, 28)


@pytest.mark.parametrize(
    "bad", ["04/30", "2020-4-30", "end + 3x", "starts", "next friday", "", "+3d"]
)
def test_unparseable_forms(bad: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(bad)
    assert info.value.key == "plan.date_bad"


@pytest.mark.parametrize("bad", ["2020-02-30", "13-01", "04-31", "2020-00-10"])
def test_no_such_date(bad: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(bad)
    assert info.value.key == "plan.date_nosuch"


def test_feb_29_resolves_only_in_a_leap_year() -> None:
    assert r("02-29", md_from=date(2020, 1, 1)) == date(2020, 2, 29)
    with pytest.raises(DateError) as info:
        r("02-29", md_from=date(2021, 1, 1))
    assert info.value.key == "plan.date_nosuch_year"


def test_dates_far_from_plan_year_are_errors() -> None:
    with pytest.raises(DateError) as info:
        r("9999-12-31")
    assert info.value.key == "plan.date_range"
    with pytest.raises(DateError):
        r("end + 9999m")


def test_huge_offset_is_an_error() -> None:
    with pytest.raises(DateError) as info:
        parse_date("start + 99999999d")
    assert info.value.key == "plan.date_offset_big"


def test_datetime_is_not_a_date(errors: Callable[[str], list[str]]) -> None:
    text = (
        HEAD
        + campaign()
        + task().replace('title = "任务"', 'title = "任务"\ndue = 2020-04-01T10:00:00')
    )
    (line,) = errors(text)
    assert "'due'" in line and "time of day" in line


def test_anchor_not_allowed_in_campaign_start(errors: Callable[[str], list[str]]) -> None:
    text = HEAD + campaign(start='"end"') + task()
    out = errors(text)
    assert any("'start'" in e and "cannot use 'end'" in e for e in out)


def test_bad_dates_are_reported_on_their_line(errors: Callable[[str], list[str]]) -> None:
    text = HEAD + campaign() + task(due="04-31")
    line_no = text.splitlines().index('due = "04-31"') + 1
    (line,) = errors(text)
    assert line.startswith(f"{line_no}: ") and "'due'" in line
