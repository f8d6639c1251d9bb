"""`tracker load` end to end from TOML: the reload scenarios of plan-format.md, Identity."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

Cli = Callable[..., Result]
P = "xx-county-2020"


def load(cli: Cli, path: Path, *extra: str) -> dict[str, Any]:
    r = cli("load", str(path), "--json", *extra)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def tasks(cli: Cli, *extra: str) -> dict[str, dict[str, Any]]:
    r = cli("list", "--json", "--all", *extra)
    assert r.exit_code == 0, r.output
    return {t["uid"]: t for t in json.loads(r.stdout)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def test_load_prints_counts(cli: Cli, county_toml: Path) -> None:
    r = cli("load", str(county_toml))
    assert r.exit_code == 0, r.output
    assert "added: 9" in r.stdout and "withdrawn: 0" in r.stdout
    assert P in r.stdout
    r = cli("--lang", "zh", "load", str(county_toml))
    assert r.exit_code == 0
    assert "新增 0" in r.stdout and "未变 9" in r.stdout
    t = tasks(cli)
    assert len(t) == 9 and t[f"{P}/spring/zhoubao/2020-W16"]["due"] == "2020-04-17"
    assert t[f"{P}/spring/qingjie/town-a"]["owner_name"] == "城关镇"


def test_dry_run_writes_nothing(cli: Cli, county_toml: Path, db_path: Path) -> None:
    s = load(cli, county_toml, "--dry-run")
    assert (s["added"], s["dry_run"]) == (9, True)
    assert tasks(cli) == {}
    r = cli("load", str(county_toml), "--dry-run")
    assert "dry run" in r.stdout and "added: 9" in r.stdout


def test_rename_title_keeps_progress(cli: Cli, county_toml: Path) -> None:
    load(cli, county_toml)
    assert cli("progress", f"{P}/spring/renju", "40", "--note", "中期").exit_code == 0
    edit(county_toml, 'title = "完成行政村人居环境整治"', 'title = "完成人居环境整治提升"')
    s = load(cli, county_toml)
    assert (s["added"], s["changed"], s["removed"], s["withdrawn"]) == (0, 1, 0, 0)
    t = tasks(cli)[f"{P}/spring/renju"]
    assert (t["id"], t["title"], t["progress"], t["status"]) == (
        4,
        "完成人居环境整治提升",
        40,
        "doing",
    )
    show = json.loads(cli("show", "4", "--json").stdout)
    assert [n["text"] for n in show["notes"]] == ["中期"]


def test_delete_touched_withdraws_untouched_removes(cli: Cli, county_toml: Path) -> None:
    load(cli, county_toml)
    assert cli("done", f"{P}/spring/xunshi").exit_code == 0
    text = county_toml.read_text("utf-8")
    for key in ("xunshi", "diaoyan"):  # xunshi touched, diaoyan not
        start = text.index(f'  key = "{key}"')
        start = text.rindex("  [[campaign.task]]", 0, start)
        end = text.index("  [[campaign.task]]", start + 5)
        text = text[:start] + text[end:]
    county_toml.write_text(text, "utf-8")
    r = cli("load", str(county_toml))
    assert r.exit_code == 0, r.output
    assert "removed: 1" in r.stdout and "withdrawn: 1" in r.stdout
    assert f"{P}/spring/xunshi" in r.stdout  # the summary lists what was withdrawn
    t = tasks(cli)
    assert t[f"{P}/spring/xunshi"]["status"] == "withdrawn"
    assert f"{P}/spring/diaoyan" not in t
    visible = json.loads(cli("list", "--json").stdout)
    assert f"{P}/spring/xunshi" not in {v["uid"] for v in visible}
    assert cli("start", "1").exit_code == 1  # withdrawn: refused


def test_weekday_change_keeps_uids(cli: Cli, county_toml: Path) -> None:
    load(cli, county_toml)
    before = tasks(cli)
    assert cli("done", f"{P}/spring/zhoubao/2020-W15").exit_code == 0
    edit(county_toml, 'on = "fri"', 'on = "thu"')
    s = load(cli, county_toml)
    assert (s["added"], s["changed"], s["removed"], s["withdrawn"]) == (0, 4, 0, 0)
    after = tasks(cli)
    assert set(after) == set(before)
    w15 = after[f"{P}/spring/zhoubao/2020-W15"]
    assert (w15["due"], w15["status"], w15["id"]) == (
        "2020-04-09",
        "done",
        before[w15["uid"]]["id"],
    )


def test_each_membership_change(cli: Cli, county_toml: Path) -> None:
    load(cli, county_toml)
    assert cli("note", f"{P}/spring/qingjie/town-b", "已部署").exit_code == 0
    edit(county_toml, 'towns = ["town-a", "town-b"]', 'towns = ["town-a", "town-c"]')
    s = load(cli, county_toml)
    assert (s["added"], s["changed"], s["removed"], s["withdrawn"]) == (1, 0, 0, 1)
    assert s["withdrawn_uids"] == [f"{P}/spring/qingjie/town-b"]
    edit(county_toml, 'towns = ["town-a", "town-c"]', 'towns = ["town-c"]')
    s = load(cli, county_toml)  # town-a was never touched: removed
    assert (s["added"], s["removed"], s["withdrawn"]) == (0, 1, 0)
    t = tasks(cli)
    assert f"{P}/spring/qingjie/town-a" not in t
    assert t[f"{P}/spring/qingjie/town-b"]["status"] == "withdrawn"
    assert t[f"{P}/spring/qingjie/town-c"]["title"] == "河口镇开展村庄清洁行动"
    edit(county_toml, 'towns = ["town-c"]', 'towns = ["town-b", "town-c"]')
    s = load(cli, county_toml)  # back again: restored with its note
    assert (s["restored"], s["added"]) == (1, 0)
    assert tasks(cli)[f"{P}/spring/qingjie/town-b"]["status"] == "todo"


def test_postponed_due_survives_a_plan_date_change(cli: Cli, county_toml: Path) -> None:
    load(cli, county_toml)
    assert cli("postpone", "1", "2020-05-08", "--reason", "巡视组未到").exit_code == 0
    edit(county_toml, 'due = "2020-04-20"', 'due = "2020-04-24"')
    load(cli, county_toml)
    t = tasks(cli)[f"{P}/spring/xunshi"]
    assert (t["due"], t["planned_due"], t["postponed"]) == ("2020-05-08", "2020-04-24", 1)


def test_second_plan_loads_beside(cli: Cli, county_toml: Path, tmp_path: Path) -> None:
    load(cli, county_toml)
    other = tmp_path / "other.toml"
    other.write_text(county_toml.read_text("utf-8").replace(P, "yy-town-2020"), "utf-8")
    s = load(cli, other)
    assert (s["added"], s["removed"]) == (9, 0)
    assert len(tasks(cli)) == 18
    assert len(tasks(cli, "--plan", P)) == 9


def test_bad_plan_exits_2_and_writes_nothing(cli: Cli, county_toml: Path, db_path: Path) -> None:
    edit(county_toml, 'owner = "fpb"\n  due', 'owner = "nobody"\n  due')
    r = cli("load", str(county_toml))
    assert r.exit_code == 2
    assert "Traceback" not in r.output and str(county_toml.name) in r.stderr
    assert tasks(cli) == {}
    r = cli("load", "no-such-plan.toml")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1


def test_unchanged_files_skip_the_expansion(cli: Cli, county_toml: Path, monkeypatch: Any) -> None:
    """Byte-identical files are recognised by digest; any edit takes the full path again."""
    first = load(cli, county_toml)
    assert (first["added"], first["source_unchanged"]) == (9, False)
    assert cli("done", f"{P}/spring/zhoubao/2020-W16").exit_code == 0

    import tracker.plan as plan_pkg

    def no_expansion(path: Path) -> None:
        raise AssertionError("read_plan must not run for unchanged files")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan_pkg, "read_plan", no_expansion)
        again = load(cli, county_toml)
        assert again["source_unchanged"] is True
        counts = (again["added"], again["changed"], again["removed"], again["withdrawn"])
        assert counts == (0, 0, 0, 0)
        assert again["unchanged"] == 9 and again["plan"] == first["plan"]
        r = cli("load", str(county_toml))
        assert r.exit_code == 0 and "unchanged since the last load" in r.stdout

    edit(county_toml, 'title = "完成行政村人居环境整治"', 'title = "完成人居环境整治提升"')
    edited = load(cli, county_toml)
    assert (edited["source_unchanged"], edited["changed"]) == (False, 1)
    assert tasks(cli)[f"{P}/spring/zhoubao/2020-W16"]["status"] == "done"
