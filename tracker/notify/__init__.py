"""Reminders (催办) and calendar files: deadlines that reach people where they are.

``digest`` builds per-unit digests (due within N working days by the plan's calendar, and
overdue, with escalation to the 责任领导); ``message`` lays them out for a terminal, JSON and
each robot; ``robots`` posts to 企业微信 and 钉钉 group robots over the standard library;
``send`` paces the posts and keeps the sent-log; ``weekly`` is page one of the 周报 as one
message; ``ics`` writes iCalendar files (``calendar_for_person`` for ``tracker serve``).

A core package: no typer, rich or textual; SQL only through ``tracker.store``.
"""

from __future__ import annotations

from tracker.notify.ics import calendar_for_person

__all__ = ["calendar_for_person"]
