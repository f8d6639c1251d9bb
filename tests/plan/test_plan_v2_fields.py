"""Plan format v2, field by field: what each new field does to the instances.

Units (kind, rank, contact), [[problem]], and the task fields problem, responsible, leader
lists, except, targets, measure, milestones, due_shift, skip, covers and ``on = "N DAY"``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from plan_helpers import HEAD, campaign, task

from tracker.plan import read_plan
from tracker.plan.model import Expansion

Expand = Callable[[str], Expansion]

UNITS = """\
[plan]
id = "p"
title = "测试计划"
year = 2020

[units.town]
name = "镇党委政府"
kind = "town"
rank = false

[units.v1]
name = "东风村"
parent = "town"
kind = "village"
contact = "张三"

[units.v2]
name = "红星村"
parent = "town"
kind = "village"

[units.school]
name = "中心学校"
parent = "v2"

[units.orphan]
name = "外来帮扶"
rank = false

[groups]
villages = ["v1", "v2", "school"]
"""

PROBLEMS = """
[[problem]]
key = "p1"
title = "部分公益岗人员履职不到位"
source = "2020年度省脱贫攻坚成效考核反馈"
leader = "王镇长"

[[problem]]
key = "p2"
title = "饮水不稳定"
leader = ["李书记", "王镇长"]
"""


def by_uid(exp: Expansion) -> dict[str, object]:
    return {i.uid: i for i in exp.instances}


def test_units_kind_rank_contact_and_inherited_kind(expand: Expand) -> None:
    plan = expand(UNITS + campaign() + task(owner="v1")).plan
    u = plan.units
    assert (u["town"].kind, u["town"].rank, u["town"].contact) == ("town", False, None)
    assert (u["v1"].kind, u["v1"].rank, u["v1"].contact) == ("village", True, "张三")
    assert u["school"].kind == "village"  # no kind: its parent's (v2), up the tree
    assert u["orphan"].kind == "" and u["orphan"].rank is False  # a root without one: ""


def test_problems_are_read_in_plan_order(expand: Expand) -> None:
    plan = expand(UNITS + PROBLEMS + campaign() + task(owner="v1", problem="p2")).plan
    assert list(plan.problems) == ["p1", "p2"]
    p1, p2 = plan.problems["p1"], plan.problems["p2"]
    assert (p1.title, p1.source, p1.leader) == (
        "部分公益岗人员履职不到位",
        "2020年度省脱贫攻坚成效考核反馈",
        "王镇长",
    )
    assert (p2.source, p2.leader) == (None, "李书记、王镇长")


def test_problems_merge_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(UNITS + PROBLEMS, "utf-8")
    (tmp_path / "b.toml").write_text(
        '[[problem]]\nkey = "p3"\ntitle = "三"\n' + campaign() + task(owner="v1", problem="p3"),
        "utf-8",
    )
    exp = read_plan(tmp_path)
    assert list(exp.plan.problems) == ["p1", "p2", "p3"]
    assert exp.instances[0].problem == "p3"


def test_problem_and_people_on_every_instance(expand: Expand) -> None:
    text = UNITS + PROBLEMS + campaign()
    text += task(each="villages", problem="p1", responsible="李四", leader=["王镇长", "李书记"])
    got = expand(text).instances
    assert {(i.problem, i.responsible, i.leader) for i in got} == {("p1", "李四", "王镇长、李书记")}
    got = expand(text.replace('responsible = "李四"', 'responsible = ["李四", "王五", "李四"]'))
    assert {i.responsible for i in got.instances} == {"李四、王五"}  # repeats dropped


def test_except_leaves_members_out_of_the_fan_out(expand: Expand) -> None:
    got = expand(UNITS + campaign() + task(each="villages", **{"except": ["v2"]})).instances
    assert [i.uid for i in got] == ["p/c1/t/v1", "p/c1/t/school"]  # uids keep their shape


def test_targets_override_target_per_owner(expand: Expand) -> None:
    text = UNITS + campaign()
    text += task(each="villages", target=10, unit="户") + "targets = { v1 = 3, school = 0.5 }\n"
    got = {i.owner: i.target for i in expand(text).instances}
    assert got == {"v1": 3.0, "v2": 10.0, "school": 0.5}


def test_measure_defaults_by_unit(expand: Expand) -> None:
    def measures(**fields: object) -> set[str | None]:
        return {i.measure for i in expand(HEAD + campaign() + task(**fields)).instances}

    assert measures(target=119, unit="个行政村") == {"sum"}
    assert measures(target=95, unit="%") == {"each"}  # a rate never adds up
    assert measures(target=10, unit="万元", measure="each") == {"each"}
    assert measures(target=95, unit="%", measure="sum") == {"sum"}
    assert measures(target=3) == {"sum"}
    assert measures() == {None}  # no target: no indicator


def test_milestones_resolve_like_due_dates(expand: Expand) -> None:
    text = HEAD + campaign(start="2020-03-02", end="2020-12-31")
    text += task(target=100, due="06-30") + 'milestones = { "04-30" = 30, "start + 2m" = 50 }\n'
    [inst] = expand(text).instances
    assert inst.milestones == ((date(2020, 4, 30), 30.0), (date(2020, 5, 2), 50.0))


def test_due_shift_per_task(expand: Expand) -> None:
    # 2020-10-02 is a Friday of the National Day holiday: the plan moves it before, the task
    # after (遇节假日顺延), to the first working day after the holiday, 2020-10-09.
    text = HEAD + campaign(start="2020-09-01", end="2020-10-31")
    text += task(key="a", due="10-02") + task(key="b", due="10-02", due_shift="after")
    got = {i.task_key: i.due for i in expand(text).instances}
    assert got == {"a": date(2020, 9, 30), "b": date(2020, 10, 9)}


def test_weekly_report_follows_shunyan_in_the_national_day_week(expand: Expand) -> None:
    text = HEAD + campaign(start="2020-09-01", end="2020-10-31")
    text += task(every="week", due_shift="after", title="周报（{period}）")
    got = {i.period: (i.start, i.due) for i in expand(text).instances}
    # W40's Friday is 10-02 (a holiday): due the next working day, not before its week begins
    assert got["2020-W40"] == (date(2020, 9, 28), date(2020, 10, 9))


def test_saturday_daily_report_moves_after(expand: Expand) -> None:
    text = HEAD + campaign(start="2020-04-01", end="2020-04-30")
    text += task(every="day", due_shift="after", start="04-18", due="04-20")
    got = {i.period: i.due for i in expand(text).instances}
    assert got == {  # Saturday and Sunday: due on Monday, not on Friday
        "2020-04-18": date(2020, 4, 20),
        "2020-04-19": date(2020, 4, 20),
        "2020-04-20": date(2020, 4, 20),
    }


def test_skip_leaves_out_occurrences_by_label(expand: Expand) -> None:
    text = HEAD + campaign(start="2020-09-01", end="2020-10-31")
    text += task(every="week", skip=["2020-W40", "2020-W41"])
    exp = expand(text)
    periods = [i.period for i in exp.instances]
    assert "2020-W40" not in periods and "2020-W41" not in periods and "2020-W39" in periods
    assert (exp.stats.skipped, exp.stats.skipped_instances) == (2, 2)
    fanned = expand(text.replace('owner = "a"', 'each = "abc"'))
    assert (fanned.stats.skipped, fanned.stats.skipped_instances) == (2, 6)


def test_skip_dates_of_a_dates_task(expand: Expand) -> None:
    text = HEAD + campaign() + task(dates=["03-02", "03-16", "03-30"], skip=["03-16"])
    assert [i.period for i in expand(text).instances] == ["2020-03-02", "2020-03-30"]
    text = text.replace('skip = ["03-16"]', "skip = [2020-03-16]")
    assert [i.period for i in expand(text).instances] == ["2020-03-02", "2020-03-30"]


def test_skip_label_matching_nothing_is_a_warning(expand: Expand) -> None:
    text = HEAD + campaign() + task(every="week", skip=["2020-W99"])
    exp = expand(text)
    [w] = [w for w in exp.warnings if "skip" in w.render("en")]
    assert "2020-W99" in w.render("en") and w.severity == "warning"
    assert w.line == text.splitlines().index('skip = ["2020-W99"]') + 1
    assert len(exp.instances) == 12  # every Friday, none left out


def test_covers_previous_labels_the_period_before(expand: Expand) -> None:
    text = HEAD + campaign(start="2020-01-01", end="2020-12-31")
    text += task(key="m", every="month", on=5, covers="previous", title="月报（{period}）")
    text += task(key="w", every="week", covers="previous", start="03-02", due="03-15")
    text += task(key="q", every="quarter", on=10, covers="previous")
    text += task(key="d", every="day", covers="previous", start="03-02", due="03-03")
    text += task(key="wd", every="workday", covers="previous", start="03-09", due="03-09")
    text += task(key="w2", every="2 weeks", covers="previous", start="03-02", due="03-15")
    got = by_uid(expand(text))
    jan = got["p/c1/m/2019-12"]  # due 2020-01-06 (the 5th is a Sunday): covers December
    assert (jan.due, jan.period, jan.title) == (date(2020, 1, 3), "2019-12", "月报（2019-12）")
    assert "p/c1/m/2020-11" in got and "p/c1/m/2020-12" not in got
    assert {k for k in got if "/w/" in k} == {"p/c1/w/2020-W09", "p/c1/w/2020-W10"}
    assert {k for k in got if "/q/" in k} == {
        f"p/c1/q/{q}" for q in ("2019-Q4", "2020-Q1", "2020-Q2", "2020-Q3")
    }
    assert {k for k in got if "/d/" in k} == {"p/c1/d/2020-03-01", "p/c1/d/2020-03-02"}
    assert {k for k in got if "/wd/" in k} == {"p/c1/wd/2020-03-06"}  # Monday covers Friday
    assert {k for k in got if "/w2/" in k} == {"p/c1/w2/2020-W08"}


def test_covers_label_comes_from_the_nominal_day_not_the_shifted_due(expand: Expand) -> None:
    # on = 1: 2020-10-01 is a holiday; shifted after, it is due 10-09, still "September"
    text = HEAD + campaign(start="2020-09-01", end="2020-11-30")
    text += task(every="month", on=1, covers="previous", due_shift="after")
    got = {i.period: i.due for i in expand(text).instances}
    assert got == {
        "2020-08": date(2020, 9, 1),
        "2020-09": date(2020, 10, 9),
        "2020-10": date(2020, 11, 2),
    }


def test_a_skip_warning_shows_the_task_s_own_label_form(expand: Expand) -> None:
    text = HEAD + campaign() + task(every="month", on=5, skip=["2020-W20"])
    exp = expand(text)
    [w] = [w.render("en") for w in exp.warnings if "skip" in w.render("en")]
    assert "'2020-W20'" in w and "labels as in the uid: 2020-" in w and "W41" not in w, w


def test_skip_uses_the_label_after_covers(expand: Expand) -> None:
    text = HEAD + campaign(start="2020-01-01", end="2020-04-30")
    text += task(every="month", on=5, covers="previous", skip=["2020-01"])
    assert [i.period for i in expand(text).instances] == ["2019-12", "2020-02", "2020-03"]


def test_on_nth_weekday_of_month_and_quarter(expand: Expand) -> None:
    text = HEAD + campaign(start="2020-01-01", end="2020-12-31")
    text += task(key="first", every="month", on="1 mon", due_shift="after")
    text += task(key="third", every="month", on="3 Wed")
    text += task(key="last", every="month", on="last fri")
    text += task(key="q", every="quarter", on="last fri")
    got = by_uid(expand(text))
    assert got["p/c1/first/2020-06"].due == date(2020, 6, 1)
    assert got["p/c1/first/2020-05"].due == date(2020, 5, 6)  # 05-04 is off: the next day on
    assert got["p/c1/third/2020-04"].due == date(2020, 4, 15)
    assert got["p/c1/last/2020-07"].due == date(2020, 7, 31)
    assert got["p/c1/last/2020-10"].due == date(2020, 10, 30)
    qs = sorted((k, i.due) for k, i in got.items() if "/q/" in k)
    assert qs == [
        ("p/c1/q/2020-Q1", date(2020, 3, 27)),
        ("p/c1/q/2020-Q2", date(2020, 6, 24)),  # 06-26 is 端午 holiday: moved before
        ("p/c1/q/2020-Q3", date(2020, 9, 25)),
        ("p/c1/q/2020-Q4", date(2020, 12, 25)),
    ]


def test_check_counts_problems_indicators_and_skipped(write: Callable[..., Path]) -> None:
    from typer.testing import CliRunner

    from tracker.cli import app

    text = UNITS + PROBLEMS + campaign()
    text += task(key="a", each="villages", target=3, problem="p1")
    text += task(key="b", owner="v1", target=95, unit="%")
    text += task(key="c", each="villages", every="week", skip=["2020-W10"])
    r = CliRunner().invoke(app, ["--lang", "en", "check", "-q", str(write(text))])
    assert r.exit_code == 0, r.output
    assert "problems: 2, indicators: 2, skipped: 1 occurrence(s) (3 instance(s))" in r.stdout
    r = CliRunner().invoke(app, ["--lang", "zh", "check", "-q", str(write(text))])
    assert "问题 2 个，指标 2 个，跳过 1 期（3 个任务实例）" in r.stdout


def test_version_1_plans_leave_every_v2_field_at_its_default(expand: Expand) -> None:
    root = Path(__file__).resolve().parents[2]
    exp = read_plan(root / "campaigns" / "county-2020.toml")
    assert not exp.plan.problems and exp.stats.skipped == 0
    assert {(i.problem, i.responsible, i.milestones) for i in exp.instances} == {(None, None, ())}
    assert {i.measure for i in exp.instances if i.target is not None} <= {"sum", "each"}
    assert {i.measure for i in exp.instances if i.target is None} == {None}
    assert {u.kind for u in exp.plan.units.values()} == {""}
    assert all(u.rank and u.contact is None for u in exp.plan.units.values())
