"""Plain-text helpers for showing tasks: terminal cell widths, relative dates, fitted tables.

Pure functions with no terminal library, so ``tracker list`` starts fast and the TUI and the
reports can reuse them. Chinese characters take two terminal cells (East Asian Wide/Fullwidth).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from tracker import i18n


def cell_width(text: str) -> int:
    """Terminal cells ``text`` occupies: 2 for wide CJK characters, 0 for combining marks."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in ``…`` when cut."""
    if cell_width(text) <= width:
        return text
    if width <= 0:
        return ""
    out: list[str] = []
    used = 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells (aligned right when ``right``)."""
    gap = " " * max(0, width - cell_width(text))
    return gap + text if right else text + gap


def relative_due(due: date, today: date, lang: str, *, open_task: bool = True) -> str:
    """今天 / 明天 / 3天后 / 逾期3天 (today / tomorrow / in 3 days / 3 days overdue).

    A finished task's past due date is shown as "N days ago", not as overdue.
    """
    days = (due - today).days
    if days == 0:
        return i18n.t("store.rel.today", lang)
    if days == 1:
        return i18n.t("store.rel.tomorrow", lang)
    if days == -1 and not open_task:
        return i18n.t("store.rel.yesterday", lang)
    if days > 0:
        return i18n.t("store.rel.in_days", lang, n=days)
    if open_task:
        return i18n.t("store.rel.overdue", lang, n=-days)
    return i18n.t("store.rel.ago", lang, n=-days)


def number_text(value: float | None) -> str:
    """119.0 -> "119", 2.5 -> "2.5", None -> "": quantities as people wrote them."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def state_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], lang: str
) -> list[tuple[str, str, str]]:
    """What one change did to a task's state (an event's ``before``/``after`` snapshots):
    ``(label, old, new)`` for the status, progress and deadline, each only when it moved.

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
                i18n.t("store.field.progress", lang),
                number_text(before.get("progress")) or "-",
                number_text(after.get("progress")) or "-",
            )
        )
    if before.get("due") != after.get("due"):
        out.append((i18n.t("store.field.due", lang), str(before.get("due")), str(after.get("due"))))
    return out


def fit_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    flexible: int,
    right: Sequence[int] = (),
    optional: Sequence[int] = (),
) -> list[str]:
    """Lines of a table no wider than ``width`` cells, columns separated by two spaces.

    Column ``flexible`` (the title) takes the room left over and is truncated with ``…``;
    ``optional`` columns are dropped, last first, when even a short title would not fit.
    """
    keep = list(range(len(headers)))
    sep = 2
    min_flexible = 8

    def natural(col: int) -> int:
        return max([cell_width(headers[col])] + [cell_width(r[col]) for r in rows])

    widths = {c: natural(c) for c in keep}
    drop = list(optional)
    while True:
        fixed = sum(widths[c] for c in keep if c != flexible) + sep * (len(keep) - 1)
        room = width - fixed
        if room >= min(min_flexible, widths[flexible]) or not drop:
            break
        keep.remove(drop.pop())
    widths[flexible] = max(1, min(widths[flexible], room))

    def line(cells: Sequence[str]) -> str:
        parts = []
        for c in keep:
            text = truncate(cells[c], widths[c]) if c == flexible else cells[c]
            last = c == keep[-1] and c not in right
            parts.append(text if last else pad(text, widths[c], right=c in right))
        return (" " * sep).join(parts).rstrip()

    out = [line(headers)]
    out.extend(line(r) for r in rows)
    return out
