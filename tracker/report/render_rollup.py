"""The province's roll-up in the five formats: JSON (cli-v2.md) and the report's own styles.

The human formats lay the roll-up out as titled tables (the counties ranked, with the province's
total as the last row; the skipped databases) and draw them with the weekly report's renderers.
"""

from __future__ import annotations

from typing import Any

from tracker import i18n
from tracker.jsontext import dumps
from tracker.report.model import Figures
from tracker.report.render_json import TOTALS
from tracker.report.rollup import County, Rollup
from tracker.report.rollup_indicators import RollupIndicator
from tracker.report.sections import Cell, Dec, Pct, Table, week_range
from tracker.store.query import number as num


def _totals(f: Figures, requests: int) -> dict[str, Any]:
    """The weekly report's ``totals`` keys, as ``report weekly --format json`` writes them."""
    return {**{k: getattr(f, k) for k in TOTALS}, "postpone_requests": requests}


def _county(c: County) -> dict[str, Any]:
    return {
        "db": c.db,
        "plan": c.plan,
        "title": c.title,
        "totals": _totals(c.totals, c.postpone_requests),
        "rank": c.rank,
    }


def _indicator(i: RollupIndicator) -> dict[str, Any]:
    return {
        "task_key": i.task_key,
        "title": i.title,
        "unit": i.unit,
        "measure": i.measure,
        "target": num(i.target),
        "progress": num(i.progress),
        "expected": num(i.expected),
        "gap": num(i.gap),
        "owners": i.owners,
        "owners_reached": i.owners_reached,
        "counties": i.counties,
    }


def rollup_dict(r: Rollup) -> dict[str, Any]:
    """The roll-up as plain data, in the contract's key order."""
    return {
        "week": r.week,
        "from": r.start.isoformat(),
        "to": r.end.isoformat(),
        "today": r.today.isoformat(),
        "counties": [_county(c) for c in r.counties],
        "totals": _totals(r.totals, r.postpone_requests),
        "indicators": [_indicator(i) for i in r.indicators],
        "skipped": [{"db": db, "reason": reason} for db, reason in r.skipped],
    }


def render_json(r: Rollup) -> str:
    return dumps(rollup_dict(r), indent=True) + "\n"


FIGS = ("tasks", "due_to_date", "done", "overdue", "blocked", "completion_rate", "on_time_rate")


def _cells(f: Figures) -> list[Cell]:
    return [
        f.tasks, f.due_to_date, f.done, f.overdue, f.blocked,
        Pct(f.completion_rate), Pct(f.on_time_rate),
    ]  # fmt: skip


def headline(r: Rollup, lang: str) -> str:
    week = i18n.t("report.week_label", lang, year=r.iso_year, week=r.iso_week)
    title = i18n.t("host.rollup.title", lang)
    if lang == "zh":
        return f"{title}  {week}{week_range(r, lang)}"
    return f"{title}, {week} {week_range(r, lang)}"


def subline(r: Rollup, lang: str) -> str:
    return i18n.t(
        "host.rollup.sub", lang, counties=len(r.counties), skipped=len(r.skipped),
        today=r.today.isoformat(),
    )  # fmt: skip


def tables(r: Rollup, lang: str) -> list[Table]:
    """The counties (ranked, the province's total last) and the skipped databases."""
    keys = ["rank", "county", "db", *FIGS]
    headers = [
        i18n.t(f"host.col.{k}" if k in ("county", "db") else f"report.fig.{k}", lang) for k in keys
    ]
    rows: list[list[Cell]] = [[c.rank, c.title, c.db, *_cells(c.totals)] for c in r.counties]
    rows.append([None, i18n.t("host.rollup.province", lang), None, *_cells(r.totals)])
    counties = Table("counties", i18n.t("host.sec.counties", lang), headers, rows,
                     {0, 3, 4, 5, 6, 7, 8, 9})  # fmt: skip
    sh = [i18n.t("host.col.db", lang), i18n.t("host.col.reason", lang)]
    skipped = Table("skipped", i18n.t("host.sec.skipped", lang), sh,
                    [[db, reason] for db, reason in r.skipped], set())  # fmt: skip
    return [counties, _indicators(r, lang), skipped]


def _indicators(r: Rollup, lang: str) -> Table:
    """The indicators added up across counties: target, progress, 序时进度, gap."""
    keys = ("indicator", "measure", "report.fig.target", "report.fig.progress", "expected",
            "gap", "counties")  # fmt: skip
    headers = [i18n.t(k if "." in k else f"report.col.{k}", lang) for k in keys]
    rows: list[list[Cell]] = [
        [i.title, i.unit, i.target, i.progress, Dec(i.expected), Dec(i.gap, signed=True),
         i.counties]
        for i in r.indicators
    ]  # fmt: skip
    title = i18n.t("report.p1.indicators", lang)
    return Table("indicators", title, headers, rows, {2, 3, 4, 5, 6})


def render(r: Rollup, fmt: str, lang: str, *, width: int = 100, color: bool = False) -> str | bytes:
    """The roll-up in ``fmt`` (text, md, html, xlsx, json)."""
    if fmt == "json":
        return render_json(r)
    head, sub, ts = headline(r, lang), subline(r, lang), tables(r, lang)
    if fmt == "md":
        from tracker.report import render_md

        return render_md.render_tables(head, sub, ts, lang)
    if fmt == "html":
        from tracker.report import render_html

        return render_html.render_tables(head, sub, ts, lang)
    if fmt == "xlsx":
        from tracker.report import render_xlsx

        return render_xlsx.render_tables(head, sub, [(t.title, t) for t in ts], lang)
    from tracker.report import render_text

    return render_text.render_tables(head, sub, ts, lang, width=width, color=color)


__all__ = ["render", "rollup_dict"]
