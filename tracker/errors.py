"""User-facing failures: each carries an exit status and renders as one line in either language.

Core code raises these with an i18n message key, so the CLI and the TUI can show the same
failure in the user's language without the core knowing who is listening.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker import i18n

if TYPE_CHECKING:
    from tracker.plan.model import Diagnostic

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2


class TrackerError(Exception):
    """A failure the user caused or must act on; never a bug."""

    exit_code: int = EXIT_REFUSED

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        """The one-line message in ``lang``."""
        return i18n.t(self.key, lang, **self.params)


class Refused(TrackerError):
    """A transition or action the rules do not allow (exit 1)."""


class NotFound(TrackerError):
    """An unknown task id or uid (exit 1)."""


class BadInput(TrackerError):
    """A bad option, value, file or database (exit 2)."""

    exit_code = EXIT_BAD_INPUT


class PlanError(BadInput):
    """A plan with one or more errors; ``diagnostics`` holds every one found (exit 2)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("plan.invalid", count=len(diagnostics))

    def render(self, lang: str) -> str:
        return "\n".join(d.render(lang) for d in self.diagnostics)
