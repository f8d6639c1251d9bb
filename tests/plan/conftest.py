"""Helpers for plan tests: write a small plan and expand it, or collect its error lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tracker.errors import PlanError
from tracker.plan import read_plan
from tracker.plan.model import Expansion


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write ``text`` to a plan file (``name`` inside tmp_path) and return its path."""

    def _write(text: str, name: str = "plan.toml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def expand(write: Callable[..., Path]) -> Callable[[str], Expansion]:
    """Expand a plan given as text (HEAD is not added: pass it in)."""

    def _expand(text: str) -> Expansion:
        return read_plan(write(text))

    return _expand


@pytest.fixture
def errors(write: Callable[..., Path]) -> Callable[[str], list[str]]:
    """The rendered (English) error lines of a plan that must fail, path-free (``LINE: msg``)."""

    def _errors(text: str) -> list[str]:
        path = write(text)
        with pytest.raises(PlanError) as info:
            read_plan(path)
        return [d.render("en").replace(f"{path}:", "", 1) for d in info.value.diagnostics]

    return _errors
