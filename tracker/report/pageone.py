"""Page one of the report and its outcome sections, as titled tables (issue #16).

Page one, in reading order: the key indicators (target, progress, 序时进度, gap, coloured by
gap: a ``tone`` per row, and the 评价 word that text and Markdown show), the high-priority
overdue items with their unit and 责任领导, the 整改 problems, the pending postponement
requests; the renderers then draw the counters (一、总体情况) and the trend, all from the one
``WeeklyReport``. ``outcome_sections`` puts the overdue-by-unit table before the overdue list
and the 存在问题和下步打算 table in the blocked list's place.
"""

from __future__ import annotations

from typing import Any

from tracker import i18n
from tracker.domain import Task
from tracker.report.model import WeeklyReport
from tracker.report.outcomes import Indicator, Issue
from tracker.report.sections import Cell, Dec, Pct, Table


def _h(keys: tuple[str, ...], lang: str) -> list[str]:
    return [i18n.t(k if "." in k else f"report.col.{k}", lang) for k in keys]


def _measure(i: Indicator, lang: str) -> str:
    if i.measure != "each":
        return i.unit or ""
    if i.unit:
        return i18n.t("report.each_unit_of", lang, unit=i.unit)
    return i18n.t("report.each_unit", lang)


def indicator_rows(r: WeeklyReport, lang: str) -> tuple[list[list[Cell]], list[str]]:
    """One row per indicator and its tone."""
    names = {c.key: c.name for c in r.campaigns}
    rows: list[list[Cell]] = []
    tones: list[str] = []
    for i in r.outcomes.indicators:
        rows.append([
            names.get(i.campaign, i.campaign), i.title, _measure(i, lang), i.target, i.progress,
            Dec(i.expected), Dec(i.gap, signed=True), Pct(i.rate),
            i18n.t(f"report.tone.{i.tone}", lang),
        ])  # fmt: skip
        tones.append(i.tone)
    return rows, tones


def indicators_table(r: WeeklyReport, lang: str) -> Table:
    rows, tones = indicator_rows(r, lang)
    headers = _h(("campaign", "indicator", "measure", "report.fig.target", "report.fig.progress",
                  "expected", "gap", "percent", "judgement"), lang)  # fmt: skip
    title = i18n.t("report.p1.indicators", lang)
    return Table("indicators", title, headers, rows, {3, 4, 5, 6, 7}, tones=tones)


def _days(t: Task, r: WeeklyReport, lang: str) -> str:
    from datetime import date

    n = (r.asof - date.fromisoformat(t.due)).days
    return i18n.t("report.days", lang, n=n)


def urgent_table(r: WeeklyReport, lang: str) -> Table:
    o = r.outcomes
    rows: list[list[Cell]] = [
        [t.id, t.title, t.owner_name or t.owner, t.leader, t.due, _days(t, r, lang),
         i18n.status_label(str(t.status), lang)]
        for t in o.urgent
    ]  # fmt: skip
    headers = _h(("uid", "task", "owner", "leader", "due", "days_overdue", "status"), lang)
    title = i18n.t("report.p1.urgent", lang)
    return Table("urgent", title, headers, rows, {0, 5}, more=o.urgent_count - len(o.urgent))


def problems_table(r: WeeklyReport, lang: str) -> Table:
    rows: list[list[Cell]] = [
        [p.title, p.source, p.leader, p.measures, p.done, p.verified, p.overdue,
         Pct(p.done / p.measures if p.measures else None)]
        for p in r.outcomes.problems
    ]  # fmt: skip
    tones = ["bad" if p.overdue else "" for p in r.outcomes.problems]
    headers = _h(("problem", "source", "leader", "measures", "report.fig.done",
                  "report.fig.verified", "report.fig.overdue", "percent"), lang)  # fmt: skip
    title = i18n.t("report.p1.problems", lang)
    return Table("problems", title, headers, rows, {3, 4, 5, 6, 7}, tones=tones)


def _request(o: dict[str, Any]) -> list[Cell]:
    req = o.get("postpone_request") or {}
    return [req.get("due"), req.get("by"), req.get("reason")]


def requests_table(r: WeeklyReport, lang: str) -> Table:
    rows: list[list[Cell]] = [
        [o["id"], o["title"], o["owner_name"], o["due"], *_request(o)] for o in r.postpone_requests
    ]
    headers = _h(("uid", "task", "owner", "due", "requested_due", "requested_by", "reason"), lang)
    more = r.counts.get("postpone_requests", len(rows)) - len(rows)
    title = i18n.t("report.p1.requests", lang)
    return Table("p1_requests", title, headers, rows, {0}, more=max(0, more))


def page_one(r: WeeklyReport, lang: str) -> list[Table]:
    """Page one's tables before the counters: indicators, urgent overdue, 整改, requests (the
    last two only where the plan has problems, the database requests)."""
    out = [indicators_table(r, lang), urgent_table(r, lang)]
    if r.outcomes.problems:
        out.append(problems_table(r, lang))
    if r.postpone_requests:
        out.append(requests_table(r, lang))
    for t in out:
        t.level = 3
    return out


def overdue_units_table(r: WeeklyReport, lang: str) -> Table:
    """Overdue grouped by unit: most items first (the detailed list follows)."""
    rows: list[list[Cell]] = [
        [u.unit_name, u.count, u.oldest_due, i18n.t("report.days", lang, n=u.days_overdue),
         u.worst.title]
        for u in r.outcomes.overdue_units
    ]  # fmt: skip
    headers = _h(("unit", "overdue_count", "oldest_due", "longest", "worst"), lang)
    title = i18n.t("report.sec.overdue", lang)  # the section's heading: the detail follows
    return Table("overdue_units", title, headers, rows, {1, 3})


def _issue_row(x: Issue, lang: str) -> list[Cell]:
    t = x.task
    return [t.id, t.title, t.owner_name or t.owner, t.leader, t.due,
            i18n.t(f"report.issue.{x.kind}", lang), x.reason, x.latest]  # fmt: skip


def issues_table(r: WeeklyReport, lang: str) -> Table:
    """存在问题和下步打算: the blocked tasks and the open risks, each with its reason and its
    latest note."""
    o = r.outcomes
    headers = _h(("uid", "task", "owner", "leader", "due", "kind", "issue", "next_step"), lang)
    return Table("blocked", i18n.t("report.sec.blocked", lang), headers,
                 [_issue_row(x, lang) for x in o.issues], {0},
                 more=o.issues_count - len(o.issues))  # fmt: skip


def outcome_sections(r: WeeklyReport, lang: str, tables: list[Table]) -> list[Table]:
    """``tables`` with overdue-by-unit opening the overdue section (its list then a part of
    it), the blocked list replaced by 存在问题和下步打算, and the per-task targets left out:
    page one's indicators show them with their 序时进度, and a rate is never summed there."""
    out: list[Table] = []
    for t in tables:
        if t.key == "targets":
            continue
        if t.key == "overdue":
            out.append(overdue_units_table(r, lang))
            t.title, t.level = i18n.t("report.p1.overdue_detail", lang), 3
        out.append(issues_table(r, lang) if t.key == "blocked" else t)
    return out
