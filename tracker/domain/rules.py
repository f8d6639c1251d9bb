"""The status machine: which action may start from which status, and what it leads to.

One table decides every status move, whoever asks (a command, the TUI, a ledger import). The
functions here compute a task's next state from its current one or raise ``Refused``; writing
it, logging it and the transaction are the store's (``store/actions.py``).
"""

from __future__ import annotations

from datetime import date

from tracker import i18n
from tracker.domain.bounds import MAX_QUANTITY, quantity_ok
from tracker.domain.status import DONE_STATES, OPEN, Action, Status
from tracker.domain.task import State
from tracker.errors import BadInput, Refused

# action -> (statuses it may start from, the status it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.START: (frozenset({Status.TODO, Status.BLOCKED}), Status.DOING),
    Action.DONE: (frozenset({Status.TODO, Status.DOING}), Status.DONE),
    Action.VERIFY: (frozenset({Status.DONE}), Status.VERIFIED),
    Action.REOPEN: (frozenset(DONE_STATES | {Status.WAIVED}), Status.DOING),
    Action.BLOCK: (frozenset({Status.TODO, Status.DOING}), Status.BLOCKED),
    Action.WAIVE: (frozenset(OPEN), Status.WAIVED),
}


class TransitionRefused(Refused):
    """A refused transition; renders the status and the action in the reader's language."""

    def render(self, lang: str) -> str:
        params = dict(self.params)
        status, action = str(params.get("status", "")), str(params.get("action", ""))
        params["status"] = i18n.status_label(status, lang)
        params["verb"] = i18n.t(f"store.verb.{action}", lang)
        hint = ""
        for key in (f"store.hint.{action}.{status}", f"store.hint.{status}"):
            if i18n.has(key):
                hint = i18n.t(key, lang)
                break
        return i18n.t(self.key, lang, **params) + hint


class MoveRefused(Refused):
    """A ledger's status edit that no command could make; both statuses shown as labels."""

    def render(self, lang: str) -> str:
        params = dict(self.params)
        for key in ("status", "new"):
            if key in params:
                params[key] = i18n.status_label(str(params[key]), lang)
        for key in ("progress", "target"):
            value = params.get(key)
            if isinstance(value, float) and value.is_integer():
                params[key] = int(value)
        return i18n.t(self.key, lang, **params)


def refuse(task_id: int, status: str, action: str) -> TransitionRefused:
    return TransitionRefused("store.refused", id=task_id, status=str(status), action=str(action))


def may(action: Action, status: str) -> bool:
    """Whether ``action`` may start from ``status`` (the TUI greys out what it may not)."""
    if action in TRANSITIONS:
        return status in TRANSITIONS[action][0]
    if action in (Action.PROGRESS, Action.POSTPONE):
        return status in OPEN
    return True


def apply_action(
    task_id: int,
    state: State,
    action: Action,
    *,
    now: str,
    reason: str | None = None,
) -> State:
    """The state after a status action (start, done, verify, reopen, block), or refused.

    ``done`` stamps ``done_at`` with ``now``; ``reopen`` clears it; ``block`` records ``reason``
    (``waive``'s reason is the event's note: a waived task keeps no blocked reason).
    (Who did and who verified a task is the event log's: see ``store.actions.write_state``.)
    """
    sources, target = TRANSITIONS[action]
    if state.status not in sources:
        raise refuse(task_id, state.status, action)
    after = state.with_(status=target)
    if target is Status.DONE:
        after = after.with_(done_at=now)
    if target in (Status.DOING, Status.DONE, Status.WAIVED):
        after = after.with_(blocked_reason=None)
    if action is Action.REOPEN:
        after = after.with_(done_at=None)
    if action is Action.BLOCK:
        after = after.with_(blocked_reason=reason)
    return after


def parse_progress(value: str | float) -> tuple[float, bool]:
    """``"30"`` → (30, absolute); ``"+5"`` → (5, relative); ``"-5"`` → (-5, relative): a
    correction down (progress is never negative, so a minus sign can only mean that).
    ``BadInput`` for anything else, and for a number outside 0 … ``MAX_QUANTITY``
    (``tracker.domain.bounds``)."""
    text = str(value).strip().replace("−", "-")
    relative = text[:1] in ("+", "-")
    sign = -1.0 if text.startswith("-") else 1.0
    body = text[1:] if relative else text
    try:
        if len(body) > 64:  # no quantity is written with more characters than this
            raise ValueError(body)
        number = float(body)
    except ValueError as e:
        raise BadInput("store.bad_progress", value=str(value)[:80]) from e
    if not quantity_ok(number):
        raise BadInput("safety.quantity_range", value=str(value)[:80], high=f"{MAX_QUANTITY:.0e}")
    return sign * number, relative


def apply_progress(
    task_id: int,
    state: State,
    target: float | None,
    amount: float,
    *,
    relative: bool,
    now: str,
) -> State:
    """Progress recorded on an open task: reaching ``target`` makes it done; progress below
    the target moves a todo task to doing; a blocked task stays blocked."""
    if state.status not in OPEN:
        raise refuse(task_id, state.status, Action.PROGRESS)
    new = (state.progress or 0.0) + amount if relative else amount
    if not quantity_ok(new):
        raise BadInput("safety.quantity_range", value=f"{new:g}", high=f"{MAX_QUANTITY:.0e}")
    after = state.with_(progress=new)
    if target is not None and new >= target:
        return after.with_(status=Status.DONE, done_at=now, blocked_reason=None)
    if state.status == Status.TODO:
        return after.with_(status=Status.DOING)
    return after


def apply_postpone(task_id: int, state: State, when: date) -> State:
    """延期: an open task's deadline moved to a later date; the count of postponements grows."""
    if state.status not in OPEN:
        raise refuse(task_id, state.status, Action.POSTPONE)
    if when.isoformat() <= state.due:
        raise Refused("store.postpone_not_later", id=task_id, due=state.due)
    return state.with_(due=when.isoformat(), postponed=(state.postponed or 0) + 1)


def move_action(current: str, wanted: str) -> Action | None:
    """The one status action that moves ``current`` to ``wanted`` (a ledger's edited status
    cell), or ``None`` when no command could: a ledger may do only what the commands may."""
    for action, (sources, target) in TRANSITIONS.items():
        if current in sources and target == wanted:
            return action
    return None


def apply_edit(
    task_id: int,
    state: State,
    target: float | None,
    *,
    status: str,
    progress: float | None,
    reason: str | None,
    now: str,
) -> State:
    """The state after a ledger row's edits (status and progress), by the commands' rules.

    A status move must be one a command makes (``move_action``), else ``Refused``; progress
    reaching the target makes an open task done, progress on a todo task makes it doing (as
    ``tracker progress``). ``reason`` is the row's note, required to block.
    """
    after = state
    if progress != state.progress:
        if state.status not in OPEN and status == state.status:
            raise refuse(task_id, state.status, Action.PROGRESS)
        after = after.with_(progress=progress)
        reached = target is not None and progress is not None and progress >= target
        if status == state.status and state.status in OPEN:
            if reached:
                status = Status.DONE
            elif state.status == Status.TODO:
                status = Status.DOING
        elif reached and status not in DONE_STATES:
            raise MoveRefused(
                "ledger.target_reached_open", progress=progress, target=target, status=status
            )
    if status == state.status:
        if status == Status.BLOCKED and reason:
            after = after.with_(blocked_reason=reason)  # a new note on a blocked row: its reason
        return after
    action = move_action(after.status, status)
    if action is None:
        raise MoveRefused("ledger.bad_move", id=task_id, status=str(state.status), new=status)
    if action is Action.BLOCK and not reason:
        raise Refused("ledger.block_needs_reason")
    if action is Action.WAIVE and not reason:
        raise Refused("ledger.waive_needs_reason")
    return apply_action(task_id, after, action, now=now, reason=reason)
