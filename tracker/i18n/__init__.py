"""Every string shown to users, in Chinese and English, in one place.

Each area keeps its catalogue in a module of this package (``CATALOG: dict[key, (zh, en)]``);
``t`` looks a key up and formats it. JSON keys never pass through here: they stay English.
"""

from __future__ import annotations

import os
from typing import Any

from tracker.i18n import (
    common,
    host,
    notify,
    pageone,
    people,
    periods,
    plan,
    present,
    report,
    safety,
    serve,
    store,
    tui,
    tui_views,
)

LANGS = ("zh", "en")

_CATALOG: dict[str, tuple[str, str]] = {}
for _module in (
    common, plan, store, report, tui, tui_views, present, people, safety, notify, host, serve,
    pageone, periods,
):  # fmt: skip
    for _key, _pair in _module.CATALOG.items():
        if _key in _CATALOG:
            raise RuntimeError(f"i18n key defined twice: {_key}")
        _CATALOG[_key] = _pair


def t(key: str, lang: str, /, **params: Any) -> str:
    """Translate ``key`` into ``lang`` ("zh" or "en") and format it with ``params``.

    An unknown key is returned as itself, so a missing translation shows up in review
    rather than crashing a user's command.
    """
    pair = _CATALOG.get(key)
    if pair is None:
        text = key
    else:
        text = pair[0] if lang == "zh" else pair[1]
    return text.format(**params) if params else text


def has(key: str) -> bool:
    """Whether ``key`` is in the catalogue (used by tests that check coverage)."""
    return key in _CATALOG


def default_lang() -> str:
    """``zh`` when ``LANG`` starts with ``zh``, else ``en`` (cli.md)."""
    return "zh" if os.environ.get("LANG", "").lower().startswith("zh") else "en"


def status_label(status: str, lang: str) -> str:
    """The display name of a task status (未开始, 进行中, …)."""
    return t(f"status.{status}", lang)
