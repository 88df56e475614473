"""The store's side of the workspace's accounts: users, their sessions, failed logins.

Passwords arrive here already hashed (rpa/accounts.py hashes them); session
tokens arrive as their SHA-256, so that a copy of the database opens no session.
Changes to users write an audit row (entity ``user``) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from rpa.errors import NotFound, StoreError
from rpa.store import writer
from rpa.store.records import aware
from rpa.store.store import Store

__all__ = ["Accounts", "FailureRecord", "SessionRecord", "UserRecord"]


@dataclass(frozen=True)
class UserRecord:
    id: int
    name: str
    role: str
    password_hash: str | None
    disabled: bool
    language: str | None
    display_name: str | None
    oidc_subject: str | None
    created_at: datetime

    @property
    def label(self) -> str:
        return self.display_name or self.name


@dataclass(frozen=True)
class SessionRecord:
    id: str  # the SHA-256 of the cookie's token
    user: UserRecord
    csrf_token: str
    created_at: datetime
    seen_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class FailureRecord:
    key: str
    failures: int
    first_at: datetime
    last_at: datetime
    locked_until: datetime | None


_USER_COLUMNS = (
    "id",
    "name",
    "role",
    "password_hash",
    "disabled",
    "language",
    "display_name",
    "oidc_subject",
    "created_at",
)


def _user(row) -> UserRecord:  # noqa: ANN001 - a row mapping
    values = {key: row[key] for key in _USER_COLUMNS}
    values["created_at"] = aware(values["created_at"])
    values["disabled"] = bool(values["disabled"])
    return UserRecord(**values)


class Accounts:
    """Users, sessions and failed logins in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.users_table = store.t["users"]
        self.sessions_table = store.t["web_sessions"]
        self.failures_table = store.t["login_failures"]

    # -- users -------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        role: str,
        password_hash: str | None,
        *,
        actor: str,
        display_name: str | None = None,
        oidc_subject: str | None = None,
    ) -> UserRecord:
        users = self.users_table
        now = _now()
        try:
            with self.store.engine.begin() as connection:
                user_id = connection.execute(
                    users.insert().values(
                        name=name,
                        role=role,
                        password_hash=password_hash,
                        display_name=display_name,
                        oidc_subject=oidc_subject,
                        disabled=False,
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key[0]
                writer.audit(self.store.t, connection, actor, "user", user_id, "user_added", {"role": role})
        except sa.exc.IntegrityError as exc:
            raise StoreError(f"a user named {name!r} already exists") from exc
        return self.user(name)

    def users(self) -> list[UserRecord]:
        with self.store.reading() as connection:
            rows = connection.execute(sa.select(self.users_table).order_by(self.users_table.c.name))
            return [_user(row) for row in rows.mappings()]

    def user(self, name: str) -> UserRecord:
        found = self._find(self.users_table.c.name == name)
        if found is None:
            raise NotFound(f"no user named {name!r}")
        return found

    def find_user(self, name: str) -> UserRecord | None:
        return self._find(self.users_table.c.name == name)

    def user_by_subject(self, subject: str) -> UserRecord | None:
        return self._find(self.users_table.c.oidc_subject == subject)

    def update_user(self, name: str, *, actor: str, action: str, **values: object) -> UserRecord:
        """Change a user's columns (role, password_hash, disabled, language, display_name);
        disabling or a new password ends every session of the user."""
        user = self.user(name)
        users, sessions = self.users_table, self.sessions_table
        with self.store.engine.begin() as connection:
            connection.execute(
                users.update().where(users.c.id == user.id).values(updated_at=_now(), **values)
            )
            if values.get("disabled") or "password_hash" in values and action != "password_rehashed":
                connection.execute(sessions.delete().where(sessions.c.user_id == user.id))
            detail = {key: value for key, value in values.items() if key != "password_hash"}
            writer.audit(self.store.t, connection, actor, "user", user.id, action, detail)
        return self.user(name)

    def _find(self, condition: sa.ColumnElement[bool]) -> UserRecord | None:
        with self.store.reading() as connection:
            row = connection.execute(sa.select(self.users_table).where(condition)).mappings().first()
        return _user(row) if row is not None else None

    # -- sessions ----------------------------------------------------------------

    def create_session(
        self, session_id: str, user: UserRecord, csrf_token: str, expires_at: datetime, address: str | None
    ) -> None:
        now = _now()
        with self.store.engine.begin() as connection:
            connection.execute(
                self.sessions_table.insert().values(
                    id=session_id,
                    user_id=user.id,
                    csrf_token=csrf_token,
                    created_at=now,
                    seen_at=now,
                    expires_at=expires_at,
                    address=address,
                )
            )
            writer.audit(self.store.t, connection, user.name, "user", user.id, "logged_in", {})

    def session(self, session_id: str, now: datetime) -> SessionRecord | None:
        """The live session with this id and its (enabled) user, in one query; None otherwise."""
        s, u = self.sessions_table, self.users_table
        query = (
            sa.select(s.c.csrf_token, s.c.created_at, s.c.seen_at, s.c.expires_at, *u.c)
            .join(u, u.c.id == s.c.user_id)
            .where(s.c.id == session_id, s.c.expires_at > now, u.c.disabled.is_(False))
        )
        with self.store.reading() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        return SessionRecord(
            session_id,
            _user(row),
            row["csrf_token"],
            aware(row["created_at"]),
            aware(row["seen_at"]),
            aware(row["expires_at"]),
        )

    def touch_session(self, session_id: str, now: datetime) -> None:
        s = self.sessions_table
        with self.store.engine.begin() as connection:
            connection.execute(s.update().where(s.c.id == session_id).values(seen_at=now))

    def end_session(self, session_id: str, *, actor: str) -> None:
        s = self.sessions_table
        with self.store.engine.begin() as connection:
            user_id = connection.execute(sa.select(s.c.user_id).where(s.c.id == session_id)).scalar()
            connection.execute(s.delete().where(s.c.id == session_id))
            if user_id is not None:
                writer.audit(self.store.t, connection, actor, "user", user_id, "logged_out", {})

    def session_count(self, name: str) -> int:
        s, u = self.sessions_table, self.users_table
        with self.store.reading() as connection:
            return connection.execute(
                sa.select(sa.func.count())
                .select_from(s.join(u, u.c.id == s.c.user_id))
                .where(u.c.name == name)
            ).scalar()

    def purge_sessions(self, now: datetime) -> int:
        s = self.sessions_table
        with self.store.engine.begin() as connection:
            return connection.execute(s.delete().where(s.c.expires_at <= now)).rowcount

    # -- failed logins -----------------------------------------------------------

    def failures(self, key: str) -> FailureRecord | None:
        f = self.failures_table
        with self.store.reading() as connection:
            row = connection.execute(sa.select(f).where(f.c.key == key)).mappings().first()
        if row is None:
            return None
        return FailureRecord(
            row["key"],
            row["failures"],
            aware(row["first_at"]),
            aware(row["last_at"]),
            aware(row["locked_until"]),
        )

    def record_failure(
        self, key: str, now: datetime, *, window_start: datetime, lock_after: int, locked_until: datetime
    ) -> FailureRecord:
        """Count one more failure for `key` (failures older than `window_start` are forgotten);
        at `lock_after` failures the key is locked until `locked_until`."""
        f = self.failures_table
        with self.store.engine.begin() as connection:
            row = connection.execute(sa.select(f).where(f.c.key == key)).mappings().first()
            fresh = row is None or aware(row["last_at"]) < window_start
            count = 1 if fresh else row["failures"] + 1
            values: dict[str, object] = {"failures": count, "last_at": now}
            if count >= lock_after:
                values["locked_until"] = locked_until
            if fresh:
                connection.execute(f.delete().where(f.c.key == key))
                connection.execute(f.insert().values(key=key, first_at=now, **values))
            else:
                connection.execute(f.update().where(f.c.key == key).values(**values))
        found = self.failures(key)
        assert found is not None
        return found

    def clear_failures(self, key: str) -> None:
        f = self.failures_table
        with self.store.engine.begin() as connection:
            connection.execute(f.delete().where(f.c.key == key))


def _now() -> datetime:
    return datetime.now(UTC)
