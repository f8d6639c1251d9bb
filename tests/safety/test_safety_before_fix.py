"""Issue #14's cases that the other safety tests did not catch on the code before the fix
(3be2c79) for the bug's own reason: they go through the CLI and files only, so that they run
unchanged against that code and fail there as the issue describes."""

from __future__ import annotations

import csv
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from safety_helpers import SMALL, TODAY, Cli, fails, ok, tasks

FORMULA = '=HYPERLINK("http://x","click")'
ESC = ["\x1b]52;c;aGVsbG8=\x07", "\x1b]0;owned\x07", "\x1b[2J"]


def _run_limited(args: list[str], limits: str, tmp: Path) -> tuple[int, str, int]:
    """``tracker ARGS`` in a child process under ``limits`` (resource calls): its exit status,
    stderr and peak memory in KiB. The peak is the child's own ``VmHWM``, written at its exit:
    ``ru_maxrss`` would carry this test process's own peak into the child across the exec."""
    hwm = tmp / "child.hwm"
    head = [
        "import atexit, resource, signal, sys",
        limits,
        "def _hwm():",
        "    for line in open('/proc/self/status'):",
        "        if line.startswith('VmHWM:'):",
        f"            open({str(hwm)!r}, 'w').write(line.split()[1])",
        "atexit.register(_hwm)",
        "from tracker.cli import app",
    ]
    code = "\n".join([*head, f"sys.argv = ['tracker', *{args!r}]", "app()"])
    err = tmp / "child.err"
    with err.open("w") as e:
        proc = subprocess.run([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=e)
    peak = int(hwm.read_text()) if hwm.exists() else 1 << 30
    return proc.returncode, err.read_text(encoding="utf-8", errors="replace"), peak


def test_an_export_that_does_not_fit_leaves_the_old_file_whole(small: Cli, tmp_path: Path) -> None:
    """The full disk, as RLIMIT_FSIZE (SIGXFSZ ignored): a write past 512 KiB fails (EFBIG)."""
    for i in range(1, 9):
        ok(small, "--today", TODAY, "note", str(i), "备注" * 20000)  # a ledger of about 1 MB
    out = tmp_path / "old.csv"
    out.write_text("the old ledger", encoding="utf-8")
    limits = "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n" + (
        "resource.setrlimit(resource.RLIMIT_FSIZE, (512 << 10, 512 << 10))"
    )
    code, err, _ = _run_limited(["--today", TODAY, "export", "-o", str(out)], limits, tmp_path)
    assert code == 2 and "Traceback" not in err, err
    assert out.read_bytes() == b"the old ledger"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_an_unedited_stale_ledger_changes_nothing(small: Cli, tmp_path: Path) -> None:
    """As test_a_stale_ledger_never_undoes_colleagues_work, without its check of the header
    (the rev column is new): what the import does is checked first."""
    path = tmp_path / "l.csv"
    ok(small, "--today", TODAY, "export", "--format", "csv", "-o", str(path))
    ok(small, "--today", TODAY, "--user", "ann", "done", "2")
    ok(small, "--today", TODAY, "--user", "ann", "progress", "4", "40")
    before = tasks(small)
    r = ok(small, "--today", TODAY, "--user", "bob", "import", str(path))
    after = tasks(small)
    assert after == before, r.stdout
    assert after["small/spring/qingjie/town-a"]["status"] == "done"
    assert after["small/spring/renju"]["progress"] == 40


def _bomb(ledger: Path, out: Path, kind: str) -> None:
    """An exported (valid) xlsx ledger made a bomb: ``dimension`` declares A1:XFD1048576 and has
    a cell at XFD1048576 (6 KB); ``huge_string`` holds a 1.5 GB inline string (1.5 MB)."""
    with zipfile.ZipFile(ledger) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(item.filename, data)
                continue
            text = data.decode()
            if kind == "dimension":
                text = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', text)
                last = (
                    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                )
                zout.writestr(item.filename, text.replace("</sheetData>", last + "</sheetData>"))
                continue
            i = text.index('<c r="A2"')
            j = text.index("</c>", i) + 4
            with zout.open(item.filename, "w", force_zip64=True) as f:
                f.write(text[:i].encode() + b'<c r="A2" t="inlineStr"><is><t>')
                chunk = b"a" * (1 << 20)
                for _ in range(1500):
                    f.write(chunk)
                f.write(b"</t></is></c>" + text[j:].encode())


@pytest.mark.parametrize("kind", ["dimension", "huge_string"])
def test_bombs_made_of_a_real_ledger_are_refused_within_memory(
    small: Cli, tmp_path: Path, db_path: Path, kind: str
) -> None:
    ledger = tmp_path / "l.xlsx"
    ok(small, "--today", TODAY, "export", "--format", "xlsx", "-o", str(ledger))
    bomb = tmp_path / "bomb.xlsx"
    _bomb(ledger, bomb, kind)
    assert bomb.stat().st_size < 2 << 20
    limits = "resource.setrlimit(resource.RLIMIT_AS, (600 << 20, 600 << 20))"
    args = ["--db", str(db_path), "--today", TODAY, "import", str(bomb)]
    code, err, peak_kib = _run_limited(args, limits, tmp_path)
    assert peak_kib < 300 << 10, (peak_kib, err)  # refused as it streams, not at the limit
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "over the limit" in err, err


def test_no_cell_of_an_xlsx_ledger_or_report_is_a_formula(
    small: Cli, tmp_path: Path, db_path: Path
) -> None:
    conn = sqlite3.connect(db_path)  # a title as a plan could hold it
    conn.execute("UPDATE tasks SET title = ? WHERE id = 1", (FORMULA,))
    conn.commit()
    conn.close()
    for i, text in enumerate([FORMULA, "+1+1", "-2+3", "@SUM(A1)"], 1):
        ok(small, "--today", TODAY, "note", str(i), "--", text)
    ok(small, "--today", TODAY, "done", "1")  # the report lists it under 4. Done this week
    from openpyxl import load_workbook

    ledger, report = tmp_path / "l.xlsx", tmp_path / "r.xlsx"
    ok(small, "--today", TODAY, "export", "--format", "xlsx", "-o", str(ledger))
    ok(small, "--today", TODAY, "report", "weekly", "--format", "xlsx", "-o", str(report))
    formulas = {}
    for book in (ledger, report):
        cells = [c for ws in load_workbook(book).worksheets for row in ws.iter_rows() for c in row]
        formulas[book.name] = [c.coordinate for c in cells if c.data_type == "f"]
    assert formulas == {"l.xlsx": [], "r.xlsx": []}
    csv_path = tmp_path / "l.csv"
    ok(small, "--today", TODAY, "export", "--format", "csv", "-o", str(csv_path))
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_a_bel_in_a_note_does_not_break_the_xlsx_ledger(small: Cli, tmp_path: Path) -> None:
    ok(small, "--today", TODAY, "note", "8", "铃声\a在此")
    ok(small, "--today", TODAY, "export", "--format", "xlsx", "-o", str(tmp_path / "l.xlsx"))


def test_no_escape_sequence_reaches_the_terminal(small: Cli, db_path: Path) -> None:
    """As test_escape_sequences_never_reach_the_terminal, without the acting names (people.md
    came later): every output is checked before anything else."""
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE tasks SET title = ? WHERE id = 4", ("T" + ESC[1],))
    conn.execute("UPDATE units SET name = ? WHERE key = 'fpb'", ("县扶贫办" + ESC[0],))
    conn.commit()
    conn.close()
    for i, text in enumerate(ESC, 1):
        ok(small, "--today", TODAY, "note", str(i), text)
    for args in (
        ["list"], ["show", "1"], ["show", "4"], ["history"],
        ["report", "weekly"], ["report", "weekly", "--format", "md"],
    ):  # fmt: skip
        out = ok(small, "--today", TODAY, *args).output
        assert "\x1b" not in out and "\x07" not in out, (args, out)


def test_a_damaged_page_refuses_every_later_write(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    """Damage one leaf page of the tasks table: the first write that meets it fails, and so
    must every later one, also to tasks on pages that read well."""
    text = SMALL.read_text(encoding="utf-8")
    days = ", ".join(f"2020-03-{d:02d}" for d in range(2, 32))
    plan = tmp_path / "big.toml"
    plan.write_text(text.replace("dates = [2020-03-27, 2020-04-10]", f"dates = [{days}]"), "utf-8")
    ok(cli, "--today", "2020-03-01", "--user", "planner", "load", str(plan))
    ids = {uid: t["id"] for uid, t in tasks(cli).items()}
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    needle = b"small/spring/diaodu/2020-03-15"
    pages = [
        n
        for n in range(1, len(data) // size)
        if data[n * size] == 0x0D and needle in data[n * size : (n + 1) * size]  # a table leaf
    ]
    assert len(pages) == 1, pages
    page = bytes(data[pages[0] * size : (pages[0] + 1) * size])
    others = [str(i) for uid, i in sorted(ids.items()) if uid.encode() not in page][:2]
    assert len(others) == 2
    data[pages[0] * size : (pages[0] + 1) * size] = b"\xab" * size
    db_path.write_bytes(bytes(data))
    damaged = str(ids["small/spring/diaodu/2020-03-15"])
    accepted = []
    for i in range(20):
        ref = damaged if i in (0, 10) else others[i % 2]
        r = cli("--today", TODAY, "--user", "planner", "note", ref, f"w{i}")
        assert "Traceback" not in r.output
        if r.exit_code == 0:
            accepted.append(i)
        else:
            assert r.exit_code == 2 and "damaged" in r.stderr, r.stderr
    assert accepted == []


def test_a_directory_plan_reload_keeps_the_tasks_of_a_file_it_cannot_read(
    cli: Cli, tmp_path: Path
) -> None:
    text = SMALL.read_text(encoding="utf-8")
    cut = text.index('[[campaign]]\nkey = "summer"')
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "00-plan.toml").write_text(text[:cut], encoding="utf-8")
    summer = plan / "10-summer.toml"
    summer.write_text(text[cut:], encoding="utf-8")
    ok(cli, "--today", "2020-03-01", "--user", "planner", "load", str(plan))
    ok(cli, "--today", TODAY, "note", "8", "已报县农业局")
    summer.rename(tmp_path / "moved.toml")  # the share lost it: a dangling link in its place
    summer.symlink_to(tmp_path / "moved.toml.gone")
    fails(cli, 2, "--today", TODAY, "--user", "planner", "load", str(plan))
    assert tasks(cli).get("small/summer/chanye", {}).get("status") == "todo"
