"""Screens of the staff TUI, one per module."""
