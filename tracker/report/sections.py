"""The weekly report laid out once as titled tables; each human format only draws them.

Cells keep their type (``int``, ``Pct``, ``str``, ``None``) so that xlsx writes numbers and
percentages as numbers while text, Markdown and HTML format them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from tracker import i18n
from tracker.present import number_text, percent
from tracker.report.periods import WEEK, label_text, word
from tracker.report.weekly import Figures, WeeklyReport

LIST_KEYS = ("done_this_week", "overdue", "due_next_week", "blocked", "postponed")


@dataclass(frozen=True, slots=True)
class Pct:
    """A rate in 0..1, shown as a percentage; ``None`` where there is nothing to measure."""

    value: float | None

    def __str__(self) -> str:
        return percent(self.value)


@dataclass(frozen=True, slots=True)
class Dec:
    """A figure shown with one decimal (序时进度, a gap: ``+4.7``, ``-45.2``); xlsx keeps the
    exact value. ``signed``: a gap, whose sign is the point."""

    value: float
    signed: bool = False

    def __str__(self) -> str:
        v = round(self.value, 1) + 0.0  # no "-0.0"
        return f"{v:+.1f}" if self.signed and v != 0 else f"{v:.1f}"


Cell = str | int | float | Pct | Dec | None


@dataclass(slots=True)
class Table:
    """One section: a title, column headers and rows; ``numeric`` columns align right."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    numeric: set[int] = field(default_factory=set)
    more: int = 0  # rows left out by the list limit
    level: int = 2  # 2: a numbered section, 3: a part of one
    widths: list[int] = field(default_factory=list)  # xlsx hints, in characters
    depths: list[int] = field(default_factory=list)  # per row, the tree level (units table)
    tones: list[str] = field(default_factory=list)  # per row: "good", "warn", "bad" or ""


def cell_text(value: Cell) -> str:
    """How a cell reads in text, Markdown and HTML."""
    if value is None:
        return ""
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _day(d: date, lang: str, with_year: bool) -> str:
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日" if with_year else f"{d.month}月{d.day}日"
    text = f"{d.day} {d.strftime('%b')}"
    return f"{text} {d.year}" if with_year else text


class Week(Protocol):
    """What names a report's week: its Monday, its Sunday and its ISO year."""

    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    @property
    def iso_year(self) -> int: ...


def week_range(r: Week, lang: str) -> str:
    """``（4月6日—4月12日）`` / ``(6–12 Apr)``; a year is shown where it is not the week's."""
    a, b = r.start, r.end
    ya, yb = a.year != r.iso_year, b.year != r.iso_year
    if lang == "zh":
        return f"（{_day(a, lang, ya)}—{_day(b, lang, yb)}）"
    if a.month == b.month and not ya and not yb:
        return f"({a.day}–{b.day} {b.strftime('%b')})"
    if ya or yb:
        return f"({_day(a, lang, True)} – {_day(b, lang, True)})"
    return f"({_day(a, lang, False)} – {_day(b, lang, False)})"


def headline(r: WeeklyReport, lang: str) -> str:
    """``××县…计划 周报  2020年第15周（4月6日—4月12日）`` (or the English form)."""
    title = i18n.t(word("report.title", r.period), lang, title=r.title)
    week = i18n.t("report.week_label", lang, year=r.iso_year, week=r.iso_week)
    if r.period != WEEK:  # a month or a quarter (periods.py)
        week = label_text(r.period, r.start, lang)
    if lang == "zh":
        return f"{title}  {week}{week_range(r, lang)}"
    return f"{title}, {week} {week_range(r, lang)}"


def subline(r: WeeklyReport, lang: str) -> str:
    """The as-of day and the plan id, under the headline."""
    asof = i18n.t("report.as_of", lang, date=_day(r.asof, lang, True))
    return f"{asof} · {i18n.t('report.plan_id', lang, plan=r.plan)}"


def _delta(now: int, before: int) -> str:
    d = now - before
    return f"+{d}" if d > 0 else str(d)


def _delta_rate(now: float | None, before: float | None, lang: str) -> str:
    if now is None or before is None:
        return "—"
    d = round((now - before) * 100, 1)
    text = f"+{d:.1f}" if d > 0 else f"{d:.1f}"
    return i18n.t("report.fig.points", lang, value=text)


def _summary(r: WeeklyReport, lang: str) -> Table:
    t, p = r.totals, r.previous
    rows: list[list[Cell]] = []
    for key in ("tasks", "due_to_date", "done", "verified", "overdue", "blocked"):
        now, before = getattr(t, key), getattr(p, key)
        rows.append([i18n.t(f"report.fig.{key}", lang), now, before, _delta(now, before)])
    for key in ("completion_rate", "on_time_rate"):
        now_r, before_r = getattr(t, key), getattr(p, key)
        rows.append(
            [
                i18n.t(f"report.fig.{key}", lang),
                Pct(now_r),
                Pct(before_r),
                _delta_rate(now_r, before_r, lang),
            ]
        )
    for key in ("done_due", "waived"):  # so that each 已完成 on the page reads the same
        now, before = getattr(t, key), getattr(p, key)
        rows.append([i18n.t(f"report.fig.{key}", lang), now, before, _delta(now, before)])
    headers = [
        i18n.t(word(f"report.fig.{k}", r.period), lang)
        for k in ("metric", "this_week", "last_week", "change")
    ]
    return Table("summary", i18n.t("report.sec.summary", lang), headers, rows, {1, 2, 3}, 0, 2)


def _fig_cells(f: Figures) -> list[Cell]:
    return [f.tasks, f.due_to_date, f.done, f.overdue, Pct(f.completion_rate)]


def _campaigns(r: WeeklyReport, lang: str) -> list[Table]:
    h = ["campaign", "window", "tasks", "due_to_date", "done", "overdue", "completion_rate"]
    headers = [
        i18n.t(f"report.{'col' if k in ('campaign', 'window') else 'fig'}.{k}", lang) for k in h
    ]
    rows: list[list[Cell]] = []
    for c in r.campaigns:
        window = f"{c.start} — {c.end}" if c.start else ""
        rows.append([c.name, window, *_fig_cells(c.figures)])
    out = [Table("campaigns", i18n.t("report.sec.campaigns", lang), headers, rows, {2, 3, 4, 5, 6})]
    trows: list[list[Cell]] = []
    for c in r.campaigns:
        for tg in c.targets:
            share = tg.progress / tg.target if tg.target else None
            trows.append([c.name, tg.title, tg.progress, tg.target, tg.unit, Pct(share)])
    if trows:
        th = [
            i18n.t("report.col.campaign", lang),
            i18n.t("report.col.task", lang),
            i18n.t("report.fig.progress", lang),
            i18n.t("report.fig.target", lang),
            i18n.t("report.col.measure", lang),
            i18n.t("report.col.percent", lang),
        ]
        out.append(Table("targets", i18n.t("report.sec.targets", lang), th, trows, {2, 3, 5}, 0, 3))
    return out


def _units(r: WeeklyReport, lang: str) -> list[Table]:
    """The unit tree: a unit whose lower units own instances gets a 合计含下级 row (its
    subtree) with its own instances (本级) as a row below it, beside its lower units; any
    other unit gets one row. Own rows carry the rank; the 红黑榜 rank own figures too."""
    keys = ["tasks", "due_to_date", "done", "overdue", "on_time_rate", "rank"]
    headers = [i18n.t("report.col.unit", lang)] + [i18n.t(f"report.fig.{k}", lang) for k in keys]
    rows: list[list[Cell]] = []
    depths: list[int] = []

    def add(label: str, depth: int, f: Figures, rank: int | None) -> None:
        # an ideographic space per level: the tree reads aligned in text, Markdown and xlsx
        name = "　" * depth + label
        rows.append([name, f.tasks, f.due_to_date, f.done, f.overdue, Pct(f.on_time_rate), rank])
        depths.append(depth)

    for u in r.tree:
        if not u.has_below:
            add(u.name, u.depth, u.figures, u.rank)
            continue
        add(i18n.t("report.unit.subtree", lang, name=u.name), u.depth, u.subtree, None)
        if u.figures.tasks:
            add(i18n.t("report.unit.own", lang, name=u.name), u.depth + 1, u.figures, u.rank)
    title = i18n.t("report.sec.units", lang)
    out = [Table("units", title, headers, rows, {1, 2, 3, 4, 5, 6}, depths=depths)]
    from tracker.report.rank_sections import red_black  # it builds on this module's Table

    return out + red_black(r, lang)


def _status(status: Any, lang: str) -> str:
    return i18n.status_label(str(status), lang)


Cells = Callable[[dict[str, Any]], list[Cell]]


def _request(o: dict[str, Any]) -> list[Cell]:
    req = o.get("postpone_request") or {}
    return [req.get("due"), req.get("by"), req.get("reason")]


def _lists(r: WeeklyReport, lang: str) -> list[Table]:
    """The task lists: each starts with the task's id, title and owner, then its own columns."""
    days = i18n.t("report.days", lang, n="{n}")

    def done_at(o: dict[str, Any]) -> str:
        return str(o["done_at"] or "")[:16].replace("T", " ")

    # table and section key, WeeklyReport list, further columns, numeric columns, their cells
    specs: list[tuple[str, str, tuple[str, ...], set[int], Cells]] = [
        ("done", "done_this_week", ("done_by", "done_at"), {0},
         lambda o: [o.get("done_by"), done_at(o)]),
        ("overdue", "overdue", ("due", "days_overdue", "status", "leader"), {0, 4},
         lambda o: [o["due"], days.format(n=o["days_overdue"]), _status(o["status"], lang),
                    o["leader"]]),
        ("next", "due_next_week", ("due", "status"), {0},
         lambda o: [o["due"], _status(o["status"], lang)]),
        ("blocked", "blocked", ("due", "reason"), {0},
         lambda o: [o["due"], o.get("blocked_reason")]),
        ("postponed", "postponed", ("planned_due", "new_due", "times", "reason", "status",
                                    "leader"), {0, 5},
         lambda o: [o["planned_due"], o["due"], o["postponed"], o.get("postpone_reason"),
                    _status(o["status"], lang), o["leader"]]),
        ("requests", "postpone_requests", ("due", "requested_due", "requested_by", "reason"),
         {0}, lambda o: [o["due"], *_request(o)]),
    ]  # fmt: skip
    out: list[Table] = []
    for key, name, cols, numeric, cells in specs:
        items: list[dict[str, Any]] = getattr(r, name)
        if key == "requests" and not items:
            continue  # only a managed database has requests (people.md): no empty section
        out.append(
            Table(
                key,
                i18n.t(word(f"report.sec.{key}", r.period), lang),
                [i18n.t(f"report.col.{c}", lang) for c in ("uid", "task", "owner", *cols)],
                [[o["id"], o["title"], o["owner_name"], *cells(o)] for o in items],
                numeric,
                more=r.counts.get(name, len(items)) - len(items),
            )
        )
    return out


def chart_table(r: WeeklyReport, lang: str) -> Table:
    """The chart's data (the xlsx sheet; the other formats draw it)."""
    headers = [
        i18n.t("report.fig.week", lang),
        i18n.t("report.fig.due_cum", lang),
        i18n.t("report.fig.done_cum", lang),
    ]
    rows: list[list[Cell]] = [[w, due, done] for w, due, done in r.chart]
    return Table("chart", i18n.t("report.sec.chart", lang), headers, rows, {1, 2}, 0, 3)


def sections(r: WeeklyReport, lang: str) -> list[Table]:
    """Every table of the report, in reading order (the chart is drawn separately)."""
    from tracker.report.pageone import outcome_sections

    tables = [_summary(r, lang), *_campaigns(r, lang), *_units(r, lang), *_lists(r, lang)]
    return outcome_sections(r, lang, tables)
