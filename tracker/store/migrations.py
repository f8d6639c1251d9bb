"""The database schema, as an append-only list of migrations applied by ``sqlite_utils.Migrations``.

Never edit a function here once it has been released: add ``m00N_...`` instead. The set's
names are also how a database written by a newer tracker is recognised and refused.

Importing sqlite_utils costs ~45 ms, a third of a ``tracker done``. So the functions are
collected in ``MIGRATIONS`` here, ``open_db`` compares their names with the migrations table
in one query, and sqlite_utils is imported (``registry()``) only when one is pending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "tracker"
# Where sqlite_utils.Migrations records what it applied (``Migrations.migrations_table``).
MIGRATIONS_TABLE = "_sqlite_migrations"

Migration = Callable[["Database"], None]

MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Append ``fn`` to the schema's migrations, in the order of this file."""
    MIGRATIONS.append(fn)
    return fn


def names() -> list[str]:
    """The migrations this version knows, in order (without importing sqlite_utils)."""
    return [fn.__name__ for fn in MIGRATIONS]


def registry() -> Migrations:
    """The ``sqlite_utils.Migrations`` set that applies ``MIGRATIONS``."""
    from sqlite_utils.migrations import Migrations

    found = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS:
        found()(fn)
    return found


@migration
def m001_initial(db: Database) -> None:
    """Plans, units, campaigns, task instances and the append-only event log."""
    db.executescript(
        """
        CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            year INTEGER NOT NULL,
            calendar TEXT NOT NULL,
            due_shift TEXT NOT NULL,
            lang TEXT,
            source TEXT,
            loaded_at TEXT NOT NULL
        );
        CREATE TABLE units (
            plan TEXT NOT NULL REFERENCES plans(id),
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            leader TEXT,
            parent TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (plan, key)
        );
        CREATE TABLE campaigns (
            plan TEXT NOT NULL REFERENCES plans(id),
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            start TEXT NOT NULL,
            "end" TEXT NOT NULL,
            notes TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (plan, key)
        );
        -- One row per task instance. AUTOINCREMENT: short ids are never reused.
        -- Plan fields come from the plan and change on reload; state fields
        -- (status .. touched) belong to the staff and survive reloads.
        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            plan TEXT NOT NULL,
            campaign TEXT NOT NULL,
            task_key TEXT NOT NULL,
            title TEXT NOT NULL,
            owner TEXT NOT NULL,
            support TEXT NOT NULL DEFAULT '[]',
            leader TEXT,
            start TEXT NOT NULL,
            due TEXT NOT NULL,
            planned_due TEXT NOT NULL,
            period TEXT,
            target REAL,
            unit TEXT,
            priority TEXT NOT NULL DEFAULT 'normal',
            tags TEXT NOT NULL DEFAULT '[]',
            notes TEXT,
            after TEXT NOT NULL DEFAULT '[]',
            position INTEGER NOT NULL DEFAULT 0,
            fingerprint TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'todo',
            progress REAL,
            done_at TEXT,
            blocked_reason TEXT,
            postponed INTEGER NOT NULL DEFAULT 0,
            withdrawn_status TEXT,
            touched INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX tasks_due ON tasks(due);
        CREATE INDEX tasks_owner_due ON tasks(owner, due);
        CREATE INDEX tasks_status_due ON tasks(status, due);
        CREATE INDEX tasks_campaign ON tasks(plan, campaign);
        CREATE INDEX tasks_plan_task ON tasks(plan, campaign, task_key);
        -- Append-only. One row per change to one task; ``batch`` groups the rows of one
        -- command so that undo reverts a multi-task update as a whole. ``before``/``after``
        -- are JSON objects of the state fields that changed; ``action`` names the command.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            batch INTEGER NOT NULL,
            task_id INTEGER REFERENCES tasks(id),
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            before TEXT NOT NULL DEFAULT '{}',
            after TEXT NOT NULL DEFAULT '{}',
            note TEXT,
            undone_by INTEGER
        );
        CREATE INDEX events_task ON events(task_id, id);
        CREATE INDEX events_user ON events(user, id);
        CREATE INDEX events_at ON events(at);
        CREATE INDEX events_batch ON events(batch);
        """
    )


@migration
def m002_report_index(db: Database) -> None:
    """A covering index for the weekly report's grouped pass (plan → campaign → owner)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS tasks_report "
        "ON tasks(plan, campaign, owner, status, due, done_at)"
    )


@migration
def m003_plan_source_digest(db: Database) -> None:
    """The digest of the plan files last loaded (``tracker.plan.digest``), to skip reloads."""
    db.execute("ALTER TABLE plans ADD COLUMN source_digest TEXT")


@migration
def m004_search_index(db: Database) -> None:
    """A covering index in list order with the searched text: a search that matches few rows
    scans this index (a few MB read in order) instead of fetching every row from the table."""
    db.execute("CREATE INDEX IF NOT EXISTS tasks_due_text ON tasks(due, id, status, title, notes)")


@migration
def m005_report_targets_index(db: Database) -> None:
    """A covering index of the few instances with a target or progress, for the report's
    per-action targets (otherwise a read of every row of the plan from the table)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS tasks_targets "
        "ON tasks(plan, campaign, task_key, status, target, progress) "
        "WHERE target IS NOT NULL OR progress IS NOT NULL"
    )


@migration
def m006_task_templates(db: Database) -> None:
    """Per task template of a plan, the fingerprint of its expansion and its first position
    as of the last load (``tracker.store.diff``): a reload leaves unchanged templates alone.
    A template without a row here is compared row by row, as before this table."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS task_templates (
            plan TEXT NOT NULL,
            campaign TEXT NOT NULL,
            task_key TEXT NOT NULL,
            fingerprint BLOB NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (plan, campaign, task_key)
        ) WITHOUT ROWID
        """
    )


@migration
def m007_noted_events_index(db: Database) -> None:
    """The events that carry a note, covering what a search reads of them: a search keystroke
    then reads the few noted events, not the whole log (which grows all year)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS events_noted "
        "ON events(note, task_id, undone_by, action) WHERE note IS NOT NULL"
    )


@migration
def m008_people(db: Database) -> None:
    """The roster (people.md), postponement requests, who did and who verified each task, and
    the real time of every event beside its effective one (``--today``).

    ``done_by``/``verified_by`` are kept by the store from the event log (the user of the last
    standing event that moved the task into done, or into verified; undo, withdraw and restore
    rows excluded); for tasks done before this migration they are filled in the same way here.
    """
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS people (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            units TEXT NOT NULL DEFAULT '[]',
            phone TEXT,
            wecom TEXT,
            dingtalk TEXT,
            password TEXT,
            added_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS postpone_requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            due TEXT NOT NULL,
            reason TEXT NOT NULL,
            by TEXT NOT NULL,
            at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open',
            decided_by TEXT,
            decided_at TEXT,
            note TEXT
        );
        CREATE UNIQUE INDEX IF NOT EXISTS postpone_requests_open
            ON postpone_requests(task_id) WHERE state = 'open';
        """
    )
    for table, column in (
        ("events", "recorded_at"),
        ("tasks", "done_by"),
        ("tasks", "verified_by"),
    ):
        if column not in db[table].columns_dict:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
    into = """(SELECT e.user FROM events e
            WHERE e.task_id = tasks.id AND e.undone_by IS NULL
              AND e.action NOT IN ('undo', 'withdraw', 'restore')
              AND json_extract(e.after, '$.status') IN {s}
              AND coalesce(json_extract(e.before, '$.status'), '') NOT IN {s}
            ORDER BY e.id DESC LIMIT 1)"""
    done, verified = "('done', 'verified')", "('verified')"
    db.execute(f"UPDATE tasks SET done_by = {into.format(s=done)} WHERE status IN {done}")
    db.execute(
        f"UPDATE tasks SET verified_by = {into.format(s=verified)} WHERE status IN {verified}"
    )


@migration
def m009_task_rev(db: Database) -> None:
    """A task's revision: the number of its events, kept by ``actions.log_event`` (which
    appends every event and bumps it in the same transaction). A ledger row carries the rev it
    was exported at; the state at that rev is the ``after`` of the task's rev-th event, so
    ``import`` knows what each cell said when it was exported, whatever happened since."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(tasks)").fetchall()}
    if "rev" not in columns:  # idempotent, as every migration here
        db.execute("ALTER TABLE tasks ADD COLUMN rev INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE tasks SET rev = (SELECT COUNT(*) FROM events e WHERE e.task_id = tasks.id) "
        "WHERE id IN (SELECT DISTINCT task_id FROM events WHERE task_id IS NOT NULL)"
    )


@migration
def m010_reminders_sent(db: Database) -> None:
    """What ``tracker remind`` (and ``report --to``) has posted: one row per message sent, by
    effective day, channel, unit and the SHA-256 of the exact body, so that a run repeated
    after a partial failure sends only what is still missing. Also each plan's ``[calendar]``
    overrides (JSON lists of ISO dates), which the reminders' and calendar files' working days
    need and ``plans`` never kept; a plan without a row here (loaded before this migration)
    counts by its ``calendar`` kind alone until it is loaded again."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS reminders_sent (
            day TEXT NOT NULL,
            channel TEXT NOT NULL,
            unit TEXT NOT NULL,
            digest TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (day, channel, unit, digest)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS plan_calendars (
            plan TEXT PRIMARY KEY,
            holidays TEXT NOT NULL DEFAULT '[]',
            workdays TEXT NOT NULL DEFAULT '[]'
        );
        """
    )


@migration
def m011_plan_v2(db: Database) -> None:
    """Plan format v2 and ``tracker add``: per task its problem (整改问题), responsible person,
    indicator measure and milestones (JSON ``[[ISO date, percent], …]``), and whether it is an
    ``add`` item (``adhoc``: never removed or withdrawn by a load); per unit its peer group
    (``kind``, resolved from the tree), ``rank`` and contact; per plan (its ``[calendar]``
    overrides are in ``plan_calendars``, m010) its working days of the years it spans
    (``workday_flags``: JSON ``{year: "0101…"}``, one flag per day, so that counting them needs
    no holidays data), so
    that an ``add`` item's due date and a task's 序时进度 follow the plan's working days; and
    the plan's problems. The search's covering index (m004) now holds
    the people too: a search looks in ``leader`` and ``responsible`` (cli-v2.md). Idempotent,
    as every migration here."""

    def add(table: str, column: str, decl: str) -> None:
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}
        if column not in columns:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    for column in ("problem", "responsible", "measure", "milestones"):
        add("tasks", column, "TEXT")
    add("tasks", "adhoc", "INTEGER NOT NULL DEFAULT 0")
    add("units", "kind", "TEXT NOT NULL DEFAULT ''")
    add("units", "rank", "INTEGER NOT NULL DEFAULT 1")
    add("units", "contact", "TEXT")
    add("plans", "workday_flags", "TEXT")
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS problems (
            plan TEXT NOT NULL REFERENCES plans(id),
            key TEXT NOT NULL,
            title TEXT NOT NULL,
            source TEXT,
            leader TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (plan, key)
        );
        CREATE INDEX IF NOT EXISTS tasks_adhoc ON tasks(plan, campaign, task_key)
            WHERE adhoc = 1;
        CREATE INDEX IF NOT EXISTS tasks_problem ON tasks(plan, problem)
            WHERE problem IS NOT NULL;
        DROP INDEX IF EXISTS tasks_due_text;
        CREATE INDEX IF NOT EXISTS tasks_due_search
            ON tasks(due, id, status, title, notes, leader, responsible);
        """
    )


@migration
def m012_task_created(db: Database) -> None:
    """An index on when each instance was created, so that a past period's report finds the
    instances a later reload or ``add`` created (cli-v2.md: they count nowhere in it) and the
    time of the plan's first load by a seek, not a scan of every row."""
    db.execute("CREATE INDEX IF NOT EXISTS tasks_created ON tasks(plan, adhoc, created_at)")


@migration
def m013_fewer_task_indexes(db: Database) -> None:
    """Two indexes that were the first columns of two others go; the longer ones take their
    names. ``tasks_due (due)`` led ``tasks_due_search (due, id, …)``, and ``tasks_campaign
    (plan, campaign)`` led ``tasks_plan_task (plan, campaign, task_key)``: SQLite serves a query
    on the first columns from the longer index, so each pair kept the same rows sorted twice.
    Every write kept both up, and a first load built both (a fifth of its index work)."""
    for sql in (
        "DROP INDEX IF EXISTS tasks_due",
        "DROP INDEX IF EXISTS tasks_due_search",
        "CREATE INDEX tasks_due ON tasks(due, id, status, title, notes, leader, responsible)",
        "DROP INDEX IF EXISTS tasks_campaign",
        "DROP INDEX IF EXISTS tasks_plan_task",
        "CREATE INDEX tasks_campaign ON tasks(plan, campaign, task_key)",
    ):
        db.execute(sql)
