"""Several plans in one database reported together: each plan a section, plus the totals.

Without ``--plan``, a database holding several plans gets one report per plan (each exactly
what ``--plan ID`` gives) and the figures summed across them. A database with one plan keeps
the single-plan report unchanged. The JSON (documented in ``tracker/report/__init__.py``) keeps
every key of the single-plan report at the top level, over all the plans (``plan`` null,
``plans`` the ids, ``totals`` the sums, the rows and lists of every plan one after the other,
each row with its ``plan``), and ``reports`` holds each plan's own report object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker import i18n
from tracker.jsontext import dumps
from tracker.report.model import Figures, WeeklyReport
from tracker.report.periods import Period
from tracker.report.sections import Pct, Table, headline, sections, subline
from tracker.report.weekly import compute_report
from tracker.store import figures as store_figures
from tracker.store.db import Store


@dataclass(slots=True)
class MultiReport:
    """One report per plan over the same period, and their sums."""

    reports: list[WeeklyReport]
    totals: Figures
    previous: Figures

    @property
    def first(self) -> WeeklyReport:
        return self.reports[0]


def several_plans(db: Store) -> bool:
    """Whether the database holds more than one plan (the reports then go together)."""
    return len(store_figures.plans(db)) > 1


def compute_multi(
    db: Store, *, today: date, period: Period, lang: str, limit: int | None
) -> MultiReport:
    """Every plan's report over ``period``, in plan id order, and the totals across them."""
    reports = [
        compute_report(db, today=today, period=period, plan=p.id, lang=lang, limit=limit)
        for p in store_figures.plans(db)
    ]
    totals, previous = Figures(), Figures()
    for r in reports:
        totals.add(r.totals)
        previous.add(r.previous)
    return MultiReport(reports, totals, previous)


def _with_plan(plan: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"plan": plan, **row} for row in rows]


ROWS = ("campaigns", "units", "unit_tree", "rankings", "indicators", "problems",
        "overdue_by_unit")  # fmt: skip
LISTS = ("done_this_week", "overdue", "due_next_week", "blocked", "postponed",
         "postpone_requests", "red", "black", "risks")  # fmt: skip


def multi_dict(m: MultiReport) -> dict[str, Any]:
    """The combined JSON: the single-plan keys over all plans, and each plan's own report."""
    from tracker.report.render_json import TOTALS, _figures, report_dict

    each = [report_dict(r) for r in m.reports]
    first = each[0]
    period_key = m.first.period
    out: dict[str, Any] = {
        "plan": None,
        "plans": [r.plan for r in m.reports],
        "title": None,
        period_key: first[period_key],
        **{k: first[k] for k in ("from", "to", "today", "as_of")},
        "totals": {
            **_figures(m.totals, TOTALS),
            "postpone_requests": sum(d["totals"]["postpone_requests"] for d in each),
        },
        "previous": _figures(m.previous, TOTALS),
    }
    for key in ROWS:
        out[key] = [row for d in each for row in _with_plan(d["plan"], d[key])]
    for key in LISTS:
        out[key] = [item for d in each for item in d[key]]
    chart: dict[str, list[int]] = {}
    for d in each:
        for point in d["chart"]:
            acc = chart.setdefault(point["week"], [0, 0])
            acc[0] += point["due"]
            acc[1] += point["done"]
    out["chart"] = [{"week": w, "due": a, "done": b} for w, (a, b) in sorted(chart.items())]
    out["reports"] = each
    return out


def render_multi_json(m: MultiReport) -> str:
    items = sum(sum(r.counts.values()) for r in m.reports)
    return dumps(multi_dict(m), indent=items <= 1000) + "\n"


def totals_table(m: MultiReport, lang: str) -> Table:
    """各计划合计: one row per plan and the total across them."""
    keys = ("tasks", "due_to_date", "done", "overdue", "completion_rate", "on_time_rate")
    headers = [i18n.t("period.col.plan", lang)] + [i18n.t(f"report.fig.{k}", lang) for k in keys]

    def row(name: str, f: Figures) -> list[Any]:
        return [name, f.tasks, f.due_to_date, f.done, f.overdue, Pct(f.completion_rate),
                Pct(f.on_time_rate)]  # fmt: skip

    rows = [row(f"{r.title} ({r.plan})", r.totals) for r in m.reports]
    rows.append(row(i18n.t("period.plans.totals", lang), m.totals))
    return Table("plans", i18n.t("period.plans.totals", lang), headers, rows, {1, 2, 3, 4, 5, 6})


def multi_tables(m: MultiReport, lang: str) -> list[Table]:
    """The totals table, then each plan's tables, titled with the plan's title."""
    out = [totals_table(m, lang)]
    for r in m.reports:
        for i, t in enumerate(sections(r, lang)):
            t.title = f"{r.title}：{t.title}" if lang == "zh" else f"{r.title}: {t.title}"
            t.level = 2 if i == 0 else t.level
            out.append(t)
    return out


def multi_head(m: MultiReport, lang: str) -> tuple[str, str]:
    """The combined report's headline (the first plan's, with the plans' common title) and
    subline."""
    r = m.first
    own = headline(r, lang)
    title = i18n.t("period.plans.title", lang)
    head = title + own[len(r.title) :] if own.startswith(r.title) else own
    plans = i18n.t("report.plan_id", lang, plan=", ".join(x.plan for x in m.reports))
    return head, subline(r, lang).rsplit(" · ", 1)[0] + " · " + plans


def _sheet_name(i: int, t: Table, lang: str) -> str:
    """``3-分行动``: numbered (each plan has the same sheets), at most 31 characters."""
    from tracker.report.render_xlsx import SHEETS

    if t.key in SHEETS:
        name = i18n.t(f"report.sheet.{SHEETS[t.key]}", lang)
    elif t.key in ("red", "black"):
        name = i18n.t(f"report.sec.{t.key}", lang)
    else:
        name = t.title
    return f"{i}-{name}"[:31]


def render_multi(m: MultiReport, fmt: str, lang: str, *, width: int, color: bool) -> str | bytes:
    """The combined report in ``fmt``."""
    if fmt == "json":
        return render_multi_json(m)
    head, sub = multi_head(m, lang)
    tables = multi_tables(m, lang)
    if fmt == "md":
        from tracker.report import render_md

        return render_md.render_tables(head, sub, tables, lang)
    if fmt == "html":
        from tracker.report import render_html

        return render_html.render_tables(head, sub, tables, lang)
    if fmt == "xlsx":
        from tracker.report import render_xlsx

        named = [(_sheet_name(i, t, lang), t) for i, t in enumerate(tables)]
        return render_xlsx.render_tables(head, sub, named, lang)
    from tracker.report import render_text

    return render_text.render_tables(head, sub, tables, lang, width=width, color=color)
