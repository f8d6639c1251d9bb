"""Typed access to the raw TOML tables, turning every misfit into a located diagnostic.

Validation never stops at the first problem: each getter records what is wrong and returns
``None`` (or a safe default), so one run reports every error in the plan.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.domain.bounds import MAX_QUANTITY
from tracker.domain.task import NAME_SEP
from tracker.plan.model import Diagnostic
from tracker.plan.source import Key, SourceFile
from tracker.present.safe import has_control

UNIT_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")
PLAN_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
UNIT_KEY_TEXT = "[a-z0-9][a-z0-9_-]*"

PLAN_ID_TEXT = "[a-z0-9][a-z0-9-]*"


def near(word: str, known: Iterable[str]) -> str | None:
    """The known word closest to ``word`` (a did-you-mean hint), if any is close."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a table sits: its file, its key path, and how messages name it (``where``)."""

    src: SourceFile
    path: Key
    where: str

    def line(self, *sub: str | int) -> int:
        """The line of ``sub`` inside this table (or of the table's header)."""
        return self.src.line(self.path + sub)

    def at(self, where: str, *sub: str | int) -> Loc:
        """A nested location."""
        return Loc(self.src, self.path + sub, where)


class Reporter:
    """Collects errors and warnings in the order they are found."""

    def __init__(self) -> None:
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, loc: Loc, sub: Key, msg: str, **params: object) -> None:
        """An error at ``loc``'s ``sub`` key; ``where`` is filled in from ``loc``."""
        params.setdefault("where", loc.where)
        self.errors.append(Diagnostic(loc.src.name, loc.line(*sub), msg, params))

    def warn(self, loc: Loc, sub: Key, msg: str, **params: object) -> None:
        """A warning at ``loc``'s ``sub`` key."""
        params.setdefault("where", loc.where)
        self.warnings.append(Diagnostic(loc.src.name, loc.line(*sub), msg, params, "warning"))


class Table:
    """One TOML table under validation: typed getters that report into ``rep``."""

    def __init__(self, data: dict[str, Any], loc: Loc, rep: Reporter) -> None:
        self.data = data
        self.loc = loc
        self.rep = rep

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Report every key not in ``allowed`` (with a did-you-mean hint)."""
        allowed = tuple(allowed)
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                if close:
                    self.rep.error(
                        self.loc, (key,), "plan.unknown_key_hint", field=key, suggestion=close[0]
                    )
                else:
                    self.rep.error(self.loc, (key,), "plan.unknown_key", field=key)

    def has(self, key: str) -> bool:
        return key in self.data

    def _missing(self, key: str) -> None:
        self.rep.error(self.loc, (), "plan.missing_key", field=key)

    def string(
        self, key: str, *, required: bool = False, nonempty: bool = False, multiline: bool = False
    ) -> str | None:
        """A string value (``None`` if absent or wrong). No control characters (``multiline``:
        but newlines and tabs)."""
        if key not in self.data:
            if required:
                self._missing(key)
            return None
        value = self.data[key]
        if not isinstance(value, str):
            self.rep.error(self.loc, (key,), "plan.type.string", field=key)
            return None
        if (nonempty or required) and not value.strip():
            self.rep.error(self.loc, (key,), "plan.empty_text", field=key)
            return None
        if has_control(value, allow="\n\t" if multiline else "\t"):
            # shown on every terminal and sheet: an ESC here would reach each reader's screen
            self.rep.error(self.loc, (key,), "plan.control_char", field=key)
            return None
        return value

    def ident(self, key: str, pattern: re.Pattern[str], text: str, *, required: bool) -> str | None:
        """A string matching ``pattern`` in full (a key, an id)."""
        value = self.string(key, required=required)
        if value is not None and not pattern.fullmatch(value):
            self.rep.error(self.loc, (key,), "plan.bad_id", field=key, value=value, pattern=text)
            return None
        return value

    def integer(self, key: str, *, required: bool = False) -> int | None:
        if key not in self.data:
            if required:
                self._missing(key)
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.rep.error(self.loc, (key,), "plan.type.int", field=key)
            return None
        return value

    def positive(self, key: str) -> float | None:
        """A positive finite number (``target``)."""
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            self.rep.error(self.loc, (key,), "plan.type.number", field=key)
            return None
        if not value <= MAX_QUANTITY:  # infinite, or a 400-digit integer no float holds
            high = f"{MAX_QUANTITY:.0e}"
            self.rep.error(self.loc, (key,), "plan.number_range", field=key, high=high)
            return None
        return float(value)

    def boolean(self, key: str) -> bool | None:
        """``true`` or ``false`` (``None`` if absent or wrong)."""
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, bool):
            self.rep.error(self.loc, (key,), "plan.type.bool", field=key)
            return None
        return value

    def names(self, key: str) -> str | None:
        """A person's name, or a list of names (an extension) kept as one text joined by
        ``NAME_SEP``; ``None`` if absent or wrong."""
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                self.rep.error(self.loc, (key,), "plan.type.names", field=key)
                return None
            names = self.strings(key)
            if names is None:
                return None
            cleaned = [n.strip() for n in names if n.strip()]
            if not cleaned or any(NAME_SEP in n for n in cleaned):
                self.rep.error(self.loc, (key,), "plan.type.names", field=key)
                return None
            return NAME_SEP.join(dict.fromkeys(cleaned))
        if not isinstance(value, str):
            self.rep.error(self.loc, (key,), "plan.type.names", field=key)
            return None
        return self.string(key)

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        return self.choice_or_none(key, choices) or default

    def choice_or_none(self, key: str, choices: tuple[str, ...]) -> str | None:
        """One of ``choices``, or ``None`` when absent or wrong (reported)."""
        value = self.string(key)
        if value is None:
            return None
        if value not in choices:
            self.rep.error(
                self.loc,
                (key,),
                "plan.bad_choice",
                field=key,
                value=value,
                choices=", ".join(choices),
            )
            return None
        return value

    def strings(self, key: str) -> list[str] | None:
        """A list of strings (``None`` if absent or wrong)."""
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.rep.error(self.loc, (key,), "plan.type.list", field=key)
            return None
        if any(has_control(v, allow="\t") for v in value):
            self.rep.error(self.loc, (key,), "plan.control_char", field=key)
            return None
        return list(value)

    def table(self, key: str) -> dict[str, Any] | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, dict):
            self.rep.error(self.loc, (key,), "plan.type.table", field=key)
            return None
        return value

    def dates(self, key: str) -> list[Any] | None:
        """A list of raw date values (TOML dates or strings), parsed later."""
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(v, date | str) for v in value):
            self.rep.error(self.loc, (key,), "plan.type.datelist", field=key)
            return None
        return list(value)
