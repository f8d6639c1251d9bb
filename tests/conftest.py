"""Shared fixtures. Every test runs in its own directory with its own database and environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

TRACKER_VARS = (
    "TRACKER_DB",
    "TRACKER_TODAY",
    "TRACKER_USER",
    "TRACKER_LANG",
    "TRACKER_DEBUG",
    # a developer's real robots must never receive a test's messages
    "TRACKER_WECOM_WEBHOOK",
    "TRACKER_DINGTALK_WEBHOOK",
    "TRACKER_DINGTALK_SECRET",
)
FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private working directory, database and environment for each test."""
    for var in TRACKER_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("TRACKER_USER", "tester")
    monkeypatch.setenv("TRACKER_LANG", "en")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def db_path(isolated: Path) -> Path:
    """The test's database file (created on first use)."""
    return isolated / "tracker.db"


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Invoke the CLI in-process: ``cli("list", "--json")``. stderr is kept apart."""
    from tracker.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke
