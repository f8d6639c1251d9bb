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
