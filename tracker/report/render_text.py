"""The weekly report for the terminal: rich tables aligned by East Asian width.

rich is imported here, inside the function, so that the core and ``tracker --help`` stay light.
Text cells and lines are broken by Chinese rules (``present.wrap``), not by rich's wrapper.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from tracker import i18n
from tracker.present import bar, cell_width, wrap
from tracker.present.safe import terminal
from tracker.report.chart import text_lines
from tracker.report.sections import Table, cell_text, headline, sections, subline
from tracker.report.weekly import WeeklyReport


@lru_cache(maxsize=1)
def _wrapped_type() -> Any:
    """A rich renderable whose lines ``present.wrap`` breaks (rich's own wrapper splits
    ``A级`` and starts lines with ``）``); made once, rich being imported lazily."""
    from rich.measure import Measurement
    from rich.segment import Segment

    from tracker.present.wrap import widest_unit

    class Wrapped:
        def __init__(self, text: str, style: str) -> None:
            self.text, self.style = text, style

        def __rich_measure__(self, console: Any, options: Any) -> Any:
            widest = max(cell_width(p) for p in self.text.split("\n"))
            return Measurement(min(widest_unit(self.text), widest), widest)

        def __rich_console__(self, console: Any, options: Any) -> Any:
            style = console.get_style(self.style) if self.style else None
            for line in wrap(self.text, options.max_width, fold=True):
                yield Segment(line, style)
                yield Segment.line()

    return Wrapped


def _wrapped(text: str, style: str = "") -> Any:
    return _wrapped_type()(text, style)


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

    style = "bold" if t.level == 2 else "bold underline"
    console.print()
    console.print(_wrapped(t.title, style))
    if not t.rows:
        console.print("  " + i18n.t("report.none", lang))
        return
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    for i, h in enumerate(t.headers):  # numbers keep rich's alignment, text cells are wrapped
        table.add_column(
            h if i in t.numeric else _wrapped(h), justify="right" if i in t.numeric else "left"
        )
    for row in t.rows:
        cells = (terminal(cell_text(c)) for c in row)
        table.add_row(*(c if i in t.numeric else _wrapped(c) for i, c in enumerate(cells)))
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
    out = io.StringIO()
    console = _console(out, width, color)
    console.print(_wrapped(terminal(head), "bold"))
    console.print(_wrapped(terminal(sub), "dim"))
    for t in tables:
        _draw(console, t, lang)
    return _lines(out)


def render_text(r: WeeklyReport, lang: str, *, width: int = 100, color: bool = False) -> str:
    """The report as text; ``color`` adds terminal styles (only for a terminal)."""
    out = io.StringIO()
    console = _console(out, width, color)
    # Every text that came from a plan or a person passes ``terminal``: no ESC sequence in a
    # title or a unit's name reaches the reader's terminal (rich keeps ESC as it is).
    console.print(_wrapped(terminal(headline(r, lang)), "bold"))
    console.print(_wrapped(terminal(subline(r, lang)), "dim"))
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
    console.print(_wrapped(i18n.t("report.sec.chart", lang), "bold underline"))
    for line in text_lines(r.chart, lang):
        console.print("  " + line)
    for t in tables[1:]:
        _draw(console, t, lang)
    return _lines(out)
