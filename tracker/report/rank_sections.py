"""The 红黑榜 and the rankings sheet laid out as tables (peer groups, ties whole).

The 红榜/黑榜 tables keep version 1's columns (rank, unit, on-time rate, overdue) so that
what reads them (the robot's page one) still finds the unit's name second; a group column is
added when the plan has more than one peer group. The full ranking (every ranked unit of every
group, marked 红/黑) is the xlsx sheet ``rankings``.
"""

from __future__ import annotations

from tracker import i18n
from tracker.report.model import PeerRanking, PeerUnit, WeeklyReport
from tracker.report.sections import Cell, Pct, Table


def group_name(kind: str, lang: str) -> str:
    """A peer group as shown: its ``kind``, or a word for the group of units without one."""
    return kind or i18n.t("period.kind.none", lang)


def red_black(r: WeeklyReport, lang: str) -> list[Table]:
    """The 红榜 and the 黑榜: each group's units in turn, every unit of a tie at a cut-off."""
    several = len(r.rankings) > 1
    headers = [
        i18n.t("report.fig.rank", lang),
        i18n.t("report.col.unit", lang),
        i18n.t("report.fig.on_time_rate", lang),
        i18n.t("report.fig.overdue", lang),
    ]
    if several:
        headers.append(i18n.t("period.col.kind", lang))
    out = []
    for key in ("red", "black"):
        rows: list[list[Cell]] = []
        for g in r.rankings:
            units: list[PeerUnit] = getattr(g, key)
            for u in units:
                row: list[Cell] = [u.rank, u.name, Pct(u.figures.on_time_rate), u.figures.overdue]
                rows.append([*row, group_name(g.kind, lang)] if several else row)
        out.append(Table(key, i18n.t(f"report.sec.{key}", lang), headers, rows, {0, 2, 3}, 0, 3))
    return out


def _mark(g: PeerRanking, u: PeerUnit, lang: str) -> str:
    if u in g.red:
        return i18n.t("report.sec.red", lang)
    if u in g.black:
        return i18n.t("report.sec.black", lang)
    return ""


def rankings_table(r: WeeklyReport, lang: str) -> Table:
    """Every ranked unit by peer group (the xlsx sheet): group, rank, figures, 红/黑榜."""
    keys = ("due_to_date", "done", "overdue", "on_time_rate", "rank")
    headers = [i18n.t("period.col.kind", lang), i18n.t("report.col.unit", lang)]
    headers += [i18n.t(f"report.fig.{k}", lang) for k in keys]
    headers.append(i18n.t("period.col.list", lang))
    rows: list[list[Cell]] = []
    for g in r.rankings:
        for u in g.units:
            f = u.figures
            rows.append(
                [group_name(g.kind, lang), u.name, f.due_to_date, f.done, f.overdue,
                 Pct(f.on_time_rate), u.rank, _mark(g, u, lang)]
            )  # fmt: skip
    title = i18n.t("period.sec.rankings", lang)
    return Table("rankings", title, headers, rows, {2, 3, 4, 5, 6}, 0, 3)
