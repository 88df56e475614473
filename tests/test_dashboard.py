"""The supervisors' dashboard: flow per day, draft quality, agents' times, backlog, flags, daemon.

The store stamps its rows with the clock. These tests store, claim, approve and reject through
the store's own methods, then move the moments that matter (`messages.created_at`,
`drafts.created_at`, `drafts.reviewed_at`, `audit.at`) to fixed times around NOW with plain
SQL updates, and ask for the dashboard as of `now=NOW`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_store import _postgres_store

from rpa.config import Settings
from rpa.dashboard import DayCounts, nearest_rank, team_dashboard
from rpa.models import Address, Classification, Draft, GuardVerdict, Intent, Message, ProcessedMessage
from rpa.stats import draft_stats, similarity
from rpa.store import Store
from rpa.store.claims import Claims
from rpa.store.corrections import Corrections
from rpa.store.mailrecords import MailRecords

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
CUSTOMER = Address("Jean Dupont", "jean@example.fr")
BODY = "Bonjour Jean,\nVotre dossier est enregistré sous le numéro indiqué.\n"
EDITED = "Bonjour Monsieur Dupont,\nVotre dossier est bien enregistré sous le numéro indiqué.\n"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        with Store(f"sqlite:///{tmp_path / 'rpa.db'}") as store:
            yield store
        return
    store = _postgres_store()  # a schema of its own, dropped by cleanup()
    yield store
    store.close()
    store.cleanup()


def processed(
    key: str,
    *,
    intent: Intent = Intent.CLAIM_NEW,
    backend: str = "template",
    flags: tuple[str, ...] = (),
    guards: tuple[GuardVerdict, ...] = (),
) -> ProcessedMessage:
    message = Message(
        source=f"{key}.eml",
        message_id=f"<{key}@x>",
        subject="Sinistre",
        sender=CUSTOMER,
        content_hash="ab" * 32,
    )
    draft = Draft(
        "Re: Sinistre",
        BODY,
        CUSTOMER,
        "fr",
        intent,
        f"fr/{intent}.txt.j2",
        backend=backend,
        guards=list(guards),
    )
    return ProcessedMessage(message, {}, Classification("fr", intent, 0.9), draft, flags=list(flags))


def saved(store: Store, key: str, *, arrived: datetime, **facts: object) -> int:
    """A message with a draft waiting for review, arrived (and drafted) at `arrived`."""
    pk = store.save_processed(processed(key, **facts), actor="daemon").message_pk
    drafted_at(store, pk, arrived)
    return pk


def drafted_at(store: Store, message_pk: int, moment: datetime) -> None:
    """The message, and every draft it had, came at `moment`."""
    _update(store, "messages", store.t["messages"].c.id == message_pk, created_at=moment)
    _update(store, "queue_entries", store.t["queue_entries"].c.message_pk == message_pk, created_at=moment)
    _update(store, "drafts", store.t["drafts"].c.message_pk == message_pk, created_at=moment)


def reviewed_at(store: Store, message_pk: int, moment: datetime) -> None:
    d = store.t["drafts"]
    _update(
        store,
        "drafts",
        sa.and_(d.c.message_pk == message_pk, d.c.reviewed_at.is_not(None)),
        reviewed_at=moment,
    )


def claims_at(store: Store, message_pk: int, *moments: datetime) -> None:
    """The moments of the message's claims and assignments, oldest first."""
    a = store.t["audit"]
    with store.engine.begin() as connection:
        ids = connection.execute(
            sa.select(a.c.id)
            .where(
                a.c.entity == "message", a.c.entity_id == message_pk, a.c.action.in_(["claimed", "assigned"])
            )
            .order_by(a.c.id)
        ).scalars()
        for audit_id, moment in zip(ids, moments, strict=True):
            connection.execute(a.update().where(a.c.id == audit_id).values(at=moment))


def _update(store: Store, table: str, where: sa.ColumnElement[bool], **values: object) -> None:
    with store.engine.begin() as connection:
        connection.execute(store.t[table].update().where(where).values(**values))


def with_sla(settings: Settings, **hours: float) -> Settings:
    web = dataclasses.replace(settings.web, sla_hours=hours, default_sla_hours=72.0)
    return dataclasses.replace(settings, web=web)


def test_messages_in_and_reviews_are_counted_per_day_and_intent(any_store: Store, settings: Settings) -> None:
    store = any_store
    unchanged = saved(store, "a", arrived=datetime(2025, 3, 18, 9, tzinfo=UTC))
    edited = saved(store, "b", arrived=datetime(2025, 3, 18, 23, 59, tzinfo=UTC))
    rejected = saved(store, "c", arrived=datetime(2025, 3, 19, 8, tzinfo=UTC), intent=Intent.COMPLAINT)
    saved(store, "d", arrived=datetime(2025, 3, 20, 9, tzinfo=UTC), intent=Intent.COMPLAINT)  # waits
    old = saved(store, "e", arrived=NOW - timedelta(days=40))
    store.approve(unchanged, actor="alice")
    reviewed_at(store, unchanged, datetime(2025, 3, 19, 10, tzinfo=UTC))
    store.approve(edited, actor="bob", edited_body=EDITED)
    reviewed_at(store, edited, datetime(2025, 3, 20, 9, 30, tzinfo=UTC))
    store.reject(rejected, actor="alice", reason="wrong intent")
    reviewed_at(store, rejected, datetime(2025, 3, 20, 10, tzinfo=UTC))
    # Drafted as a complaint, corrected to a new claim: the day's counts follow the message.
    corrected = saved(store, "g", arrived=datetime(2025, 3, 20, 8, tzinfo=UTC), intent=Intent.COMPLAINT)
    Corrections(store).correct_intent(corrected, "claim_new", actor="alice")
    store.approve(corrected, actor="alice")
    reviewed_at(store, corrected, datetime(2025, 3, 20, 10, tzinfo=UTC))
    store.approve(old, actor="alice")
    reviewed_at(store, old, NOW - timedelta(days=39))  # before the window
    redone = saved(store, "f", arrived=datetime(2025, 3, 19, 11, tzinfo=UTC))
    store.save_processed(processed("f"), actor="daemon", replace=True)
    # A draft rejected, reopened and then replaced keeps its review: superseded, it never counts.
    d = store.t["drafts"]
    _update(store, "drafts", sa.and_(d.c.message_pk == redone, d.c.status == "superseded"), reviewed_at=NOW)

    dashboard = team_dashboard(store, settings, days=3, now=NOW)

    assert dashboard.since == datetime(2025, 3, 18, tzinfo=UTC)
    assert dashboard.days == (
        DayCounts(date(2025, 3, 18), None, messages_in=2),
        DayCounts(date(2025, 3, 19), None, messages_in=2, approved_unchanged=1),
        DayCounts(
            date(2025, 3, 20), None, messages_in=2, approved_unchanged=1, approved_edited=1, rejected=1
        ),
    )
    assert dashboard.days_by_intent == (
        DayCounts(date(2025, 3, 18), "claim_new", messages_in=2),
        DayCounts(date(2025, 3, 19), "claim_new", messages_in=1, approved_unchanged=1),
        DayCounts(date(2025, 3, 19), "complaint", messages_in=1),
        DayCounts(date(2025, 3, 20), "claim_new", messages_in=1, approved_unchanged=1, approved_edited=1),
        DayCounts(date(2025, 3, 20), "complaint", messages_in=1, rejected=1),
    )


def test_every_day_of_the_window_is_listed_even_when_nothing_happened(
    any_store: Store, settings: Settings
) -> None:
    dashboard = team_dashboard(any_store, settings, days=7, now=NOW)
    assert [day.day for day in dashboard.days] == [date(2025, 3, 14) + timedelta(n) for n in range(7)]
    assert all(day == DayCounts(day.day, None) for day in dashboard.days)
    assert dashboard.days_by_intent == () and dashboard.agents == ()
    assert dashboard.backlog.waiting == 0 and dashboard.guard_flags.total == 0


def test_draft_quality_is_that_of_rpa_stats_for_the_drafts_reviewed_in_the_window(
    any_store: Store, settings: Settings
) -> None:
    store = any_store
    unchanged = saved(store, "a", arrived=NOW - timedelta(hours=5))
    edited = saved(store, "b", arrived=NOW - timedelta(hours=5), backend="openai")
    rejected = saved(store, "c", arrived=NOW - timedelta(hours=5), intent=Intent.COMPLAINT)
    store.approve(unchanged, actor="alice")
    store.approve(edited, actor="alice", edited_body=EDITED)
    store.reject(rejected, actor="bob", reason="wrong intent")
    for pk in (unchanged, edited, rejected):
        reviewed_at(store, pk, NOW - timedelta(hours=1))

    dashboard = team_dashboard(store, settings, days=1, now=NOW)

    kept = similarity(BODY, EDITED)
    assert 0.3 < kept < 1.0
    by_backend = {row.key: row for row in dashboard.quality_by_backend}
    assert by_backend["openai"].mean_similarity == pytest.approx(kept)
    assert (by_backend["template"].approved_unchanged, by_backend["template"].rejected) == (1, 1)
    assert by_backend["template"].mean_similarity == 1.0
    by_intent = {row.key: row for row in dashboard.quality_by_intent}
    assert by_intent["claim_new"].mean_similarity == pytest.approx((1.0 + kept) / 2)
    assert (by_intent["complaint"].reviewed, by_intent["complaint"].mean_similarity) == (1, None)
    stats = draft_stats(store)  # everything in the store is in the window here
    for grouping, rows in (
        ("intent", dashboard.quality_by_intent),
        ("template", dashboard.quality_by_template),
        ("backend", dashboard.quality_by_backend),
    ):
        assert [(r.key, r.reviewed, r.approved_edited, r.mean_similarity) for r in rows] == [
            (s.key, s.drafts, s.approved_edited, s.mean_similarity) for s in stats[grouping]
        ]


def test_agents_times_to_first_claim_and_to_approval_are_medians_and_p90s(
    any_store: Store, settings: Settings
) -> None:
    store, claims = any_store, Claims(any_store)
    arrival = NOW - timedelta(hours=10)
    first, assigned, third = (saved(store, key, arrived=arrival) for key in ("a", "b", "c"))
    early = saved(store, "d", arrived=NOW - timedelta(days=40))
    lease = NOW - timedelta(hours=8)  # leases end in the past: nobody holds these messages now
    claims.claim(first, "alice", until=lease, now=arrival)
    claims.claim(first, "bob", until=lease, now=lease + timedelta(seconds=1))  # not the first claim
    claims.assign(assigned, "bob", by="sue", until=lease, now=arrival)  # bob's, not the supervisor's
    claims.claim(third, "alice", until=lease, now=arrival)
    claims.claim(early, "carol", until=lease, now=arrival)
    claims_at(store, first, arrival + timedelta(seconds=600), arrival + timedelta(seconds=4000))
    claims_at(store, assigned, arrival + timedelta(seconds=1200))
    claims_at(store, third, arrival + timedelta(seconds=1800))
    claims_at(store, early, NOW - timedelta(days=39))  # before the window
    for pk, agent, seconds in ((first, "alice", 3600), (assigned, "bob", 5400), (third, "alice", 7200)):
        store.approve(pk, actor=agent)
        reviewed_at(store, pk, arrival + timedelta(seconds=seconds))

    agents = {row.agent: row for row in team_dashboard(store, settings, days=30, now=NOW).agents}

    assert sorted(agents) == ["alice", "bob"]
    alice, bob = agents["alice"], agents["bob"]
    assert (alice.to_claim.count, alice.to_claim.median_seconds, alice.to_claim.p90_seconds) == (2, 600, 1800)
    assert (bob.to_claim.count, bob.to_claim.median_seconds, bob.to_claim.p90_seconds) == (1, 1200, 1200)
    assert (alice.to_approval.count, alice.to_approval.median_seconds, alice.to_approval.p90_seconds) == (
        2,
        3600,
        7200,
    )
    assert (bob.to_approval.median_seconds, bob.to_approval.p90_seconds) == (5400, 5400)


def test_percentiles_are_nearest_rank() -> None:
    assert nearest_rank([15, 20, 35, 40, 50], 30) == 20
    assert nearest_rank([15, 20, 35, 40, 50], 50) == 35
    assert nearest_rank([4, 1, 3, 2], 50) == 2  # a measured value, not the mean of two
    assert nearest_rank(list(range(1, 11)), 90) == 9
    assert nearest_rank(list(range(1, 71)), 90) == 63  # integer ranks: 0.9 * 70 is not 63.000001
    assert nearest_rank([7], 90) == 7 and nearest_rank([], 50) is None
    with pytest.raises(ValueError, match="between 1 and 100"):
        nearest_rank([1], 0)


def test_the_backlog_is_counted_by_age_and_breaches_by_each_intents_sla(
    any_store: Store, settings: Settings
) -> None:
    store = any_store
    waiting = [
        ("a", 0.5, Intent.CLAIM_NEW),
        ("b", 2, Intent.COMPLAINT),
        ("c", 10, Intent.COMPLAINT),
        ("d", 30, Intent.COMPLAINT),  # over complaint's 24 hours
        ("e", 50, Intent.CLAIM_NEW),  # over claim_new's 48 hours
        ("f", 100, Intent.INFORMATION),  # over the default 72 hours
    ]
    for key, hours, intent in waiting:
        saved(store, key, arrived=NOW - timedelta(hours=hours), intent=intent)
    done = saved(store, "g", arrived=NOW - timedelta(hours=100))
    store.approve(done, actor="alice")
    saved(store, "h", arrived=NOW + timedelta(hours=1))  # after `now`: not there yet

    backlog = team_dashboard(store, with_sla(settings, complaint=24, claim_new=48), now=NOW).backlog

    assert backlog.by_age == (
        ("under_1h", 1),
        ("1h_to_4h", 1),
        ("4h_to_24h", 1),
        ("1d_to_3d", 2),
        ("over_3d", 1),
    )
    assert [(r.intent, r.waiting, r.by_age, r.sla_hours, r.breaches) for r in backlog.by_intent] == [
        ("claim_new", 2, (1, 0, 0, 1, 0), 48, 1),
        ("complaint", 3, (0, 1, 1, 1, 0), 24, 1),
        ("information", 1, (0, 0, 0, 0, 1), 72, 1),
    ]
    assert (backlog.waiting, backlog.breaches) == (6, 3)


def test_flag_rates_are_shares_of_the_windows_drafts_and_messages(
    any_store: Store, settings: Settings
) -> None:
    store = any_store
    fact = GuardVerdict("facts", False, "unsupported_fact", ("1 250,00",), "not in the fields")
    injection = GuardVerdict("injection", False, "injection_echoed")
    letter_ok = GuardVerdict("letter", True, "not_a_letter")
    arrival = NOW - timedelta(hours=3)
    saved(store, "a", arrived=arrival, flags=("needs_triage",), guards=(fact, letter_ok))
    saved(
        store, "b", arrived=arrival, flags=("needs_triage", "injection_suspected"), guards=(fact, injection)
    )
    saved(store, "c", arrived=arrival)
    saved(store, "d", arrived=arrival, guards=(letter_ok,))
    saved(store, "e", arrived=NOW - timedelta(days=3), flags=("needs_triage",), guards=(fact,))  # before
    redrafted = saved(store, "f", arrived=arrival, guards=(fact, injection))
    store.save_processed(processed("f"), actor="daemon", replace=True)  # its flagged draft is superseded
    drafted_at(store, redrafted, arrival)

    dashboard = team_dashboard(store, settings, days=2, now=NOW)

    guards, flags = dashboard.guard_flags, dashboard.message_flags
    assert guards.total == 5
    assert [(r.flag, r.count, r.share) for r in guards.rates] == [
        ("unsupported_fact", 2, 0.4),
        ("injection_echoed", 1, 0.2),
    ]
    assert flags.total == 5
    assert [(r.flag, r.count, r.share) for r in flags.rates] == [
        ("needs_triage", 2, 0.4),
        ("injection_suspected", 1, 0.2),
    ]


def test_the_daemons_heartbeat_and_its_failed_mails_are_shown(any_store: Store, settings: Settings) -> None:
    records = MailRecords(any_store, "claims@example.org")
    records.beat(host="mx1", pid=4242, state="idle", started_at=NOW, backlog=3, error="IMAP connection lost")
    failure = dict(message_key=None, raw=b"raw", first_delay=60, now=NOW)
    records.record_failure("INBOX", 7, 41, error="not a mail", max_attempts=1, **failure)
    records.record_failure("INBOX", 7, 42, error="timeout", max_attempts=5, **failure)
    records.record_done("INBOX", 7, 43, message_key="<ok@x>", message_pk=None, actions=[])

    dashboard = team_dashboard(any_store, settings, now=NOW)

    (beat,) = dashboard.daemon.heartbeats
    assert (beat.account, beat.backlog, beat.last_error) == ("claims@example.org", 3, "IMAP connection lost")
    assert [(m.uid, m.status, m.last_error) for m in dashboard.failed_mails] == [
        (41, "failed", "not a mail"),
        (42, "retry", "timeout"),
    ]


def test_a_window_of_less_than_one_day_is_refused(any_store: Store, settings: Settings) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        team_dashboard(any_store, settings, days=0, now=NOW)
