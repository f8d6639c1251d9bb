"""Pure text helpers shared by the widgets: relative dates, progress, CJK-aware cell fitting.

Terminal cells, not characters, are what line up columns: a Chinese character takes two
cells, so every fixed-width column is padded and cropped by cell length.
"""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len, set_cell_size

from tracker import i18n
from tracker.domain import OPEN
from tracker.store.display import number_text


def fit(text: str, width: int, *, right: bool = False) -> str:
    """``text`` cropped (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - length)
    return pad + text if right else text + pad


def relative_due(due: date, today: date, status: str, lang: str) -> str:
    """今天 / 明天 / 3天后 / 逾期2天 (or 2天前 for a closed task)."""
    days = (due - today).days
    if days == 0:
        return i18n.t("tui.due.today", lang)
    if days == 1:
        return i18n.t("tui.due.tomorrow", lang)
    if days > 1:
        return i18n.t("tui.due.in_days", lang, n=days)
    if status in OPEN:
        return i18n.t("tui.due.overdue_days", lang, n=-days)
    return i18n.t("tui.due.days_ago", lang, n=-days)


def number(value: float | None) -> str:
    """119.0 -> "119", 2.5 -> "2.5", None -> "" (as the CLI writes them)."""
    return number_text(value)


def progress_text(progress: float | None, target: float | None, unit: str | None) -> str:
    """ "40/119 个" against a target, the bare progress without one, or nothing."""
    if target:
        return f"{number(progress or 0)}/{number(target)}{unit or ''}"
    return number(progress)


def bar(ratio: float | None, width: int) -> tuple[str, str]:
    """A bar of ``width`` cells filled to ``ratio`` (0..1): (filled part, empty track).

    Dots where there is no figure (nothing due yet), so "0 %" and "no figure" differ.
    """
    if ratio is None:
        return "", "·" * width
    eighths = round(max(0.0, min(1.0, ratio)) * width * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return filled, "░" * (width - len(filled))


def percent(ratio: float | None) -> str:
    """ "87%", or "—" where the figure has no denominator."""
    return "—" if ratio is None else f"{round(ratio * 100)}%"
