"""``tracker report weekly --to wecom|dingtalk``: page one of the 周报 as one markdown message."""

from __future__ import annotations

import json

import pytest
from notify_helpers import DING_SECRET, Robot, Run, no_secret


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> None:
    """No TRACKER_LANG: the report in the plan's language (zh)."""
    monkeypatch.delenv("TRACKER_LANG")


def test_weekly_to_wecom(run: Run, robot: Robot, zh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_WECOM_WEBHOOK", robot.wecom_url())
    r = run("report", "weekly", "--to", "wecom")
    assert r.exit_code == 0, r.output
    assert no_secret(r.output)
    [req] = robot.requests
    assert req.path == "/cgi-bin/webhook/send"
    assert set(req.json) == {"msgtype", "markdown"} and req.json["msgtype"] == "markdown"
    content = req.json["markdown"]["content"]
    assert content.startswith("### 催办测试计划 周报  2020年第17周（4月20日—4月26日）\n")
    assert "> 任务总数：10（上周 10，0）" in content
    assert "> 逾期：4（上周 2，+2）" in content
    assert "> 春季攻势：任务 10，应完成 6，已完成 1，逾期 4，完成率 16.7%" in content
    assert (
        # cli-v2.md: ranks 东村 1, 县委县政府 and 县扶贫办 2, 城关镇 4; the two tied at 2 are
        # on both lists (rank 2, and 2 from the worst end), so on neither
        "**红榜**：城关镇东村\n**黑榜**：城关镇\n" in content
        and "逾期 4 项，下周到期 2 项" in content
    )
    assert "|" not in content  # no Markdown table: neither robot draws one
    assert len(content.encode()) < 4096
    # the same report again the same day: not posted twice
    robot.requests.clear()
    r = run("report", "weekly", "--to", "wecom")
    assert r.exit_code == 0 and robot.requests == []
    assert "already sent today" in r.stdout


def test_weekly_to_dingtalk(
    run: Run, robot: Robot, zh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DINGTALK_WEBHOOK", robot.dingtalk_url())
    monkeypatch.setenv("TRACKER_DINGTALK_SECRET", DING_SECRET)
    r = run("report", "weekly", "--week", "2020-W16", "--to", "dingtalk")
    assert r.exit_code == 0, r.output
    [req] = robot.requests
    assert set(req.query) == {"access_token", "timestamp", "sign"}
    body = req.json
    assert set(body) == {"msgtype", "markdown", "at"} and body["at"] == {"atMobiles": []}
    assert body["markdown"]["title"].startswith("催办测试计划 周报  2020年第16周")
    assert "\n\n- 任务总数：10" in body["markdown"]["text"]


def test_weekly_to_in_english(run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_WECOM_WEBHOOK", robot.wecom_url())
    assert run("report", "weekly", "--to", "wecom").exit_code == 0
    assert "> Instances: 10 (last week 10, 0)" in robot.requests[0].json["markdown"]["content"]


def test_weekly_to_failure_exits_1(run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_WECOM_WEBHOOK", robot.wecom_url())
    robot.reply = lambda req: (200, json.dumps({"errcode": 300001, "errmsg": "no"}).encode())
    r = run("report", "weekly", "--to", "wecom")
    assert r.exit_code == 1 and no_secret(r.output)
    assert len(r.stderr.strip().splitlines()) == 1 and "300001" in r.stderr
    # failed: not recorded, so the next run posts it
    robot.reply = lambda req: (200, b'{"errcode":0}')
    assert run("report", "weekly", "--to", "wecom").exit_code == 0
    assert len(robot.requests) == 2


def test_weekly_to_dry_run(run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_WECOM_WEBHOOK", robot.wecom_url())
    r = run("report", "weekly", "--to", "wecom", "--dry-run")
    assert r.exit_code == 0 and robot.requests == []
    assert '"msgtype": "markdown"' in r.stdout and no_secret(r.output)


@pytest.mark.parametrize(
    "args",
    [
        ["--to", "wecom", "-o", "week.md"],
        ["--to", "wecom", "--format", "md"],
        ["--to", "stdout"],
        ["--to", "sms"],
        ["--to", "dingtalk"],  # no webhook configured
    ],
)
def test_weekly_to_bad_input(run: Run, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_WECOM_WEBHOOK", "https://robot.example/send?key=abcdefgh")
    r = run("report", "weekly", *args)
    assert r.exit_code == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "abcdefgh" not in r.stderr
