"""Fan-out, titles, supporting units, dependencies, uids and deterministic order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from plan_helpers import HEAD, campaign, task

from tracker.plan import read_plan
from tracker.plan.model import Expansion

Expand = Callable[[str], Expansion]
SPEC_EXAMPLE = Path(__file__).parent.parent / "fixtures" / "plans" / "spec-example.toml"


def test_each_group_one_instance_per_member(expand: Expand) -> None:
    got = expand(HEAD + campaign() + task(each="abc", title="{unit}自查")).instances
    assert [i.owner for i in got] == ["a", "b", "c"]
    assert [i.title for i in got] == ["A单位自查", "B单位自查", "C单位自查"]
    assert [i.uid for i in got] == ["p/c1/t/a", "p/c1/t/b", "p/c1/t/c"]


def test_each_list_of_units(expand: Expand) -> None:
    got = expand(HEAD + campaign() + task(each=["c", "a"])).instances
    assert [i.uid for i in got] == ["p/c1/t/c", "p/c1/t/a"]


def test_owner_title_unit_placeholder(expand: Expand) -> None:
    (inst,) = expand(HEAD + campaign() + task(owner="b", title="{unit}牵头")).instances
    assert inst.title == "B单位牵头"
    assert inst.uid == "p/c1/t"


def test_fan_out_times_recurrence_uids(expand: Expand) -> None:
    text = HEAD + campaign() + task(each="abc", every="month", title="{unit}月报{period}")
    got = expand(text).instances
    assert len(got) == 9
    assert got[0].uid == "p/c1/t/a/2020-02"
    assert got[0].title == "A单位月报2020-02"
    assert got[-1].uid == "p/c1/t/c/2020-04"
    assert len({i.uid for i in got}) == 9


def test_fan_out_times_dates_uids(expand: Expand) -> None:
    got = expand(HEAD + campaign() + task(each=["a", "b"], dates=["03-10", "04-10"])).instances
    assert [i.uid for i in got] == [
        "p/c1/t/a/2020-03-10",
        "p/c1/t/a/2020-04-10",
        "p/c1/t/b/2020-03-10",
        "p/c1/t/b/2020-04-10",
    ]


def test_leader_defaults_to_owner_units_leader(expand: Expand) -> None:
    got = expand(HEAD + campaign() + task(each="abc")).instances
    assert [i.leader for i in got] == ["甲", None, "丙"]
    got = expand(HEAD + campaign() + task(each="abc", leader="县长")).instances
    assert {i.leader for i in got} == {"县长"}


def test_support_units_and_groups(expand: Expand) -> None:
    (inst,) = expand(HEAD + campaign() + task(owner="a", support=["b", "c"])).instances
    assert inst.support == ("b", "c")
    got = expand(HEAD + campaign() + task(each="abc", support=["abc"])).instances
    assert [i.support for i in got] == [("b", "c"), ("a", "c"), ("a", "b")]


def test_target_unit_priority_tags_notes(expand: Expand) -> None:
    text = (
        HEAD
        + campaign()
        + task(target=119, unit="个行政村", priority="high", tags=["整治"], notes="n")
    )
    (inst,) = expand(text).instances
    assert (inst.target, inst.unit, inst.priority, inst.tags, inst.notes) == (
        119.0,
        "个行政村",
        "high",
        ("整治",),
        "n",
    )


def test_after_references(expand: Expand) -> None:
    text = HEAD + campaign() + task(key="one") + task(key="two", after=["one"])
    text += campaign(key="c2", start="2020-05-01", end="2020-07-31") + task(
        key="x", after=["c1.two", "c1.one"]
    )
    got = {i.task_key + i.campaign: i.after for i in expand(text).instances}
    assert got["twoc1"] == ("c1/one",)
    assert got["xc2"] == ("c1/two", "c1/one")
    assert got["onec1"] == ()


def test_unit_parent_tree(expand: Expand) -> None:
    text = HEAD.replace('name = "B单位"', 'name = "B单位"\nparent = "a"') + campaign() + task()
    assert expand(text).plan.units["b"].parent == "a"


def test_spec_example_expands() -> None:
    exp = read_plan(SPEC_EXAMPLE)
    uids = [i.uid for i in exp.instances]
    assert uids == [
        "xx-county-2020/spring/xunshi-zhenggai",
        "xx-county-2020/spring/cunzhuang-qingjie/town-a",
        "xx-county-2020/spring/cunzhuang-qingjie/town-b",
        "xx-county-2020/spring/renju-zhengzhi",
        "xx-county-2020/spring/diaodu/2020-02",
        "xx-county-2020/spring/diaodu/2020-03",
        "xx-county-2020/spring/diaodu/2020-04",
    ]
    first = exp.instances[0]
    assert first.leader == "王副县长" and first.priority == "high" and first.support == ("fpb",)
    assert exp.instances[3].target == 119 and exp.instances[3].leader == "李明"
    # "start + 3m" is 2020-05-01, Labour Day: moved back to 04-30 and listed
    assert first.due == date(2020, 4, 30)
    assert [m.uid for m in exp.moved] == ["xx-county-2020/spring/xunshi-zhenggai"]
    assert [i.position for i in exp.instances] == list(range(7))


def test_expansion_is_deterministic(write: Callable[..., Path]) -> None:
    text = (
        HEAD + campaign() + task(each="abc", every="week") + task(key="u", dates=["03-01", "02-15"])
    )
    path = write(text)
    a, b = read_plan(path), read_plan(path)
    assert a.instances == b.instances
    assert a.moved == b.moved


def test_directory_merges_files_in_name_order(write: Callable[..., Path], tmp_path: Path) -> None:
    write(HEAD.split("[units.a]")[0], name="d/00-plan.toml")
    write('[units.a]\nname = "A"\n[units.b]\nname = "B"\n', name="d/10-units.toml")
    write('[groups]\nab = ["a", "b"]\n' + campaign(key="k2") + task(each="ab"), name="d/30-b.toml")
    write(campaign(key="k1") + task(owner="a"), name="d/20-a.toml")
    write("not toml, not read", name="d/notes.txt")
    exp = read_plan(tmp_path / "d")
    assert [c.key for c in exp.plan.campaigns] == ["k1", "k2"]
    assert [i.uid for i in exp.instances] == ["p/k1/t", "p/k2/t/a", "p/k2/t/b"]
    assert len(exp.plan.sources) == 4
