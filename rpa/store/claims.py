"""Who is working on a message: claims with a lease, taken, renewed, released, assigned.

An agent who opens a message waiting for review claims it until its lease ends
(`[web] claim_lease_minutes` after the page was last open); a supervisor may
assign it to an agent for longer (`assignment_hours`) or release anyone's
claim. While a claim is live, nobody else may approve or reject the draft: the
store's review transitions check it in the same transaction (see `Store`), and
end the claim when the review is done. Taking a claim is atomic on SQLite (the
write lock is taken up front) and on PostgreSQL (row lock, and the primary key
when two agents insert at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from rpa.errors import NotFound
from rpa.store import writer
from rpa.store.records import aware
from rpa.store.store import Store, claimed_error

__all__ = ["ClaimRecord", "Claims"]


@dataclass(frozen=True)
class ClaimRecord:
    message_pk: int
    holder: str
    claimed_at: datetime
    expires_at: datetime
    assigned_by: str | None


def _record(row) -> ClaimRecord:  # noqa: ANN001 - a row mapping
    return ClaimRecord(
        row["message_pk"],
        row["holder"],
        aware(row["claimed_at"]),
        aware(row["expires_at"]),
        row["assigned_by"],
    )


class Claims:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.table = store.t["claims"]

    def current(self, message_pk: int, now: datetime | None = None) -> ClaimRecord | None:
        """The live claim on a message, if any."""
        now = now or _now()
        c = self.table
        with self.store.reading() as connection:
            row = (
                connection.execute(sa.select(c).where(c.c.message_pk == message_pk, c.c.expires_at > now))
                .mappings()
                .first()
            )
        return _record(row) if row is not None else None

    def claim(self, message_pk: int, actor: str, until: datetime, now: datetime | None = None) -> ClaimRecord:
        """Take or renew the claim; `Claimed` when another agent holds it."""
        now = now or _now()
        try:
            return self._take(message_pk, actor, until, now, assigned_by=None)
        except sa.exc.IntegrityError:
            # Another agent inserted the claim between our look and our insert.
            return self._take(message_pk, actor, until, now, assigned_by=None)

    def assign(
        self, message_pk: int, holder: str, *, by: str, until: datetime, now: datetime | None = None
    ) -> ClaimRecord:
        """Give the message to `holder` (a supervisor's decision: it overrides any claim)."""
        now = now or _now()
        return self._take(message_pk, holder, until, now, assigned_by=by)

    def release(self, message_pk: int, actor: str, *, anyone: bool = False) -> bool:
        """Let go of the claim (`anyone`: whoever holds it, for supervisors); True if one was ended."""
        c = self.table
        with self.store.leasing() as connection:
            row = connection.execute(sa.select(c).where(c.c.message_pk == message_pk)).mappings().first()
            if row is None or (row["holder"] != actor and not anyone):
                return False
            connection.execute(c.delete().where(c.c.message_pk == message_pk))
            writer.audit(
                self.store.t, connection, actor, "message", message_pk, "released", {"holder": row["holder"]}
            )
        return True

    def _take(
        self, message_pk: int, actor: str, until: datetime, now: datetime, *, assigned_by: str | None
    ) -> ClaimRecord:
        c, m = self.table, self.store.t["messages"]
        with self.store.leasing() as connection:
            if connection.execute(sa.select(m.c.id).where(m.c.id == message_pk)).scalar() is None:
                raise NotFound(f"no message with id {message_pk}")
            row = (
                connection.execute(sa.select(c).where(c.c.message_pk == message_pk).with_for_update())
                .mappings()
                .first()
            )
            live = row is not None and aware(row["expires_at"]) > now
            if live and row["holder"] != actor and assigned_by is None:
                raise claimed_error(message_pk, row["holder"], aware(row["expires_at"]))
            renewing = live and row["holder"] == actor
            values = {
                "holder": actor,
                "claimed_at": aware(row["claimed_at"]) if renewing else now,
                "expires_at": max(until, aware(row["expires_at"])) if renewing else until,
                "assigned_by": assigned_by or (row["assigned_by"] if renewing else None),
            }
            if row is None:
                connection.execute(c.insert().values(message_pk=message_pk, **values))
            else:
                connection.execute(c.update().where(c.c.message_pk == message_pk).values(**values))
            if assigned_by is not None:
                detail = {"holder": actor, "previous": row["holder"] if live else None}
                writer.audit(self.store.t, connection, assigned_by, "message", message_pk, "assigned", detail)
            elif not renewing:
                writer.audit(self.store.t, connection, actor, "message", message_pk, "claimed", {})
            return ClaimRecord(message_pk, **values)


def _now() -> datetime:
    return datetime.now(UTC)
