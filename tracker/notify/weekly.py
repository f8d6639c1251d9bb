"""Page one of the 周报 as one robot message (``tracker report weekly --to wecom|dingtalk``).

Neither robot draws Markdown tables, so page one (the headline, the summary figures against
last week, the campaigns, the 红黑榜 and the size of the lists) is laid out as quoted lines
(企业微信) or list items (钉钉). The figures are the report's own tables (``report.sections``):
the message says what the printed report says.
"""

from __future__ import annotations

from tracker import i18n
from tracker.notify.robots import WECOM, Message
from tracker.present.safe import chat
from tracker.report.sections import Table, cell_text, headline, sections, subline
from tracker.report.weekly import WeeklyReport


def _summary_lines(t: Table, lang: str) -> list[str]:
    out = []
    for label, now, before, change in t.rows:
        out.append(
            i18n.t(
                "notify.report.figure",
                lang,
                label=label,
                now=cell_text(now),
                before=cell_text(before),
                change=cell_text(change),
            )
        )
    return out


def _campaign_lines(t: Table, lang: str) -> list[str]:
    out = []
    for name, _window, tasks, due, done, overdue, rate in t.rows:
        out.append(
            i18n.t(
                "notify.report.campaign",
                lang,
                name=chat(name),
                tasks=cell_text(tasks),
                due=cell_text(due),
                done=cell_text(done),
                overdue=cell_text(overdue),
                rate=cell_text(rate),
            )
        )
    return out


def _ranked(t: Table, lang: str) -> str:
    names = [chat(row[1]) for row in t.rows]
    if not names:
        return i18n.t("report.none", lang)
    return ("、" if lang == "zh" else ", ").join(names)


def page_one(r: WeeklyReport, lang: str, channel: str) -> Message:
    """The report's page one as a message for ``channel``."""
    tables = {t.key: t for t in sections(r, lang)}
    gap = "\n" if channel == WECOM else "\n\n"
    mark = "> " if channel == WECOM else "- "
    blocks = [f"### {chat(headline(r, lang))}", chat(subline(r, lang))]
    blocks += [
        f"**{tables['summary'].title}**",
        "\n".join(mark + line for line in _summary_lines(tables["summary"], lang)),
    ]
    if tables["campaigns"].rows:
        blocks += [
            f"**{tables['campaigns'].title}**",
            "\n".join(mark + line for line in _campaign_lines(tables["campaigns"], lang)),
        ]
    for key in ("red", "black"):
        title = tables[key].title
        blocks.append(
            i18n.t("notify.report.ranked", lang, title=title, names=_ranked(tables[key], lang))
        )
    blocks.append(
        i18n.t(
            "notify.report.lists",
            lang,
            overdue=r.counts.get("overdue", len(r.overdue)),
            next=r.counts.get("due_next_week", len(r.due_next_week)),
            blocked=r.counts.get("blocked", len(r.blocked)),
        )
    )
    title = chat(headline(r, lang))
    key = f"report:{r.plan}:{r.week}"
    label = f"{r.plan} {r.week}"
    return Message(key, label, title, gap.join(blocks))
