"""The weekly report as Markdown: for a chat group or a wiki page."""

from __future__ import annotations

from tracker import i18n
from tracker.present.safe import terminal
from tracker.report.chart import text_lines
from tracker.report.pageone import page_one
from tracker.report.sections import Table, cell_text, headline, sections, subline
from tracker.report.weekly import WeeklyReport


def _cell(value: object) -> str:
    text = _safe(cell_text(value))  # type: ignore[arg-type]
    return text.replace("|", "\\|")


def _safe(text: str) -> str:
    """Untrusted text in Markdown: a newline as a space (it cannot end the table row), other
    control characters visible, and no raw HTML for the page that renders it."""
    return terminal(text.replace("\n", " ")).replace("<", "&lt;").replace(">", "&gt;")


def _table(t: Table, lang: str) -> list[str]:
    lines = [("## " if t.level == 2 else "### ") + t.title, ""]
    if not t.rows:
        return [*lines, i18n.t("report.none", lang), ""]
    lines.append("| " + " | ".join(t.headers) + " |")
    lines.append(
        "|" + "|".join("---:" if i in t.numeric else "---" for i in range(len(t.headers))) + "|"
    )
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    if t.more:
        lines += ["", "*" + i18n.t("report.more", lang, count=t.more) + "*"]
    return [*lines, ""]


def render_md(r: WeeklyReport, lang: str) -> str:
    """Headline, figures, the chart as sparklines in a code block, then every table."""
    tables = sections(r, lang)
    lines = [f"# {_safe(headline(r, lang))}", "", _safe(subline(r, lang)), ""]
    lines += ["## " + i18n.t("report.p1.heading", lang), ""]
    for t in page_one(r, lang):  # page one, then the counters
        lines += _table(t, lang)
    lines += _table(tables[0], lang)
    chart = text_lines(r.chart, lang)
    if chart:
        lines += ["### " + i18n.t("report.sec.chart", lang), "", "```", *chart, "```", ""]
    for t in tables[1:]:
        lines += _table(t, lang)
    return "\n".join(lines).rstrip() + "\n"


def render_tables(head: str, sub: str, tables: list[Table], lang: str) -> str:
    """A headline, a subline and titled tables, as the weekly report lays out its own."""
    lines = [f"# {_safe(head)}", "", _safe(sub), ""]
    for t in tables:
        lines += _table(t, lang)
    return "\n".join(lines).rstrip() + "\n"
