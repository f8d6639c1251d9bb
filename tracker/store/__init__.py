"""SQLite store through sqlite-utils: open + migrations, load/reload, transitions, events, queries."""
