"""The report reads its big scans on a twin connection (store/twin.py) where it can: the figures
are the same as when the main connection reads everything alone."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result

from tests.report.test_report_weekly import weekly
from tracker.store import twin as twin_mod

Cli = Callable[..., Result]


@pytest.mark.parametrize(
    ("today", "week"),
    [("2020-04-15", "2020-W15"), ("2020-04-15", "2020-W16"), ("2020-04-20", "2020-W14")],
)
def test_same_report_with_and_without_the_twin(
    season: Cli, monkeypatch: pytest.MonkeyPatch, today: str, week: str
) -> None:
    used: list[bool] = []
    real = twin_mod.begin_with_twin

    def counted(conn: sqlite3.Connection) -> Any:
        found = real(conn)
        used.append(found is not None)
        return found

    monkeypatch.setattr("tracker.store.db.begin_with_twin", counted)
    with_twin = weekly(season, today, week)
    assert used == [True]

    def alone(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN")

    monkeypatch.setattr("tracker.store.db.begin_with_twin", alone)
    without = weekly(season, today, week)
    assert with_twin == without
    assert with_twin["totals"]["tasks"] > 0
    assert with_twin["totals"]["done"] > 0  # the grouped scan, read on the twin
    assert any(w["due"] for w in with_twin["chart"])  # due and done by date: on the twin too
    assert any(w["done"] for w in with_twin["chart"])
