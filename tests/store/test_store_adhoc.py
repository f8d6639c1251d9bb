"""``tracker add`` items (cli-v2.md): uids, the campaign they go to, their due date, and that
no load ever removes or withdraws them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tracker.context import Context
from tracker.errors import BadInput, Refused
from tracker.plan import read_plan, read_plan_lazy
from tracker.store import actions
from tracker.store.adhoc import AddRequest, add
from tracker.store.db import open_db
from tracker.store.load import load_expansion, unchanged_load
from tracker.store.query import TaskFilter, get_task, query_tasks, task_json

PLAN = Path(__file__).parents[1] / "fixtures" / "plans" / "v2-town.toml"
TODAY = date(2020, 4, 15)


@pytest.fixture
def c(db_path: Path) -> Context:
    return Context(db_path=db_path, today=TODAY, user="督查室", lang="en")


@pytest.fixture
def town(db_path: Path, c: Context) -> Any:
    db = open_db(db_path)
    load_expansion(db, read_plan_lazy(PLAN), c)
    return db


def req(**kw: Any) -> AddRequest:
    kw.setdefault("title", "督查发现：东风村公益岗台账不全")
    kw.setdefault("owner", "v1")
    kw.setdefault("due", date(2020, 4, 24))
    return AddRequest(**kw)


def test_uid_counts_from_one_in_each_plan(town: Any, c: Context) -> None:
    first = add(town, c, req())
    second = add(town, c, req(due=date(2020, 8, 14), owner="v2"))
    assert (first.uid, second.uid) == ("town-2020/zg/adhoc-1", "town-2020/bs/adhoc-2")
    assert (first.task_key, first.adhoc, first.status, first.period) == ("adhoc-1", 1, "todo", None)
    j = task_json(first, TODAY)
    assert (j["adhoc"], j["campaign"], j["owner_kind"]) == (True, "zg", "village")


def test_fields_and_defaults(town: Any, c: Context) -> None:
    t = add(
        town, c,
        req(problem="p1", responsible="李四, 王五", target=6, unit="户", priority="high",
            tags=("督查", "整改"), note="县督查室4月14日交办"),
    )  # fmt: skip
    assert (t.problem, t.responsible, t.target, t.unit, t.priority) == (
        "p1", "李四、王五", 6, "户", "high",
    )  # fmt: skip
    assert (t.tags, t.measure, t.leader) == (["督查", "整改"], "sum", "包村领导甲")  # unit's leader
    assert (t.start, t.due, t.planned_due) == ("2020-04-15", "2020-04-24", "2020-04-24")
    [ev] = actions.history(town, str(t.id))
    assert (ev.action, ev.user, ev.note, ev.after["status"]) == (
        "add",
        "督查室",
        "县督查室4月14日交办",
        "todo",
    )
    rate = add(town, c, req(target=95, unit="%", leader="王镇长"))
    assert (rate.measure, rate.leader) == ("each", "王镇长")


def test_campaign_by_due_the_later_starting_one(town: Any, c: Context) -> None:
    # 2020-05-15 lies in both zg (03-02 .. 06-30) and bs (05-01 .. 12-31): bs starts later
    assert add(town, c, req(due=date(2020, 5, 15))).campaign == "bs"
    assert add(town, c, req(due=date(2020, 4, 15))).campaign == "zg"
    assert add(town, c, req(due=date(2020, 5, 15), campaign="zg")).campaign == "zg"
    with pytest.raises(BadInput) as e:
        add(town, c, req(due=date(2021, 3, 1)))
    assert e.value.exit_code == 2 and "2021-03-01" in e.value.render("en")


def test_due_moves_by_the_plans_due_shift(town: Any, c: Context) -> None:
    t = add(town, c, req(due=date(2020, 4, 25)))  # a Saturday; the plan moves dues before
    assert (t.due, t.planned_due) == ("2020-04-24", "2020-04-24")
    early = add(town, c, req(due=date(2020, 3, 1), campaign="zg", start=date(2020, 2, 28)))
    assert early.due == "2020-02-28"  # a Sunday, before the campaign: the working day before


def test_start_defaults_to_today_within_the_campaign(town: Any, c: Context) -> None:
    assert add(town, c, req()).start == "2020-04-15"
    later = Context(c.db_path, date(2020, 9, 1), c.user, "en")
    assert add(town, later, req(due=date(2020, 9, 30))).start == "2020-09-01"
    before = Context(c.db_path, date(2020, 2, 1), c.user, "en")
    assert add(town, before, req(due=date(2020, 5, 29))).start == "2020-05-01"  # bs's start
    with pytest.raises(BadInput):
        add(town, c, req(start=date(2020, 5, 1)))  # after the due date


@pytest.mark.parametrize(
    ("kw", "phrase"),
    [
        ({"owner": "v9"}, "did you mean"),
        ({"problem": "p9"}, "'p9'"),
        ({"campaign": "zhenggai"}, "did you mean 'zg'"),
        ({"plan": "town-2021"}, "did you mean 'town-2020'"),
        ({"title": "  "}, "--title"),
        ({"title": "a\x1b[31m"}, "control"),
        ({"unit": "户"}, "--unit needs --target"),
        ({"target": -1}, "out of range"),
        ({"target": float("nan")}, "out of range"),
        ({"priority": "urgent"}, "one of: high, normal, low"),
    ],
)
def test_bad_input(town: Any, c: Context, kw: dict[str, Any], phrase: str) -> None:
    with pytest.raises(BadInput) as e:
        add(town, c, req(**kw))
    assert phrase in e.value.render("en"), e.value.render("en")
    assert town.conn.execute("SELECT COUNT(*) FROM tasks WHERE adhoc = 1").fetchone()[0] == 0


def test_plan_must_be_given_when_several_are_loaded(town: Any, c: Context, tmp_path: Path) -> None:
    other = tmp_path / "o.toml"
    other.write_text(PLAN.read_text("utf-8").replace('id = "town-2020"', 'id = "other"'), "utf-8")
    load_expansion(town, read_plan_lazy(other), c)
    with pytest.raises(BadInput) as e:
        add(town, c, req())
    assert "--plan" in e.value.render("en")
    assert add(town, c, req(plan="other")).uid == "other/zg/adhoc-1"  # counted per plan
    assert add(town, c, req(plan="town-2020")).uid == "town-2020/zg/adhoc-1"


def test_no_plan_loaded(db_path: Path, c: Context) -> None:
    with pytest.raises(BadInput) as e:
        add(open_db(db_path), c, req())
    assert "tracker load" in e.value.render("en")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    return path


def test_add_items_survive_a_reload_that_removes_their_campaigns_other_tasks(
    town: Any, c: Context, tmp_path: Path
) -> None:
    item = add(town, c, req())
    actions.start(town, c, ["town-2020/zg/gongyi/v1"])  # touched: withdrawn, not removed
    text = PLAN.read_text("utf-8")
    start, end = (
        text.index('  [[campaign.task]]\n  key = "gongyi"'),
        text.index('[[campaign]]\nkey = "bs"'),
    )
    emptied = (
        text[:start]
        + '  [[campaign.task]]\n  key = "new"\n  title = "新任务"\n  owner = "town"\n\n'
        + text[end:]
    )
    s = load_expansion(town, read_plan_lazy(_write(tmp_path, emptied)), c)
    assert item.uid not in s.removed_uids + s.withdrawn_uids
    assert s.withdrawn_uids == ["town-2020/zg/gongyi/v1"] and s.instances == 18
    kept = get_task(town, item.uid)
    assert (kept.status, kept.adhoc, kept.title, kept.due) == ("todo", 1, item.title, item.due)
    # the campaign gone from the plan altogether: still kept, with its campaign's name
    gone = text[: text.index('[[campaign]]\nkey = "zg"')] + text[end:]
    s = load_expansion(town, read_plan_lazy(_write(tmp_path, gone)), c)
    assert item.uid not in s.removed_uids + s.withdrawn_uids
    assert get_task(town, item.uid).status == "todo"
    [row] = query_tasks(town, TaskFilter(campaign="zg", statuses=("todo",)), TODAY)
    assert (row.uid, row.campaign_name) == (item.uid, "整改")
    # and back: the plan's own instances come back; the item is untouched
    s = load_expansion(town, read_plan_lazy(PLAN), c)
    assert s.restored_uids == ["town-2020/zg/gongyi/v1"] and item.uid not in s.removed_uids
    assert s.instances == 26 and get_task(town, item.uid).status == "todo"


def test_add_items_are_no_plan_instance(town: Any, c: Context) -> None:
    add(town, c, req())
    s = load_expansion(town, read_plan(PLAN), c)  # a whole expansion, no templates known
    assert (s.instances, s.added, s.removed, s.withdrawn, s.unchanged) == (26, 0, 0, 0, 26)
    from tracker.plan.digest import source_digest

    digest = source_digest(PLAN)
    assert digest is not None
    load_expansion(town, read_plan_lazy(PLAN), c, digest=digest)
    same = unchanged_load(town, digest)
    assert same is not None and same.instances == 26


def test_a_plan_task_cannot_take_an_add_items_uid(town: Any, c: Context, tmp_path: Path) -> None:
    from tracker.errors import PlanError

    text = PLAN.read_text("utf-8").replace('key = "jiaoyu"', 'key = "adhoc-1"')
    with pytest.raises(PlanError):
        read_plan(_write(tmp_path, text))


def test_undo_withdraws_the_item_and_its_number_is_not_reused(town: Any, c: Context) -> None:
    first = add(town, c, req())
    [undone] = actions.undo(town, c)
    assert (undone.uid, undone.status) == (first.uid, "withdrawn")
    assert first.uid not in [t.uid for t in query_tasks(town, TaskFilter(), TODAY)]
    assert add(town, c, req()).uid == "town-2020/zg/adhoc-2"
    started = add(town, c, req())
    actions.start(town, Context(c.db_path, TODAY, "someone", "en"), [started.uid])
    with pytest.raises(Refused):  # c's last change, the add of adhoc-3, was built on since
        actions.undo(town, c)
    assert get_task(town, started.uid).status == "doing"


def test_a_managed_database_checks_the_role_and_scope(town: Any, c: Context) -> None:
    from tracker.domain.people import Role
    from tracker.store.people import NewPerson, add_person

    admin = Context(c.db_path, date.today(), "admin", "en")
    add_person(town, admin, NewPerson("admin", Role.ADMIN))  # the first person: an admin
    add_person(town, admin, NewPerson("staff", Role.STAFF, ("v1",)))
    add_person(town, admin, NewPerson("督办", Role.VERIFIER, ("v1",)))
    with pytest.raises(Refused) as e:
        staff = Context(c.db_path, date.today(), "staff", "en")
        add(town, staff, req(due=date(2020, 5, 29), campaign="bs"))
    assert "may not do this" in e.value.render("en")
    verifier = Context(c.db_path, date.today(), "督办", "en")
    with pytest.raises(Refused) as e:
        add(town, verifier, req(owner="v2", due=date(2020, 5, 29), campaign="bs"))
    assert "outside" in e.value.render("en") and "v2" in e.value.render("en")
    assert add(town, verifier, req(due=date(2020, 5, 29), campaign="bs")).owner == "v1"
