"""campaigns/township-2021-zhenggai.toml: the bundled version 2 plan checks clean and says
what its comments promise (a regression test for the example the next planner copies)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from tracker.cli import app
from tracker.plan import read_plan

PLAN = Path(__file__).resolve().parents[2] / "campaigns" / "township-2021-zhenggai.toml"


def test_check_passes_with_only_moved_dates_as_warnings() -> None:
    r = CliRunner().invoke(app, ["--lang", "en", "check", "-q", str(PLAN)])
    assert r.exit_code == 0, r.output
    assert "problems: 6, indicators: 12, skipped: 1 occurrence(s) (1 instance(s))" in r.stdout
    assert "total: 866 instance(s)" in r.stdout
    exp = read_plan(PLAN)
    assert exp.warnings == []  # nothing but moved due dates, listed apart


def test_what_the_comments_promise() -> None:
    exp = read_plan(PLAN)
    plan, by_uid = exp.plan, {i.uid: i for i in exp.instances}
    assert len(plan.problems) == 6
    villages = [k for k, u in plan.units.items() if u.kind == "village"]
    assert len(villages) == 17
    assert not plan.units["xiang"].rank and not plan.units["bangfu"].rank
    base = "xx-township-2021"
    # per-village targets beside the default, two villages left out of the fan-out
    assert by_uid[f"{base}/zhenggai/p4-laojiufang/hongyan"].target == 62
    assert by_uid[f"{base}/zhenggai/p4-laojiufang/tuanjie"].target == 30
    assert f"{base}/zhenggai/p4-laojiufang/lianhe" not in by_uid
    # "每村5万元以上" counts village by village; a rate does by default
    assert by_uid[f"{base}/zhenggai/p2-jiti/daba"].measure == "each"
    assert by_uid[f"{base}/zhenggai/p1-canbao/juweihui"].measure == "each"
    assert by_uid[f"{base}/zhenggai/p1-dibao"].measure == "sum"
    # 每月5日前报上月, 顺延: the report due on 2021-10-08 is September's (a zh plan: 9月 in the
    # title, the ISO label in the uid and the period)
    sept = by_uid[f"{base}/baosong/yuebao/hongyan/2021-09"]
    assert (sept.due, sept.period, sept.title) == (
        date(2021, 10, 8),
        "2021-09",
        "红岩村报送脱贫攻坚成果巩固月报（9月）",
    )
    # the National Day week's summary is skipped; the first Monday's meeting follows 顺延
    assert f"{base}/baosong/huizong/2021-W39" not in by_uid
    assert f"{base}/baosong/huizong/2021-W40" in by_uid
    assert by_uid[f"{base}/baosong/diaodu/2021-05"].due == date(2021, 5, 6)
    ruhu = by_uid[f"{base}/huitoukan/ruhu/hongyan"]
    assert ruhu.milestones == ((date(2021, 4, 15), 30.0), (date(2021, 4, 30), 60.0))
    assert by_uid[f"{base}/zhenggai/p1-jiaoyu"].responsible == "中心学校校长、扶贫站站长"
