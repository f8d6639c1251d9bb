"""The working days reminders count by: each plan's ``[calendar]`` overrides kept by a load
(``plan_calendars``, m010), also for a plan loaded before that migration."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from notify_helpers import PLAN, Run

from tracker.store.db import open_db
from tracker.store.reminders import plan_calendars


def test_load_keeps_the_overrides(notify_db: Path) -> None:
    cal = plan_calendars(open_db(notify_db))["notify-2020"]
    assert not cal.is_workday(date(2020, 4, 29))  # the plan's own day off
    assert cal.is_workday(date(2020, 4, 26))  # China's 调休 Sunday
    assert not cal.is_workday(date(2020, 5, 1))


def test_a_plan_loaded_before_m010_is_loaded_again(notify_db: Path, run: Run) -> None:
    conn = sqlite3.connect(notify_db)
    conn.execute("DELETE FROM plan_calendars")
    conn.commit()
    conn.close()
    # without its row the plan counts by China's calendar alone: 04-29 is a working day
    assert plan_calendars(open_db(notify_db))["notify-2020"].is_workday(date(2020, 4, 29))
    r = run("load", str(PLAN), "--json", user="管理员")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["source_unchanged"] is False  # the same files, read again
    assert not plan_calendars(open_db(notify_db))["notify-2020"].is_workday(date(2020, 4, 29))
    r = run("load", str(PLAN), "--json", user="管理员")
    assert json.loads(r.stdout)["source_unchanged"] is True  # and from then on skipped


def test_tui_limits_follow_the_overrides(notify_db: Path) -> None:
    from tracker.store.browse import workday_limits

    limits = workday_limits(open_db(notify_db), date(2020, 4, 28), 1)
    assert limits["notify-2020"] == date(2020, 4, 30)
