"""The campaign overview: this week's completion per campaign and per unit.

The figures are the weekly report's own (``tracker.report.weekly``), so what staff see
here is what the 周报 will circulate; the screen only draws them as bars.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tracker import i18n
from tracker.present import bar, fit, percent
from tracker.present.safe import markup as escape
from tracker.tui.data import Bar, Overview
from tracker.tui.keys import localize

NAME_WIDTH = 22
BAR_WIDTH = 24


class OverviewScreen(ModalScreen[None]):
    """Bars for campaigns and units; ``update`` redraws when the data changes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,o,q", "close", "tui.key.close"),
    ]

    def __init__(self, overviews: list[Overview] | None, lang: str) -> None:
        """``overviews`` None: the figures are still being computed."""
        super().__init__()
        self.overviews = overviews
        self.lang = lang
        localize(self, lang)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-box"):
            yield Static(self._markup(), id="overview-body")
        yield Footer()

    def update(self, overviews: list[Overview] | None) -> None:
        """New figures (another process or this user changed something)."""
        self.overviews = overviews
        self.query_one("#overview-body", Static).update(self._markup())

    def action_close(self) -> None:
        self.dismiss(None)

    def _markup(self) -> str:
        t = self.lang
        if self.overviews is None:
            return i18n.t("tui.overview.loading", t)
        if not self.overviews:
            return i18n.t("tui.overview.empty", t)
        lines: list[str] = []
        for ov in self.overviews:
            lines.append(
                "[b]"
                + escape(
                    i18n.t(
                        "tui.overview.title",
                        t,
                        title=ov.title,
                        week=ov.week,
                        start=ov.start.strftime("%m-%d"),
                        end=ov.end.strftime("%m-%d"),
                    )
                )
                + "[/b]"
            )
            lines.append(self._line(i18n.t("tui.overview.total", t), ov.totals))
            lines += ["", f"[b u]{i18n.t('tui.overview.campaigns', t)}[/b u]"]
            lines += [self._line(c.name, c) for c in ov.campaigns]
            lines += ["", f"[b u]{i18n.t('tui.overview.units', t)}[/b u]"]
            lines += [self._line(u.name, u, ranked=True) for u in ov.units]
            lines.append("")
        lines.append(f"[dim]{i18n.t('tui.overview.legend', t)}[/dim]")
        return "\n".join(lines)

    def _line(self, name: str, b: Bar, *, ranked: bool = False) -> str:
        t = self.lang
        rank = (f"{b.rank:>3} " if b.rank else "  - ") if ranked else ""
        width = NAME_WIDTH - len(rank)
        color = "green" if (b.completion_rate or 0) >= 0.8 else "yellow"
        if b.overdue:
            color = "red" if (b.completion_rate or 0) < 0.5 else "yellow"
        filled, track = bar(b.completion_rate, BAR_WIDTH)
        counts = fit(f"{b.done}/{b.due_to_date}", 9, right=True)
        text = (
            f"{rank}{escape(fit(name, width))} [{color}]{filled}[/{color}][dim]{track}[/dim]"
            f" {counts} {fit(percent(b.completion_rate), 6, right=True)}"
        )
        if b.overdue:
            text += " [red]" + escape(i18n.t("tui.overview.overdue", t, n=b.overdue)) + "[/red]"
        if b.on_time_rate is not None:
            text += " [dim]" + i18n.t("tui.overview.on_time", t, rate=percent(b.on_time_rate))
            text += "[/dim]"
        return text
