"""Strings of the report layer."""

CATALOG: dict[str, tuple[str, str]] = {}
