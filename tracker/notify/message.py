"""A digest as people read it: markdown for each robot, plain lines for a terminal, JSON.

Everything here is pure: the digest (``digest.py``) and the language in, text out. Every title,
unit and name comes from a plan or a roster someone else wrote, so it passes through
``present.safe`` (``chat`` inside markdown, ``terminal`` on a terminal): a title cannot mention
the whole group (``<@all>``), hide a link or print an escape sequence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker import i18n
from tracker.domain import Person, Status
from tracker.notify.digest import Item, UnitDigest
from tracker.notify.robots import MAX_BYTES, WECOM, Message, dingtalk_payload, wecom_payload
from tracker.present import truncate
from tracker.present.safe import chat, terminal
from tracker.store.db import Store
from tracker.store.query import task_json

#: Tasks listed per section of a chat message before "… and N more".
MAX_ITEMS = 10
TITLE_CELLS = 80
#: An id 企业微信 takes in ``<@ID>``; an id with other characters is not mentioned.
WECOM_ID = re.compile(r"[A-Za-z0-9._@-]{1,64}")

Clean = Callable[[object], str]


def day_text(d: date, today: date, lang: str) -> str:
    """``4月17日`` / ``17 Apr``, with the year when it is not today's."""
    if lang == "zh":
        text = f"{d.month}月{d.day}日"
        return f"{d.year}年{text}" if d.year != today.year else text
    text = f"{d.day} {d.strftime('%b')}"
    return f"{text} {d.year}" if d.year != today.year else text


def item_text(i: Item, today: date, lang: str, clean: Clean) -> str:
    """One task's line: its id, title, deadline and how far off or late it is."""
    t = i.task
    ref = f"#{t.id} {clean(truncate(t.title, TITLE_CELLS))}"
    due = day_text(i.due, today, lang)
    if i.due < today:
        key = "notify.item.overdue" if i.workdays else "notify.item.overdue_weekend"
    else:
        key = "notify.item.today" if i.due == today else "notify.item.soon"
    text = i18n.t(key, lang, ref=ref, due=due, n=i.workdays)
    if t.status != Status.TODO:
        text += i18n.t("notify.item.status", lang, status=i18n.status_label(t.status, lang))
    return text


@dataclass(frozen=True, slots=True)
class Parts:
    """A digest laid out once: the heading, a summary and the sections of task lines."""

    title: str
    summary: str
    sections: list[tuple[str, list[str], int]]  # heading, lines, how many left out
    escalation: str | None


def parts(
    d: UnitDigest, today: date, lang: str, *, within: int, escalate: int, clean: Clean,
    cap: int | None = None,
) -> Parts:  # fmt: skip
    """The digest's text pieces; ``cap`` lists at most that many tasks per section."""
    name = clean(truncate(d.unit_name, 40))
    title = i18n.t("notify.title", lang, unit=name)
    summary = i18n.t(
        "notify.summary",
        lang,
        date=day_text(today, today, lang),
        overdue=len(d.overdue),
        soon=len(d.due_soon),
        within=within,
    )
    sections: list[tuple[str, list[str], int]] = []
    for key, items in (("overdue", d.overdue), ("due_soon", d.due_soon)):
        if not items:
            continue
        shown = items if cap is None else items[:cap]
        lines = [item_text(i, today, lang, clean) for i in shown]
        sections.append(
            (i18n.t(f"notify.sec.{key}", lang, n=within), lines, len(items) - len(shown))
        )
    escalation = None
    if d.escalated:
        names = [clean(truncate(n, 40)) for n in d.leader_titles]
        names += [clean(p.name) for p in d.leaders if p.name not in d.leader_titles]
        who = "、".join(dict.fromkeys(names)) if lang == "zh" else ", ".join(dict.fromkeys(names))
        escalation = i18n.t(
            "notify.escalate" if who else "notify.escalate_nobody",
            lang,
            n=escalate,
            count=len(d.escalated),
            leaders=who,
        )
    return Parts(title, summary, sections, escalation)


def _markdown(p: Parts, channel: str, lang: str) -> str:
    """企业微信 keeps single line breaks and draws ``>`` lines as a quote; 钉钉 needs a blank
    line between paragraphs and draws ``-`` lines as a list."""
    gap = "\n" if channel == WECOM else "\n\n"
    mark = "> " if channel == WECOM else "- "
    blocks = [f"### {p.title}", p.summary]
    for heading, lines, more in p.sections:
        rows = [mark + line for line in lines]
        if more:
            rows.append(mark + i18n.t("notify.more", lang, n=more))
        blocks += [f"**{heading}**", "\n".join(rows)]
    if p.escalation:
        blocks.append(f"**{p.escalation}**")
    return gap.join(blocks)


def wecom_ids(people: list[Person]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.wecom for p in people if p.wecom and WECOM_ID.fullmatch(p.wecom)))


def mobiles(people: list[Person]) -> tuple[str, ...]:
    """Phones as 钉钉 takes them: digits only, without a +86 / 0086 prefix."""
    out: list[str] = []
    for p in people:
        digits = re.sub(r"\D", "", p.phone or "")
        for prefix in ("0086", "86"):
            if len(digits) == len(prefix) + 11 and digits.startswith(prefix):
                digits = digits[len(prefix) :]
        if 5 <= len(digits) <= 15:
            out.append(digits)
    return tuple(dict.fromkeys(out))


def _size(channel: str, m: Message) -> int:
    """The bytes of the markdown as the robot counts them (its limit is on that text)."""
    if channel == WECOM:
        return len(str(wecom_payload(m)["markdown"]["content"]).encode())
    return len(str(dingtalk_payload(m)["markdown"]["text"]).encode())


def chat_message(
    d: UnitDigest, channel: str, today: date, lang: str, *, within: int, escalate: int
) -> Message:
    """The digest as one robot message, shortened (fewer tasks listed) to fit its limit."""
    label = f"{terminal(d.unit_name)} ({d.unit})"  # for the terminal's report of the run
    people = d.mention
    ids, phones = wecom_ids(people), mobiles(people)
    for cap in (MAX_ITEMS, 6, 3, 1, 0):
        p = parts(d, today, lang, within=within, escalate=escalate, clean=chat, cap=cap)
        m = Message(d.unit, label, p.title, _markdown(p, channel, lang), ids, phones)
        if _size(channel, m) <= MAX_BYTES:
            break
    return m


def text_lines(d: UnitDigest, today: date, lang: str, *, within: int, escalate: int) -> list[str]:
    """The digest for a terminal (``--to stdout``): every task, nothing left out."""
    p = parts(d, today, lang, within=within, escalate=escalate, clean=terminal)
    label = i18n.t("notify.label", lang, unit=terminal(d.unit_name), key=d.unit)
    lines = [i18n.t("notify.unit_line", lang, label=label, summary=p.summary)]
    for heading, rows, _ in p.sections:
        lines.append(f"  {heading}")
        lines += [f"    {row}" for row in rows]
    if p.escalation:
        lines.append(f"  {p.escalation}")
    if d.mention:
        sep = "、" if lang == "zh" else ", "
        names = sep.join(terminal(x.name) for x in d.mention)
        lines.append("  " + i18n.t("notify.mention", lang, names=names))
    return lines


def digest_json(d: UnitDigest, today: date, db: Store) -> dict[str, Any]:
    """``{"unit", "unit_name", "due_soon", "overdue", "mention", "escalated"}`` (cli-v2.md):
    the lists hold task objects; ``mention`` the names of the people mentioned; ``escalated``
    the ids of the tasks overdue past the escalation threshold."""
    return {
        "unit": d.unit,
        "unit_name": d.unit_name,
        "due_soon": [task_json(i.task, today, db) for i in d.due_soon],
        "overdue": [task_json(i.task, today, db) for i in d.overdue],
        "mention": [p.name for p in d.mention],
        "escalated": [i.task.id for i in d.escalated],
    }
