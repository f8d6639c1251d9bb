"""Every store/task-command string exists in both languages with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tracker import i18n
from tracker.i18n import store as catalogue

ROOT = Path(__file__).parent.parent.parent / "tracker"
SOURCES = [
    *sorted((ROOT / "store").glob("*.py")),
    ROOT / "cli" / "tasks.py",
    ROOT / "cli" / "load.py",
]
ACTIONS = ("start", "done", "verify", "reopen", "block", "progress", "postpone", "note", "undo")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_literal_keys_exist() -> None:
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r'"(store\.[a-z_]+(?:\.[a-z_]+)*)"', path.read_text("utf-8")))
    assert len(used) > 20
    missing = sorted(k for k in used if not i18n.has(k))
    assert missing == []


def test_dynamic_keys_exist() -> None:
    for action in (*ACTIONS, "withdraw", "restore", "import"):
        assert i18n.has(f"store.action.{action}")
    for action in ("start", "done", "verify", "reopen", "block", "progress", "postpone"):
        assert i18n.has(f"store.verb.{action}")
    for status in ("todo", "doing", "done", "verified", "blocked", "withdrawn"):
        assert i18n.has(f"status.{status}")


@pytest.mark.parametrize("key", sorted(catalogue.CATALOG))
def test_both_languages_same_placeholders(key: str) -> None:
    zh, en = catalogue.CATALOG[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)
