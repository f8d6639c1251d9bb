"""Generate a synthetic county plan (plan-format.md, version 1) at a chosen scale.

    python benchmarks/generate.py --scale 100k -o benchmarks/work/plan-100k.toml
    python benchmarks/generate.py --instances 25000 -o /tmp/plan.toml --edit-percent 1

The plan is a county (县委县政府) with 20 county bureaus, 24 towns and 259 villages (groups
``bureaus``, ``towns``, ``villages``), four campaigns of 2020 (spring, summer, autumn, winter,
the last one running into January 2021), and task templates that fan out over the groups with
``every = "week"`` / ``"2 weeks"`` / ``"month"`` recurrence, ``dates = [...]`` lists, one-off
tasks, ``target``/``unit``, ``support``, ``after``, tags and priorities.

The generator counts the instances each template expands to by the rules of plan-format.md
(one per owner per nominal day in the window), so it knows the plan's size without the plan
engine; ``run.py`` checks that count against ``tracker check``. Output is deterministic for a
given seed and size.

``--edit-percent P`` also writes ``<name>-edited.toml``: the same plan with P% of the templates
edited the way a planner revises a plan mid-year (titles reworded, due dates moved), for the
reload benchmark.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import sys
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

SCALES = {"10k": 10_000, "100k": 100_000, "500k": 500_000}
PLAN_ID = "bench-county-2020"
DEFAULT_SEED = 20200415

# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------

BUREAUS = [
    ("fpb", "县扶贫办", "李明"),
    ("jiwei", "县纪委监委", "赵刚"),
    ("czj", "县财政局", "钱伟"),
    ("jyj", "县教育局", "孙丽"),
    ("wjj", "县卫健局", "周强"),
    ("zjj", "县住建局", "吴军"),
    ("nyj", "县农业农村局", "郑华"),
    ("slj", "县水利局", "王磊"),
    ("jtj", "县交通运输局", "冯涛"),
    ("rsj", "县人社局", "陈静"),
    ("mzj", "县民政局", "褚鹏"),
    ("ybj", "县医保局", "卫敏"),
    ("zrj", "县自然资源局", "蒋勇"),
    ("sthj", "县生态环境局", "沈洁"),
    ("swj", "县商务局", "韩斌"),
    ("wlj", "县文旅局", "杨帆"),
    ("lyj", "县林业局", "朱林"),
    ("sjj", "县审计局", "秦岚"),
    ("tjj", "县统计局", "尤瑞"),
    ("gaj", "县公安局", "许辉"),
]

TOWN_STEMS = [
    "城关", "石桥", "龙泉", "白沙", "青山", "柳河", "马坪", "金竹", "新华", "太平", "永安", "双河",
    "清水", "黄土", "桃源", "凤凰", "高桥", "长岭", "东岳", "西坝", "南山", "北塘", "红旗", "兴隆",
]  # fmt: skip
VILLAGE_STEMS = [
    "东风", "红星", "光明", "胜利", "和平", "向阳", "团结", "建设", "幸福", "富民", "联合", "前进",
    "先锋", "新农", "长青", "丰收", "同心", "民主", "友谊", "五星", "杨柳", "荷花", "梨园", "枫林",
]  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志飞鹏"

N_TOWNS = 24
N_VILLAGES = 259


@dataclass(frozen=True)
class UnitDef:
    key: str
    name: str
    leader: str | None
    parent: str | None


def build_units(rng: random.Random) -> tuple[list[UnitDef], dict[str, list[str]]]:
    """County → 20 bureaus, 24 towns → 259 villages (19 towns with 11, 5 with 10)."""

    def person() -> str:
        return (
            rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        )

    units = [UnitDef("county", "县委县政府", "县长" + person(), None)]
    bureaus, towns, villages = [], [], []
    for key, name, leader in BUREAUS:
        units.append(UnitDef(key, name, leader, "county"))
        bureaus.append(key)
    per_town = [11] * 19 + [10] * 5
    assert sum(per_town) == N_VILLAGES and len(per_town) == N_TOWNS
    for t, stem in enumerate(TOWN_STEMS, start=1):
        tkey = f"t{t:02d}"
        suffix = "镇" if t % 3 else "乡"
        units.append(UnitDef(tkey, stem + suffix, person(), "county"))
        towns.append(tkey)
        for v in range(1, per_town[t - 1] + 1):
            vkey = f"{tkey}-v{v:02d}"
            vname = stem + VILLAGE_STEMS[(t * 7 + v) % len(VILLAGE_STEMS)] + "村"
            units.append(UnitDef(vkey, vname, person(), tkey))
            villages.append(vkey)
    groups = {"bureaus": bureaus, "towns": towns, "villages": villages}
    return units, groups


# ---------------------------------------------------------------------------------------------
# Campaigns and recurrence counting
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignDef:
    key: str
    name: str
    start: date
    end: date


CAMPAIGNS = [
    CampaignDef("spring", "春季攻势", date(2020, 2, 1), date(2020, 4, 30)),
    CampaignDef("summer", "夏季提升", date(2020, 5, 1), date(2020, 7, 31)),
    CampaignDef("autumn", "秋季巩固", date(2020, 8, 1), date(2020, 10, 31)),
    CampaignDef("winter", "冬季决战", date(2020, 11, 1), date(2021, 1, 31)),
]

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def weekly_days(start: date, end: date, on: str, step: int = 1) -> list[date]:
    """Every ``on`` weekday in ``start..end``; with ``step = 2`` every second one from the first."""
    wd = WEEKDAYS.index(on)
    first = start + timedelta(days=(wd - start.weekday()) % 7)
    days = []
    d = first
    while d <= end:
        days.append(d)
        d += timedelta(days=7 * step)
    return days


def monthly_days(start: date, end: date, on: int | str) -> int:
    """How many months of ``start..end`` have their nominal day inside the window.

    ``"last"`` (the last working day) is only used on windows made of whole months, where every
    month counts: a whole month always holds its last working day.
    """
    n = 0
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        last = calendar.monthrange(y, m)[1]
        if on == "last":
            if start <= date(y, m, 1) and date(y, m, last) <= end:
                n += 1
            else:
                raise ValueError("on = 'last' is only generated for whole-month windows")
        else:
            assert isinstance(on, int)
            if start <= date(y, m, min(on, last)) <= end:
                n += 1
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return n


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------

ACTIVITIES = [
    "开展“五清一改”村庄清洁行动", "排查建档立卡贫困户“两不愁三保障”", "召开脱贫攻坚调度会",
    "开展控辍保学劝返复学", "落实家庭医生签约服务", "排查农村危房改造", "检查饮水安全工程",
    "组织产业扶贫项目验收", "开展就业扶贫专项行动", "核查低保兜底对象", "推进农村人居环境整治",
    "开展防返贫动态监测", "整改巡视反馈问题", "开展扶贫资金专项审计", "更新扶贫信息系统数据",
    "开展驻村工作队轮训", "推进消费扶贫", "落实小额信贷政策", "检查易地扶贫搬迁后续扶持",
    "开展森林防火巡查", "开展安全生产大检查", "推进农村公路建设", "组织春耕备耕",
    "开展秸秆禁烧巡查", "开展防汛抗旱演练", "收集群众意见建议", "开展“四议两公开”", "组织党员冬训",
    "走访慰问困难群众",
    "开展“回头看”", "核实监测户收入", "开展医保参保动员", "组织技能培训", "推进光伏扶贫电站运维",
]  # fmt: skip
TAGS = ["整改", "督查", "民生", "产业", "安全", "党建", "环境", "教育", "医疗", "数据"]
TARGET_UNITS = ["户", "个", "公里", "人", "%", "场"]


@dataclass
class TemplateDef:
    """One ``[[campaign.task]]`` with everything needed to write and to count it."""

    campaign: str
    key: str
    title: str
    owner: str | None = None
    each: str | None = None
    every: str | None = None
    on: str | int | None = None
    dates: list[str] = field(default_factory=list)
    start: str | None = None
    due: str | None = None
    support: list[str] = field(default_factory=list)
    leader: str | None = None
    target: int | None = None
    unit: str | None = None
    tags: list[str] = field(default_factory=list)
    priority: str | None = None
    notes: str | None = None
    after: list[str] = field(default_factory=list)
    count: int = 0  # instances it expands to


# name, fan-out (group or None for a single owner), recurrence, weight
KINDS: list[tuple[str, str | None, str, float]] = [
    ("once-bureau", None, "once", 10),
    ("once-towns", "towns", "once", 6),
    ("once-villages", "villages", "once", 4),
    ("once-bureaus", "bureaus", "once", 3),
    ("dates-single", None, "dates", 3),
    ("dates-towns", "towns", "dates", 3),
    ("dates-villages", "villages", "dates", 3),
    ("month-single", None, "month", 3),
    ("month-towns", "towns", "month", 3),
    ("month-villages", "villages", "month", 4),
    ("month-bureaus", "bureaus", "month", 2),
    ("2weeks-towns", "towns", "2 weeks", 2),
    ("2weeks-villages", "villages", "2 weeks", 2),
    ("week-single", None, "week", 3),
    ("week-towns", "towns", "week", 3),
    ("week-bureaus", "bureaus", "week", 2),
    ("week-villages", "villages", "week", 4),
]


def _count(t: TemplateDef, camp: CampaignDef, groups: dict[str, list[str]]) -> int:
    owners = len(groups[t.each]) if t.each else 1
    if t.every == "week":
        periods = len(weekly_days(camp.start, camp.end, str(t.on or "fri")))
    elif t.every == "2 weeks":
        periods = len(weekly_days(camp.start, camp.end, str(t.on or "fri"), step=2))
    elif t.every == "month":
        periods = monthly_days(camp.start, camp.end, t.on if t.on is not None else "last")
    elif t.dates:
        periods = len(t.dates)
    else:
        periods = 1
    return owners * periods


def _mmdd(d: date) -> str:
    return f"{d.month:02d}-{d.day:02d}"


def make_template(
    rng: random.Random,
    kind: tuple[str, str | None, str, float],
    camp: CampaignDef,
    index: int,
    groups: dict[str, list[str]],
    previous: list[str],
) -> TemplateDef:
    """A template of the given kind; only windows whose counting is unambiguous are used."""
    name, fan, rec, _ = kind
    activity = ACTIVITIES[(index * 7 + len(previous)) % len(ACTIVITIES)]
    key = f"{name}-{index:04d}"
    t = TemplateDef(campaign=camp.key, key=key, title=activity)
    if fan:
        t.each = fan
        t.title = "{unit}" + activity
    else:
        t.owner = rng.choice(groups["bureaus"])
        if rng.random() < 0.3:
            t.support = rng.sample(groups["bureaus"], 2)
            if t.owner in t.support:
                t.support.remove(t.owner)
    if rec in ("week", "2 weeks"):
        t.every = rec
        if rng.random() < 0.4:
            t.on = rng.choice(["mon", "wed", "thu"])
        t.title += "（{period}）"
    elif rec == "month":
        t.every = "month"
        t.on = rng.choice(["last", 15, 20, 25, 10])
        t.title += "（{period}）"
    elif rec == "dates":
        span = (camp.end - camp.start).days
        n = rng.randint(2, 5)
        offsets = sorted(rng.sample(range(5, span - 5), n))
        t.dates = [_mmdd(camp.start + timedelta(days=o)) for o in offsets]
    else:  # once
        t.due = rng.choice(["end", "end - 5d", "start + 3w", "start + 1m", "end - 2wd"])
        if t.due.startswith("start") and rng.random() < 0.3:
            t.start = "start + 3d"
    if rng.random() < 0.2:
        t.target = rng.choice([5, 10, 20, 50, 100, 119, 300])
        t.unit = rng.choice(TARGET_UNITS)
    if rng.random() < 0.5:
        t.tags = rng.sample(TAGS, rng.randint(1, 2))
    if rng.random() < 0.2:
        t.priority = rng.choice(["high", "low"])
    if rng.random() < 0.15:
        t.notes = "明确任务书、路线图、时间表和责任单位、责任领导"
    if rng.random() < 0.1 and not fan:
        t.leader = "分管副县长"
    if previous and rng.random() < 0.1:
        t.after = [rng.choice(previous[-20:])]
    t.count = _count(t, camp, groups)
    return t


def build_templates(
    rng: random.Random, target: int, groups: dict[str, list[str]]
) -> list[TemplateDef]:
    """Draw templates by weight until each campaign holds a quarter of ``target`` instances.

    Once a campaign's remainder is smaller than the templates drawn for it, single-owner
    one-off tasks (one instance each) fill it, so the plan lands on ``target`` exactly.
    """
    weights = [k[3] for k in KINDS]
    templates: list[TemplateDef] = []
    i = 0
    for c, camp in enumerate(CAMPAIGNS):
        budget = target // len(CAMPAIGNS) + (target % len(CAMPAIGNS) if c == 0 else 0)
        keys: list[str] = []
        total = 0
        misses = 0
        while total < budget and misses < 50:
            kind = rng.choices(KINDS, weights)[0]
            t = make_template(rng, kind, camp, i, groups, keys)
            if total + t.count > budget:
                misses += 1
                continue
            templates.append(t)
            keys.append(t.key)
            total += t.count
            i += 1
        while total < budget:
            t = make_template(rng, KINDS[0], camp, i, groups, keys)
            templates.append(t)
            keys.append(t.key)
            total += t.count
            i += 1
    return templates


def edit_templates(
    templates: list[TemplateDef], percent: float, seed: int, groups: dict[str, list[str]]
) -> tuple[list[TemplateDef], int]:
    """A copy with ``percent``% of the templates revised: title reworded, due dates moved.

    One-off tasks get a new ``due``; weekly ones move to another weekday and monthly ones to
    another day of the month (same periods, so the same uids, new due dates); ``dates`` lists
    only change their title, since moving a listed date changes its uid.
    """
    rng = random.Random(seed + 1)
    n = max(1, math.ceil(len(templates) * percent / 100))
    chosen = set(rng.sample(range(len(templates)), n))
    by_key = {c.key: c for c in CAMPAIGNS}
    out = []
    for i, t in enumerate(templates):
        if i not in chosen:
            out.append(t)
            continue
        e = replace(t, title=t.title.replace("开展", "深入开展", 1) + "（修订）")
        if e.every in ("week", "2 weeks"):
            e.on = "tue" if (e.on or "fri") != "tue" else "wed"
        elif e.every == "month":
            e.on = 5 if e.on != 5 else 12
        elif not e.dates:
            e.due = "end - 10d" if e.due != "end - 10d" else "end - 3d"
            e.start = None
        e.count = _count(e, by_key[e.campaign], groups)
        out.append(e)
    return out, n


# ---------------------------------------------------------------------------------------------
# A nominal expansion (no working-day calendar), for tests of the harness without the engine
# ---------------------------------------------------------------------------------------------


def _resolve(expr: str, start: date, end: date) -> date:
    """``start``/``end`` ± ``Nd``/``Nw``/``Nm``/``Nwd`` (``wd`` counted as weekdays)."""
    base, _, rest = expr.partition(" ")
    d = start if base == "start" else end
    if not rest:
        return d
    sign = -1 if rest.startswith("-") else 1
    amount = rest[1:].strip()
    n = int(amount.rstrip("dwm"))
    if amount.endswith("wd"):
        step = timedelta(days=sign)
        while n:
            d += step
            if d.weekday() < 5:
                n -= 1
        return d
    if amount.endswith("w"):
        return d + timedelta(weeks=sign * n)
    if amount.endswith("m"):
        m = d.month - 1 + sign * n
        y, m = d.year + m // 12, m % 12 + 1
        return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
    return d + timedelta(days=sign * n)


def _last_weekday(y: int, m: int) -> date:
    d = date(y, m, calendar.monthrange(y, m)[1])
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def nominal_instances(templates: list[TemplateDef], groups: dict[str, list[str]]) -> list[dict]:
    """Instances with their nominal due days (no holiday shifting): uid, title, owner, due …

    Only for exercising the Taskwarrior harness before the plan engine exists; the benchmark
    itself takes its instances from the tracker database.
    """
    by_key = {c.key: c for c in CAMPAIGNS}
    out: list[dict] = []
    for t in templates:
        camp = by_key[t.campaign]
        start = _resolve(t.start, camp.start, camp.end) if t.start else camp.start
        periods: list[tuple[str | None, date]] = []
        if t.every in ("week", "2 weeks"):
            step = 2 if t.every == "2 weeks" else 1
            for d in weekly_days(camp.start, camp.end, str(t.on or "fri"), step):
                iso = d.isocalendar()
                periods.append((f"{iso.year}-W{iso.week:02d}", d))
        elif t.every == "month":
            y, m = camp.start.year, camp.start.month
            while (y, m) <= (camp.end.year, camp.end.month):
                last = calendar.monthrange(y, m)[1]
                if t.on in (None, "last"):
                    d = _last_weekday(y, m)
                else:
                    d = date(y, m, min(int(t.on), last))
                if camp.start <= d <= camp.end:
                    periods.append((f"{y}-{m:02d}", d))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        elif t.dates:
            for md in t.dates:
                mm, dd = (int(x) for x in md.split("-"))
                d = date(camp.start.year, mm, dd)
                if d < camp.start:
                    d = date(camp.start.year + 1, mm, dd)
                periods.append((d.isoformat(), d))
        else:
            due = camp.end
            if t.due:
                due = _resolve(t.due.replace("start", "start", 1), start, camp.end)
            periods.append((None, due))
        owners = groups[t.each] if t.each else [t.owner or ""]
        for owner in owners:
            for period, due in periods:
                uid = f"{PLAN_ID}/{t.campaign}/{t.key}"
                if t.each:
                    uid += f"/{owner}"
                if period:
                    uid += f"/{period}"
                out.append(
                    {
                        "uid": uid,
                        "campaign": t.campaign,
                        "task_key": t.key,
                        "title": t.title.replace("{unit}", owner).replace("{period}", period or ""),
                        "owner": owner,
                        "due": due.isoformat(),
                        "tags": list(t.tags),
                        "priority": t.priority or "normal",
                        "status": "todo",
                        "done_at": None,
                    }
                )
    return out


# ---------------------------------------------------------------------------------------------
# TOML output
# ---------------------------------------------------------------------------------------------


def q(s: str) -> str:
    """A TOML basic string (JSON escaping is valid TOML for these characters)."""
    return json.dumps(s, ensure_ascii=False)


def qlist(items: list[str]) -> str:
    return "[" + ", ".join(q(x) for x in items) + "]"


def render_plan(
    units: list[UnitDef], groups: dict[str, list[str]], templates: list[TemplateDef]
) -> str:
    out = [
        "# Synthetic county plan for the benchmarks (benchmarks/generate.py). Do not edit.",
        "[plan]",
        f"id = {q(PLAN_ID)}",
        'title = "基准测试县2020年脱贫攻坚工作计划"',
        "year = 2020",
        'calendar = "cn"',
        'due_shift = "before"',
        "",
    ]
    for u in units:
        out.append(f"[units.{u.key}]")
        out.append(f"name = {q(u.name)}")
        if u.leader:
            out.append(f"leader = {q(u.leader)}")
        if u.parent:
            out.append(f"parent = {q(u.parent)}")
        out.append("")
    out.append("[groups]")
    for g, members in groups.items():
        out.append(f"{g} = {qlist(members)}")
    out.append("")
    for camp in CAMPAIGNS:
        out += [
            "[[campaign]]",
            f"key = {q(camp.key)}",
            f"name = {q(camp.name)}",
            f"start = {camp.start.isoformat()}",
            f"end = {camp.end.isoformat()}",
            "",
        ]
        for t in templates:
            if t.campaign != camp.key:
                continue
            out.append("  [[campaign.task]]")
            out.append(f"  key = {q(t.key)}")
            out.append(f"  title = {q(t.title)}")
            if t.owner:
                out.append(f"  owner = {q(t.owner)}")
            if t.each:
                out.append(f"  each = {q(t.each)}")
            if t.support:
                out.append(f"  support = {qlist(t.support)}")
            if t.leader:
                out.append(f"  leader = {q(t.leader)}")
            if t.start:
                out.append(f"  start = {q(t.start)}")
            if t.due:
                out.append(f"  due = {q(t.due)}")
            if t.every:
                out.append(f"  every = {q(t.every)}")
            if t.on is not None:
                out.append(f"  on = {t.on}" if isinstance(t.on, int) else f"  on = {q(t.on)}")
            if t.dates:
                out.append(f"  dates = {qlist(t.dates)}")
            if t.target is not None:
                out.append(f"  target = {t.target}")
                out.append(f"  unit = {q(t.unit or '个')}")
            if t.after:
                out.append(f"  after = {qlist(t.after)}")
            if t.tags:
                out.append(f"  tags = {qlist(t.tags)}")
            if t.priority:
                out.append(f"  priority = {q(t.priority)}")
            if t.notes:
                out.append(f"  notes = {q(t.notes)}")
            out.append("")
    return "\n".join(out)


@dataclass
class Generated:
    """What ``generate`` wrote and what it expects ``tracker check`` to count."""

    path: Path
    instances: int
    templates: int
    units: int
    edited_path: Path | None = None
    edited_instances: int = 0
    edited_templates: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


def build(
    target: int, *, seed: int = DEFAULT_SEED
) -> tuple[list[UnitDef], dict[str, list[str]], list[TemplateDef]]:
    """The units, groups and templates of the plan for about ``target`` instances."""
    rng = random.Random(seed * 1_000_003 + target)
    units, groups = build_units(rng)
    return units, groups, build_templates(rng, target, groups)


def generate(
    target: int, out: Path, *, seed: int = DEFAULT_SEED, edit_percent: float | None = None
) -> Generated:
    """Write the plan for about ``target`` instances to ``out`` (a ``.toml`` file or a directory).

    With ``edit_percent``, also write the edited copy beside it (``*-edited.toml``).
    """
    units, groups, templates = build(target, seed=seed)
    if out.suffix != ".toml":
        out.mkdir(parents=True, exist_ok=True)
        out = out / "plan.toml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_plan(units, groups, templates), encoding="utf-8")
    kinds: dict[str, int] = {}
    for t in templates:
        kind = t.key.rsplit("-", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + t.count
    g = Generated(out, sum(t.count for t in templates), len(templates), len(units), kinds=kinds)
    if edit_percent:
        edited, n = edit_templates(templates, edit_percent, seed, groups)
        epath = out.with_name(out.stem + "-edited.toml")
        epath.write_text(render_plan(units, groups, edited), encoding="utf-8")
        g.edited_path = epath
        g.edited_instances = sum(t.count for t in edited)
        g.edited_templates = n
    return g


def parse_size(text: str) -> int:
    text = text.strip().lower()
    if text in SCALES:
        return SCALES[text]
    mult = 1
    if text.endswith("k"):
        mult, text = 1_000, text[:-1]
    elif text.endswith("m"):
        mult, text = 1_000_000, text[:-1]
    return int(float(text) * mult)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--scale", help="10k, 100k or 500k (or any N, 25k, 1m)")
    size.add_argument("--instances", type=int, help="target number of instances")
    ap.add_argument("-o", "--output", required=True, type=Path, help="a .toml file or a directory")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--edit-percent", type=float, default=None, help="also write an edited copy")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = ap.parse_args(argv)
    target = args.instances if args.instances else parse_size(args.scale)
    g = generate(target, args.output, seed=args.seed, edit_percent=args.edit_percent)
    summary = {
        "path": str(g.path),
        "instances": g.instances,
        "templates": g.templates,
        "units": g.units,
        "by_kind": g.kinds,
    }
    if g.edited_path:
        summary |= {
            "edited_path": str(g.edited_path),
            "edited_templates": g.edited_templates,
            "edited_instances": g.edited_instances,
        }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"{g.path}: {g.instances} instances from {g.templates} templates, {g.units} units")
        if g.edited_path:
            print(
                f"{g.edited_path}: {g.edited_templates} templates edited, "
                f"{g.edited_instances} instances"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
