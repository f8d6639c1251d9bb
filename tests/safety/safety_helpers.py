"""Helpers of the safety tests (issue #14): a small loaded plan, clean failures."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

FIXTURES = Path(__file__).parent.parent / "fixtures"
SMALL = FIXTURES / "report" / "small.toml"
TODAY = "2020-04-20"
Cli = Callable[..., Result]


def ok(cli: Cli, *args: str) -> Result:
    r = cli(*args)
    assert r.exit_code == 0, (args, r.output, r.stderr)
    return r


def fails(cli: Cli, code: int, *args: str) -> Result:
    """``args`` fail with ``code``: one or more readable lines on stderr, never a traceback."""
    r = cli(*args)
    assert r.exit_code == code, (args, r.exit_code, r.output, r.stderr)
    assert "Traceback" not in r.output and r.stderr.strip(), (args, r.output)
    return r


def tasks(cli: Cli) -> dict[str, dict[str, object]]:
    out = ok(cli, "--today", TODAY, "list", "--all", "--json").stdout
    return {t["uid"]: t for t in json.loads(out)}
