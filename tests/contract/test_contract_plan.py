"""plan-format.md, sentence by sentence, through ``tracker check`` / ``load`` / ``list --json``.

Plans are written inline (``contract_helpers.plan_text``: one campaign "c", units u and v,
group uv); the directory-merge plan is tests/fixtures/contract/merged.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from contract_helpers import (
    MERGED,
    PLAN,
    Cli,
    Raw,
    as_json,
    by_uid,
    dues,
    fails,
    line_of,
    ok,
    plan_text,
    show,
    task_toml,
    tasks,
)

# ------------------------------------------------------------------------------------- dates


def write(tmp_path: Path, text: str, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_date_forms_and_offsets(cli: Cli, tmp_path: Path) -> None:
    body = "".join(
        [
            task_toml("toml-date", due=Raw("2020-04-20")),
            task_toml("full-string", due="2020-04-21"),
            task_toml("month-day", due="04-22"),
            task_toml("end", due="end"),
            task_toml("own-start", start="2020-04-10", due="start"),  # the task's own start
            task_toml("start-3d", start="04-10", due="start + 3d"),
            task_toml("end-5d", due="end - 5d"),
            task_toml("weeks", due="start + 2w"),
            task_toml("md-offset", due="04-10 - 1w"),
            task_toml("defaults"),  # start and due: the campaign's
        ]
    )
    got = dues(cli, write(tmp_path, plan_text(body)))
    assert got == {
        "p/c/toml-date": "2020-04-20",
        "p/c/full-string": "2020-04-21",
        "p/c/month-day": "2020-04-22",
        "p/c/end": "2020-04-30",
        "p/c/own-start": "2020-04-10",
        "p/c/start-3d": "2020-04-13",
        "p/c/end-5d": "2020-04-25",
        "p/c/weeks": "2020-04-15",
        "p/c/md-offset": "2020-04-03",
        "p/c/defaults": "2020-04-30",
    }
    t = by_uid(tasks(cli))
    assert (t["p/c/defaults"]["start"], t["p/c/own-start"]["start"]) == ("2020-04-01", "2020-04-10")


def test_month_offsets_clamp_to_the_months_last_day(cli: Cli, tmp_path: Path) -> None:
    body = task_toml("m1", start="01-31", due="start + 1m") + task_toml(
        "m3", start="2020-11-30", due="start + 3m"
    )
    got = dues(cli, write(tmp_path, plan_text(body, start="2020-01-01", end="2021-03-31")))
    assert got == {"p/c/m1": "2020-02-29", "p/c/m3": "2021-02-28"}


def test_month_day_is_the_first_such_date_on_or_after_the_campaign_start(
    cli: Cli, tmp_path: Path
) -> None:
    body = (
        task_toml("jan", due="01-15")
        + task_toml("dec", due="12-01")
        + task_toml("jan-start", start="01-04", due="01-20")
    )
    got = dues(cli, write(tmp_path, plan_text(body, start="2020-11-01", end='"01-31"')))
    assert got == {"p/c/jan": "2021-01-15", "p/c/dec": "2020-12-01", "p/c/jan-start": "2021-01-20"}
    t = by_uid(tasks(cli))
    assert t["p/c/jan-start"]["start"] == "2021-01-04"


def test_working_day_offsets(cli: Cli, tmp_path: Path) -> None:
    body = (
        task_toml("plus", due="2020-04-10 + 1wd")  # Friday → Monday
        + task_toml("minus", due="04-13 - 1wd")  # Monday → Friday
        + task_toml("minus2", due="04-30 - 2wd")
    )
    got = dues(cli, write(tmp_path, plan_text(body, calendar="weekends")))
    assert got == {"p/c/plus": "2020-04-13", "p/c/minus": "2020-04-10", "p/c/minus2": "2020-04-28"}


def test_working_day_offsets_follow_the_cn_calendar(cli: Cli, tmp_path: Path) -> None:
    # 2020-05-01 .. 05-05 were the May Day holiday; Sunday 04-26 was worked (调休)
    body = task_toml("over-mayday", due="04-30 + 1wd") + task_toml("tiaoxiu", due="04-24 + 1wd")
    got = dues(cli, write(tmp_path, plan_text(body, calendar="cn", end="2020-05-31")))
    assert got == {"p/c/over-mayday": "2020-05-06", "p/c/tiaoxiu": "2020-04-26"}


def test_due_before_start_is_an_error(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("bad", start="2020-04-20", due="2020-04-10"))
    err = fails(cli("check", str(write(tmp_path, text))), 2)
    assert re.search(r":\d+: .*due", err)


def test_running_past_the_campaign_end_is_only_a_warning(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, plan_text(task_toml("late", due="2020-05-20")))
    r = ok(cli("check", str(path)))
    assert "warning" in (r.stdout + r.stderr).lower() and "late" in r.stdout + r.stderr
    assert dues(cli, path) == {"p/c/late": "2020-05-20"}


# --------------------------------------------------------------------- calendars and due_shift

SHIFT_BODY = (
    task_toml("mayday", due=Raw("2020-05-01"))  # a written full date, a holiday
    + task_toml("sunday", due="2020-05-09 + 1d")  # 05-10, a Sunday
    + task_toml("tiaoxiu", due="2020-05-09")  # a Saturday worked in exchange (调休)
)


def _shifted(mayday: str, sunday: str, tiaoxiu: str) -> dict[str, str]:
    return {"mayday": mayday, "sunday": sunday, "tiaoxiu": tiaoxiu}


@pytest.mark.parametrize(
    ("calendar", "shift", "expected"),
    [
        ("cn", "before", _shifted("2020-04-30", "2020-05-09", "2020-05-09")),
        ("cn", "after", _shifted("2020-05-06", "2020-05-11", "2020-05-09")),
        ("cn", "keep", _shifted("2020-05-01", "2020-05-10", "2020-05-09")),
        ("weekends", "before", _shifted("2020-05-01", "2020-05-08", "2020-05-08")),
        ("weekends", "after", _shifted("2020-05-01", "2020-05-11", "2020-05-11")),
        ("none", "before", _shifted("2020-05-01", "2020-05-10", "2020-05-09")),
    ],
)
def test_calendars_and_due_shift(
    cli: Cli, tmp_path: Path, calendar: str, shift: str, expected: dict[str, str]
) -> None:
    text = plan_text(SHIFT_BODY, calendar=calendar, due_shift=shift, end="2020-05-31")
    path = write(tmp_path, text)
    got = dues(cli, path)
    assert got == {f"p/c/{k}": v for k, v in expected.items()}
    # check lists every date that moved, and only those
    out = ok(cli("check", str(path)))
    text_out = out.stdout + out.stderr
    for key, due in expected.items():
        nominal = _shifted("2020-05-01", "2020-05-10", "2020-05-09")[key]
        moved = [ln for ln in text_out.splitlines() if f"p/c/{key}:" in ln or f"p/c/{key} " in ln]
        if due != nominal:
            assert moved and nominal in moved[0] and due in moved[0], (key, text_out)
        else:
            assert not moved, (key, moved)


def test_default_calendar_is_cn_and_default_shift_is_before(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(SHIFT_BODY, end="2020-05-31")
    text = text.replace('calendar = "none"\n', "").replace('due_shift = "before"\n', "")
    got = dues(cli, write(tmp_path, text))
    assert got == {
        f"p/c/{k}": v for k, v in _shifted("2020-04-30", "2020-05-09", "2020-05-09").items()
    }


@pytest.mark.parametrize("calendar", ["cn", "weekends", "none"])
def test_calendar_overrides(cli: Cli, tmp_path: Path, calendar: str) -> None:
    body = task_toml("holiday", due="2020-04-15") + task_toml("workday", due="2020-04-18")
    text = plan_text(body, calendar=calendar).replace(
        "[units.u]", "[calendar]\nholidays = [2020-04-15]\nworkdays = [2020-04-18]\n\n[units.u]"
    )
    got = dues(cli, write(tmp_path, text))
    assert got == {"p/c/holiday": "2020-04-14", "p/c/workday": "2020-04-18"}


def test_missing_official_schedule_warns_unless_the_plan_gives_one(
    cli: Cli, tmp_path: Path
) -> None:
    def warnings(r: object) -> list[str]:
        out = getattr(r, "stdout", "") + getattr(r, "stderr", "")
        return [ln for ln in out.splitlines() if re.search(r":\d+: (warning|警告)", ln)]

    text = plan_text(task_toml("t"), calendar="cn", start="2030-04-01", end="2030-04-30")
    text = text.replace("year = 2020", "year = 2030")
    found = warnings(ok(cli("check", str(write(tmp_path, text)))))
    assert len(found) == 1 and "2030" in found[0], found
    found = warnings(ok(cli("load", str(write(tmp_path, text)))))  # load warns too
    assert len(found) == 1 and "2030" in found[0], found
    given = text.replace("[units.u]", "[calendar]\nworkdays = [2030-04-27]\n\n[units.u]")
    assert warnings(ok(cli("check", str(write(tmp_path, given, "given.toml"))))) == []
    known = write(tmp_path, plan_text(task_toml("t"), calendar="cn"), "known.toml")
    assert warnings(ok(cli("check", str(known)))) == []  # 2020 is known


# ------------------------------------------------------------------------------- recurrence


def _periods(cli: Cli, path: Path) -> list[tuple[str, str, str | None]]:
    ok(cli("load", str(path)))
    return [(t["uid"], t["due"], t["period"]) for t in tasks(cli)]


def test_week_defaults_to_friday_with_iso_week_periods(cli: Cli, tmp_path: Path) -> None:
    got = _periods(cli, write(tmp_path, plan_text(task_toml("w", every="week"))))
    assert got == [
        ("p/c/w/2020-W14", "2020-04-03", "2020-W14"),
        ("p/c/w/2020-W15", "2020-04-10", "2020-W15"),
        ("p/c/w/2020-W16", "2020-04-17", "2020-W16"),
        ("p/c/w/2020-W17", "2020-04-24", "2020-W17"),
    ]


@pytest.mark.parametrize(
    ("on", "days"),
    [("mon", [6, 13, 20, 27]), ("wed", [1, 8, 15, 22, 29]), ("sun", [5, 12, 19, 26])],
)
def test_week_on_a_weekday(cli: Cli, tmp_path: Path, on: str, days: list[int]) -> None:
    got = _periods(cli, write(tmp_path, plan_text(task_toml("w", every="week", on=on))))
    assert [d for _, d, _ in got] == [f"2020-04-{d:02d}" for d in days]


def test_two_weeks_every_second_one_from_the_first_in_the_window(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("f", every="2 weeks", on="mon", start="2020-04-02"))
    got = _periods(cli, write(tmp_path, text))
    assert got == [
        ("p/c/f/2020-W15", "2020-04-06", "2020-W15"),
        ("p/c/f/2020-W17", "2020-04-20", "2020-W17"),
    ]
    got = _periods(cli, write(tmp_path, plan_text(task_toml("f", every="2 weeks"))))
    assert [d for _, d, _ in got] == ["2020-04-03", "2020-04-17"]


def test_month_default_last_working_day(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("m", every="month"), calendar="weekends", start="2020-02-01",
                     end="2020-06-30")  # fmt: skip
    got = _periods(cli, write(tmp_path, text))
    assert got == [
        ("p/c/m/2020-02", "2020-02-28", "2020-02"),  # 02-29 is a Saturday
        ("p/c/m/2020-03", "2020-03-31", "2020-03"),
        ("p/c/m/2020-04", "2020-04-30", "2020-04"),
        ("p/c/m/2020-05", "2020-05-29", "2020-05"),  # 05-31 is a Sunday
        ("p/c/m/2020-06", "2020-06-30", "2020-06"),
    ]


def test_month_last_follows_the_cn_calendar(cli: Cli, tmp_path: Path) -> None:
    # the last working day of September 2020 is 09-30; of October 10-30 (Fri); of June 06-30
    text = plan_text(task_toml("m", every="month", on="last"), calendar="cn",
                     start="2020-09-01", end="2020-10-31")  # fmt: skip
    got = _periods(cli, write(tmp_path, text))
    assert [d for _, d, _ in got] == ["2020-09-30", "2020-10-30"]


def test_month_day_number_clamped_to_the_months_length(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("m", every="month", on=31), start="2020-02-01", end="2020-04-30")
    got = _periods(cli, write(tmp_path, text))
    assert [(d, p) for _, d, p in got] == [
        ("2020-02-29", "2020-02"), ("2020-03-31", "2020-03"), ("2020-04-30", "2020-04"),
    ]  # fmt: skip
    text = plan_text(task_toml("m", every="month", on=15), start="2020-02-01", end="2020-04-30")
    assert [d for _, d, _ in _periods(cli, write(tmp_path, text))] == [
        "2020-02-15", "2020-03-15", "2020-04-15",
    ]  # fmt: skip


def test_quarter_in_each_quarters_last_month(cli: Cli, tmp_path: Path) -> None:
    body = task_toml("q", every="quarter") + task_toml("q15", every="quarter", on=15)
    text = plan_text(body, calendar="weekends", start="2020-01-01", end="2020-12-31")
    ok(cli("load", str(write(tmp_path, text))))
    got = {t["uid"]: (t["due"], t["period"]) for t in tasks(cli)}
    assert got == {
        "p/c/q/2020-Q1": ("2020-03-31", "2020-Q1"),
        "p/c/q/2020-Q2": ("2020-06-30", "2020-Q2"),
        "p/c/q/2020-Q3": ("2020-09-30", "2020-Q3"),
        "p/c/q/2020-Q4": ("2020-12-31", "2020-Q4"),
        "p/c/q15/2020-Q1": ("2020-03-13", "2020-Q1"),  # 03-15 is a Sunday
        "p/c/q15/2020-Q2": ("2020-06-15", "2020-Q2"),
        "p/c/q15/2020-Q3": ("2020-09-15", "2020-Q3"),
        "p/c/q15/2020-Q4": ("2020-12-15", "2020-Q4"),
    }


def test_day_and_workday(cli: Cli, tmp_path: Path) -> None:
    body = task_toml("d", every="day", start="2020-04-09", due="2020-04-12") + task_toml(
        "wd", every="workday", start="2020-04-09", due="2020-04-14"
    )
    text = plan_text(body, calendar="weekends", due_shift="keep")
    ok(cli("load", str(write(tmp_path, text))))
    got = [(t["uid"], t["due"], t["period"]) for t in tasks(cli)]
    assert sorted(got) == sorted(
        [
            ("p/c/d/2020-04-09", "2020-04-09", "2020-04-09"),
            ("p/c/d/2020-04-10", "2020-04-10", "2020-04-10"),
            ("p/c/d/2020-04-11", "2020-04-11", "2020-04-11"),
            ("p/c/d/2020-04-12", "2020-04-12", "2020-04-12"),
            ("p/c/wd/2020-04-09", "2020-04-09", "2020-04-09"),
            ("p/c/wd/2020-04-10", "2020-04-10", "2020-04-10"),
            ("p/c/wd/2020-04-13", "2020-04-13", "2020-04-13"),
            ("p/c/wd/2020-04-14", "2020-04-14", "2020-04-14"),
        ]
    )


def test_dates_one_instance_each_period_is_the_date(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("ds", dates=[Raw("2020-04-07"), "2020-04-11", "04-20"]),
                     calendar="weekends")  # fmt: skip
    ok(cli("load", str(write(tmp_path, text))))
    got = [(t["uid"], t["due"], t["period"]) for t in tasks(cli)]
    assert got == [
        ("p/c/ds/2020-04-07", "2020-04-07", "2020-04-07"),
        ("p/c/ds/2020-04-11", "2020-04-10", "2020-04-11"),  # a Saturday: moved, label kept
        ("p/c/ds/2020-04-20", "2020-04-20", "2020-04-20"),
    ]


def test_recurrence_never_leaves_the_window(cli: Cli, tmp_path: Path) -> None:
    # every Saturday from Saturday 04-04 to Saturday 04-25, weekends calendar:
    # "before" would put 04-04 on 04-03, outside the window: "after" (04-06) is used;
    # 04-25 moves before (04-24); with due_shift "after", 04-25 → 04-27 leaves it: 04-24
    body = task_toml("sat", every="week", on="sat", start="2020-04-04", due="2020-04-25")
    for shift, expected in (
        ("before", ["2020-04-06", "2020-04-10", "2020-04-17", "2020-04-24"]),
        ("after", ["2020-04-06", "2020-04-13", "2020-04-20", "2020-04-24"]),
    ):
        text = plan_text(body, calendar="weekends", due_shift=shift)
        got = _periods(cli, write(tmp_path, text, f"{shift}.toml"))
        assert [d for _, d, _ in got] == expected, shift
        assert [p for _, _, p in got] == ["2020-W14", "2020-W15", "2020-W16", "2020-W17"]
        for uid, due, _ in got:
            assert "2020-04-04" <= due <= "2020-04-25", uid


def test_period_label_at_the_turn_of_the_year(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("w", every="week", on="thu"), start="2020-12-28", end="2021-01-10")
    got = _periods(cli, write(tmp_path, text))
    assert got == [
        ("p/c/w/2020-W53", "2020-12-31", "2020-W53"),
        ("p/c/w/2021-W01", "2021-01-07", "2021-W01"),
    ]


# ------------------------------------------------------------------- owners, titles, identity


def test_uid_format_fan_out_recurring_and_titles(cli: Cli, tmp_path: Path) -> None:
    body = (
        task_toml("one", title="{unit}独办")
        + task_toml("fan", title="{unit}分办", each="uv")
        + task_toml("fanlist", title="{unit}", each=["v", "u"])
        + task_toml("rec", title="调度 {period}", every="month")
        + task_toml("both", title="{unit} {period}", each="uv", every="month", on=10)
        + task_toml("ds", dates=["2020-04-08"], each=["v"])
    )
    ok(cli("load", str(write(tmp_path, plan_text(body)))))
    got = {t["uid"]: (t["owner"], t["title"], t["period"]) for t in tasks(cli)}
    assert got == {
        "p/c/one": ("u", "U独办", None),
        "p/c/fan/u": ("u", "U分办", None),
        "p/c/fan/v": ("v", "V分办", None),
        "p/c/fanlist/v": ("v", "V", None),
        "p/c/fanlist/u": ("u", "U", None),
        "p/c/rec/2020-04": ("u", "调度 2020-04", "2020-04"),
        "p/c/both/u/2020-04": ("u", "U 2020-04", "2020-04"),
        "p/c/both/v/2020-04": ("v", "V 2020-04", "2020-04"),
        "p/c/ds/v/2020-04-08": ("v", "ds", "2020-04-08"),
    }


def test_fields_leader_support_tags_priority_target(cli: Cli, tmp_path: Path) -> None:
    body = (
        task_toml(
            "a", support=["v"], tags=["整改", "督查"], priority="low", target=119.5, unit="公里"
        )
        + task_toml("b", owner="v")
        + task_toml("c", leader="王副县长")
    )
    ok(cli("load", str(write(tmp_path, plan_text(body)))))
    t = by_uid(tasks(cli))
    a = t["p/c/a"]
    assert (a["leader"], a["support"], a["tags"], a["priority"], a["target"], a["unit"]) == (
        "L", ["v"], ["整改", "督查"], "low", 119.5, "公里",
    )  # fmt: skip
    assert t["p/c/b"]["leader"] is None and t["p/c/b"]["priority"] == "normal"
    assert t["p/c/c"]["leader"] == "王副县长"


# ---------------------------------------------------------------------------- directory merge


def test_directory_is_merged_in_name_order(cli: Cli) -> None:
    r = ok(cli("check", str(MERGED)))
    assert "4" in r.stdout
    assert r.stdout.index("spring") < r.stdout.index("summer")
    got = dues(cli, MERGED)
    assert got == {
        "merged-2020/spring/holiday-due": "2020-04-07",  # 00-plan.toml's [calendar] holiday
        "merged-2020/spring/workday-due/town-a": "2020-04-11",  # 10-spring.toml's workday
        "merged-2020/spring/workday-due/town-b": "2020-04-11",  # group from 20-summer.toml
        "merged-2020/summer/chanye": "2020-05-15",
    }


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        ("30-plan.toml", '[plan]\nid = "again"\ntitle = "x"\nyear = 2020\n', "[plan]"),
        ("30-unit.toml", '[units.county]\nname = "again"\n', "county"),
        ("30-group.toml", '[groups]\ntowns = ["town-a"]\n', "towns"),
        ("30-calendar.toml", "[calendar]\nholidays = [2020-04-09]\n", "holidays"),
    ],
)
def test_directory_keys_defined_twice_are_errors(
    cli: Cli, tmp_path: Path, name: str, text: str, needle: str
) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(MERGED, folder)
    (folder / name).write_text(text, "utf-8")
    err = fails(cli("check", str(folder)), 2)
    lines = [ln for ln in err.splitlines() if name in ln]
    assert lines and re.match(rf".*{re.escape(name)}:\d+: ", lines[0]), err
    assert any(needle in ln for ln in lines), err


def test_directory_without_plan_table_is_an_error(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(MERGED, folder)
    (folder / "00-plan.toml").unlink()
    fails(cli("check", str(folder)), 2)


# ------------------------------------------------------------------------------------ reload


def test_reload_updates_adds_removes_and_withdraws(cli: Cli, tmp_path: Path) -> None:
    body = (
        task_toml("keep", title="旧标题", due="2020-04-10", target=5)
        + task_toml("untouched")
        + task_toml("done-one")
        + task_toml("progressed", target=10)
        + task_toml("noted")
    )
    ok(cli("--today", "2020-04-02", "load", str(write(tmp_path, plan_text(body), "v1.toml"))))
    ids_ = {t["uid"]: t["id"] for t in tasks(cli)}
    ok(cli("--today", "2020-04-03", "progress", "p/c/keep", "2", "--note", "开工"))
    ok(cli("--today", "2020-04-03", "done", "p/c/done-one"))
    ok(cli("--today", "2020-04-03", "progress", "p/c/progressed", "+1"))
    ok(cli("--today", "2020-04-03", "note", "p/c/noted", "留痕"))
    v2 = task_toml("keep", title="新标题", owner="v", due="2020-04-12", target=8) + task_toml(
        "fresh"
    )
    path = write(tmp_path, plan_text(v2), "v2.toml")
    dry = ok(cli("--today", "2020-04-04", "load", "--dry-run", str(path))).stdout
    assert tasks(cli, "--all") and len(tasks(cli)) == 5  # the dry run wrote nothing
    real = ok(cli("--today", "2020-04-04", "load", str(path))).stdout

    def counts(text: str) -> dict[str, int]:
        return {
            w: int(m.group(1))
            for w in ("added", "changed", "removed", "withdrawn")
            if (m := re.search(rf"{w}\D*(\d+)", text))
        }

    assert counts(real) == {"added": 1, "changed": 1, "removed": 1, "withdrawn": 3}
    assert counts(dry) == counts(real)  # the same summary
    everything = by_uid(tasks(cli, "--all"))
    assert set(everything) == {"p/c/keep", "p/c/fresh", "p/c/done-one", "p/c/progressed",
                               "p/c/noted"}  # fmt: skip
    keep = everything["p/c/keep"]
    assert keep["id"] == ids_["p/c/keep"]
    assert (keep["title"], keep["owner"], keep["due"], keep["target"]) == (
        "新标题",
        "v",
        "2020-04-12",
        8,
    )
    assert (keep["progress"], keep["status"]) == (2, "doing")  # kept
    detail = show(cli, "p/c/keep")
    assert "开工" in str(detail.get("notes")) and len(detail.get("history", [])) >= 1
    for uid in ("p/c/done-one", "p/c/progressed", "p/c/noted"):
        assert everything[uid]["status"] == "withdrawn"
        assert everything[uid]["id"] == ids_[uid]
    assert "留痕" in str(show(cli, "p/c/noted").get("notes"))  # never deleted: notes kept
    assert set(by_uid(tasks(cli))) == {"p/c/keep", "p/c/fresh"}  # hidden by default
    fails(cli("show", str(ids_["p/c/untouched"])), 1)  # removed


def test_reload_unchanged_plan_changes_nothing(cli: Cli) -> None:
    ok(cli("load", str(PLAN)))
    before = tasks(cli, "--all")
    out = ok(cli("load", str(PLAN))).stdout
    assert re.search(r"added\D*0", out) and re.search(r"removed\D*0", out)
    assert tasks(cli, "--all") == before


def test_a_bad_reload_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    ok(cli("load", str(PLAN)))
    ok(cli("done", "1"))
    before = tasks(cli, "--all", today="2020-04-09")
    broken = PLAN.read_text("utf-8").replace('owner = "cun-1"', 'owner = "cun-9"')
    broken = broken.replace("巡视反馈问题整改", "改了标题")
    fails(cli("load", str(write(tmp_path, broken))), 2)
    assert tasks(cli, "--all", today="2020-04-09") == before


def test_second_plan_id_loads_beside_the_first(cli: Cli, tmp_path: Path) -> None:
    ok(cli("load", str(PLAN)))
    ok(cli("done", "1"))
    other = PLAN.read_text("utf-8").replace('id = "ct-2020"', 'id = "other-2020"')
    out = ok(cli("load", str(write(tmp_path, other, "other.toml")))).stdout
    assert re.search(r"added\D*10", out) and re.search(r"removed\D*0", out)
    everything = tasks(cli, "--all")
    assert len(everything) == 20
    assert {t["plan"] for t in everything} == {"ct-2020", "other-2020"}
    assert show(cli, "ct-2020/spring/zhenggai")["status"] == "done"
    assert show(cli, "other-2020/spring/zhenggai")["status"] == "todo"


# ------------------------------------------------------------------------------------- errors

ERROR_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<msg>.+)$")


def error_lines(cli: Cli, path: Path) -> list[tuple[int, str]]:
    """The errors of ``check`` and ``load`` (the same), as (LINE, message); exit 2, nothing
    written, every line ``FILE:LINE: message``."""
    out = []
    for command in ("check", "load"):
        err = fails(cli(command, str(path)), 2)
        found = []
        for line in err.strip().splitlines():
            m = ERROR_LINE.match(line)
            assert m, line
            assert Path(m.group("file")).name == path.name, line
            found.append((int(m.group("line")), m.group("msg")))
        out.append(found)
    assert out[0] == out[1]
    assert as_json(cli("list", "--all", "--json")) == []
    return out[0]


def test_syntax_error_is_file_line_col(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t")) + 'broken = "no closing quote\n'
    path = write(tmp_path, text)
    err = fails(cli("check", str(path)), 2)
    m = re.match(rf"^{re.escape(str(path))}:(\d+):(\d+): ", err.strip().splitlines()[0])
    assert m, err
    assert int(m.group(1)) == line_of(text, "broken =")
    fails(cli("load", str(path)), 2)
    assert as_json(cli("list", "--all", "--json")) == []


def _one(cli: Cli, tmp_path: Path, text: str, line: int | set[int], *names: str) -> str:
    found = error_lines(cli, write(tmp_path, text))
    assert len(found) >= 1, found
    got_line, msg = found[0]
    lines = {line} if isinstance(line, int) else line
    assert got_line in lines, (found, lines)
    for name in names:
        assert name in msg, (name, msg)
    return msg


def test_error_missing_field_names_it(cli: Cli, tmp_path: Path) -> None:
    text = plan_text('[[campaign.task]]\nkey = "t"\nowner = "u"\n')
    header = line_of(text, "[[campaign.task]]")
    _one(cli, tmp_path, text, {header, header + 1, header + 2}, "title")
    text = plan_text(task_toml("t")).replace('name = "V"\n', "")
    header = line_of(text, "[units.v]")
    _one(cli, tmp_path, text, header, "name")


def test_error_unknown_field_names_it_on_its_line(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t", tittle="typo"))
    _one(cli, tmp_path, text, line_of(text, "tittle"), "tittle")
    text = plan_text(task_toml("t")).replace("year = 2020", 'year = 2020\ncolour = "red"')
    _one(cli, tmp_path, text, line_of(text, "colour"), "colour")
    text = plan_text(task_toml("t")).replace('name = "V"', 'name = "V"\nlead = "x"')
    _one(cli, tmp_path, text, line_of(text, "lead ="), "lead")


@pytest.mark.parametrize("bad", ["2020-04-31", "04-45", "tomorrow", "start + 3x", "end + wd"])
def test_error_bad_date(cli: Cli, tmp_path: Path, bad: str) -> None:
    text = plan_text(task_toml("t", due=bad))
    _one(cli, tmp_path, text, line_of(text, "due ="), "due")


def test_error_unknown_unit(cli: Cli, tmp_path: Path) -> None:
    for field, value in (("owner", "nobody"), ("support", ["nobody"]), ("each", ["u", "nobody"])):
        text = plan_text(task_toml("t", **{field: value}))
        _one(cli, tmp_path, text, line_of(text, f"{field} ="), "nobody")
    text = plan_text(task_toml("t")).replace('name = "V"', 'name = "V"\nparent = "nobody"')
    _one(cli, tmp_path, text, line_of(text, "parent ="), "nobody")


def test_error_unknown_group(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t", each="nogroup"))
    _one(cli, tmp_path, text, line_of(text, "each ="), "nogroup")


def test_error_duplicate_keys(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t") + task_toml("t"))
    _one(cli, tmp_path, text, line_of(text, 'key = "t"', 2), "t")
    text = plan_text(task_toml("t"))
    text += '\n[[campaign]]\nkey = "c"\nname = "again"\nstart = 2020-05-01\nend = 2020-05-31\n'
    _one(cli, tmp_path, text, line_of(text, 'key = "c"', 2), "c")


def test_error_cycle_in_parent(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t"))
    text = text.replace('leader = "L"', 'leader = "L"\nparent = "v"')
    text = text.replace('name = "V"', 'name = "V"\nparent = "u"')
    lines = {line_of(text, 'parent = "v"'), line_of(text, 'parent = "u"')}
    _one(cli, tmp_path, text, lines, "parent")


def test_error_cycle_in_after(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("a", after=["b"]) + task_toml("b", after=["c.a"]))
    lines = {line_of(text, 'after = ["b"]'), line_of(text, 'after = ["c.a"]')}
    _one(cli, tmp_path, text, lines, "after")
    text = plan_text(task_toml("a", after=["a"]))
    _one(cli, tmp_path, text, line_of(text, "after ="), "after")
    text = plan_text(task_toml("a", after=["nope"]))
    _one(cli, tmp_path, text, line_of(text, "after ="), "nope")


def test_error_due_before_start(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t", start="2020-04-20", due="2020-04-10"))
    _one(cli, tmp_path, text, {line_of(text, "due ="), line_of(text, "start =")}, "due")
    text = plan_text(task_toml("t"), start="2020-04-30", end="2020-04-01")
    _one(cli, tmp_path, text, {line_of(text, "end ="), line_of(text, "start =")}, "end")


def test_error_fan_out_over_an_empty_group(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t", each="empty")).replace("[groups]", "[groups]\nempty = []")
    _one(cli, tmp_path, text, {line_of(text, "each ="), line_of(text, "empty = []")}, "empty")


def test_error_owner_and_each_exactly_one(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t", each="uv", owner="u"))
    header = line_of(text, "[[campaign.task]]")
    _one(cli, tmp_path, text, set(range(header, header + 5)), "owner")
    text = plan_text('[[campaign.task]]\nkey = "t"\ntitle = "t"\n')
    header = line_of(text, "[[campaign.task]]")
    _one(cli, tmp_path, text, set(range(header, header + 3)), "owner")


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"priority": "urgent"}, "priority"),
        ({"every": "fortnight"}, "every"),
        ({"every": "week", "on": "friday"}, "on"),
        ({"every": "month", "on": 32}, "on"),
        ({"target": -3}, "target"),
        ({"target": "lots"}, "target"),
    ],
)
def test_error_bad_values_name_their_key(
    cli: Cli, tmp_path: Path, fields: dict[str, object], key: str
) -> None:
    text = plan_text(task_toml("t", **fields))
    _one(cli, tmp_path, text, line_of(text, f"{key} ="), key)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('id = "p"', 'id = "Bad_Id"', "id ="),
        ("[units.v]", "[units.V-Bad]", "[units.V-Bad]"),
        ('calendar = "none"', 'calendar = "lunar"', "calendar ="),
        ('due_shift = "before"', 'due_shift = "sooner"', "due_shift ="),
        ("year = 2020", 'year = "2020"', "year ="),
    ],
)
def test_error_plan_and_unit_fields(
    cli: Cli, tmp_path: Path, old: str, new: str, needle: str
) -> None:
    text = plan_text(task_toml("t")).replace(old, new)
    _one(cli, tmp_path, text, line_of(text, needle))


def test_all_errors_are_reported_not_only_the_first(cli: Cli, tmp_path: Path) -> None:
    body = (
        task_toml("a", owner="nobody")
        + task_toml("b", due="04-45")
        + task_toml("c", tittle="x")
        + task_toml("d", start="2020-04-20", due="2020-04-10")
        + task_toml("d")
    )
    text = plan_text(body).replace("year = 2020", 'year = 2020\ncolour = "red"')
    found = error_lines(cli, write(tmp_path, text))
    lines = {line for line, _ in found}
    expected = {
        line_of(text, "colour"),
        line_of(text, 'owner = "nobody"'),
        line_of(text, 'due = "04-45"'),
        line_of(text, "tittle"),
        line_of(text, 'due = "2020-04-10"'),
        line_of(text, 'key = "d"', 2),
    }
    assert expected <= lines, (sorted(expected - lines), found)


def test_errors_in_a_directory_name_the_file(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(MERGED, folder)
    spring = folder / "10-spring.toml"
    text = spring.read_text("utf-8").replace('owner = "county"', 'owner = "nobody"')
    spring.write_text(text, "utf-8")
    err = fails(cli("check", str(folder)), 2)
    first = err.strip().splitlines()[0]
    assert first.startswith(str(spring) + f":{line_of(text, 'owner = ')}: "), err


def test_unknown_top_level_table_is_an_error(cli: Cli, tmp_path: Path) -> None:
    text = plan_text(task_toml("t")) + "\n[extras]\nfoo = 1\n"
    found = error_lines(cli, write(tmp_path, text))
    assert found[0][0] in {line_of(text, "[extras]"), line_of(text, "foo = 1")}
