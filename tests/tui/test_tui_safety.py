"""Untrusted text in the TUI (issue #14): markup in notes and titles shown as itself, never a
MarkupError; control characters made visible in the table and the detail pane."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import TODAY, FrozenContext, drive, goto, press, uid_ids

from tracker.store import actions
from tracker.store.db import open_db
from tracker.tui.app import TrackerApp

NOTES = ["进度[50%", "[", "a[1", "[red", "[b]x[/b]", "tail\\", "\x1b]0;owned\x07"]


def test_markup_and_escapes_in_user_text(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    tid = uid_ids(county_db)["xunshi"]
    ctx = FrozenContext(db_path=county_db, today=TODAY, user="clerk", lang="en")
    db = open_db(county_db)
    try:
        for text in NOTES:
            actions.note(db, ctx, str(tid), text)
    finally:
        db.conn.close()
    conn = sqlite3.connect(county_db)
    conn.execute("UPDATE tasks SET title = ? WHERE id = ?", ("[A] 巡视\x1b[2J整改", tid))
    conn.commit()
    conn.close()
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "enter")  # the detail pane: where "进度[50%" raised MarkupError
        body = str(app.query_one("#detail-body", Static).render())
        for text in ("进度[50%", "a[1", "[red", "[b]x[/b]", "tail\\", "[A] 巡视\\x1b[2J整改"):
            assert text in body, (text, body)
        assert "\x1b" not in body and "\\x1b]0;owned\\x07" in body
        lines = [app.table.render_line(y) for y in range(app.table.size.height)]
        shown = "".join(seg.text for line in lines for seg in line)
        assert "[A] 巡视" in shown and "\x1b" not in shown

    drive(app, scenario)
