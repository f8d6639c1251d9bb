"""Pick a responsible unit (its subtree included) to narrow the list to.

Counties have hundreds of units (bureaus, townships, villages), so the picker filters as
you type and keeps the parent tree's indentation so that 城关镇's villages read as its own.
"""

from __future__ import annotations

from tracker import i18n
from tracker.present.safe import markup
from tracker.tui.data import UnitNode
from tracker.tui.screens.filter_picker import FilterPicker

ALL_UNITS = UnitNode(plan="", key="", name="", depth=0)


class UnitPicker(FilterPicker[UnitNode]):
    """Dismisses with the chosen unit, ``ALL_UNITS`` to clear, or ``None`` when cancelled."""

    def __init__(self, units: list[UnitNode], lang: str) -> None:
        super().__init__(units, ALL_UNITS, lang)

    def title_text(self) -> str:
        return i18n.t("tui.units.title", self.lang)

    def all_text(self) -> str:
        return i18n.t("tui.units.all", self.lang)

    def matches(self, u: UnitNode, needle: str) -> bool:
        return needle in u.name.lower() or needle in u.key.lower()

    def label(self, u: UnitNode, needle: str) -> str:
        indent = "  " * (0 if needle else u.depth)
        return f"{indent}{markup(u.name)} [dim]{markup(u.key)}[/dim]"
