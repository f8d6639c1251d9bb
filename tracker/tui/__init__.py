"""The staff's Textual interface (``tracker tui`` / ``tracker serve``).

Only ``tracker.cli.ui`` imports this package, inside its commands, so the rest of the CLI
never pays for importing textual.
"""
