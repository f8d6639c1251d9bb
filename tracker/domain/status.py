"""The status vocabulary and the actions that move a task between statuses.

``Status`` and ``Action`` are ``StrEnum``: a member equals its value, so a status read from the
database (a plain ``str``) compares and hashes like the member, and JSON keeps the plain word.
The groups below (open, done, closed, counted) are what every filter, figure and face uses.
"""

from __future__ import annotations

from enum import StrEnum

from tracker import i18n


class Status(StrEnum):
    """A task instance's status (cli.md, Statuses)."""

    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    VERIFIED = "verified"
    BLOCKED = "blocked"
    WITHDRAWN = "withdrawn"
    WAIVED = "waived"  # 已免除: no longer applies (cli-v2.md); counts nowhere, like withdrawn

    def label(self, lang: str) -> str:
        """The display name (未开始, 进行中, …) in ``lang``."""
        return i18n.status_label(self.value, lang)


class Action(StrEnum):
    """What an event row records (``events.action``)."""

    START = "start"
    DONE = "done"
    VERIFY = "verify"
    REOPEN = "reopen"
    BLOCK = "block"
    PROGRESS = "progress"
    POSTPONE = "postpone"
    NOTE = "note"
    UNDO = "undo"
    WITHDRAW = "withdraw"
    RESTORE = "restore"
    IMPORT = "import"
    REQUEST = "request"  # a postponement request filed (people.md)
    APPROVE = "approve"  # the request applied: the deadline moves
    REJECT = "reject"  # the request dropped
    WAIVE = "waive"  # the task no longer applies (已免除)
    ADD = "add"  # a 交办 item created outside the plan file (``tracker add``)


STATUSES: tuple[Status, ...] = tuple(Status)
# Still to be worked on: what can be overdue, progressed or postponed.
OPEN: frozenset[Status] = frozenset({Status.TODO, Status.DOING, Status.BLOCKED})
# Finished, as every figure counts it: done, whether or not it is verified yet (销号).
DONE_STATES: frozenset[Status] = frozenset({Status.DONE, Status.VERIFIED})
# Not open: shown dimmed, never overdue.
CLOSED: frozenset[Status] = frozenset(
    {Status.DONE, Status.VERIFIED, Status.WITHDRAWN, Status.WAIVED}
)
# Counted nowhere in the figures: withdrawn (by a reload) and waived (no longer applies).
UNCOUNTED: frozenset[Status] = frozenset({Status.WITHDRAWN, Status.WAIVED})
# Counted in figures.
COUNTED: frozenset[Status] = frozenset(STATUSES) - UNCOUNTED
# Hidden from lists unless asked for (``--all``): only withdrawn; a waived task stays listed.
HIDDEN: frozenset[Status] = frozenset({Status.WITHDRAWN})
# Statuses entered with a reason (``block``, ``waive``): a ledger row gives it in its note.
NEEDS_REASON: frozenset[Status] = frozenset({Status.BLOCKED, Status.WAIVED})
# Statuses a person may set directly (a ledger's status column); withdrawn is a reload's.
SETTABLE: tuple[Status, ...] = tuple(s for s in STATUSES if s is not Status.WITHDRAWN)
# Rows that ``undo`` never reverts: undo itself and a reload's withdraw/restore.
NOT_UNDOABLE: tuple[Action, ...] = (Action.UNDO, Action.WITHDRAW, Action.RESTORE)
# Actions whose events may move a task into or out of done (the report's done-by-date pass).
DONE_MOVES: tuple[Action, ...] = (
    Action.DONE,
    Action.REOPEN,
    Action.PROGRESS,
    Action.UNDO,
    Action.IMPORT,
    Action.WITHDRAW,
    Action.RESTORE,
)


def parse_status(text: str) -> Status | None:
    """``text`` as a status: its English word or its label in either language, else ``None``."""
    value = text.strip()
    lowered = value.lower()
    for status in STATUSES:
        if lowered == status.value or value in (status.label("zh"), status.label("en")):
            return status
    return None
