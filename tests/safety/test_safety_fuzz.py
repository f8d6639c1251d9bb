"""Fuzzing the classes of issue #14: untrusted text, CLI values, plans and ledgers.

Each test counts the cases it tried (printed as ``FUZZ class n``, run with ``-s`` to see them):
text must come out free of control characters and markup, values must be accepted or refused
as bad input (never an internal error), plans must check or fail at a ``FILE:LINE``, ledgers
must import or be refused with nothing changed, an unedited one changing nothing.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safety_helpers import SMALL, TODAY, Cli, ok

from tracker.present import safe

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
COUNTS: Counter[str] = Counter()
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
NASTY = st.sampled_from(
    ["\x1b]52;c;aGk=\x07", "\x1b[2J", "\x9b", "\x07", "\n", "\r", "\t", "[", "]", "\\", "[/b]",
     "[red]", "=", "+", "-", "@", "'", "进度[50%", "\u202e", "\x00", "%", "{x}"]
)  # fmt: skip
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=6)), max_size=8).map("".join)


@pytest.fixture(scope="module", autouse=True)
def report_counts() -> Iterator[None]:
    yield
    for name, n in sorted(COUNTS.items()):
        print(f"FUZZ {name} {n}")


@FUZZ
@given(TEXT)
def test_text_for_a_terminal_has_no_control_character(text: str) -> None:
    COUNTS["text.terminal"] += 1
    assert not CONTROL.search(safe.terminal(text))
    assert all(not CONTROL.search(line) for line in safe.terminal_block(text).split("\n"))


@FUZZ
@given(TEXT)
def test_markup_shows_the_text_itself(text: str) -> None:
    from rich.markup import escape, render
    from textual.markup import to_content

    COUNTS["text.markup"] += 1
    shown = safe.terminal(text)
    got = to_content(f"[b]{safe.markup(text)}[/b][dim]x[/dim]").plain
    assert got.replace("\u200b", "") == shown + "x"
    rich = render(f"[b]{safe.rich_markup(text)}[/b]x").plain
    assert rich.replace("\u200b", "") == shown + "x"
    if "\\" not in text:  # the same escape as rich's own, where rich's is right
        assert safe.rich_markup(text) == escape(shown)


@FUZZ
@given(TEXT)
def test_spreadsheet_cells_are_never_formulas(text: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    COUNTS["text.sheet"] += 1
    cell = safe.csv_cell(text)
    assert isinstance(cell, str) and not safe.formula_like(cell)
    assert safe.csv_uncell(cell) == text
    assert not ILLEGAL_CHARACTERS_RE.search(safe.sheet_text(text))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from tracker.cli import app

    path = tmp_path_factory.mktemp("fuzz") / "f.db"
    r = CliRunner().invoke(app, ["--db", str(path), "--today", "2020-03-01", "load", str(SMALL)])
    assert r.exit_code == 0, r.output
    return path


def _cli(db: Path, *args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from tracker.cli import app

    r = CliRunner().invoke(app, ["--db", str(db), *args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**400).map(str),
    st.text(alphabet="0123456789.e+-infa_ ", max_size=30),
)


@FUZZ
@given(value=NUMBER, relative=st.booleans())
def test_progress_values_are_accepted_or_bad_input(
    loaded: Path, value: str, relative: bool
) -> None:
    COUNTS["cli.progress"] += 1
    v = ("+" + value) if relative else value
    code, _, err = _cli(loaded, "--today", TODAY, "progress", "4", "--", v)
    assert code in (0, 1, 2), err
    assert "internal error" not in err
    code, out, err = _cli(loaded, "--today", TODAY, "list", "--json")
    assert code == 0, err
    assert all(t["progress"] is None or 0 <= t["progress"] <= 1e15 for t in json.loads(out))


DATE = st.one_of(
    st.dates().map(str),
    st.from_regex(r"\A-?\d{1,6}-\d{1,3}-\d{1,3}\Z"),
    st.from_regex(r"\A\d{1,6}-?[Ww]\d{1,3}\Z"),
    st.text(max_size=12),
)


@FUZZ
@given(value=DATE, where=st.sampled_from(["today", "week", "postpone", "due"]))
def test_dates_are_accepted_or_bad_input(loaded: Path, value: str, where: str) -> None:
    COUNTS["cli.dates"] += 1
    args = {
        "today": ["--today", value, "report", "weekly"],
        "week": ["--today", TODAY, "report", "weekly", "--week", value],
        "postpone": ["--today", TODAY, "postpone", "3", "--", value, "--reason", "x"],
        "due": ["--today", TODAY, "list", "--due", value],
    }[where]
    if where == "postpone":
        args = ["--today", TODAY, "postpone", "--reason", "x", "3", "--", value]
    code, _, err = _cli(loaded, *args)
    assert code in (0, 1, 2) and "internal error" not in err and "Traceback" not in err, err


@FUZZ
@given(st.one_of(st.integers(min_value=-(10**40), max_value=10**40).map(str), st.text(max_size=20)))
def test_task_refs_are_found_or_not(loaded: Path, ref: str) -> None:
    COUNTS["cli.ids"] += 1
    code, _, err = _cli(loaded, "--today", TODAY, "show", "--", ref)
    assert code in (0, 1, 2) and "internal error" not in err, err


@FUZZ
@given(title=TEXT, field=st.sampled_from(["title", "name", "leader"]), nth=st.integers(0, 3))
def test_plan_text_checks_or_fails_at_a_line(
    tmp_path_factory: pytest.TempPathFactory, title: str, field: str, nth: int
) -> None:
    import tomlkit

    COUNTS["plan.text"] += 1
    text = SMALL.read_text(encoding="utf-8")
    key = f"{field} = "
    lines = text.splitlines()
    found = [i for i, ln in enumerate(lines) if ln.lstrip().startswith(key)]
    line_no = found[nth % len(found)]
    indent = lines[line_no][: len(lines[line_no]) - len(lines[line_no].lstrip())]
    lines[line_no] = indent + key + tomlkit.string(title).as_string()
    plan = tmp_path_factory.mktemp("p") / "p.toml"
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _cli(plan.with_suffix(".db"), "check", str(plan))
    assert code in (0, 2), err
    if code == 2:
        assert all(re.match(rf"{re.escape(str(plan))}:\d+: ", ln) for ln in err.splitlines()), err
    assert not CONTROL.search(out.replace("\n", "")) and not CONTROL.search(err.replace("\n", ""))


@pytest.fixture(scope="module")
def ledger(loaded: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    path = tmp_path_factory.mktemp("ledger") / "l.csv"
    code, _, err = _cli(loaded, "--today", TODAY, "export", "-o", str(path))
    assert code == 0, err
    with path.open(encoding="utf-8-sig", newline="") as f:
        return path, list(csv.reader(f))


def _state(db: Path) -> list[object]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, status, progress, rev FROM tasks ORDER BY id").fetchall()
    finally:
        conn.close()


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(1, 8), st.integers(0, 12), st.one_of(TEXT, NUMBER)), max_size=4
    ),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "gb18030"]),
)
def test_ledgers_import_or_are_refused_cleanly(
    loaded: Path, ledger: tuple[Path, list[list[str]]], edits: list[tuple[int, int, str]],
    encoding: str,
) -> None:  # fmt: skip
    COUNTS["ledger.csv"] += 1
    path, rows = ledger
    rows = [list(r) for r in rows]
    for r, c, value in edits:
        rows[r][c] = value
    target = path.with_name(f"e-{COUNTS['ledger.csv']}.csv")
    try:
        with target.open("w", encoding=encoding, newline="") as f:
            csv.writer(f).writerows(rows)
    except UnicodeEncodeError:
        return
    before = _state(loaded)
    code, _, err = _cli(loaded, "--today", TODAY, "import", str(target), "--dry-run")
    assert code in (0, 1, 2) and "internal error" not in err and "Traceback" not in err, err
    assert _state(loaded) == before
    if not edits:
        assert code == 0


def test_unedited_ledgers_change_nothing_after_any_commands(small: Cli, tmp_path: Path) -> None:
    """Export, then a run of commands by others, then import the unedited file: nothing."""
    commands = [["done", "2"], ["progress", "4", "40"], ["block", "3", "--reason", "r"],
                ["note", "5", "n"], ["postpone", "7", "2020-05-01", "--reason", "p"],
                ["start", "3"], ["undo"], ["verify", "2"]]  # fmt: skip
    for n in range(len(commands) + 1):
        path = tmp_path / f"l{n}.csv"
        ok(small, "--today", TODAY, "export", "-o", str(path))
        for args in commands[:n]:
            small("--today", TODAY, "--user", "ann", *args)
        before = ok(small, "--today", TODAY, "list", "--all", "--json").stdout
        r = ok(small, "--today", TODAY, "--user", "bob", "import", str(path))
        assert " 0 changed" in r.stdout
        assert ok(small, "--today", TODAY, "list", "--all", "--json").stdout == before
        COUNTS["ledger.unedited"] += 1
