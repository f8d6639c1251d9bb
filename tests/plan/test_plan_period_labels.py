"""``{period_name}`` in a plan's titles as staff say it (issue #19): 第16周, 4月, 第二季度, 4月15日
in a zh plan. ``{period}`` stays the period label itself, as plan-format.md defines it (the ISO
form that ends the uid, ``period``, what ``skip`` names), in every plan. A reload after a title
switches from ``{period}`` to ``{period_name}`` changes the titles in place: same uids, status
and progress kept, and nothing at all on the next reload.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from plan_helpers import HEAD, campaign, task
from typer.testing import CliRunner

from tracker.cli import app
from tracker.plan.labels import period_text
from tracker.plan.model import Expansion

Expand = Callable[[str], Expansion]
ZH = HEAD.replace("year = 2020\n", 'year = 2020\nlang = "zh"\n')


@pytest.mark.parametrize(
    ("label", "zh"),
    [
        ("2020-W16", "第16周"),
        ("2020-W01", "第1周"),
        ("2020-04", "4月"),
        ("2020-12", "12月"),
        ("2020-Q1", "第一季度"),
        ("2020-Q2", "第二季度"),
        ("2020-Q4", "第四季度"),
        ("2020-04-15", "4月15日"),
        ("2021-01", "2021年1月"),  # the winter campaign runs into the next year
        ("2019-W53", "2019年第53周"),
        ("2021-Q1", "2021年第一季度"),
        ("2021-01-05", "2021年1月5日"),
        (None, ""),
    ],
)
def test_period_text_in_chinese(label: str | None, zh: str) -> None:
    assert period_text(label, "zh", 2020) == zh


@pytest.mark.parametrize(
    ("label", "en"),
    [
        ("2020-W16", "week 16"),
        ("2020-04", "April"),
        ("2020-Q2", "Q2"),
        ("2020-04-15", "15 April"),
        ("2021-01", "January 2021"),
        ("2021-W02", "week 2 2021"),
    ],
)
@pytest.mark.parametrize("lang", ["en", None])
def test_period_text_in_english(label: str, en: str, lang: str | None) -> None:
    assert period_text(label, lang, 2020) == en


def _plan() -> str:
    text = campaign(start="2020-01-01", end="2021-01-31")
    text += task(key="w", every="week", start="04-13", due="04-26", title="周报（{period_name}）")
    text += task(
        key="w2", every="2 weeks", start="04-13", due="04-26", title="双周（{period_name}）"
    )
    text += task(
        key="m", every="month", start="11-01", due="2021-01-31", title="月报（{period_name}）"
    )
    text += task(
        key="q", every="quarter", start="04-01", due="06-30", title="季报（{period_name}）"
    )
    text += task(key="d", every="day", start="04-15", due="04-15", title="日报（{period_name}）")
    text += task(key="x", dates=["2020-05-09"], title="检查（{period_name}）")
    text += task(key="p", every="month", on=5, covers="previous", start="01-01", due="01-31")
    return text


def test_a_zh_plan_titles_read_chinese_and_uids_stay_iso(expand: Expand) -> None:
    got = {i.uid: i for i in expand(ZH + _plan()).instances}
    titles = {uid: i.title for uid, i in got.items()}
    assert titles["p/c1/w/2020-W16"] == "周报（第16周）"
    assert titles["p/c1/w/2020-W17"] == "周报（第17周）"
    assert titles["p/c1/w2/2020-W16"] == "双周（第16周）"
    assert titles["p/c1/m/2020-11"] == "月报（11月）"
    assert titles["p/c1/m/2021-01"] == "月报（2021年1月）"
    assert titles["p/c1/q/2020-Q2"] == "季报（第二季度）"
    assert titles["p/c1/d/2020-04-15"] == "日报（4月15日）"
    assert titles["p/c1/x/2020-05-09"] == "检查（5月9日）"
    assert got["p/c1/w/2020-W16"].period == "2020-W16"
    # covers = "previous": January's report covers December of the year before
    assert "p/c1/p/2019-12" in got and got["p/c1/p/2019-12"].period == "2019-12"


EN = HEAD.replace("year = 2020\n", 'year = 2020\nlang = "en"\n')


@pytest.mark.parametrize("head", [HEAD, EN, ZH])
def test_period_is_the_iso_label_in_every_plan(expand: Expand, head: str) -> None:
    """plan-format.md: ``{period}`` is the period label, a zh plan's too."""
    plan = _plan().replace("{period_name}", "{period}")
    titles = {i.uid: i.title for i in expand(head + plan).instances}
    assert titles["p/c1/w/2020-W16"] == "周报（2020-W16）"
    assert titles["p/c1/m/2021-01"] == "月报（2021-01）"
    assert titles["p/c1/q/2020-Q2"] == "季报（2020-Q2）"


@pytest.mark.parametrize("head", [HEAD, EN])
def test_period_name_reads_english_outside_zh(expand: Expand, head: str) -> None:
    titles = {i.uid: i.title for i in expand(head + _plan()).instances}
    assert titles["p/c1/w/2020-W16"] == "周报（week 16）"
    assert titles["p/c1/m/2021-01"] == "月报（January 2021）"
    assert titles["p/c1/q/2020-Q2"] == "季报（Q2）"


def test_both_placeholders_in_one_title(expand: Expand) -> None:
    text = ZH + campaign() + task(every="week", title="周报 {period_name}（{period}）")
    got = {i.uid: i.title for i in expand(text).instances}
    assert got["p/c1/t/2020-W17"] == "周报 第17周（2020-W17）"


def test_skip_names_the_iso_label_in_a_zh_plan(expand: Expand) -> None:
    text = ZH + campaign() + task(every="week", title="周报（{period_name}）", skip=["2020-W16"])
    got = {i.uid: i.title for i in expand(text).instances}
    assert "p/c1/t/2020-W16" not in got
    assert got["p/c1/t/2020-W17"] == "周报（第17周）"


def _cli(*args: str) -> dict[str, object] | list[dict[str, object]]:
    r = CliRunner().invoke(app, ["--today", "2020-04-15", *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout) if "--json" in args else {}


def _titles() -> dict[str, dict[str, object]]:
    return {t["uid"]: t for t in _cli("list", "--all", "--json")}  # type: ignore[index,union-attr,misc]


def test_switching_a_title_to_period_name_keeps_uids_and_progress(tmp_path: Path) -> None:
    text = ZH + campaign() + task(key="w", every="week", start="04-06", title="周报（{period}）")
    text += task(key="n", title="一次性任务", due="04-30", target=10, unit="个")
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    _cli("load", str(plan))
    before = _titles()
    assert before["p/c1/w/2020-W16"]["title"] == "周报（2020-W16）"
    _cli("start", "p/c1/w/2020-W16")
    _cli("progress", "p/c1/n", "4")

    plan.write_text(text.replace("{period}", "{period_name}"), encoding="utf-8")
    summary = _cli("load", "--json", str(plan))
    weekly = [uid for uid in before if "/w/" in uid]
    assert isinstance(summary, dict)
    assert (summary["added"], summary["removed"], summary["changed"]) == (0, 0, len(weekly))
    after = _titles()
    assert after.keys() == before.keys()
    assert after["p/c1/w/2020-W16"]["title"] == "周报（第16周）"
    assert after["p/c1/w/2020-W16"]["status"] == "doing"
    assert after["p/c1/w/2020-W16"]["period"] == "2020-W16"
    assert after["p/c1/n"]["progress"] == 4
    assert all(after[u]["id"] == before[u]["id"] for u in before)

    again = _cli("load", "--json", str(plan))  # nothing changes on the next reload
    assert isinstance(again, dict) and again["changed"] == 0 and again["added"] == 0


def test_a_plan_switching_language_rereads_period_name(tmp_path: Path) -> None:
    """The template's text is the same: the fingerprint holds the plan's language."""
    text = campaign() + task(key="w", every="week", start="04-06", title="周报（{period_name}）")
    plan = tmp_path / "plan.toml"
    plan.write_text(ZH + text, encoding="utf-8")
    _cli("load", str(plan))
    assert _titles()["p/c1/w/2020-W16"]["title"] == "周报（第16周）"
    plan.write_text(EN + text, encoding="utf-8")
    summary = _cli("load", "--json", str(plan))
    assert isinstance(summary, dict) and summary["changed"] > 0
    assert _titles()["p/c1/w/2020-W16"]["title"] == "周报（week 16）"
