"""Undo: the acting user's last change, restoring the previous state exactly."""

from __future__ import annotations

from typing import Any

import pytest

from tracker.context import Context
from tracker.errors import Refused
from tracker.store import actions
from tracker.store.actions import snapshot
from tracker.store.load import load_expansion
from tracker.store.query import get_task, task_notes


def user(ctx: Context, name: str) -> Context:
    return Context(db_path=ctx.db_path, today=ctx.today, user=name, lang=ctx.lang)


def state(db: Any, ref: str) -> dict[str, Any]:
    return snapshot(get_task(db, ref))


CHANGES = {
    "start": lambda db, c: actions.start(db, c, ["1"]),
    "done": lambda db, c: actions.done(db, c, ["1"], note="ok"),
    "verify": lambda db, c: actions.verify(db, c, ["1"]),
    "reopen": lambda db, c: actions.reopen(db, c, ["1"]),
    "block": lambda db, c: actions.block(db, c, ["1"], "rain"),
    "progress": lambda db, c: actions.progress(db, c, "1", "+5"),
    "postpone": lambda db, c: actions.postpone(db, c, "1", "2020-06-01", "rain"),
}
SETUP = {"verify": ["done"], "reopen": ["done", "verify"], "progress": ["progress"]}


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_undo_each_kind_restores_exactly(loaded: Any, ctx: Context, kind: str) -> None:
    for step in SETUP.get(kind, []):
        CHANGES[step](loaded, ctx)
    before = state(loaded, "1")
    CHANGES[kind](loaded, ctx)
    assert state(loaded, "1") != before
    [row] = actions.undo(loaded, ctx)
    assert row["undone_action"] == kind
    assert state(loaded, "1") == before
    last = actions.history(loaded, "1")[0]
    assert last["action"] == "undo" and last["after"] == before
    undone = actions.history(loaded, "1")[1]
    assert undone["action"] == kind and undone["undone_by"] == last["id"]


def test_undo_note_hides_it(loaded: Any, ctx: Context) -> None:
    actions.note(loaded, ctx, "2", "first")
    actions.note(loaded, ctx, "2", "second")
    before = state(loaded, "2")
    [row] = actions.undo(loaded, ctx)
    assert (row["undone_action"], row["undone_note"]) == ("note", "second")
    assert [n["text"] for n in task_notes(loaded, 2)] == ["first"]
    assert state(loaded, "2") == before


def test_undo_reverts_a_whole_batch(loaded: Any, ctx: Context) -> None:
    actions.done(loaded, ctx, ["1", "2", "3"])
    rows = actions.undo(loaded, ctx)
    assert sorted(r["id"] for r in rows) == [1, 2, 3]
    assert {get_task(loaded, str(i))["status"] for i in (1, 2, 3)} == {"todo"}
    assert all(get_task(loaded, str(i))["done_at"] is None for i in (1, 2, 3))


def test_undo_walks_back_and_ends(loaded: Any, ctx: Context) -> None:
    actions.start(loaded, ctx, ["1"])
    actions.done(loaded, ctx, ["1"])
    actions.undo(loaded, ctx)
    assert get_task(loaded, "1")["status"] == "doing"
    actions.undo(loaded, ctx)
    assert get_task(loaded, "1")["status"] == "todo"
    with pytest.raises(Refused) as e:
        actions.undo(loaded, ctx)
    assert "tester" in e.value.render("en")


def test_undo_is_per_user(loaded: Any, ctx: Context) -> None:
    amy, bob = user(ctx, "amy"), user(ctx, "bob")
    actions.start(loaded, amy, ["1"])
    actions.start(loaded, bob, ["2"])
    [row] = actions.undo(loaded, amy)
    assert row["id"] == 1
    assert get_task(loaded, "2")["status"] == "doing"
    with pytest.raises(Refused):
        actions.undo(loaded, ctx)  # tester did nothing


def test_undo_refused_when_someone_changed_it_since(loaded: Any, ctx: Context) -> None:
    amy, bob = user(ctx, "amy"), user(ctx, "bob")
    actions.done(loaded, amy, ["1"])
    actions.verify(loaded, bob, ["1"])
    with pytest.raises(Refused) as e:
        actions.undo(loaded, amy)
    assert "bob" in e.value.render("en")
    assert get_task(loaded, "1")["status"] == "verified"
    # after bob undoes his verify, amy's undo goes through
    actions.undo(loaded, bob)
    actions.undo(loaded, amy)
    assert get_task(loaded, "1")["status"] == "todo"


def test_a_note_by_someone_else_does_not_block_undo(loaded: Any, ctx: Context) -> None:
    actions.done(loaded, ctx, ["1"])
    actions.note(loaded, user(ctx, "amy"), "1", "nice")
    actions.undo(loaded, ctx)
    assert get_task(loaded, "1")["status"] == "todo"


def test_withdraw_by_a_reload_is_not_undone(loaded: Any, ctx: Context, sample: Any) -> None:
    actions.done(loaded, ctx, ["9"])
    load_expansion(loaded, sample.expansion(sample.instances()[:8]), ctx)
    assert get_task(loaded, "9")["status"] == "withdrawn"
    with pytest.raises(Refused):  # the last undoable change (done #9) conflicts now
        actions.undo(loaded, ctx)
    assert get_task(loaded, "9")["status"] == "withdrawn"
