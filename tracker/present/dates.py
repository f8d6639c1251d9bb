"""Deadlines relative to today, as every face shows them: 今天, 明天, 3天后, 逾期3天."""

from __future__ import annotations

from datetime import date

from tracker import i18n


def relative_due(due: date, today: date, lang: str, *, open_task: bool = True) -> str:
    """今天 / 明天 / 3天后 / 逾期3天 (today / tomorrow / in 3d / 3d late).

    Past the deadline an open task is overdue; a finished one was due "N days ago" (昨天 for
    one day). The English forms are short because the TUI gives them a 9-cell column.
    """
    days = (due - today).days
    if days == 0:
        return i18n.t("present.rel.today", lang)
    if days == 1:
        return i18n.t("present.rel.tomorrow", lang)
    if days > 0:
        return i18n.t("present.rel.in_days", lang, n=days)
    if open_task:
        return i18n.t("present.rel.overdue", lang, n=-days)
    if days == -1:
        return i18n.t("present.rel.yesterday", lang)
    return i18n.t("present.rel.ago", lang, n=-days)
