"""The browser face: ``tracker serve`` on top of textual-serve's aiohttp server.

A face like ``tui/``: it may import aiohttp and textual_serve, and only ``tracker.cli.ui``
imports it (inside the ``serve`` command). ``rules`` (who may serve where, whose origin),
``auth`` (sessions, slowed-down failures) and ``signin`` (the password check) hold no web
code; ``server`` (routes and the guard), ``visitor`` (one app process per visitor), ``pages``
(HTML) and ``run`` (bind, announce, stop) do. ``feeds`` gives each person their calendar at a
secret address once ``tracker.notify`` is installed.
"""
