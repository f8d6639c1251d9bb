"""The rough edges a newcomer met (issue: a newcomer's first hour), each as a test."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Cli = Callable[..., Result]


def one_line(r: Result, code: int) -> str:
    assert r.exit_code == code, r.output
    assert r.stdout == "" and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    return r.stderr


def test_version(cli: Cli) -> None:
    r = cli("--version")
    assert r.exit_code == 0 and r.stdout.startswith("tracker ") and r.stdout.strip() != "tracker"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "No such command 'lst'. Did you mean: list?"),
        ("zh", "没有命令“lst”。是否想输入：list？"),
    ],
)
def test_a_typo_suggests_once(cli: Cli, lang: str, expected: str) -> None:
    err = one_line(cli("--lang", lang, "lst"), 2)
    assert expected in err and err.count("list") == 1


def test_click_usage_errors_speak_chinese(cli: Cli, loaded: Path) -> None:
    assert "缺少选项 --reason" in one_line(cli("--lang", "zh", "block", "1"), 2)
    assert "没有选项 --bogus" in one_line(cli("--lang", "zh", "list", "--bogus"), 2)
    assert "Missing option '--reason'" in one_line(cli("--lang", "en", "block", "1"), 2)


def test_help_has_no_rst_markup(cli: Cli) -> None:
    for args in ([], ["export"], ["list"], ["report", "weekly"], ["people", "add"]):
        r = cli(*args, "--help")
        assert r.exit_code == 0 and "``" not in r.stdout, args


def test_one_task_is_singular(cli: Cli, loaded: Path) -> None:
    out = cli("list", "--limit", "1").stdout
    assert out.rstrip().endswith("1 task, 0 overdue") or "1 task, 1 overdue" in out
    assert "2 tasks" in cli("list", "--limit", "2").stdout


def test_progress_can_be_taken_back_and_warns_past_the_target(cli: Cli, loaded: Path) -> None:
    assert cli("progress", "4", "50").exit_code == 0  # renju: target 119
    r = cli("progress", "4", "-20")
    assert r.exit_code == 0 and "50 → 30" in r.stdout
    one_line(cli("progress", "4", "-31"), 2)  # below zero: bad input, nothing changed
    r = cli("progress", "2", "+1000")  # no target: no warning
    assert r.exit_code == 0 and r.stderr == ""
    r = cli("progress", "4", "+1000")
    assert r.exit_code == 0 and "over the target 119" in r.stderr
    assert json.loads(cli("show", "4", "--json").stdout)["progress"] == 1030


def test_postpone_takes_a_month_day(cli: Cli, loaded: Path) -> None:
    r = cli("postpone", "2", "05-15", "--reason", "雨季")  # today 2020-04-20
    assert r.exit_code == 0, r.output
    assert json.loads(cli("show", "2", "--json").stdout)["due"] == "2020-05-15"
    one_line(cli("postpone", "2", "13-01", "--reason", "x"), 2)


def test_backup_keeps_an_existing_copy(cli: Cli, loaded: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert cli("backup", str(copy)).exit_code == 0
    before = copy.read_bytes()
    assert "--force" in one_line(cli("backup", str(copy)), 2)
    assert copy.read_bytes() == before
    assert cli("backup", str(copy), "--force").exit_code == 0


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("title = “测试”", "full-width punctuation"),
        ("[units.东村]", 'must be quoted, as in [units."东村"]'),
    ],
)
def test_check_explains_newcomers_syntax(cli: Cli, tmp_path: Path, line: str, hint: str) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text(f'[plan]\nid = "x"\nyear = 2020\n{line}\n', encoding="utf-8")
    err = cli("check", str(plan)).stderr
    assert f"{plan}:4:" in err and hint in err


def test_init_writes_a_plan_that_checks(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    r = cli("init", str(plan))
    assert r.exit_code == 0 and str(plan) in r.stdout
    text = plan.read_text(encoding="utf-8")
    assert text.startswith("# ") and "[[campaign]]" in text and 'each = "villages"' in text
    checked = cli("check", str(plan))
    assert checked.exit_code == 0 and "total: 51 instance(s)" in checked.stdout
    assert "--force" in one_line(cli("init", str(plan)), 2)
    plan.write_text("mine", encoding="utf-8")
    assert cli("init", str(plan), "--force").exit_code == 0 and plan.read_text("utf-8") == text


def test_the_walkthrough_shows_the_template_as_it_is(cli: Cli, tmp_path: Path) -> None:
    """Every TOML snippet of docs/first-plan.md is the starting plan's own text (so a
    newcomer finds in the file exactly what the walkthrough shows)."""
    import re

    plan = tmp_path / "plan.toml"
    assert cli("init", str(plan)).exit_code == 0
    template = [line.split("#")[0].rstrip() for line in plan.read_text("utf-8").splitlines()]
    doc = (Path(__file__).resolve().parents[2] / "docs" / "first-plan.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", doc, re.S)
    assert len(blocks) >= 3
    for block in blocks:
        for line in block.splitlines():
            code = line.split("#")[0].rstrip()
            if code and not code.startswith("villages"):
                assert code in template, code


def test_status_filter_takes_chinese_words(cli: Cli, loaded: Path) -> None:
    assert cli("done", "1").exit_code == 0
    zh = json.loads(cli("list", "--status", "已完成", "--json").stdout)
    en = json.loads(cli("list", "--status", "done", "--json").stdout)
    assert [t["id"] for t in zh] == [t["id"] for t in en] == [1]
    one_line(cli("list", "--status", "完成了"), 2)
