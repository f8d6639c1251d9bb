"""``tracker remind`` through the CLI (cli-v2.md, Reminders) on ``plan.toml`` on 2020-04-24.

Working days follow the plan's calendar: 2020-04-26 is a 调休 Sunday (worked), 2020-04-29 the
county's own day off. Each robot is a local HTTP server; every request is checked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from notify_helpers import DING_SECRET, Robot, Run, no_secret

KEYS = ["unit", "unit_name", "due_soon", "overdue", "mention"]


def _digests(run: Run, *args: str) -> list[dict[str, Any]]:
    r = run("remind", "--json", *args)
    assert r.exit_code == 0, r.output
    found: list[dict[str, Any]] = json.loads(r.stdout)
    return found


def _keys(d: dict[str, Any], part: str) -> list[str]:
    return [t["task_key"] for t in d[part]]


def test_json_digests_per_unit(run: Run) -> None:
    found = _digests(run)
    assert [d["unit"] for d in found] == ["county", "town", "village", "office"]  # plan order
    by = {d["unit"]: d for d in found}
    for d in found:
        assert list(d)[: len(KEYS)] == KEYS
    town = by["town"]
    assert town["unit_name"] == "城关镇"
    assert _keys(town, "overdue") == ["late-long", "late-short"]  # soonest first; done left out
    assert _keys(town, "due_soon") == ["soon-tiaoxiu", "after-tiaoxiu"]
    assert _keys(by["village"], "due_soon") == ["village-today"]
    assert _keys(by["office"], "overdue") == ["office-late"]
    assert by["office"]["due_soon"] == []  # 04-30 is beyond 3 working days
    assert "quiet" not in by  # nothing due soon, nothing overdue: no message


def test_task_objects_are_the_list_objects(run: Run) -> None:
    listed = {t["id"]: t for t in json.loads(run("list", "--json").stdout)}
    for d in _digests(run):
        for t in d["due_soon"] + d["overdue"]:
            assert t == listed[t["id"]]


def test_mentions_and_escalation(run: Run) -> None:
    by = {d["unit"]: d for d in _digests(run)}
    # town: a task 10 working days late, past 5: its nearest leader (陈镇长, not 刘副县长)
    assert by["town"]["mention"] == ["张三", "李四", "陈镇长"]
    # office: the task's own leader 赵主任, and the nearest leaders up the tree (county's)
    assert by["office"]["mention"] == ["钱某", "赵主任", "刘副县长"]
    assert by["village"]["mention"] == ["王五"]  # due today, nothing late: no leader
    assert by["county"]["mention"] == []  # one working day late
    # a higher threshold: nobody escalated
    by = {d["unit"]: d for d in _digests(run, "--escalate", "20")}
    assert by["town"]["mention"] == ["张三", "李四"]
    assert by["office"]["mention"] == ["钱某"]


def test_working_days_follow_the_plans_calendar(run: Run) -> None:
    # within 1 working day of Friday 04-24: Sunday 04-26 (调休), not Monday 04-27
    town = {d["unit"]: d for d in _digests(run, "--within", "1")}["town"]
    assert _keys(town, "due_soon") == ["soon-tiaoxiu"]
    # within 4: 04-26, 04-27, 04-28, then 04-30 (04-29 is the plan's own day off)
    office = {d["unit"]: d for d in _digests(run, "--within", "4")}["office"]
    assert _keys(office, "due_soon") == ["over-holiday"]
    office3 = {d["unit"]: d for d in _digests(run, "--within", "3")}["office"]
    assert office3["due_soon"] == []
    # within 0: due today only (and the overdue)
    found = {d["unit"]: d for d in _digests(run, "--within", "0")}
    assert _keys(found["village"], "due_soon") == ["village-today"]
    assert found["town"]["due_soon"] == []


def test_text_digest(run: Run) -> None:
    r = run("remind")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "城关镇 (town)" in out
    assert "#1 城关镇报送贫困户动态调整台账, due 10 Apr, 10 working days late" in out
    assert "城关镇上报产业项目进度, due 26 Apr, 1 working days left" in out
    assert (
        "more than 5 working days late, for the responsible leader: 分管城建副县长, 陈镇长" in out
    )
    assert "mentions: 张三, 李四, 陈镇长" in out
    assert "石桥镇" not in out


def test_chinese_by_default(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_LANG")
    out = run("remind").stdout
    assert "城关镇（town）" in out and "截至4月24日：逾期 2 项，3个工作日内到期 2 项" in out
    assert "#1 城关镇报送贫困户动态调整台账，4月10日截止，逾期10个工作日" in out
    assert "逾期超过5个工作日的 1 项，请责任领导督办：分管城建副县长、陈镇长" in out
    assert "Overdue" in run("--lang", "en", "remind").stdout


def test_nothing_to_remind(run: Run) -> None:
    r = run("--today", "2020-03-02", "remind")
    assert r.exit_code == 0 and "no reminders" in r.stdout
    assert json.loads(run("--today", "2020-03-02", "remind", "--json").stdout) == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--within", "-1"], "--within"),
        (["--within", "100000"], "--within"),
        (["--escalate", "-1"], "--escalate"),
        (["--to", "sms"], "--to"),
        (["--to", "wecom"], "TRACKER_WECOM_WEBHOOK"),
        (["--to", "dingtalk"], "TRACKER_DINGTALK_WEBHOOK"),
    ],
)
def test_bad_input_is_one_line_exit_2(run: Run, args: list[str], needle: str) -> None:
    r = run("remind", *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and needle in r.stderr


def test_malformed_url_is_bad_input(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "TRACKER_WECOM_WEBHOOK", "qyapi.weixin.qq.com/send?key=wecom-secret-key-8d7f6e5a"
    )
    r = run("remind", "--to", "wecom")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "TRACKER_WECOM_WEBHOOK" in r.stderr and no_secret(r.output)


def _wecom(robot: Robot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The robot as TRACKER_WECOM_WEBHOOK; no TRACKER_LANG: the messages are in the plan's
    language (zh), what the run prints in the terminal's (LANG=C: en)."""
    monkeypatch.setenv("TRACKER_WECOM_WEBHOOK", robot.wecom_url())
    monkeypatch.delenv("TRACKER_LANG")


def _content(req: Any) -> str:
    return str(req.json["markdown"]["content"])


def test_wecom_posts_one_message_per_unit(
    run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _wecom(robot, monkeypatch)
    r = run("remind", "--to", "wecom")
    assert r.exit_code == 0, r.output
    assert no_secret(r.output)
    assert len(robot.requests) == 4
    for req in robot.requests:
        assert req.path == "/cgi-bin/webhook/send" and list(req.query) == ["key"]
        assert req.headers["content-type"].startswith("application/json")
        assert set(req.json) == {"msgtype", "markdown"} and req.json["msgtype"] == "markdown"
        assert set(req.json["markdown"]) == {"content"}
    county, town, village, office = (_content(q) for q in robot.requests)
    assert town.startswith("### 催办：城关镇\n截至4月24日：逾期 2 项，3个工作日内到期 2 项\n")
    assert "> #1 城关镇报送贫困户动态调整台账，4月10日截止，逾期10个工作日" in town
    assert "> #3 城关镇上报产业项目进度，4月26日截止，还有1个工作日" in town
    assert town.endswith("\n<@zhangsan> <@chenzz>")  # 李四 has no WeCom id
    assert office.endswith("\n<@zhaozr> <@liufxz>")  # 钱某's id is not one WeCom takes
    assert village.endswith("\n<@wangwu>")
    assert "<@" not in county
    for unit in ("城关镇", "城关镇东村", "县扶贫办", "县委县政府"):
        assert f"({unit}" in r.stdout.replace("（", "(") or unit in r.stdout
    assert "4 sent, 0 skipped (sent before), 0 failed" in r.stdout


def test_untrusted_title_cannot_mention_or_link(
    run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _wecom(robot, monkeypatch)
    assert run("remind", "--to", "wecom").exit_code == 0
    village = _content(robot.requests[2])
    assert "东村" in village
    assert "<@all>" not in village and "](" not in village and "`" not in village
    assert "*加急*" not in village
    assert village.count("<@") == 1  # the one real mention


def _signed(req: Any) -> bool:
    [ts] = req.query["timestamp"]
    mac = hmac.new(DING_SECRET.encode(), f"{ts}\n{DING_SECRET}".encode(), hashlib.sha256)
    return bool(req.query["sign"] == [base64.b64encode(mac.digest()).decode()])


def test_dingtalk_posts_signed_with_phones(
    run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DINGTALK_WEBHOOK", robot.dingtalk_url())
    monkeypatch.setenv("TRACKER_DINGTALK_SECRET", DING_SECRET)
    monkeypatch.delenv("TRACKER_LANG")
    r = run("remind", "--to", "dingtalk")
    assert r.exit_code == 0, r.output
    assert no_secret(r.output)
    assert len(robot.requests) == 4
    for req in robot.requests:
        assert req.path == "/robot/send"
        assert set(req.query) == {"access_token", "timestamp", "sign"} and _signed(req)
        assert set(req.json) == {"msgtype", "markdown", "at"}
        assert set(req.json["markdown"]) == {"title", "text"} and set(req.json["at"]) == {
            "atMobiles"
        }
    town = robot.requests[1].json
    assert town["markdown"]["title"] == "催办：城关镇"
    assert town["at"]["atMobiles"] == ["13800138000", "13900139000", "13600136000"]
    assert town["markdown"]["text"].endswith("@13800138000 @13900139000 @13600136000")
    assert "- #1 城关镇报送贫困户动态调整台账" in town["markdown"]["text"]
    assert robot.requests[0].json["at"]["atMobiles"] == []


def test_failure_per_unit_then_no_double_send(
    run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _wecom(robot, monkeypatch)

    def flaky(req: Any) -> tuple[int, bytes]:
        if "城关镇\n" in _content(req):
            return 200, b'{"errcode": 45009, "errmsg": "api freq out of limit"}'
        if "县扶贫办" in _content(req):
            return 502, b"bad gateway"
        return 200, b'{"errcode": 0, "errmsg": "ok"}'

    robot.reply = flaky
    r = run("remind", "--to", "wecom")
    assert r.exit_code == 1
    assert no_secret(r.output)
    assert len(robot.requests) == 4  # the others were still sent
    errors = r.stderr.strip().splitlines()
    assert len(errors) == 2
    assert (
        "城关镇 (town): not sent: the robot answered error 45009: api freq out of limit" in errors
    )
    assert "县扶贫办 (office): not sent: the robot answered HTTP 502" in errors
    assert "2 sent, 0 skipped (sent before), 2 failed" in r.stdout
    assert "units sent: 县委县政府 (county), 城关镇东村 (village)" in r.stdout
    # the repeat: only the two that failed go out
    robot.requests.clear()
    robot.reply = lambda req: (200, b'{"errcode": 0, "errmsg": "ok"}')
    r = run("remind", "--to", "wecom")
    assert r.exit_code == 0, r.output
    assert [q.json["markdown"]["content"].split("\n")[0] for q in robot.requests] == [
        "### 催办：城关镇",
        "### 催办：县扶贫办",
    ]
    assert "县委县政府 (county): already sent today, not sent again" in r.stdout
    assert "2 sent, 2 skipped (sent before), 0 failed" in r.stdout
    # and a third run sends nothing at all
    robot.requests.clear()
    assert run("remind", "--to", "wecom").exit_code == 0
    assert robot.requests == []


def test_changed_digest_is_sent_again(
    run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _wecom(robot, monkeypatch)
    assert run("remind", "--to", "wecom").exit_code == 0
    robot.requests.clear()
    assert run("done", "notify-2020/spring/late-short", user="管理员").exit_code == 0
    assert run("remind", "--to", "wecom").exit_code == 0
    [req] = robot.requests  # only the town's digest changed
    assert "危房改造" not in _content(req)
    # another channel is another message
    monkeypatch.setenv("TRACKER_DINGTALK_WEBHOOK", robot.dingtalk_url())
    robot.requests.clear()
    assert run("remind", "--to", "dingtalk").exit_code == 0
    assert len(robot.requests) == 4


def test_unreachable_robot(run: Run, closed_port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{closed_port}/cgi-bin/webhook/send?key=wecom-secret-key-8d7f6e5a"
    monkeypatch.setenv("TRACKER_WECOM_WEBHOOK", url)
    r = run("remind", "--to", "wecom")
    assert r.exit_code == 1
    assert no_secret(r.output)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 4 and all("cannot reach the robot" in x for x in lines)


def test_dry_run_sends_nothing(run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch) -> None:
    _wecom(robot, monkeypatch)
    r = run("remind", "--to", "wecom", "--dry-run")
    assert r.exit_code == 0, r.output
    assert robot.requests == []
    assert no_secret(r.output)
    assert "城关镇 (town) → WeCom (dry run, not sent)" in r.stdout
    assert '"content": "### 催办：城关镇\\n' in r.stdout
    assert "4 would be sent" in r.stdout
    # nothing was recorded as sent: the real run sends all four
    assert run("remind", "--to", "wecom").exit_code == 0
    assert len(robot.requests) == 4


def test_dry_run_without_a_webhook(run: Run) -> None:
    r = run("remind", "--to", "dingtalk", "--dry-run")
    assert r.exit_code == 0
    assert "TRACKER_DINGTALK_WEBHOOK is not set" in r.stderr
    assert '"atMobiles": [' in r.stdout


def test_json_with_a_robot_gives_each_result(
    run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _wecom(robot, monkeypatch)
    r = run("remind", "--to", "wecom", "--json")
    assert r.exit_code == 0
    found = json.loads(r.stdout)  # the run's own lines on stderr
    assert [d["result"] for d in found] == ["sent"] * 4
    assert "4 sent" in r.stderr


def test_pacing_in_a_run(run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command paces through ``send.Pacer``: with a limit of 2 a window, the four
    messages wait once (a fake clock: no real waiting)."""
    from tracker.notify import send

    slept: list[float] = []
    now = [0.0]

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    real = send.Pacer

    def pacer() -> send.Pacer:
        return real(2, 60.0, clock=lambda: now[0], sleep=sleep)

    monkeypatch.setattr(send, "Pacer", pacer)
    _wecom(robot, monkeypatch)
    assert run("remind", "--to", "wecom").exit_code == 0
    # 2 in any 60 s: posts at 0, 0, then 60, 60
    assert len(robot.requests) == 4 and slept == [60.0]


def test_reading_needs_a_person_in_the_roster(run: Run) -> None:
    r = run("remind", user="陌生人")
    assert r.exit_code == 1 and "roster" in r.stderr


@pytest.mark.parametrize(
    ("today", "sent"),
    [("2020-04-26", 4), ("2020-04-25", 0), ("2020-04-29", 0), ("2020-05-01", 0)],
)
def test_only_workdays(
    run: Run, robot: Robot, monkeypatch: pytest.MonkeyPatch, today: str, sent: int
) -> None:
    """A daily timer: the 调休 Sunday is a working day; a Saturday, the plan's own day off
    and May Day are not."""
    _wecom(robot, monkeypatch)
    r = run("--today", today, "remind", "--to", "wecom", "--only-workdays")
    assert r.exit_code == 0, r.output
    assert len(robot.requests) == sent
    if not sent:
        assert "is not a working day" in r.stdout
