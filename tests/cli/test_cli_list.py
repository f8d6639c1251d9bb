"""`tracker list`: filters, JSON keys, and a table that fits the terminal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tracker.present import cell_width

Cli = Callable[..., Result]
KEYS = {
    "id", "uid", "plan", "campaign", "campaign_name", "task_key", "title", "owner", "owner_name",
    "support", "leader", "start", "due", "period", "status", "overdue", "target", "progress",
    "unit", "priority", "tags", "done_at", "planned_due", "postponed",
}  # fmt: skip


def listed(cli: Cli, *args: str) -> list[dict[str, Any]]:
    r = cli("list", "--json", *args)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert isinstance(data, list)
    return data


def ids(cli: Cli, *args: str) -> list[int]:
    return [t["id"] for t in listed(cli, *args)]


def test_json_keys_and_types(cli: Cli, loaded: Path) -> None:
    assert cli("progress", "4", "119").exit_code == 0
    data = listed(cli)
    assert [t["id"] for t in data] == [5, 6, 7, 1, 2, 3, 4, 8, 9]
    for t in data:
        assert set(t) >= KEYS
        assert isinstance(t["overdue"], bool)
        assert isinstance(t["support"], list) and isinstance(t["tags"], list)
    four = next(t for t in data if t["id"] == 4)
    assert (four["status"], four["progress"], four["target"]) == ("done", 119, 119)
    assert four["done_at"].startswith("2020-04-20T")
    one = next(t for t in data if t["id"] == 1)
    assert one["support"] == ["fpb"] and one["tags"] == ["整改"] and one["done_at"] is None
    assert one["campaign_name"] == "春季攻势" and one["owner_name"] == "县纪委监委"
    assert [t["overdue"] for t in data[:4]] == [True, True, True, False]


def test_filters(cli: Cli, loaded: Path) -> None:
    assert ids(cli, "--plan", "xx-county-2020", "--campaign", "summer") == [8, 9]
    assert ids(cli, "--owner", "town-a") == [2, 8]
    assert ids(cli, "--due", "overdue") == [5, 6, 7]
    assert ids(cli, "--due", "2020-03-31") == [5, 6]
    assert ids(cli, "--search", "清洁") == [2, 3]
    assert cli("done", "5").exit_code == 0 and cli("block", "6", "--reason", "x").exit_code == 0
    assert ids(cli, "--status", "done", "--status", "blocked") == [5, 6]
    assert ids(cli, "--due", "overdue", "--status", "blocked") == [6]


def test_global_today_shifts_due_filters(cli: Cli, loaded: Path) -> None:
    r = cli("--today", "2020-04-30", "list", "--json", "--due", "today")
    assert [t["id"] for t in json.loads(r.stdout)] == [1, 2, 3, 4]
    r = cli("--today", "2020-04-27", "list", "--json", "--due", "week")
    assert [t["id"] for t in json.loads(r.stdout)] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "args",
    [("--due", "soon"), ("--due", "2020-02-30"), ("--status", "finished"), ("--limit", "0")],
)
def test_bad_filter_values_exit_2(cli: Cli, loaded: Path, args: tuple[str, ...]) -> None:
    r = cli("list", *args)
    assert r.exit_code == 2
    assert r.stdout == "" and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_empty(cli: Cli, db_path: Path) -> None:
    assert listed(cli) == []
    r = cli("list")
    assert r.exit_code == 0 and "no tasks" in r.stdout
    assert "没有" in cli("--lang", "zh", "list").stdout


def _columns_of(line: str, header: str, name: str) -> int:
    """The display column where ``name`` starts in ``header`` (cells, not characters)."""
    return cell_width(header[: header.index(name)])


def test_human_table_zh_aligned_and_marked(
    cli: Cli, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    r = cli("--lang", "zh", "list")
    assert r.exit_code == 0
    lines = r.stdout.rstrip("\n").split("\n")
    header, body, footer = lines[0], lines[1:-1], lines[-1]
    for h in ("编号", "任务", "牵头单位", "完成时限", "状态", "进度"):
        assert h in header
    assert all(cell_width(line) <= 100 for line in lines)
    # every row's status cell starts in the header's 状态 column, whatever the CJK text before it
    col = _columns_of(header, header, "状态")
    for line in body:
        prefix_cells = 0
        for i in range(len(line)):
            if prefix_cells == col:
                assert line[i:].split()[0] in ("未开始", "进行中", "已完成", "已销号", "受阻")
                break
            prefix_cells += cell_width(line[i])
        else:
            pytest.fail(f"no cell at column {col}: {line!r}")
    assert body[0].startswith("!") and "逾期52天" in body[0]
    assert not body[3].startswith("!") and "10天后" in body[3]
    assert "共 9 项" in footer and "逾期 3 项" in footer


def test_human_relative_dates_en(cli: Cli, loaded: Path) -> None:
    out = cli("--today", "2020-04-29", "list").stdout
    assert "tomorrow" in out and "14d late" in out and "in 62d" in out
    out = cli("--today", "2020-04-30", "list").stdout
    assert "today" in out
    assert cli("--today", "2020-04-30", "--lang", "zh", "list").stdout.count("今天") == 4
    assert "明天" in cli("--today", "2020-04-29", "--lang", "zh", "list").stdout


@pytest.mark.parametrize("width", [40, 60, 80, 200])
def test_table_fits_any_width(
    cli: Cli, loaded: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    r = cli("--lang", "zh", "list")
    assert r.exit_code == 0
    lines = r.stdout.rstrip("\n").split("\n")
    assert all(cell_width(line) <= width for line in lines[:-1]), lines
    assert len(lines) == 11  # header, 9 rows, footer
    if width < 80:
        assert "…" in r.stdout  # long titles are cut, not wrapped


def test_limit(cli: Cli, loaded: Path) -> None:
    assert ids(cli, "--limit", "2") == [5, 6]


def test_support_lists_the_tasks_a_unit_supports(cli: Cli, loaded: Path) -> None:
    """#1 is the 纪委's, with 扶贫办 (fpb) supporting: ``--owner fpb`` leaves it out and says so;
    ``--support`` lists it too."""
    owned = ids(cli, "--owner", "fpb")
    assert 1 not in owned
    assert ids(cli, "--owner", "fpb", "--support") == sorted(
        [*owned, 1], key=[t["id"] for t in listed(cli)].index
    )
    text = cli("--lang", "zh", "list", "--owner", "fpb")
    assert text.exit_code == 0
    assert text.stdout.rstrip().splitlines()[-1] == (
        "另有 1 项任务该单位是配合单位（加 --support 一并列出）"
    )
    hint = cli("--lang", "en", "list", "--owner", "fpb", "--support")
    assert "supporting unit" not in hint.stdout
    alone = cli("--lang", "en", "list", "--support")
    assert alone.exit_code == 2 and alone.stdout == ""
    assert (
        alone.stderr.strip() == "--support needs --owner (the unit whose supporting tasks to list)"
    )
    # a unit that supports nothing: no hint
    assert "supporting unit" not in cli("--lang", "en", "list", "--owner", "town-a").stdout
