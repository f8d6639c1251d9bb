"""The rules of the work, with no I/O: statuses, transitions, typed rows, people and roles.

Every other layer takes its vocabulary from here, so a status or a rule is written once:
``store/`` applies these rules inside its transactions, ``report/`` counts by them and the faces
show their labels. Nothing here reads a file, a database or a terminal.
"""

from tracker.domain.people import Person, Role
from tracker.domain.rules import TransitionRefused, apply_action, apply_postpone, apply_progress
from tracker.domain.status import (
    CLOSED,
    COUNTED,
    DONE_STATES,
    OPEN,
    STATUSES,
    Action,
    Status,
)
from tracker.domain.task import Event, Note, State, Task

__all__ = [
    "CLOSED",
    "COUNTED",
    "DONE_STATES",
    "OPEN",
    "STATUSES",
    "Action",
    "Event",
    "Note",
    "Person",
    "Role",
    "State",
    "Status",
    "Task",
    "TransitionRefused",
    "apply_action",
    "apply_postpone",
    "apply_progress",
]
