"""The ledger (台账): export with the expected columns, then export → edit → import."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.report.conftest import run_ok

Cli = Callable[..., Result]
# cli-v2.md: every exported row carries the task's uid and its revision rev
ZH_COLUMNS = ["序号", "uid", "行动", "任务", "牵头单位", "配合单位", "责任领导", "完成时限", "状态",
              "进度", "延期", "备注", "rev"]  # fmt: skip
TODAY = ("--today", "2020-04-20")


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def dump(db_path: Path) -> list[Any]:
    """Everything a change could touch: the tasks and the event log."""
    conn = sqlite3.connect(db_path)
    try:
        return [
            conn.execute("SELECT * FROM tasks ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM events ORDER BY id").fetchall(),
        ]
    finally:
        conn.close()


def export_csv(cli: Cli, path: Path, *args: str) -> list[list[str]]:
    run_ok(cli, *TODAY, "--lang", "zh", "export", "-o", str(path), *args)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by its BOM
    return read_csv(path)


def test_export_columns_and_values(season: Cli, tmp_path: Path) -> None:
    rows = export_csv(season, tmp_path / "l.csv")
    assert rows[0] == ZH_COLUMNS
    by_uid = {r[1]: dict(zip(ZH_COLUMNS, r, strict=True)) for r in rows[1:]}
    assert len(by_uid) == 8
    # 序号 is the task's id, as typed on the command line (`tracker done 4`)
    ids = [str(t["id"]) for t in json.loads(run_ok(season, *TODAY, "list", "--json").stdout)]
    assert [r[0] for r in rows[1:]] == ids and sorted(ids, key=int) == [str(i) for i in range(1, 9)]
    z = by_uid["small/spring/zhenggai"]
    assert (z["行动"], z["牵头单位"], z["配合单位"], z["责任领导"], z["状态"]) == (
        "春季攻势", "县扶贫办", "城关镇", "李明", "已销号",
    )  # fmt: skip
    assert by_uid["small/spring/renju"]["进度"] == "57/119 个行政村"
    d = by_uid["small/spring/daolu"]
    assert (d["完成时限"], d["延期"]) == ("2020-04-17", "延期1次，原定2020-04-08")
    assert by_uid["small/spring/diaodu/2020-03-27"]["备注"] == "会议纪要缺失"


def test_export_filters_like_list(season: Cli) -> None:
    out = run_ok(season, *TODAY, "export", "--owner", "town-a", "--format", "json").stdout
    assert sorted(o["uid"] for o in json.loads(out)) == [
        "small/spring/daolu", "small/spring/qingjie/town-a",
    ]  # fmt: skip
    out = run_ok(season, *TODAY, "export", "--status", "done").stdout
    assert len(list(csv.reader(out.splitlines()))) == 1 + 3
    assert out.splitlines()[0].startswith("No.,uid,Campaign,Task")


def test_export_xlsx(season: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "l.xlsx"
    run_ok(season, *TODAY, "--lang", "zh", "export", "--format", "xlsx", "-o", str(path))
    ws = load_workbook(path).active
    assert ws.title == "台账" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ZH_COLUMNS
    assert ws.max_row == 9
    # the title prints at the top of every page, in the page header
    assert ws.oddHeader.center.text == "测试县2020年工作计划 工作台账（2020-04-20 导出，共 8 项）"
    assert ws.column_dimensions["D"].width >= 2 * len("完成行政村人居环境整治")


def test_round_trip_csv(season: Cli, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "l.csv"
    rows = export_csv(season, path)
    col = {name: i for i, name in enumerate(ZH_COLUMNS)}
    run_ok(season, *TODAY, "import", str(path))  # as exported: nothing changes
    before = dump(db_path)
    r = run_ok(season, "--today", "2020-04-21", "--user", "dave", "import", str(path))
    assert "0 changed, 8 unchanged" in r.stdout
    assert dump(db_path) == before

    line = {r[col["uid"]]: i for i, r in enumerate(rows)}
    rows[line["small/spring/renju"]][col["进度"]] = "80/119 个行政村"
    rows[line["small/spring/renju"]][col["备注"]] = "已完成80个"
    rows[line["small/summer/chanye"]][col["状态"]] = "受阻"
    rows[line["small/summer/chanye"]][col["备注"]] = "等待立项批复"
    rows[line["small/spring/diaodu/2020-03-27"]][col["状态"]] = "已完成"
    # (an edited title is an error since cli-v2.md: tests/safety/test_safety_ledger.py)
    write_csv(path, rows)

    dry = run_ok(
        season, "--today", "2020-04-21", "--user", "dave", "import", str(path), "--dry-run"
    )
    assert "3 changed, 5 unchanged" in dry.stdout and "dry run" in dry.stdout
    assert dump(db_path) == before

    r = run_ok(season, "--today", "2020-04-21", "--user", "dave", "import", str(path))
    assert "3 changed, 5 unchanged" in r.stdout
    tasks = {t["uid"]: t for t in json.loads(run_ok(season, *TODAY, "list", "--json").stdout)}
    assert tasks["small/spring/renju"]["progress"] == 80
    assert tasks["small/spring/renju"]["status"] == "doing"
    assert tasks["small/summer/chanye"]["status"] == "blocked"
    assert tasks["small/summer/chanye"]["blocked_reason"] == "等待立项批复"
    d = tasks["small/spring/diaodu/2020-03-27"]
    assert d["status"] == "done" and d["done_at"].startswith("2020-04-21")
    assert tasks["small/spring/daolu"]["title"] == "东村道路硬化"

    conn = sqlite3.connect(db_path)
    events = conn.execute(
        "SELECT user, action, batch, note FROM events WHERE action = 'import' ORDER BY id"
    ).fetchall()
    conn.close()
    assert len(events) == 3
    assert {e[0] for e in events} == {"dave"} and len({e[2] for e in events}) == 1
    assert sorted(e[3] or "" for e in events) == ["", "已完成80个", "等待立项批复"]

    # the same file again: nothing left to change; then undo reverts the whole import
    again = run_ok(season, "--today", "2020-04-21", "--user", "dave", "import", str(path))
    assert "0 changed, 8 unchanged" in again.stdout
    run_ok(season, "--today", "2020-04-21", "--user", "dave", "undo")
    states = {
        t["uid"]: (t["status"], t["progress"], t["done_at"])
        for t in json.loads(run_ok(season, *TODAY, "list", "--json").stdout)
    }
    assert states["small/spring/renju"] == ("doing", 57, None)
    assert states["small/summer/chanye"][0] == "todo"


def test_round_trip_xlsx_and_target_reached(season: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "l.xlsx"
    run_ok(season, *TODAY, "--lang", "zh", "export", "--format", "xlsx", "-o", str(path))
    wb = load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "small/spring/renju":
            row[9].value = 119  # a number typed into the cell
        if row[1].value == "small/summer/chanye":
            row[8].value = "进行中"
    wb.save(path)
    r = run_ok(season, "--today", "2020-04-22", "--user", "erin", "import", str(path))
    assert "2 changed" in r.stdout
    tasks = {t["uid"]: t for t in json.loads(run_ok(season, *TODAY, "list", "--json").stdout)}
    renju = tasks["small/spring/renju"]
    assert (renju["status"], renju["progress"]) == ("done", 119)  # the target reached: done
    assert renju["done_at"].startswith("2020-04-22")
    assert tasks["small/summer/chanye"]["status"] == "doing"


def test_corrupted_ledger_rejected_with_line_numbers(
    season: Cli, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    rows = export_csv(season, path)
    col = {name: i for i, name in enumerate(ZH_COLUMNS)}
    rows[1][col["备注"]] = "好的备注"  # a good edit: must not be applied either
    rows[2][col["状态"]] = "完成了"  # line 3
    rows[3][col["uid"]] = "small/spring/nope"  # line 4
    rows[4][col["进度"]] = "很多"  # line 5
    rows[5][col["状态"]] = "受阻"  # line 6: no reason
    rows[5][col["备注"]] = ""
    rows[6] = list(rows[7])  # line 7 duplicates line 8
    rows[7][col["备注"]] = "第一行\n第二行"  # line 8, a note on two lines: 8 and 9
    rows.append(["9", "", "", "", "", "", "", "", "已完成", "", "", ""])  # line 11: no uid
    write_csv(path, rows)
    before = dump(db_path)
    r = season("--today", "2020-04-21", "import", str(path))
    assert r.exit_code == 2
    errors = [line for line in r.stderr.splitlines() if line.startswith(str(path))]
    where = [int(e.split(":")[1]) for e in errors]
    assert where == [3, 4, 5, 6, 8, 11], r.stderr
    assert "完成了" in errors[0] and "small/spring/nope" in errors[1] and "很多" in errors[2]
    assert "line 7" in errors[4]
    assert "nothing was changed" in r.stderr
    assert "Traceback" not in r.output
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "cannot read"),
        ("l.txt", "uid,状态\n", "not a ledger"),
        ("l.csv", "foo,bar\n1,2\n", "missing columns"),
        ("l.csv", "", "empty"),
        ("l.xlsx", "not a zip", "cannot read"),
    ],
)
def test_unreadable_ledgers(
    season: Cli, tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    r = season("import", str(path))
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.output


def test_withdrawn_task_cannot_be_edited(season: Cli, tmp_path: Path) -> None:
    run_ok(season, "--today", "2020-04-21", "note", "8", "等待批复")
    path = tmp_path / "l.csv"
    rows = export_csv(season, path, "--all")
    v2 = tmp_path / "v2.toml"
    from tests.report.conftest import SMALL

    text = SMALL.read_text(encoding="utf-8")
    v2.write_text(text[: text.index('[[campaign]]\nkey = "summer"')], encoding="utf-8")
    run_ok(season, "--today", "2020-04-22", "load", str(v2))
    last = next(r for r in rows if r[1] == "small/summer/chanye")
    last[8] = "已完成"
    write_csv(path, rows)
    r = season("--today", "2020-04-22", "import", str(path))
    assert r.exit_code == 2 and "withdrawn" in r.stderr


def test_the_xlsx_ledger_prints(season: Cli, tmp_path: Path) -> None:
    """Landscape, one page wide, title and header on every page, real dates and numbers, and
    a dropdown of the statuses a person may set (a newcomer's printed 台账)."""
    from datetime import datetime

    from openpyxl import load_workbook

    path = tmp_path / "l.xlsx"
    run_ok(season, *TODAY, "--lang", "zh", "export", "-o", str(path))
    ws = load_workbook(path).active
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$1"
    col = {c.value: c.column_letter for c in ws[1]}
    first = ws[f"{col['完成时限']}2"]
    assert isinstance(first.value, datetime) and first.number_format == "yyyy-mm-dd"
    assert isinstance(ws[f"{col['序号']}2"].value, int)
    [dv] = ws.data_validations.dataValidation
    assert dv.type == "list" and str(dv.sqref) == f"{col['状态']}2:{col['状态']}9"
    assert dv.formula1 == '"未开始,进行中,已完成,已销号,受阻,已免除"'


def test_libreoffice_prints_the_county_ledger_on_few_pages(tmp_path: Path) -> None:
    """The county example's ledger rendered by LibreOffice: landscape, fitted to the width, so
    the pages are the rows' pages, not column bands (175 pages before)."""
    import re
    import shutil
    import subprocess

    from typer.testing import CliRunner

    from tracker.cli import app

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
    runner = CliRunner()
    plan = Path(__file__).resolve().parents[2] / "campaigns" / "county-2020.toml"
    db = tmp_path / "c.db"
    assert runner.invoke(app, ["--db", str(db), "load", str(plan)]).exit_code == 0
    xlsx = tmp_path / "ledger.xlsx"
    r = runner.invoke(app, ["--db", str(db), "--lang", "zh", "export", "-o", str(xlsx)])
    assert r.exit_code == 0, r.output
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = (tmp_path / "ledger.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    rows = 1646
    assert 0 < pages < rows / 15, pages  # at least ~15 rows a page: one band of columns
