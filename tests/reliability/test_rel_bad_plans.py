"""Bad plans: every case of tests/fixtures/bad_plans fails cleanly and writes nothing.

Each case is a file or a directory. A file names its expected errors in its header
(``# expect: LINE[:COL]: fragment``); a directory in its ``EXPECT`` file (``FILE:LINE: fragment``);
the few files that cannot carry a header (a zero-byte file, UTF-16) in ``EXPECTED.toml``.
``tracker check`` and ``tracker load`` must both exit 2 with each expected ``PATH:LINE: …``
line on stderr (the fragment naming the problem), print only such lines, show no traceback,
and leave a database holding an earlier plan and its progress exactly as it was.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rel_helpers import (
    COUNTS,
    FIXTURES,
    assert_clean_failure,
    build_baseline,
    dump,
    run_tracker,
)
from typer.testing import Result

CORPUS = FIXTURES / "bad_plans"
MANIFEST = CORPUS / "EXPECTED.toml"
_EXPECT = re.compile(r"^#\s*expect:\s*(\d+)(?::(\d+))?:\s*(.+?)\s*$")
_DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.+)$")


@dataclass(frozen=True)
class Expect:
    file: Path  # the path the diagnostic must name
    line: int
    col: int | None
    fragment: str


def _header_expectations(path: Path) -> list[Expect]:
    out = []
    for raw in path.read_bytes().split(b"\n")[:20]:
        m = _EXPECT.match(raw.decode("latin-1"))
        if m:
            col = int(m.group(2)) if m.group(2) else None
            out.append(Expect(path, int(m.group(1)), col, m.group(3)))
    return out


def _dir_expectations(path: Path) -> list[Expect]:
    out = []
    for raw in (path / "EXPECT").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        name, line, fragment = raw.split(":", 2)
        out.append(Expect(path if name == "." else path / name, int(line), None, fragment.strip()))
    return out


def cases() -> list[tuple[Path, list[Expect]]]:
    manifest = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    found: list[tuple[Path, list[Expect]]] = []
    for path in sorted(CORPUS.iterdir()):
        if path == MANIFEST:
            continue
        if path.is_dir():
            expects = _dir_expectations(path)
        elif path.name in manifest:
            expects = []
            for e in manifest[path.name]["expect"]:
                line, fragment = e.split(":", 1)
                expects.append(Expect(path, int(line), None, fragment.strip()))
        else:
            expects = _header_expectations(path)
        found.append((path, expects))
    return found


CASES = cases()


def test_the_corpus_is_large_and_every_case_says_what_it_expects() -> None:
    assert len(CASES) >= 50
    for path, expects in CASES:
        assert expects, f"{path.name} names no expected error"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the spec's example plan with some progress recorded on it."""
    path = tmp_path_factory.mktemp("baseline") / "tracker.db"
    build_baseline(path)
    return path


def _check_output(result: Result, expects: list[Expect]) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert_clean_failure(result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert lines, "no message at all"
    diags = []
    for line in lines:
        m = _DIAG.match(line)
        # Every line on stderr is one diagnostic (errors, and warnings of what did parse).
        assert m, f"not a FILE:LINE: message line: {line!r}"
        diags.append(m)
    for e in expects:
        hits = [
            d
            for d in diags
            if d["file"] == str(e.file)
            and int(d["line"]) == e.line
            and e.fragment.lower() in d["msg"].lower()
            and (e.col is None or d["col"] == str(e.col))
        ]
        assert hits, f"expected {e.file.name}:{e.line}: …{e.fragment}… in:\n{result.stderr}"
    for d in diags:
        if d["msg"].startswith("TOML syntax error"):
            assert d["col"], f"a syntax error gives FILE:LINE:COL: {d.string}"


@pytest.mark.parametrize(("case", "expects"), CASES, ids=[p.name for p, _ in CASES])
def test_bad_plan_fails_cleanly_and_changes_nothing(
    case: Path,
    expects: list[Expect],
    cli: Callable[..., Result],
    baseline: Path,
    db_path: Path,
) -> None:
    shutil.copy(baseline, db_path)
    before = dump(db_path)
    COUNTS["malformed_plans"] += 1
    for command in ("check", "load"):
        COUNTS["malformed_runs"] += 1
        _check_output(cli(command, str(case)), expects)
    assert cli("load", "--dry-run", str(case)).exit_code == 2
    assert dump(db_path) == before


def test_a_bad_plan_on_a_fresh_database_creates_nothing(
    cli: Callable[..., Result], db_path: Path
) -> None:
    result = cli("load", str(CORPUS / "ref-owner-unknown.toml"))
    assert result.exit_code == 2
    if db_path.exists():  # opening may create the file; it must hold no plan
        conn = sqlite3.connect(db_path)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "tasks" in tables:
            assert conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 0
        conn.close()


# A few cases in a real process: what a planner at a terminal sees (no traceback either).
REAL = ["syntax-deep-nesting.toml", "encoding-gbk.toml", "huge-fanout.toml", "dir-all-empty"]


@pytest.mark.parametrize("name", REAL)
def test_bad_plan_in_a_real_process(name: str, baseline: Path, db_path: Path) -> None:
    shutil.copy(baseline, db_path)
    before = dump(db_path)
    proc = run_tracker("load", str(CORPUS / name), db=db_path)
    assert proc.returncode == 2, proc.stderr
    assert_clean_failure(proc.stdout, proc.stderr)
    assert proc.stderr.strip()
    assert dump(db_path) == before
