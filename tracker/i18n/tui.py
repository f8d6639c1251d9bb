"""Strings of the tui layer."""

CATALOG: dict[str, tuple[str, str]] = {}
