"""The ledger round trip (cli-v2.md): revisions, only edited cells, conflicts, the commands'
rules, GB18030, bounded xlsx, and no formula in any exported cell (issue #14)."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from safety_helpers import TODAY, Cli, fails, ok, tasks

COLS = ["No.", "uid", "Campaign", "Task", "Lead unit", "Supporting units", "Leader", "Deadline",
        "Status", "Progress", "Postponed", "Note", "rev"]  # fmt: skip
C = {name: i for i, name in enumerate(COLS)}
FORMULA = '=HYPERLINK("http://x","click")'


def read(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)


def row_of(rows: list[list[str]], uid: str) -> list[str]:
    return next(r for r in rows if r[C["uid"]] == uid)


def dump(db: Path) -> list[object]:
    conn = sqlite3.connect(db)
    try:
        return [
            conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("tasks", "events")
        ]
    finally:
        conn.close()


def export(cli: Cli, path: Path, *args: str) -> list[list[str]]:
    ok(cli, "--today", TODAY, "export", "-o", str(path), *args)
    return read(path)


def test_a_stale_ledger_never_undoes_colleagues_work(small: Cli, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    rows = export(small, path, "--format", "csv")
    assert rows[0] == COLS and all(r[C["rev"]].isdigit() for r in rows[1:])
    ok(small, "--today", TODAY, "--user", "ann", "done", "2")
    ok(small, "--today", TODAY, "--user", "ann", "progress", "4", "40")
    r = ok(small, "--today", TODAY, "--user", "bob", "import", str(path))
    assert "0 changed, 8 unchanged" in r.stdout
    t = tasks(small)
    assert t["small/spring/qingjie/town-a"]["status"] == "done"
    assert t["small/spring/renju"]["progress"] == 40
    # a month later, the same unedited ledger still changes nothing
    ok(small, "--today", "2020-05-20", "--user", "bob", "import", str(path))
    assert tasks(small) == t


def test_conflicts_are_refused_one_line_each(small: Cli, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "l.csv"
    rows = export(small, path)
    ok(small, "--today", TODAY, "--user", "ann", "done", "2")
    ok(small, "--today", TODAY, "--user", "ann", "progress", "4", "40")
    row_of(rows, "small/spring/qingjie/town-a")[C["Status"]] = "blocked"
    row_of(rows, "small/spring/qingjie/town-a")[C["Note"]] = "资金未到位"
    row_of(rows, "small/spring/renju")[C["Progress"]] = "10"
    row_of(rows, "small/summer/chanye")[C["Status"]] = "doing"  # a good edit, not applied either
    write(path, rows)
    before = dump(db_path)
    r = fails(small, 1, "--today", TODAY, "--user", "bob", "import", str(path))
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith(str(path))]
    assert len(lines) == 2, r.stderr
    assert lines[0].endswith(
        "small/spring/qingjie/town-a: status changed since the export by ann "
        "(exported todo, now done, ledger blocked)"
    ), lines[0]
    assert "small/spring/renju: progress changed since the export by ann " in lines[1]
    assert "(exported 0, now 40, ledger 10)" in lines[1]
    assert dump(db_path) == before  # nothing written, not even chanye's good edit


def test_edited_cells_apply_when_only_other_fields_changed(small: Cli, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    rows = export(small, path)
    ok(small, "--today", TODAY, "--user", "ann", "note", "4", "村里已开会")  # rev moves on
    row_of(rows, "small/spring/renju")[C["Progress"]] = "60/119 个行政村"
    write(path, rows)
    r = ok(small, "--today", TODAY, "--user", "bob", "import", str(path))
    assert "1 changed" in r.stdout
    renju = tasks(small)["small/spring/renju"]
    assert renju["progress"] == 60  # the edit applied; ann's note kept (not a conflict)
    assert "村里已开会" in ok(small, "show", "4").stdout


@pytest.mark.parametrize(
    ("uid", "status", "word"),
    [("small/summer/chanye", "verified", "todo"), ("small/spring/qingjie/town-a", "todo", "done")],
)
def test_status_moves_follow_the_commands_rules(
    small: Cli, tmp_path: Path, db_path: Path, uid: str, status: str, word: str
) -> None:
    ok(small, "--today", TODAY, "done", "2")
    path = tmp_path / "l.csv"
    rows = export(small, path)
    row_of(rows, uid)[C["Status"]] = status
    write(path, rows)
    before = dump(db_path)
    r = fails(small, 2, "--today", TODAY, "import", str(path))
    assert f"is {word}: it cannot be set to {status}" in r.stderr
    assert dump(db_path) == before
    assert small("--today", TODAY, "verify", "8").exit_code == 1  # as the command refuses


def test_no_rev_is_refused_unless_force(small: Cli, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    rows = [r[:-1] for r in export(small, path)]  # a version 1 ledger: no rev column
    row_of(rows, "small/summer/chanye")[C["Status"]] = "doing"
    write(path, rows)
    r = fails(small, 2, "--today", TODAY, "import", str(path))
    assert "no rev column" in r.stderr and "--force" in r.stderr
    r = ok(small, "--today", TODAY, "import", str(path), "--force")
    assert "1 changed" in r.stdout
    assert tasks(small)["small/summer/chanye"]["status"] == "doing"


@pytest.mark.parametrize(("column", "value"), [("Task", "另一个标题"), ("Deadline", "2021-01-01")])
def test_a_read_only_column_edit_is_an_error_naming_it(
    small: Cli, tmp_path: Path, column: str, value: str
) -> None:
    path = tmp_path / "l.csv"
    rows = export(small, path)
    row_of(rows, "small/spring/daolu")[C[column]] = value
    write(path, rows)
    r = fails(small, 2, "--today", TODAY, "import", str(path))
    assert f"/ {column} is not editable" in r.stderr


def test_excel_date_forms_are_not_edits(small: Cli, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    rows = export(small, path)
    for r in rows[1:]:
        y, m, d = r[C["Deadline"]].split("-")
        r[C["Deadline"]] = f"{y}/{int(m)}/{int(d)}"  # as Excel writes a date back to csv
    write(path, rows)
    assert "0 changed" in ok(small, "--today", TODAY, "import", str(path)).stdout


def test_gbk_and_gb18030_ledgers(small: Cli, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    ok(small, "--today", TODAY, "--lang", "zh", "export", "-o", str(path))
    rows = read(path)
    zh = {name: i for i, name in enumerate(rows[0])}
    row_of(rows, "small/summer/chanye")[zh["状态"]] = "受阻"
    row_of(rows, "small/summer/chanye")[zh["备注"]] = "等待立项批复"
    for encoding in ("gbk", "gb18030"):
        write(path, rows, encoding)
        assert path.read_bytes()[:3] != b"\xef\xbb\xbf"
        r = ok(small, "--today", TODAY, "import", str(path), "--dry-run")
        assert "1 changed" in r.stdout and "等待立项批复" in r.stdout


def test_no_exported_cell_is_a_formula(small: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for i, text in enumerate([FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=q"], 1):
        ok(small, "--today", TODAY, "note", str(i), "--", text)
    ok(small, "--today", TODAY, "note", "8", "铃声\a在此")  # a BEL: xlsx cannot hold it
    xlsx = tmp_path / "l.xlsx"
    ok(small, "--today", TODAY, "export", "-o", str(xlsx))
    report = tmp_path / "r.xlsx"
    ok(small, "--today", TODAY, "report", "weekly", "-o", str(report))
    for book in (xlsx, report):
        wb = load_workbook(book)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], book
        shown = {c.value for c in cells if isinstance(c.value, str)}
        if book == xlsx:
            assert FORMULA in shown and "铃声\\x07在此" in shown
            assert all(c.quotePrefix for c in cells if c.value == FORMULA)
    for name in ("sheet1.xml",):
        with zipfile.ZipFile(xlsx) as z:
            assert "<f>" not in z.read(f"xl/worksheets/{name}").decode()
    path = tmp_path / "l.csv"
    rows = export(small, path)
    notes = [r[C["Note"]] for r in rows[1:]]
    assert "'" + FORMULA in notes and "'+1+1" in notes and "''=q" in notes
    assert not any(n[:1] in ("=", "+", "-", "@", "\t", "\r") for n in notes if n)
    # and the prefix is gone again on the way back in: nothing reads as edited
    assert "0 changed" in ok(small, "--today", TODAY, "import", str(path)).stdout
    assert "0 changed" in ok(small, "--today", TODAY, "import", str(xlsx)).stdout


def _bomb(path: Path, sheet: str, string_mb: int = 0) -> None:
    """A workbook with ``sheet``, and (``string_mb``) one shared string that long, written in
    chunks so that this test never holds it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if string_mb:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                f.write(f"<sst {NS}><si><t>".encode())
                chunk = b"a" * (1 << 20)
                for _ in range(string_mb):
                    f.write(chunk)
                f.write(b"</t></si></sst>")


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _import_limited(path: Path, db: Path, limit_mb: int = 600) -> subprocess.CompletedProcess[str]:
    """``tracker import`` in a process limited to ``limit_mb`` of address space."""
    code = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({limit_mb} << 20, {limit_mb} << 20))
        from tracker.cli import app
        sys.argv = ["tracker", "--db", {str(db)!r}, "import", {str(path)!r}]
        app()
        """
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind", ["dimension", "huge_string", "many_rows", "wide_cell", "dtd"])
def test_xlsx_bombs_are_refused_within_memory(
    small: Cli, tmp_path: Path, db_path: Path, kind: str
) -> None:
    path = tmp_path / "bomb.xlsx"
    head = f'<?xml version="1.0"?><worksheet {NS}>'
    if kind == "dimension":  # 5 KB declaring A1:XFD1048576
        _bomb(path, head + '<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>')
    elif kind == "huge_string":  # a 1.5 GB string in a small file
        cell = '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
        _bomb(path, head + cell + "</worksheet>", string_mb=1500)
    elif kind == "many_rows":
        rows = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, 1_000_003))
        _bomb(path, head + "<sheetData>" + rows + "</sheetData></worksheet>")
    elif kind == "wide_cell":
        _bomb(
            path,
            head + '<sheetData><row r="1"><c r="HZ1"><v>1</v></c></row></sheetData></worksheet>',
        )
    else:
        dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        _bomb(path, dtd + f"<worksheet {NS}><sheetData/></worksheet>")
    assert path.stat().st_size < 8 << 20
    before = dump(db_path)
    proc = _import_limited(path, db_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert ("over the limit" in proc.stderr) or ("DTD" in proc.stderr), proc.stderr
    assert dump(db_path) == before


def test_a_fifo_or_device_ledger_is_refused(small: Cli, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "l.csv"
    os.mkfifo(fifo)
    r = fails(small, 2, "import", str(fifo))
    assert "not a regular file" in r.stderr
