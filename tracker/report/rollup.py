"""The province's roll-up: one week's report across many county databases (cli-v2.md).

Each county database (or restored replica) is opened read-only (``store.readonly``: never
migrated in its file, nothing left beside it) and its own weekly report computed as
``report weekly`` would (``compute_totals``: the report's own grouped pass, without its lists),
so a county's totals are exactly its own report's. Choices the contract leaves open:

- **Several plans in one database**: one county row per plan (each is the report of
  ``report weekly --plan ID``); the usual county database holds one.
- **Ranking**: by on_time_rate as units are ranked (``tally.rank_units``: best first; ties,
  fewer overdue first; full ties share a rank, 1, 1, 3); a county with nothing due yet has
  rank null and comes last.
- **Province totals**: the sums of the counties' counts; the rates recomputed from the sums
  (not an average of rates).
- **Skipped**: a database that is missing, damaged, not tracker's or of a newer schema (or
  with a crash's ``-wal`` but no ``-shm``), or that holds no plan, is listed with its reason
  and left out. An older schema is read through a migrated copy in memory.
- **Indicators**: each county's indicators as its own report computes them (at the week's
  as-of day), added up across counties where they share ``task_key``, ``measure`` and
  ``unit`` (``rollup_indicators.py``); an indicator of one county alone is listed too, with
  ``counties`` = 1.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker import i18n
from tracker.errors import TrackerError
from tracker.report import tally
from tracker.report.model import Figures, UnitRow
from tracker.report.outcomes import Indicator
from tracker.report.rollup_indicators import RollupIndicator, add_up
from tracker.report.weekly import Totals, compute_totals, parse_week
from tracker.store import figures as store_figures
from tracker.store.readonly import Unreadable, open_readonly


@dataclass(slots=True)
class County:
    """One county's row: its database as named, its plan and its report's totals."""

    db: str
    plan: str
    title: str
    totals: Figures
    postpone_requests: int
    rank: int | None = None
    indicators: list[Indicator] = field(default_factory=list)


@dataclass(slots=True)
class Rollup:
    iso_year: int
    iso_week: int
    start: date
    end: date
    today: date
    counties: list[County]  # ranked order; unranked last
    totals: Figures
    postpone_requests: int
    skipped: list[tuple[str, str]]  # (db as named, reason)
    indicators: list[RollupIndicator] = field(default_factory=list)

    @property
    def week(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"


def skip_reason(e: Unreadable, lang: str) -> str:
    """The one-line reason a database is left out, in ``lang``."""
    return i18n.t(f"host.skip.{e.kind}", lang, detail=e.detail)


def _county_reports(name: str, today: date, week: str | None, lang: str) -> list[Totals]:
    """The weekly report's totals of each plan in the database ``name``; ``Unreadable`` if
    none can be read."""
    ro = open_readonly(name)
    db = ro.store
    try:
        plans = store_figures.plans(db)
        if not plans:
            raise Unreadable("no_plan")
        return [compute_totals(db, today=today, week=week, plan=p.id) for p in plans]
    except sqlite3.DatabaseError as e:  # pages damaged past the schema, found while reading
        raise Unreadable("damaged", str(e)) from e
    except TrackerError as e:
        raise Unreadable("unreadable", e.render(lang)) from e
    finally:
        db.close()


def rank_counties(counties: list[County]) -> list[County]:
    """Ranked as units are (``tally.rank_units``): the same keys, ties and order."""
    rows = [UnitRow(str(i), c.title, None, 0, c.totals, c.totals) for i, c in enumerate(counties)]
    ranked = tally.rank_units(rows)
    seen = {int(u.key) for u in ranked}
    out = []
    for u in ranked:
        county = counties[int(u.key)]
        county.rank = u.rank
        out.append(county)
    return out + [c for i, c in enumerate(counties) if i not in seen]  # nothing at all


def compute_rollup(
    dbs: list[str], *, today: date, week: str | None = None, lang: str = "zh"
) -> Rollup:
    """Each county's report for ``week`` (default: the week containing ``today``), ranked,
    with the province's totals; the databases that cannot be read, in ``skipped``."""
    year, wk, start, end = _week(today, week)  # a bad --week: refused before any county
    counties: list[County] = []
    skipped: list[tuple[str, str]] = []
    for name in dbs:
        try:
            reports = _county_reports(name, today, week, lang)
        except Unreadable as e:
            skipped.append((name, skip_reason(e, lang)))
            continue
        for r in reports:
            counties.append(
                County(name, r.plan, r.title, r.totals, r.postpone_requests, None, r.indicators)
            )
    totals = Figures()
    for c in counties:
        totals.add(c.totals)
    return Rollup(
        year, wk, start, end, today, rank_counties(counties), totals,
        sum(c.postpone_requests for c in counties), skipped,
        add_up([c.indicators for c in counties]),
    )  # fmt: skip


def _week(today: date, week: str | None) -> tuple[int, int, date, date]:
    year, wk = parse_week(week, today)
    start = date.fromisocalendar(year, wk, 1)
    return year, wk, start, start + timedelta(days=6)


__all__ = ["County", "Rollup", "compute_rollup", "rank_counties", "skip_reason"]
