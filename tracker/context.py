"""Who is acting, when, where and in which language: resolved once per command.

``--today`` replays a past season: changes made under it are stamped with that date and the
current time of day (cli.md), so ``now()`` is the single clock every layer uses.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from tracker import i18n
from tracker.domain.bounds import MAX_YEAR, MIN_YEAR, date_ok
from tracker.errors import BadInput


def parse_iso_date(value: str) -> date:
    """An ISO date within the supported years (``tracker.domain.bounds``), or ``BadInput``
    naming the value."""
    try:
        found = date.fromisoformat(value.strip())
    except ValueError as e:
        raise BadInput("error.bad_date", value=value[:80]) from e
    return check_date(found, value)


def parse_day(value: str, today: date) -> date:
    """A date as staff write it: ISO ``2020-04-30``, or ``04-30`` / ``4-30`` as in plans, which
    means the first such day on or after ``today`` (``BadInput`` naming the value)."""
    text = value.strip()
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", text)
    if m is None:
        return parse_iso_date(text)
    month, day = int(m.group(1)), int(m.group(2))
    for year in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
        try:
            found = date(year, month, day)
        except ValueError:
            continue  # 02-29 outside a leap year: the next one
        if found >= today:
            return check_date(found, value)
    raise BadInput("error.bad_date", value=value[:80])


def check_date(found: date, value: object) -> date:
    """``found`` if it lies in the supported years, else ``BadInput`` naming ``value``."""
    if not date_ok(found):
        raise BadInput("safety.date_range", value=str(value)[:80], low=MIN_YEAR, high=MAX_YEAR)
    return found


def default_user() -> str:
    """The login name, falling back to the environment when there is no passwd entry."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


@dataclass(slots=True)
class Context:
    """The global options of one invocation (cli.md, Global options)."""

    db_path: Path = field(default_factory=lambda: Path("tracker.db"))
    today: date = field(default_factory=date.today)
    user: str = field(default_factory=default_user)
    lang: str = field(default_factory=i18n.default_lang)

    def now(self) -> datetime:
        """Today's date (possibly ``--today``) with the real time of day, to the second."""
        clock = datetime.now().time().replace(microsecond=0)
        return datetime.combine(self.today, clock)

    def real_now(self) -> datetime:
        """The wall clock, whatever ``--today`` says: recorded beside every change."""
        return datetime.now().replace(microsecond=0)

    def t(self, key: str, /, **params: object) -> str:
        """Translate ``key`` into this context's language."""
        return i18n.t(key, self.lang, **params)
