"""``tracker check PATH`` (cli.md): errors on stderr with exit 2, warnings and counts on stdout."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from plan_helpers import HEAD, campaign, task
from typer.testing import Result

REPO = Path(__file__).parent.parent.parent
EXAMPLE = REPO / "campaigns" / "county-2020.toml"
Cli = Callable[..., Result]


def test_check_counts_instances_per_campaign(cli: Cli, write: Callable[..., Path]) -> None:
    text = HEAD + campaign() + task(each="abc", every="month")
    text += campaign(key="c2", start="2020-05-01", end="2020-07-31") + task(key="x")
    result = cli("check", str(write(text)))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "c1 (活动, 2020-02-01 .. 2020-04-30): 9 instance(s)" in out
    assert "c2 (活动, 2020-05-01 .. 2020-07-31): 1 instance(s)" in out
    assert "total: 10 instance(s)" in out
    assert result.stderr == ""


def test_check_lists_moved_dates_and_warnings(cli: Cli, write: Callable[..., Path]) -> None:
    path = write(HEAD + campaign() + task(due="04-04") + task(key="late", due="05-15"))
    result = cli("check", str(path))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(
        re.match(
            rf"^{re.escape(str(path))}:\d+: warning: p/c1/t: due 2020-04-04 .*"
            r" moved to 2020-04-03$",
            x,
        )
        for x in lines
    ), lines
    assert any("'c1.late' is due 2020-05-15, after its campaign 'c1' ends" in x for x in lines)


def test_check_quiet_counts_moved_dates(cli: Cli, write: Callable[..., Path]) -> None:
    path = write(HEAD + campaign() + task(each="abc", every="week", on="sat"))
    result = cli("check", "--quiet", str(path))
    assert result.exit_code == 0
    assert "39 due date(s) moved" in result.stdout
    assert "p/c1/t/a/" not in result.stdout


def test_check_in_chinese(cli: Cli, write: Callable[..., Path]) -> None:
    result = cli("--lang", "zh", "check", str(write(HEAD + campaign() + task())))
    assert result.exit_code == 0
    assert "合计：1 个任务实例" in result.stdout


def test_check_errors_go_to_stderr_with_exit_2(cli: Cli, write: Callable[..., Path]) -> None:
    path = write(HEAD + campaign() + task(ownr="a", due="02-30"))
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    errs = result.stderr.splitlines()
    assert len(errs) == 2
    assert all(re.match(rf"^{re.escape(str(path))}:\d+: ", e) for e in errs)
    assert "Traceback" not in result.stderr


def test_check_bad_files_never_trace(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "syntax.toml").write_text("[plan\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    for name in ("bin.toml", "syntax.toml", "empty", "nowhere.toml"):
        result = cli("check", str(tmp_path / name))
        assert result.exit_code == 2, name
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(str(tmp_path / name) + ":")
    result = cli("check", str(tmp_path / "syntax.toml"))
    assert re.match(r"^.*syntax\.toml:1:\d+: TOML syntax error", result.stderr)


def test_check_writes_nothing(cli: Cli, write: Callable[..., Path], isolated: Path) -> None:
    cli("check", str(write(HEAD + campaign() + task())))
    assert not (isolated / "tracker.db").exists()


def test_example_plan_runs_clean(cli: Cli) -> None:
    result = cli("check", "--quiet", str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for key in ("spring", "summer", "autumn", "winter"):
        assert re.search(rf"^  {key} \(.*\): \d+ instance\(s\)$", out, re.M)
    # no warning other than the yearly targets running past their campaign
    warnings = [x for x in out.splitlines() if ": warning: " in x]
    assert warnings and all("is due 2020-12-31, after its campaign" in x for x in warnings)


def test_example_plan_content() -> None:
    from tracker.plan import read_plan

    exp = read_plan(EXAMPLE)
    plan = exp.plan
    assert [c.key for c in plan.campaigns] == ["spring", "summer", "autumn", "winter"]
    assert len(plan.groups["towns"]) == 24
    winter = plan.campaigns[-1]
    assert (winter.start.isoformat(), winter.end.isoformat()) == ("2020-11-01", "2021-01-31")
    targets = {i.task_key: (i.target, i.unit) for i in exp.instances if i.target}
    assert targets["s6-renju-zhengzhi"] == (119, "个行政村")
    assert targets["x3-gonglu"] == (1588, "公里")
    assert targets["x3-youeryuan"] == (5, "所")
    assert targets["x3-jiuye"] == (5000, "人")
    assert targets["x3-penghuqu"] == (1990, "套")
    by_key = {i.uid: i for i in exp.instances}
    assert by_key["county-2020/winter/d2-kaohe-zhunbei"].due.isoformat() == "2021-01-15"
    assert by_key["county-2020/autumn/q4-fupinri/2020-10-17"].due.isoformat() == "2020-10-16"
    assert len({i.uid for i in exp.instances}) == len(exp.instances)
