"""Fixtures of the safety tests (issue #14)."""

from __future__ import annotations

import pytest
from safety_helpers import SMALL, Cli, ok


@pytest.fixture
def small(cli: Cli) -> Cli:
    """The small report plan loaded on 2020-03-01 (8 tasks; #4 renju has target 119)."""
    ok(cli, "--today", "2020-03-01", "--user", "planner", "load", str(SMALL))
    return cli
