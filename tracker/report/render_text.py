"""The weekly report for the terminal: rich tables aligned by East Asian width.

rich is imported here, inside the function, so that the core and ``tracker --help`` stay light.
"""

from __future__ import annotations

import io
from typing import Any

from tracker import i18n
from tracker.present import bar
from tracker.present.safe import terminal
from tracker.report.chart import text_lines
from tracker.report.pageone import page_one
from tracker.report.sections import Table, cell_text, headline, sections, subline
from tracker.report.weekly import WeeklyReport


def _console(out: io.StringIO, width: int, color: bool) -> Any:
    from rich.console import Console

    return Console(
        file=out,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def _draw(console: Any, t: Table, lang: str) -> None:
    """One titled table; every cell passes ``terminal`` (no ESC from a plan's text)."""
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    style = "bold" if t.level == 2 else "bold underline"
    console.print()
    console.print(Text(t.title, style=style))
    if not t.rows:
        console.print("  " + i18n.t("report.none", lang))
        return
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    for i, h in enumerate(t.headers):
        table.add_column(h, justify="right" if i in t.numeric else "left", overflow="fold")
    for row in t.rows:
        table.add_row(*(terminal(cell_text(c)) for c in row))
    console.print(table)
    if t.more:
        console.print("  " + i18n.t("report.more", lang, count=t.more), style="dim")


def _lines(out: io.StringIO) -> str:
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


def render_tables(
    head: str, sub: str, tables: list[Table], lang: str, *, width: int = 100, color: bool = False
) -> str:
    """A headline, a subline and titled tables, drawn as the weekly report draws its own
    (the province's roll-up)."""
    from rich.text import Text

    out = io.StringIO()
    console = _console(out, width, color)
    console.print(Text(terminal(head), style="bold"))
    console.print(Text(terminal(sub)), style="dim")
    for t in tables:
        _draw(console, t, lang)
    return _lines(out)


def render_text(r: WeeklyReport, lang: str, *, width: int = 100, color: bool = False) -> str:
    """The report as text; ``color`` adds terminal styles (only for a terminal)."""
    from rich.text import Text

    out = io.StringIO()
    console = _console(out, width, color)
    # Every text that came from a plan or a person passes ``terminal``: no ESC sequence in a
    # title or a unit's name reaches the reader's terminal (rich keeps ESC as it is).
    console.print(Text(terminal(headline(r, lang)), style="bold"))
    console.print(Text(terminal(subline(r, lang))), style="dim")
    console.print()
    console.print(Text(i18n.t("report.p1.heading", lang), style="bold"))
    for t in page_one(r, lang):  # page one: indicators, urgent, 整改, requests, counters
        _draw(console, t, lang)
    tables = sections(r, lang)
    _draw(console, tables[0], lang)
    f = r.totals
    # the bar counts what the totals, the campaign rows and the trend count: every instance
    # done, due yet or not (cli-v2.md), out of all of them
    share = f.done / f.tasks if f.tasks else None
    console.print(
        f"  {i18n.t('report.fig.done', lang)} {f.done}/{f.tasks}  {''.join(bar(share, 30))}"
    )
    console.print()
    console.print(Text(i18n.t("report.sec.chart", lang), style="bold underline"))
    for line in text_lines(r.chart, lang):
        console.print("  " + line)
    for t in tables[1:]:
        _draw(console, t, lang)
    return _lines(out)
