"""Reminder fixtures: ``notify_db`` (the managed database of ``plan.toml`` on 2020-04-24, built
once per session through the CLI and copied into each test's own file, the task ``finished``
done), ``run`` (the CLI as a reader), ``robot`` (a local stand-in robot), ``closed_port``.
The plan, the roster and the robot are in ``notify_helpers``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from notify_helpers import READER, TODAY, Robot, Run, build, serve_robot
from typer.testing import CliRunner, Result


@pytest.fixture(scope="session")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("notify") / "tracker.db"
    build(path)
    return path


@pytest.fixture
def notify_db(_built: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's copy of the managed reminder database (TRACKER_DB points at it)."""
    target = isolated / "tracker.db"
    src, dst = sqlite3.connect(_built), sqlite3.connect(target)
    try:
        src.backup(dst)  # the WAL's pages included
    finally:
        src.close()
        dst.close()
    monkeypatch.setenv("TRACKER_DB", str(target))
    monkeypatch.setenv("TRACKER_TODAY", TODAY)
    return target


@pytest.fixture
def run(notify_db: Path) -> Run:
    """``run("remind", "--json")`` as 张三 (a reader), stderr kept apart."""
    from tracker.cli import app

    runner = CliRunner()

    def invoke(*args: str, user: str = READER) -> Result:
        return runner.invoke(app, ["--user", user, *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def robot() -> Iterator[Robot]:
    with serve_robot() as state:
        yield state


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port
