"""Every reminder and calendar string exists in both languages with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tracker import i18n
from tracker.i18n import notify as catalogue
from tracker.notify import send
from tracker.notify.robots import CHANNELS

ROOT = Path(__file__).parent.parent.parent / "tracker"
SOURCES = [
    *sorted((ROOT / "notify").glob("*.py")),
    ROOT / "cli" / "notify.py",
    ROOT / "cli" / "reports.py",
]


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_literal_keys_exist() -> None:
    used: set[str] = set()
    for path in SOURCES:
        used |= set(re.findall(r'"(notify\.[a-z_]+(?:\.[a-z_]+)*)"', path.read_text("utf-8")))
    assert len(used) > 20
    assert sorted(k for k in used if not i18n.has(k)) == []


def test_dynamic_keys_exist() -> None:
    for channel in CHANNELS:
        assert i18n.has(f"notify.channel.{channel}")
        assert i18n.has(f"notify.no_webhook.{channel}")
    for state in (send.SENT, send.SKIPPED, send.FAILED, send.DRY_RUN):
        assert i18n.has(f"notify.result.{state}")
    for section in ("overdue", "due_soon"):
        assert i18n.has(f"notify.sec.{section}")


@pytest.mark.parametrize("key", sorted(catalogue.CATALOG))
def test_both_languages_same_placeholders(key: str) -> None:
    zh, en = catalogue.CATALOG[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)
