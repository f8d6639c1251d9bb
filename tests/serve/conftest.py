"""Fixtures of the ``tracker serve`` tests: an open and a managed database, a server on a
free loopback port (in this process, through aiohttp's test server, or as a real
``tracker serve`` process), and a way to find and watch the visitors' app processes.

The managed database has ``admin`` and 王芳 (staff of 城关镇), both with passwords, and the
plan of ``plan.toml``; it is built once per session and copied into each test's database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from serve_helpers import PASSWORDS, build_db


def _copy(source: Path, target: Path) -> None:
    """A consistent copy (what the WAL holds included), as ``tracker backup`` makes one."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture(scope="session")
def managed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "managed.db"
    build_db(path, roster=True)
    return path


@pytest.fixture(scope="session")
def open_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "open.db"
    build_db(path, roster=False)
    return path


@pytest.fixture
def managed_db(managed_template: Path, db_path: Path) -> Path:
    _copy(managed_template, db_path)
    return db_path


@pytest.fixture
def open_db_path(open_template: Path, db_path: Path) -> Path:
    _copy(open_template, db_path)
    return db_path


@pytest.fixture
def passwords() -> dict[str, str]:
    return dict(PASSWORDS)
