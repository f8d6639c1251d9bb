"""Deadlines as an iCalendar file (RFC 5545) that a phone calendar imports or subscribes to.

One all-day event per open task on its deadline: the task's uid is the event's ``UID`` (so a
re-import or a refreshed subscription updates events instead of doubling them), its revision
the ``SEQUENCE``, the unit and its 责任领导 in the description, and an alarm at 9:00 three
working days before (by the plan's calendar, 调休 included). ``REFRESH-INTERVAL`` (RFC 7986,
``VALUE=DURATION``) and ``X-PUBLISHED-TTL`` tell subscribing clients to fetch it twice a day.

``calendar_for_person`` is what ``tracker serve`` hands a signed-in person as their feed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker import i18n
from tracker.domain import Task
from tracker.errors import BadInput
from tracker.notify.digest import Workdays
from tracker.present.safe import terminal, terminal_block
from tracker.store import reminders
from tracker.store.db import Store
from tracker.store.people import find_person, scope
from tracker.store.reminders import UnitInfo

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//tracker//deadlines//ZH"
REFRESH = timedelta(hours=12)
ALARM_WORKDAYS = 3
ALARM_HOUR = 9


def _stamp(text: str | None, fallback: datetime) -> datetime:
    """A stored local timestamp as UTC (``DTSTAMP`` must be UTC); ``fallback`` if unreadable."""
    try:
        found = datetime.fromisoformat(str(text))
    except ValueError:
        return fallback
    try:
        return found.astimezone(UTC)
    except (OverflowError, OSError, ValueError):  # out of the platform's time range
        return fallback


def _description(t: Task, unit: UnitInfo | None, today: date, lang: str) -> str:
    leader = t.leader or (unit.leader if unit else None)
    status = i18n.status_label(t.status, lang)
    if t.is_overdue(today.isoformat()):
        status = i18n.t("notify.ics.overdue", lang, status=status)
    lines = [
        i18n.t("notify.ics.unit", lang, unit=terminal(t.owner_name or t.owner)),
        i18n.t("notify.ics.leader", lang, leader=terminal(leader or "—")),
        i18n.t("notify.ics.campaign", lang, campaign=terminal(t.campaign_name or t.campaign)),
        i18n.t("notify.ics.status", lang, status=status),
        i18n.t("notify.ics.task", lang, id=t.id, uid=terminal(t.uid)),
    ]
    if t.notes:
        lines += ["", terminal_block(t.notes)]
    return "\n".join(lines)


def _event(t: Task, unit: UnitInfo | None, days: Workdays, lang: str, now: datetime) -> Event:
    from icalendar import Alarm, Event

    due = date.fromisoformat(t.due)
    e = Event()
    e.add("uid", t.uid)
    e.add("dtstamp", _stamp(t.updated_at, now))
    e.add("last-modified", _stamp(t.updated_at, now))
    e.add("sequence", max(0, int(t.rev)))
    e.add("dtstart", due)
    e.add("dtend", due + timedelta(days=1))
    e.add("summary", terminal(t.title))
    e.add("description", _description(t, unit, days.today, lang))
    e.add("categories", [terminal(t.campaign_name or t.campaign)])
    e.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
    before = days.cal(t.plan).add_workdays(due, -ALARM_WORKDAYS)
    if before is not None:
        a = Alarm()
        a.add("action", "DISPLAY")
        a.add(
            "description",
            i18n.t("notify.ics.alarm", lang, n=ALARM_WORKDAYS, title=terminal(t.title)),
        )
        # relative to the event's start (midnight of the deadline): 9:00 on that working day
        a.add("trigger", timedelta(days=-(due - before).days, hours=ALARM_HOUR))
        e.add_component(a)
    return e


def build_calendar(
    db: Store, tasks: Iterable[Task], today: date, *, name: str, lang: str = "zh"
) -> bytes:
    """An ``.ics`` file of ``tasks`` (their open ones), named ``name``."""
    from icalendar import Calendar, vDuration

    days = Workdays(reminders.plan_calendars(db), today)
    tree = {(u.plan, u.key): u for u in reminders.units(db)}
    now = datetime.combine(today, datetime.min.time(), UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", terminal(name))
    cal.add("x-wr-calname", terminal(name))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))  # the same, for Outlook and Google
    for t in tasks:
        if t.is_open:
            cal.add_component(_event(t, tree.get((t.plan, t.owner)), days, lang, now))
    data: bytes = cal.to_ical()
    return data


def _name(db: Store, lang: str, who: str | None = None) -> str:
    titles = sorted(reminders.plan_titles(db).values())
    what = "、".join(titles) if lang == "zh" else ", ".join(titles)
    if who:
        return i18n.t("notify.ics.name_for", lang, who=who, plans=what)
    return i18n.t("notify.ics.name", lang, plans=what)


def check_unit(db: Store, unit: str) -> UnitInfo:
    """The unit ``unit`` names (a key, or a name), or ``BadInput`` with the nearest key."""
    import difflib

    found = reminders.units(db)
    for u in found:
        if unit in (u.key, u.name):
            return u
    keys = sorted({u.key for u in found})
    near = difflib.get_close_matches(unit, keys, n=1, cutoff=0.5)
    if near:
        raise BadInput("notify.unknown_owner_near", unit=terminal(unit), near=near[0])
    raise BadInput("notify.unknown_owner", unit=terminal(unit))


def calendar_for_owner(db: Store, owner: str | None, today: date, *, lang: str = "zh") -> bytes:
    """The open tasks of ``owner`` and the units below it (every unit when ``None``)."""
    from tracker.store.query import owner_units

    tasks = reminders.open_tasks(db)
    name = _name(db, lang)
    if owner is not None:
        unit = check_unit(db, owner)
        below = {
            (u.plan, k)
            for u in reminders.units(db)
            if u.key == unit.key
            for k in owner_units(db, u.plan, u.key)
        }
        tasks = [t for t in tasks if (t.plan, t.owner) in below]
        name = _name(db, lang, unit.name)
    return build_calendar(db, tasks, today, name=name, lang=lang)


def calendar_for_person(db: Store, name: str, today: date, *, lang: str = "zh") -> bytes:
    """A person's feed: the open tasks of their units and the units below (every task for a
    person with no unit). ``BadInput`` for a name not in the roster."""
    person = find_person(db, name.strip())
    if person is None:
        raise BadInput("notify.unknown_person", name=terminal(name))
    covered = scope(db, person)
    tasks = [t for t in reminders.open_tasks(db) if covered.covers(t.plan, t.owner)]
    return build_calendar(db, tasks, today, name=_name(db, lang, person.name), lang=lang)
