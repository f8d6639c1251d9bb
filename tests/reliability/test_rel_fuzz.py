"""Fuzzing: generated plans, valid and mutated, through the plan engine and the CLI.

Valid plans (built from a model of the format) must check and load. Mutated ones (lines
dropped, duplicated, swapped or cut, values replaced by other types, keys misspelt, junk and
non-UTF-8 bytes inserted) must either succeed or fail with the documented error: ``PlanError``
whose every diagnostic is one ``FILE:LINE`` line inside the file; through the CLI, exit status 0
or 2 and no traceback. Nothing else may ever escape.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_helpers import COUNTS, assert_clean_failure
from typer.testing import CliRunner

from tracker.errors import PlanError
from tracker.plan import read_plan

FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
UNIT_KEYS = ["county", "fpb", "jiwei", "town-a", "town-b", "cun_1"]
NAMES = ["县委县政府", "县扶贫办", "城关镇", "石桥乡", 'Unit "Q"', "东村\\西村", "a\tb"]
TITLES = ["开展整改", "{unit}村庄清洁行动", "调度会 {period}", "Report for {unit} / {period}", "x"]
EVERY = ["day", "workday", "week", "2 weeks", "month", "quarter"]
_DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::\d+)?: \S")


def q(value: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def qlist(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


@st.composite
def plans(draw: st.DrawFn) -> str:
    """The text of a valid plan: units (a tree), groups, campaigns and varied tasks."""
    year = draw(st.sampled_from([2020, 2021]))
    lines = ["[plan]", f'id = "fz-{year}"', f"title = {q(draw(st.sampled_from(NAMES)))}"]
    lines.append(f"year = {year}")
    lines.append(f"calendar = {q(draw(st.sampled_from(['cn', 'weekends', 'none'])))}")
    lines.append(f"due_shift = {q(draw(st.sampled_from(['before', 'after', 'keep'])))}")
    keys = draw(st.lists(st.sampled_from(UNIT_KEYS), min_size=1, max_size=6, unique=True))
    for i, key in enumerate(keys):
        lines += ["", f"[units.{key}]", f"name = {q(draw(st.sampled_from(NAMES)))}"]
        if i and draw(st.booleans()):
            lines.append(f"parent = {q(draw(st.sampled_from(keys[:i])))}")
        if draw(st.booleans()):
            lines.append(f"leader = {q('李明')}")
    groups: list[str] = []
    if draw(st.booleans()):
        members = draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
        lines += ["", "[groups]", f"grp = {qlist(members)}"]
        groups.append("grp")
    n_campaigns = draw(st.integers(1, 3))
    for c in range(n_campaigns):
        start = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 330)))
        end = start + timedelta(days=draw(st.integers(0, 120)))
        start_text = start.isoformat() if draw(st.booleans()) else q(start.strftime("%m-%d"))
        lines += ["", "[[campaign]]", f'key = "c{c}"', f"name = {q('活动' + str(c))}"]
        lines += [f"start = {start_text}", f"end = {end.isoformat()}"]
        span = (end - start).days
        task_keys: list[str] = []
        for t in range(draw(st.integers(1, 4))):
            key = f"t{t}"
            lines += ["", "  [[campaign.task]]", f'  key = "{key}"']
            lines.append(f"  title = {q(draw(st.sampled_from(TITLES)))}")
            if groups and draw(st.booleans()):
                lines.append('  each = "grp"')
            elif draw(st.booleans()):
                each = draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
                lines.append(f"  each = {qlist(each)}")
            else:
                lines.append(f"  owner = {q(draw(st.sampled_from(keys)))}")
            kind = draw(st.sampled_from(["once", "every", "dates"]))
            if kind == "every":
                every = draw(st.sampled_from(EVERY))
                lines.append(f"  every = {q(every)}")
                if every in ("week", "2 weeks") and draw(st.booleans()):
                    lines.append(f"  on = {q(draw(st.sampled_from(['mon', 'wed', 'sun'])))}")
                elif every in ("month", "quarter") and draw(st.booleans()):
                    lines.append(f"  on = {draw(st.integers(1, 31))}")
            elif kind == "dates":
                offsets = draw(st.lists(st.integers(0, span), min_size=1, max_size=4, unique=True))
                ds = [(start + timedelta(days=o)).isoformat() for o in offsets]
                lines.append(f"  dates = {qlist(ds)}")
            else:
                due = draw(
                    st.sampled_from(
                        ["end", f"start + {span}d", "start", f"end - {span // 7}w", "end + 1wd"]
                    )
                )
                lines.append(f"  due = {q(due)}")
            if draw(st.booleans()):
                lines.append(f"  target = {draw(st.integers(1, 5000))}")
                lines.append(f"  unit = {q('个')}")
            if task_keys and draw(st.booleans()):
                lines.append(f"  after = {qlist([draw(st.sampled_from(task_keys))])}")
            if draw(st.booleans()):
                lines.append(f"  priority = {q(draw(st.sampled_from(['high', 'low'])))}")
                lines.append(f"  tags = {qlist(['整改', 'x y'])}")
            task_keys.append(key)
    return "\n".join(lines) + "\n"


JUNK = ["=", "[", "]]", '"', "{", "}", "\\", "#", "\x00", "\u3000", "01-32", "nan", "-", "'''"]
VALUES = ['""', "-1", "0", "1e309", "true", "[]", "{}", "2020-02-30", '"02-30"', "[1, 2]",
          '"start + 99999d"', '"end - 3x"', "1979-05-27T07:32:00", '["nope"]', '"nope"',
          "inf"]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid plan with one to three random edits, as bytes."""
    lines = draw(plans()).split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "swap", "junk", "value", "key", "cut", "bytes"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "junk":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from(JUNK)) + lines[i][pos:]
        elif op == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(st.sampled_from(VALUES))
        elif op == "key" and "=" in lines[i]:
            key, rest = lines[i].split("=", 1)
            lines[i] = key.rstrip()[:-1] + draw(st.sampled_from(["x", "_", "-", ""])) + " =" + rest
        elif op == "cut":
            lines = lines[:i]
        if not lines:
            lines = [""]
    data = "\n".join(lines).encode()
    if draw(st.booleans()) and draw(st.booleans()):  # a quarter: a stray non-UTF-8 byte
        pos = draw(st.integers(0, len(data)))
        data = (
            data[:pos]
            + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe9", b"\x81\x40"]))
            + data[pos:]
        )
    return data


def _assert_documented(err: PlanError, path: Path, n_lines: int) -> None:
    assert err.diagnostics, "a PlanError lists its diagnostics"
    for d in err.diagnostics:
        text = d.render("en")
        assert "\n" not in text
        m = _DIAG.match(text)
        assert m and m["file"] == str(path), text
        assert 1 <= int(m["line"]) <= n_lines + 1, (text, n_lines)
        zh = d.render("zh")  # both catalogues know every key
        assert zh and "\n" not in zh


@functools.cache
def _command(app: Any) -> Any:
    """The CLI's click group (TrackerGroup), built once: typer would build it on every call."""
    import typer

    return typer.main.get_command(app)


def _through_cli(
    path: Path, db: Path, runner: CliRunner, commands: tuple[str, ...] = ("check", "load")
) -> int:
    from tracker.cli import app

    env = {"TRACKER_DB": str(db), "TRACKER_LANG": "en", "TRACKER_TODAY": "2020-04-15"}
    for command in commands:
        with mock.patch("typer.testing._get_command", _command):
            result = runner.invoke(app, [command, str(path)], env=env, catch_exceptions=False)
        assert result.exit_code in (0, 2), (command, result.exit_code, result.stderr)
        assert_clean_failure(result.stdout, result.stderr)
        if result.exit_code == 2:
            return 2
    return 0


def _load_and_count(path: Path, db: Path, runner: CliRunner, *commands: str) -> int:
    """Run ``commands`` through the CLI (all must succeed); the number of tasks now stored."""
    assert _through_cli(path, db, runner, commands) == 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0])
    finally:
        conn.close()


@FUZZ
@given(text=plans())
def test_generated_valid_plans_check_and_load(text: str) -> None:
    COUNTS["fuzz_examples"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        path.write_text(text, encoding="utf-8")
        expansion = read_plan(path)  # a valid plan: any error is a bug
        assert len({i.uid for i in expansion.instances}) == len(expansion.instances)
        stored = _load_and_count(path, Path(tmp) / "t.db", CliRunner(), "check", "load")
        assert stored == len(expansion.instances)
        # loading the same plan again changes nothing
        assert _load_and_count(path, Path(tmp) / "t.db", CliRunner(), "load") == stored


@settings(FUZZ, max_examples=200)
@given(data=mutated())
def test_mutated_plans_succeed_or_fail_as_documented(data: bytes) -> None:
    COUNTS["fuzz_examples"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        path.write_bytes(data)
        try:
            read_plan(path)
            ok = True
        except PlanError as e:
            _assert_documented(e, path, data.count(b"\n") + 1)
            ok = False
        assert _through_cli(path, Path(tmp) / "t.db", CliRunner()) == (0 if ok else 2)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda s: s.encode()))
def test_arbitrary_bytes_fail_as_documented(data: bytes) -> None:
    COUNTS["fuzz_examples"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        path.write_bytes(data)
        try:
            read_plan(path)
        except PlanError as e:
            _assert_documented(e, path, data.count(b"\n") + 1)
        else:  # pragma: no cover - random bytes are never a plan
            raise AssertionError("random bytes were accepted as a plan")
