"""``tracker calendar``: the .ics file parsed back with icalendar and checked event by event."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from notify_helpers import Run

# three working days before the deadline, at 9:00, by the plan's calendar: 2020-04-26 is a 调休
# Sunday (worked), 2020-04-29 the plan's own day off
ALARMS = {
    "over-holiday": date(2020, 4, 26),  # 04-30: back over 04-29 (off), 04-28, 04-27, 04-26
    "after-tiaoxiu": date(2020, 4, 23),  # 04-27: 04-26 (调休), 04-24, 04-23
    "soon-tiaoxiu": date(2020, 4, 22),  # 04-26: 04-24, 04-23, 04-22
    "village-today": date(2020, 4, 21),
    "far": date(2020, 5, 27),  # 06-01 (Monday): 05-29, 05-28, 05-27
    "late-long": date(2020, 4, 7),  # 04-10: 04-09, 04-08, 04-07
}


def _open_tasks(run: Run) -> dict[str, dict[str, Any]]:
    listed = json.loads(run("list", "--json").stdout)
    return {t["uid"]: t for t in listed if t["status"] in ("todo", "doing", "blocked")}


def _calendar(run: Run, *args: str) -> tuple[bytes, Calendar]:
    r = run("calendar", *args)
    assert r.exit_code == 0, r.output
    raw = r.stdout_bytes
    return raw, Calendar.from_ical(raw)


def test_one_event_per_open_task(run: Run) -> None:
    _, cal = _calendar(run)
    tasks = _open_tasks(run)
    events = cal.walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == sorted(tasks)
    assert "notify-2020/spring/finished" not in {str(e["uid"]) for e in events}
    for e in events:
        t = tasks[str(e["uid"])]
        due = date.fromisoformat(t["due"])
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        assert type(start) is date and start == due  # all-day
        assert type(end) is date and end == due + timedelta(days=1)
        assert str(e["summary"]) == t["title"]
        desc = str(e["description"])
        assert t["owner_name"] in desc and (t["leader"] or "—") in desc
        assert f"#{t['id']}" in desc
        assert e.decoded("dtstamp").tzinfo is not None  # UTC
        [alarm] = e.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY" and str(alarm["description"])
        when = datetime.combine(due, datetime.min.time()) + alarm.decoded("trigger")
        if t["task_key"] in ALARMS:
            assert when == datetime.combine(ALARMS[t["task_key"]], datetime.min.time()).replace(
                hour=9
            ), t["task_key"]
    assert len(events) == 9


def test_calendar_properties_for_phones(run: Run) -> None:
    raw, cal = _calendar(run)
    text = raw.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\r\nVERSION:2.0\r\n" in text and "\r\nPRODID:" in text
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT12H\r\n" in text
    assert "\r\nMETHOD:PUBLISH\r\n" in text
    assert "DTSTART;VALUE=DATE:20200430\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert cal["refresh-interval"].params["VALUE"] == "DURATION"
    assert "催办测试计划" in str(cal["x-wr-calname"])


def test_leader_and_unit_in_the_description(run: Run) -> None:
    _, cal = _calendar(run)
    by = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    office = str(by["notify-2020/spring/office-late"]["description"])
    assert "Unit: 县扶贫办" in office and "Responsible leader: 赵主任" in office
    assert "overdue" in office


def test_owner_includes_the_units_below(run: Run) -> None:
    _, cal = _calendar(run, "--owner", "town")
    owners = {str(e["uid"]).split("/")[2] for e in cal.walk("VEVENT")}
    assert owners == {"late-long", "late-short", "soon-tiaoxiu", "after-tiaoxiu", "village-today"}
    _, by_name = _calendar(run, "--owner", "城关镇")
    assert len(by_name.walk("VEVENT")) == 5


@pytest.mark.parametrize(
    ("person", "count"), [("王五", 1), ("张三", 5), ("刘副县长", 9), ("赵主任", 9)]
)
def test_person_gets_their_units_tasks(run: Run, person: str, count: int) -> None:
    _, cal = _calendar(run, "--person", person)
    assert len(cal.walk("VEVENT")) == count
    assert person in str(cal["x-wr-calname"])


def test_output_file_is_written(run: Run, isolated: Path) -> None:
    r = run("calendar", "--owner", "office", "-o", "deadlines.ics")
    assert r.exit_code == 0 and r.stdout == "" and "deadlines.ics" in r.stderr
    cal = Calendar.from_ical((isolated / "deadlines.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == 2
    assert [p.name for p in isolated.iterdir() if p.name.startswith(".deadlines")] == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--owner", "twon"], "did you mean town?"),
        (["--owner", "nowhere-at-all"], "unknown unit: nowhere-at-all"),
        (["--person", "陌生人"], "陌生人 is not in the roster"),
        (["--owner", "town", "--person", "王五"], "not both"),
        (["-o", "deadlines.csv"], "deadlines.csv"),
    ],
)
def test_bad_input(run: Run, args: list[str], needle: str) -> None:
    r = run("calendar", *args)
    assert r.exit_code == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and needle in r.stderr


def test_calendar_for_person_for_the_server(notify_db: Path) -> None:
    from tracker.errors import BadInput
    from tracker.notify import calendar_for_person
    from tracker.store.db import open_db

    db = open_db(notify_db)
    data = calendar_for_person(db, "王五", date(2020, 4, 24))
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["uid"]) == "notify-2020/spring/village-today"
    with pytest.raises(BadInput):
        calendar_for_person(db, "陌生人", date(2020, 4, 24))
