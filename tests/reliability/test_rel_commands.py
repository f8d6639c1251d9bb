"""Bad commands: each fails with one readable line, the right exit status, and changes nothing.

Covered: unknown ids and uids, refused transitions, bad dates and numbers, missing files,
unwritable paths, and databases that are a directory, not SQLite, corrupted, or from a newer
tracker. "Changes nothing" is checked on every row of the database (and, for a database the
command refuses to open, on the file's bytes).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from rel_helpers import COUNTS, SPEC_PLAN, assert_clean_failure, build_baseline, dump, run_tracker
from typer.testing import Result

REFUSED, BAD = 1, 2


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("cmd-baseline") / "tracker.db"
    return path, build_baseline(path)


@pytest.fixture
def ids(baseline: tuple[Path, dict[str, int]], db_path: Path) -> dict[str, str]:
    """A fresh copy of the baseline database; the ids of its tasks by role, as strings."""
    shutil.copy(baseline[0], db_path)
    return {k: str(v) for k, v in baseline[1].items()}


def _one_line_failure(result: Result, status: int, fragment: str) -> None:
    assert result.exit_code == status, (result.exit_code, result.stdout, result.stderr)
    assert_clean_failure(result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert fragment.lower() in lines[0].lower(), lines[0]


# (arguments with {role} placeholders, exit status, a fragment of the message)
CASES: list[tuple[list[str], int, str]] = [
    # unknown ids and uids
    (["done", "999999"], REFUSED, "no such task"),
    (["show", "xx-county-2020/spring/nope"], REFUSED, "no such task"),
    (["start", "{todo}", "999999"], REFUSED, "no such task"),  # all or nothing
    (["note", "0", "文字"], REFUSED, "no such task"),
    (["history", "--", "-1"], REFUSED, "no such task"),
    (["progress", "abc-not-a-task", "3"], REFUSED, "no such task"),
    # refused transitions
    (["verify", "{todo}"], REFUSED, "cannot"),
    (["reopen", "{todo}"], REFUSED, "cannot"),
    (["start", "{done}"], REFUSED, "reopen"),
    (["done", "{verified}"], REFUSED, "cannot"),
    (["block", "{done}", "--reason", "缺资金"], REFUSED, "cannot"),
    (["progress", "{verified}", "5"], REFUSED, "reopen"),
    (["postpone", "{done}", "2020-12-31", "--reason", "x"], REFUSED, "finished"),
    (["start", "{todo}", "{done}"], REFUSED, "cannot"),  # the todo one must not start either
    (["verify", "{doing}", "{done}"], REFUSED, "cannot"),
    # bad dates
    (["postpone", "{todo}", "2020-02-30", "--reason", "x"], BAD, "2020-02-30"),
    (["postpone", "{todo}", "next week", "--reason", "x"], BAD, "next week"),
    (["postpone", "{todo}", "2020-01-01", "--reason", "x"], REFUSED, "after the current"),
    (["postpone", "{todo}", "2020-12-31", "--reason", "  "], BAD, "reason"),
    (["--today", "2020-13-01", "list"], BAD, "2020-13-01"),
    (["--today", "yesterday", "done", "{todo}"], BAD, "yesterday"),
    (["list", "--due", "someday"], BAD, "someday"),
    (["list", "--status", "finished"], BAD, "finished"),
    (["report", "weekly", "--week", "2020-W60"], BAD, "2020-W60"),
    # bad numbers
    (["progress", "{target}", "abc"], BAD, "abc"),
    (["progress", "{target}", "nan"], BAD, "nan"),
    (["progress", "{target}", "inf"], BAD, "inf"),
    (["progress", "{target}", "1e999"], BAD, "1e999"),
    (["progress", "{target}", "+-3"], BAD, "+-3"),
    (["progress", "{target}", "--", "-5"], BAD, "-5"),
    (["list", "--limit", "0"], BAD, "limit"),
    (["list", "--limit", "many"], BAD, "--limit"),
    # missing and unusable files
    (["load", "no-such-plan.toml"], BAD, "no-such-plan.toml"),
    (["check", "no-such-dir/"], BAD, "no-such-dir"),
    (["import", "no-such-ledger.csv"], BAD, "no-such-ledger.csv"),
    (["backup", "no-such-dir/copy.db"], BAD, "no-such-dir"),
    (["backup", "."], BAD, "directory"),
    (["backup", "plain.txt/copy.db"], BAD, "plain.txt"),
    (["export", "-o", "plain.txt/ledger.csv"], BAD, "plain.txt"),
    (["export", "-o", "no-such-dir/ledger.csv"], BAD, "no-such-dir"),
    (["report", "weekly", "-o", "no-such-dir/week.md", "--format", "md"], BAD, "no-such-dir"),
    (["report", "weekly", "-o", ".", "--format", "md"], BAD, "directory"),
    (["export", "--format", "pdf"], BAD, "pdf"),
    # bad options
    (["--lang", "fr", "list"], BAD, "fr"),
    (["frobnicate"], BAD, "frobnicate"),
    (["block", "{todo}"], BAD, "--reason"),
    (["note", "{todo}", "   "], BAD, "empty"),
]


@pytest.mark.parametrize(("args", "status", "fragment"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_command_fails_in_one_line_and_changes_nothing(
    args: list[str],
    status: int,
    fragment: str,
    ids: dict[str, str],
    cli: Callable[..., Result],
    db_path: Path,
    isolated: Path,
) -> None:
    (isolated / "plain.txt").write_text("not a directory\n")
    before = dump(db_path)
    COUNTS["bad_commands"] += 1
    result = cli(*[a.format(**ids) for a in args])
    _one_line_failure(result, status, fragment.format(**ids))
    assert dump(db_path) == before


# --- databases that are not what they should be --------------------------------------------


def _db_cases(root: Path, good: Path) -> dict[str, Path]:
    """Paths given as ``--db`` that must be refused, built from a good database ``good``."""
    out: dict[str, Path] = {}
    (root / "a-directory").mkdir()
    out["a directory"] = root / "a-directory"
    text = root / "notes.txt"
    text.write_text("这不是数据库\n" * 200, encoding="utf-8")
    out["a text file"] = text
    png = root / "picture.db"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    out["an image"] = png
    corrupt = root / "corrupt.db"
    data = bytearray(good.read_bytes())
    # keep the header (it still says SQLite) and scribble over the schema and the tables
    for i in range(100, len(data), 7):
        data[i] = (data[i] * 31 + 17) % 256
    corrupt.write_bytes(bytes(data))
    out["a corrupted database"] = corrupt
    truncated = root / "truncated.db"
    truncated.write_bytes(good.read_bytes()[: len(data) // 3])
    out["a truncated database"] = truncated
    newer = root / "newer.db"
    shutil.copy(good, newer)
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('tracker', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    out["a database from a newer tracker"] = newer
    out["a path in a missing directory"] = root / "no-such-dir" / "tracker.db"
    return out


DB_COMMANDS = [
    ["list"],
    ["done", "1"],
    ["load", str(SPEC_PLAN)],
    ["report", "weekly", "--format", "json"],
    ["backup", "copy.db"],
    ["undo"],
]


def test_unusable_databases_are_refused_in_one_line(
    cli: Callable[..., Result], baseline: tuple[Path, dict[str, int]], isolated: Path
) -> None:
    tried = 0
    for what, path in _db_cases(isolated, baseline[0]).items():
        before = path.read_bytes() if path.is_file() else None
        for args in DB_COMMANDS:
            result = cli("--db", str(path), *args)
            tried += 1
            assert result.exit_code == BAD, (what, args, result.exit_code, result.stderr)
            assert_clean_failure(result.stdout, result.stderr)
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1, (what, args, result.stderr)
            assert str(path.name) in lines[0] or "newer" in lines[0], (what, lines[0])
            if before is not None:
                assert path.read_bytes() == before, f"{what} was modified by {args}"
        assert not (isolated / "copy.db").exists()
    COUNTS["bad_commands"] += tried


def test_a_damaged_table_page_is_reported_in_one_line(
    cli: Callable[..., Result], baseline: tuple[Path, dict[str, int]], isolated: Path
) -> None:
    """The schema reads fine but the tasks table's pages are garbage: found only by a query."""
    damaged = isolated / "damaged.db"
    shutil.copy(baseline[0], damaged)
    conn = sqlite3.connect(damaged)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [
        r[0]
        for r in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('tasks', 'events')"
        )
    ]
    conn.close()
    data = bytearray(damaged.read_bytes())
    for page in pages:
        start = (page - 1) * page_size
        data[start : start + page_size] = b"\xab" * page_size
    damaged.write_bytes(bytes(data))
    before = damaged.read_bytes()
    for args in (["list"], ["show", "1"], ["done", "1"], ["history"], ["load", str(SPEC_PLAN)]):
        result = cli("--db", str(damaged), *args)
        COUNTS["bad_commands"] += 1
        _one_line_failure(result, BAD, "damaged")
        assert damaged.read_bytes() == before


def test_newer_database_message_names_the_migration(
    cli: Callable[..., Result], baseline: tuple[Path, dict[str, int]], isolated: Path
) -> None:
    newer = _db_cases(isolated, baseline[0])["a database from a newer tracker"]
    result = cli("--db", str(newer), "list")
    assert "m999_from_the_future" in result.stderr


def test_a_refused_command_in_a_real_process(
    baseline: tuple[Path, dict[str, int]], db_path: Path
) -> None:
    shutil.copy(baseline[0], db_path)
    before = dump(db_path)
    todo = str(baseline[1]["todo"])
    for args, status in ((["verify", todo], REFUSED), (["postpone", todo, "2020-02-30"], BAD)):
        proc = (
            run_tracker(*args, "--reason", "x", db=db_path)
            if "postpone" in args
            else (run_tracker(*args, db=db_path))
        )
        assert proc.returncode == status, proc.stderr
        assert_clean_failure(proc.stdout, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1
    assert dump(db_path) == before
