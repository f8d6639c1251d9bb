"""Strings of the present layer: relative deadlines and the labels of a state change.

The English relative forms are short (``in 3d``, ``3d late``): the TUI's column is 9 cells.
"""

CATALOG: dict[str, tuple[str, str]] = {
    "present.rel.today": ("今天", "today"),
    "present.rel.tomorrow": ("明天", "tomorrow"),
    "present.rel.yesterday": ("昨天", "yesterday"),
    "present.rel.in_days": ("{n}天后", "in {n}d"),
    "present.rel.overdue": ("逾期{n}天", "{n}d late"),
    "present.rel.ago": ("{n}天前", "{n}d ago"),
    "present.change.progress": ("进度", "progress"),
    "present.change.due": ("完成时限", "due"),
}
