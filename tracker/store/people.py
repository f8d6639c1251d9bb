"""The roster in the database (people.md): people, their scopes, passwords, and who is acting.

A database with nobody in ``people`` is *open* (version 1 behaviour, no roles); the first person
added makes it *managed* for good, and from then on every command needs an acting person who is
in the roster. The rules themselves are in ``tracker.domain.people``; this module reads and
writes the roster and answers the store's actions with the acting person and their scope.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.context import Context
from tracker.domain.people import (
    Act,
    Person,
    Role,
    Scope,
    check_backdating,
    check_global,
    clean_name,
)
from tracker.domain.people import check as check_permission
from tracker.errors import BadInput, NotFound, Refused
from tracker.present.safe import terminal
from tracker.store.db import Store, immediate

_COLUMNS = "name, role, units, phone, wecom, dingtalk, password IS NOT NULL"


def _person(row: tuple[object, ...]) -> Person:
    name, role, units, phone, wecom, dingtalk, has_password = row
    return Person(
        str(name),
        Role(str(role)),
        tuple(json.loads(str(units or "[]"))),
        None if phone is None else str(phone),
        None if wecom is None else str(wecom),
        None if dingtalk is None else str(dingtalk),
        bool(has_password),
    )


def is_managed(db: Store) -> bool:
    """Whether anyone is in the roster (then every command needs a known acting person)."""
    if "managed" not in db.cache:
        row = db.conn.execute("SELECT EXISTS (SELECT 1 FROM people)").fetchone()
        db.cache["managed"] = bool(row[0])
    return bool(db.cache["managed"])


def find_person(db: Store, name: str) -> Person | None:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM people WHERE name = ?", (name,)).fetchone()
    return _person(row) if row else None


def list_people(db: Store) -> list[Person]:
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM people ORDER BY role, name").fetchall()
    return [_person(r) for r in rows]


def actor(db: Store, ctx: Context) -> Person | None:
    """The acting person in a managed database (``None`` in an open one); ``Refused`` naming
    the person when they are not in the roster."""
    key = f"actor:{ctx.user}"
    if key not in db.cache:
        if not is_managed(db):
            db.cache[key] = None
        else:
            person = find_person(db, ctx.user.strip())
            if person is None:
                raise Refused("people.unknown_person", name=terminal(ctx.user))
            db.cache[key] = person
    found: Person | None = db.cache[key]
    return found


def sign_in(db: Store, ctx: Context) -> Person | None:
    """What every command does on opening the database: check the acting person. In a managed
    database they must be in the roster; in an open one the name must at least be a name
    (not blank, no control characters: a newline would forge lines in the history)."""
    person = actor(db, ctx)
    if person is None:
        clean_name(ctx.user)
    return person


def scope(db: Store, person: Person) -> Scope:
    """The units in ``person``'s scope: theirs and every unit below them, in every plan."""
    if not person.units:
        return Scope(True)
    key = f"scope:{person.name}"
    if key not in db.cache:
        marks = ",".join("?" * len(person.units))
        rows = db.conn.execute(
            f"""WITH RECURSIVE sub(plan, key) AS (
                    SELECT plan, key FROM units WHERE key IN ({marks})
                    UNION
                    SELECT u.plan, u.key FROM units u JOIN sub
                        ON u.plan = sub.plan AND u.parent = sub.key
                ) SELECT plan, key FROM sub""",
            person.units,
        ).fetchall()
        db.cache[key] = Scope(False, frozenset((str(p), str(k)) for p, k in rows))
    found: Scope = db.cache[key]
    return found


def authorize(
    db: Store,
    ctx: Context,
    act: Act,
    *,
    task_id: int | None,
    plan: str,
    owner: str,
    support: Sequence[str] = (),
) -> Person | None:
    """Before a write on one task: the acting person may ``act`` on it, and is not
    backdating (outside ``admin``). Nothing to check in an open database."""
    person = actor(db, ctx)
    if person is None:
        return None
    check_backdating(person, ctx.today.isoformat(), ctx.real_now().date().isoformat())
    check_permission(
        person, act, scope(db, person), task_id=task_id, plan=plan, owner=owner, support=support
    )
    return person


def authorize_write(db: Store, ctx: Context) -> Person | None:
    """Before a write any person may make on their own (undo): only the backdating rule."""
    person = actor(db, ctx)
    if person is not None:
        check_backdating(person, ctx.today.isoformat(), ctx.real_now().date().isoformat())
    return person


def authorize_global(db: Store, ctx: Context, act: Act) -> Person | None:
    """Before a write that is not about one task (load, the roster)."""
    person = actor(db, ctx)
    if person is None:
        return None
    check_backdating(person, ctx.today.isoformat(), ctx.real_now().date().isoformat())
    check_global(person, act)
    return person


@dataclass(frozen=True, slots=True)
class NewPerson:
    """A person to add, as given on the command line or in a roster file."""

    name: str
    role: Role
    units: tuple[str, ...] = ()
    phone: str | None = None
    wecom: str | None = None
    dingtalk: str | None = None


def parse_role(text: str) -> Role:
    role = Role.parse(text)
    if role is None:
        raise BadInput("people.bad_role", role=text)
    return role


def known_units(db: Store) -> dict[str, str]:
    """Every unit key, and every unit name, to its key (a roster may name units either way)."""
    out: dict[str, str] = {}
    for key, name in db.conn.execute("SELECT key, name FROM units ORDER BY plan, position"):
        out.setdefault(str(name), str(key))
    for (key,) in db.conn.execute("SELECT DISTINCT key FROM units"):
        out[str(key)] = str(key)
    return out


def _insert(db: Store, ctx: Context, p: NewPerson, *, replace: bool = False) -> None:
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    db.conn.execute(
        f"{verb} INTO people (name, role, units, phone, wecom, dingtalk, password, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, "
        "(SELECT password FROM people WHERE name = ?), ?)",
        (
            p.name, str(p.role), json.dumps(list(p.units), ensure_ascii=False), p.phone,
            p.wecom, p.dingtalk, p.name, ctx.real_now().isoformat(),
        ),
    )  # fmt: skip
    db.cache.clear()


def may_change_roster(db: Store, ctx: Context) -> bool:
    """In a managed database only an admin changes the roster (``Refused`` otherwise); whether
    it is managed. Called before the roster's input is read too, so that anyone else is told
    that (exit 1), not what is wrong with their input."""
    if not is_managed(db):
        return False
    authorize_global(db, ctx, Act.ROSTER)
    return True


def _may_change_roster(db: Store, ctx: Context, first_role: Role | None) -> None:
    """An admin changes the roster; in an open database the first person must be an admin."""
    if not may_change_roster(db, ctx) and first_role is not Role.ADMIN:
        raise Refused("people.first_admin")


def add_person(db: Store, ctx: Context, new: NewPerson) -> Person:
    """``tracker people add``: one person; an unknown unit or a name taken is bad input."""
    with immediate(db):
        _may_change_roster(db, ctx, new.role)
        name = clean_name(new.name)
        units = known_units(db)
        unknown = [u for u in new.units if u not in units]
        if unknown:
            raise BadInput("people.unknown_unit", unit=unknown[0])
        keys = tuple(dict.fromkeys(units[u] for u in new.units))
        if find_person(db, name) is not None:
            raise BadInput("people.exists", name=name)
        _insert(db, ctx, NewPerson(name, new.role, keys, new.phone, new.wecom, new.dingtalk))
    found = find_person(db, name)
    assert found is not None
    return found


def remove_person(db: Store, ctx: Context, name: str) -> None:
    """``tracker people remove``: their history stays; the last admin cannot go."""
    with immediate(db):
        authorize_global(db, ctx, Act.ROSTER)
        person = find_person(db, name.strip())
        if person is None:
            raise NotFound("people.no_such_person", name=name.strip())
        if person.role is Role.ADMIN:
            admins = db.conn.execute("SELECT count(*) FROM people WHERE role = 'admin'").fetchone()
            if int(admins[0]) <= 1:
                raise Refused("people.last_admin", name=person.name)
        db.conn.execute("DELETE FROM people WHERE name = ?", (person.name,))
        db.cache.clear()


def import_people(db: Store, ctx: Context, people: Sequence[NewPerson]) -> int:
    """Add or update every person of a checked roster file, all or none."""
    with immediate(db):
        first = people[0].role if people else None
        admin_first = Role.ADMIN if any(p.role is Role.ADMIN for p in people) else first
        _may_change_roster(db, ctx, admin_first)
        for p in people:
            _insert(db, ctx, p, replace=True)
        admins = db.conn.execute("SELECT count(*) FROM people WHERE role = 'admin'").fetchone()
        if int(admins[0]) == 0:
            raise Refused("people.no_admin_left")
    return len(people)


def set_password(db: Store, ctx: Context, name: str, password: str) -> None:
    """``tracker people passwd``: one's own, or anyone's for an admin; stored as a salted hash."""
    from tracker.domain.passwords import hash_password  # hashlib: only where passwords are

    if not password:
        raise BadInput("people.empty_password")
    with immediate(db):
        person = find_person(db, name.strip())
        if person is None:
            raise NotFound("people.no_such_person", name=name.strip())
        acting = actor(db, ctx)
        if acting is not None and acting.name != person.name and acting.role is not Role.ADMIN:
            raise Refused("people.passwd_not_own", name=acting.name, other=person.name)
        db.conn.execute(
            "UPDATE people SET password = ? WHERE name = ?", (hash_password(password), person.name)
        )
        db.cache.clear()


def check_password(db: Store, name: str, password: str) -> Person | None:
    """The person when ``password`` is theirs (sign-in), else ``None``."""
    from tracker.domain.passwords import verify_password

    row = db.conn.execute("SELECT password FROM people WHERE name = ?", (name,)).fetchone()
    if row is None or not verify_password(password, row[0]):
        return None
    return find_person(db, name)
