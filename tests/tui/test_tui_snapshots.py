"""Screenshots at 100×30, frozen on 2020-04-15 09:30, in both languages.

Review changes with ``pytest tests/tui --snapshot-update`` and the HTML report: the
columns must stay aligned with Chinese titles in them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import SIZE, goto, press, settle, uid_ids

from tracker.tui.app import TrackerApp

LANGS = ["en", "zh"]


@pytest.mark.parametrize("lang", LANGS)
def test_main_screen(make_app: Callable[..., TrackerApp], snap_compare: Any, lang: str) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "down", "down", "space", "down", "space", "down")

    assert snap_compare(make_app(lang=lang), terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("lang", LANGS)
def test_detail_pane(
    make_app: Callable[..., TrackerApp], county_db: Path, snap_compare: Any, lang: str
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await goto(pilot, uid_ids(county_db)["xunshi"])
        await press(pilot, "enter")

    assert snap_compare(make_app(lang=lang), terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("lang", LANGS)
def test_overview(make_app: Callable[..., TrackerApp], snap_compare: Any, lang: str) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "o")

    assert snap_compare(make_app(lang=lang), terminal_size=SIZE, run_before=before)


# -- 80×24 (issue 19): what a township clerk's terminal shows ----------------------------------

SIZE80 = (80, 24)


@pytest.mark.parametrize("lang", LANGS)
def test_main_screen_80x24(
    make_app: Callable[..., TrackerApp], snap_compare: Any, lang: str
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "down", "space", "down")

    assert snap_compare(make_app(lang=lang), terminal_size=SIZE80, run_before=before)


@pytest.mark.parametrize("lang", LANGS)
def test_detail_pane_80x24(
    make_app: Callable[..., TrackerApp], county_db: Path, snap_compare: Any, lang: str
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await goto(pilot, uid_ids(county_db)["xunshi"])
        await press(pilot, "enter")

    assert snap_compare(make_app(lang=lang), terminal_size=SIZE80, run_before=before)


def test_tree_hidden_sorted_by_unit_80x24_zh(
    make_app: Callable[..., TrackerApp], snap_compare: Any
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "h", "S")

    assert snap_compare(make_app(lang="zh"), terminal_size=SIZE80, run_before=before)


def test_postpone_refused_in_the_form_80x24_zh(
    make_app: Callable[..., TrackerApp], county_db: Path, snap_compare: Any
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await goto(pilot, uid_ids(county_db)["tijian"])
        await press(pilot, "e")
        await pilot.press("home", "ctrl+k", *"2020-13-01", "enter", *"资金未到位", "enter")
        await settle(pilot)

    assert snap_compare(make_app(lang="zh"), terminal_size=SIZE80, run_before=before)


def test_help_legend_80x24_zh(make_app: Callable[..., TrackerApp], snap_compare: Any) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "question_mark", "end")

    assert snap_compare(make_app(lang="zh"), terminal_size=SIZE80, run_before=before)
