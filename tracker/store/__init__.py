"""SQLite store through sqlite-utils: open, migrations, load/reload, transitions, events, queries.

Entry points: ``db.open_db``/``db.immediate``, ``load.load_expansion``, ``query`` (filters,
lookups, JSON shape), ``actions`` (status changes, progress, postpone, notes, undo, history).
"""
