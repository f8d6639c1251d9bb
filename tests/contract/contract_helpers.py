"""Helpers for the contract tests: run the CLI, read its JSON, write small plans.

The contract tests hold the product to /work/shared/spec/cli.md and plan-format.md, sentence
by sentence, through the command line only (the ``cli`` fixture of tests/conftest.py, and
``python -m tracker`` in a subprocess). Nothing here reaches into the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

Cli = Callable[..., Result]

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contract"
PLAN = FIXTURES / "contract.toml"
MERGED = FIXTURES / "merged"

#: cli.md, JSON: the keys every task object carries (``list --json``, ``show --json``, reports).
TASK_KEYS = (
    "id", "uid", "plan", "campaign", "campaign_name", "task_key", "title", "owner", "owner_name",
    "support", "leader", "start", "due", "period", "status", "overdue", "target", "progress",
    "unit", "priority", "tags", "done_at", "planned_due", "postponed",
)  # fmt: skip

#: ids of contract.toml on a fresh database (see the table at the top of the plan).
UIDS = {
    1: "ct-2020/spring/zhenggai",
    2: "ct-2020/spring/qingjie/town-a",
    3: "ct-2020/spring/qingjie/town-b",
    4: "ct-2020/spring/renju",
    5: "ct-2020/spring/daolu",
    6: "ct-2020/spring/zhoubao/2020-W14",
    7: "ct-2020/spring/zhoubao/2020-W15",
    8: "ct-2020/spring/zhoubao/2020-W16",
    9: "ct-2020/spring/zhoubao/2020-W17",
    10: "ct-2020/summer/chanye",
}

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def ok(r: Result) -> Result:
    """Exit status 0."""
    assert r.exit_code == 0, (r.exit_code, r.stdout, r.stderr)
    return r


def fails(r: Result, code: int) -> str:
    """Exit status ``code`` with the error on stderr: readable lines, no traceback."""
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    err = r.stderr
    assert err.strip(), "an error must be explained on stderr"
    assert "Traceback" not in err and "Traceback" not in r.stdout
    return err


def fails_one_line(r: Result, code: int) -> str:
    """As ``fails``, and the error is exactly one line (cli.md, Exit status)."""
    err = fails(r, code)
    assert len(err.strip().splitlines()) == 1, err
    return err


def as_json(r: Result) -> Any:
    return json.loads(ok(r).stdout)


def tasks(cli: Cli, *args: str, today: str | None = None) -> list[dict[str, Any]]:
    """``list ARGS --json`` (with ``--today`` before the command when given)."""
    glob = ["--today", today] if today else []
    data = as_json(cli(*glob, "list", *args, "--json"))
    assert isinstance(data, list)
    return data


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [int(o["id"]) for o in items]


def show(cli: Cli, ref: str | int, today: str | None = None) -> dict[str, Any]:
    """``show REF --json``."""
    glob = ["--today", today] if today else []
    data = as_json(cli(*glob, "show", str(ref), "--json"))
    assert isinstance(data, dict)
    return data


def load_contract(cli: Cli, *glob: str) -> None:
    """Load contract.toml into the test's database."""
    ok(cli(*glob, "load", str(PLAN)))


HEAD = """\
[plan]
id = "p"
title = "P"
year = 2020
calendar = "{calendar}"
due_shift = "{due_shift}"

[units.u]
name = "U"
leader = "L"

[units.v]
name = "V"

[groups]
uv = ["u", "v"]

[[campaign]]
key = "c"
name = "C"
start = {start}
end = {end}
"""


def plan_text(
    tasks_toml: str,
    *,
    calendar: str = "none",
    due_shift: str = "before",
    start: str = "2020-04-01",
    end: str = "2020-04-30",
) -> str:
    """A one-campaign plan (units u, v; group uv) with ``tasks_toml`` appended."""
    head = HEAD.format(calendar=calendar, due_shift=due_shift, start=start, end=end)
    return head + "\n" + tasks_toml


def task_toml(key: str, **fields: Any) -> str:
    """``[[campaign.task]]`` with ``key``, a title and ``fields`` (owner defaults to ``u``)."""
    fields.setdefault("title", key)
    if "each" not in fields:
        fields.setdefault("owner", "u")
    lines = ["[[campaign.task]]", f'key = "{key}"']
    for name, value in fields.items():
        lines.append(f"{name} = {toml_value(value)}")
    return "\n".join(lines) + "\n\n"


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Raw):
        return value.text
    return json.dumps(value, ensure_ascii=False)


class Raw:
    """A TOML value written as is (a local date: ``Raw("2020-04-30")``)."""

    def __init__(self, text: str) -> None:
        self.text = text


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line number of the ``nth`` line of ``text`` containing ``needle``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in the plan")


def dues(cli: Cli, path: Path) -> dict[str, str]:
    """Load ``path`` into the test's database and return ``{uid: due}`` of every instance."""
    ok(cli("load", str(path)))
    return {t["uid"]: t["due"] for t in tasks(cli, "--all")}


def by_uid(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {t["uid"]: t for t in items}
