"""tracker: a year of seasonal work campaigns, from a TOML plan to a weekly report.

Layers, dependencies pointing inward: ``plan`` (pure) <- ``store`` <- ``report``
<- ``cli`` / ``tui``. Nothing below ``cli`` and ``tui`` imports typer, rich or textual.
"""

__version__ = "0.1.0"
