"""What one change did to a task, as the CLI's history and the TUI's detail pane show it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker import i18n
from tracker.present.numbers import number_text


def state_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], lang: str
) -> list[tuple[str, str, str]]:
    """``(label, old, new)`` for the status, progress and deadline of an event's
    ``before``/``after`` snapshots, each only when it moved.

    The status has no label (its values name it); a missing value reads ``-``. The CLI's
    history and the TUI's detail pane lay these out each in its own way.
    """
    out: list[tuple[str, str, str]] = []
    if before.get("status") != after.get("status"):
        out.append(
            (
                "",
                i18n.status_label(str(before.get("status")), lang),
                i18n.status_label(str(after.get("status")), lang),
            )
        )
    if before.get("progress") != after.get("progress"):
        out.append(
            (
                i18n.t("present.change.progress", lang),
                number_text(before.get("progress")) or "-",
                number_text(after.get("progress")) or "-",
            )
        )
    if before.get("due") != after.get("due"):
        out.append(
            (i18n.t("present.change.due", lang), str(before.get("due")), str(after.get("due")))
        )
    return out
