"""The plan → campaign → task template tree that scopes the list.

Choosing a node narrows the table to it; choosing the root ("all plans") widens it again.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree

from tracker import i18n
from tracker.present.safe import rich_markup
from tracker.tui.data import TreeNode
from tracker.tui.keys import localize

Scope = tuple[str | None, str | None, str | None]  # plan, campaign, task_key


class FilterTree(Tree[Scope]):
    """The scope picker; its nodes carry ``(plan, campaign, task_key)``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "tui.key.choose_scope"),
        Binding("escape", "app.focus_table", "tui.key.back", show=False),
    ]

    class ScopeChosen(Message):
        """The user picked a plan, a campaign, a template, or everything."""

        def __init__(self, scope: Scope, label: str) -> None:
            self.scope = scope
            self.label = label
            super().__init__()

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(i18n.t("tui.tree.all", lang), data=(None, None, None), id=id)
        self.lang = lang
        self.show_root = True
        self.guide_depth = 2
        self.auto_expand = False
        localize(self, lang)

    def fill(self, plans: list[TreeNode]) -> None:
        """Rebuild the tree from fresh store data, keeping which nodes were open."""
        opened = {n.data for n in self._tree_nodes.values() if n.is_expanded and n.data}
        self.clear()
        self.root.expand()
        for plan in plans:
            p = self.root.add(self._label(plan), data=(plan.plan, None, None))
            for camp in plan.children:
                c = p.add(self._label(camp), data=(camp.plan, camp.campaign, None))
                for tpl in camp.children:
                    c.add_leaf(self._label(tpl), data=(tpl.plan, tpl.campaign, tpl.task_key))
                if c.data in opened:
                    c.expand()
            if p.data in opened or len(plans) == 1:
                p.expand()

    @staticmethod
    def _label(node: TreeNode) -> str:
        # Tree labels are Rich markup: a unit or task named "[A]" must show as itself
        return f"{rich_markup(node.label)} ({node.count:,})"

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected[Scope]) -> None:
        event.stop()
        node = event.node
        if node.data is not None:
            if node.allow_expand and not node.is_expanded:
                node.expand()
            label = "" if node.is_root else str(node.label).rsplit(" (", 1)[0]
            self.post_message(self.ScopeChosen(node.data, label))
