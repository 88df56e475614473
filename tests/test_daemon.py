"""`rpa daemon` against a real Dovecot: exactly once, through crashes, restarts and bad mail."""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from collections.abc import Sequence
from email import message_from_bytes
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import make_mail, run_rpa
from servers import FAST_PIPELINE, Dovecot, daemon_env, run_once, start_daemon, wait_until

from rpa.batch import PipelineRunner
from rpa.config import load_settings
from rpa.daemon import Daemon
from rpa.errors import ExtractionError
from rpa.mailbox import FetchedMail, ImapMailbox
from rpa.models import Message, ProcessedMessage
from rpa.pipeline import Pipeline
from rpa.store import Store

pytest_plugins = ["servers"]  # the dovecot, mailbox_user and smtp_sink fixtures

KEYWORD = b"$rpa-processed"


def claim(number: int, **kwargs: object) -> bytes:
    return make_mail(
        f"Bonjour,\n\nJe déclare un sinistre survenu le 14 mars 2025. Contrat HAB-{20931000 + number}.\n\n"
        f"Cordialement,\nClient {number}\n",
        sender=f"Client {number} <client{number}@example.fr>",
        message_id=f"<claim-{number}@example.fr>",
        **kwargs,
    )


def rows(home: Path, query: str) -> list[tuple]:
    with Store(f"sqlite:///{home / 'rpa.db'}") as store, store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(query))]


def assert_each_mail_once(home: Path, count: int) -> None:
    keys = [key for (key,) in rows(home, "SELECT message_key FROM messages")]
    assert sorted(keys) == sorted(f"<claim-{n}@example.fr>" for n in range(count))
    drafts = Counter(pk for (pk,) in rows(home, "SELECT message_pk FROM drafts"))
    assert len(drafts) == count and set(drafts.values()) == {1}
    records = rows(home, "SELECT status, message_key FROM mail_records")
    assert len(records) == count and {status for status, _ in records} == {"done"}
    assert sorted(key for _, key in records) == sorted(keys)


def test_once_processes_200_mails_exactly_once_and_marks_each_on_the_server(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    dovecot.append(mailbox_user, [claim(n) for n in range(200)])
    env = daemon_env(dovecot, mailbox_user)

    first = run_rpa("daemon", "--once", home=tmp_path, env=env)
    second = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert_each_mail_once(tmp_path, 200)
    flags = dovecot.flags(mailbox_user)
    assert len(flags) == 200 and all(KEYWORD in f for f in flags.values())
    assert all(b"\\Seen" not in f for f in flags.values())  # fetched with PEEK: agents still see it new


def test_sigkill_at_random_moments_neither_loses_nor_duplicates_a_mail(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    dovecot.append(mailbox_user, [claim(n) for n in range(100)])
    env = daemon_env(dovecot, mailbox_user, RPA_DAEMON_BATCH_SIZE="10")
    moments = random.Random(20250317)
    for _ in range(5):
        before = _stored(tmp_path)
        daemon = start_daemon(tmp_path, env)
        # Kill it in the middle of a batch: once it has stored something new.
        wait_until(lambda before=before: _stored(tmp_path) > before, timeout=15, every=0.01)
        time.sleep(moments.uniform(0, 0.15))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
    assert _stored(tmp_path) < 100  # the kills did land while mail was waiting

    final = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert final.returncode == 0, final.stderr
    assert_each_mail_once(tmp_path, 100)
    assert all(KEYWORD in f for f in dovecot.flags(mailbox_user).values())


def test_reconnects_after_the_server_restarts_and_takes_mail_sent_meanwhile(tmp_path: Path) -> None:
    server = Dovecot()  # its own server: this test stops it
    try:
        server.start()
        user = server.new_user()
        server.append(user, [claim(0)])
        daemon = start_daemon(tmp_path, daemon_env(server, user))
        try:
            assert wait_until(lambda: _stored(tmp_path) == 1), (tmp_path / "daemon.log").read_text()
            time.sleep(1)  # idling now
            server.stop()
            time.sleep(1)
            server.start()
            server.append(user, [claim(1)])
            assert wait_until(lambda: _stored(tmp_path) == 2, timeout=30), (
                tmp_path / "daemon.log"
            ).read_text()
        finally:
            daemon.terminate()
            assert daemon.wait(timeout=20) == 0
        log = (tmp_path / "daemon.log").read_text()
        assert "connection lost" in log or "connecting to" in log
        assert log.count("connected to the mailbox") >= 2
    finally:
        server.close()


def test_sigterm_finishes_logs_out_and_exits_0_and_status_says_so(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    dovecot.append(mailbox_user, [claim(n) for n in range(3)])
    env = daemon_env(dovecot, mailbox_user)
    daemon = start_daemon(tmp_path, env)
    assert wait_until(lambda: _stored(tmp_path) == 3), (tmp_path / "daemon.log").read_text()
    running = run_rpa("status", home=tmp_path, env=env)

    daemon.send_signal(signal.SIGTERM)

    assert daemon.wait(timeout=20) == 0
    assert "running (pid" in running.stdout and "backlog: 0" in running.stdout
    stopped = run_rpa("status", home=tmp_path, env=env)
    assert "not running" in stopped.stdout and "3 done" in stopped.stdout


class ExtractionFailsOnPoison(Pipeline):
    """The real pipeline, but reading any mail about "poison" fails (think: a PDF that crashes a reader)."""

    def examine(self, message: Message) -> ProcessedMessage:
        if "poison" in message.subject.lower():
            raise ExtractionError("the reader crashed", filename="poison.pdf")
        return super().examine(message)


def test_a_failing_mail_is_recorded_failed_the_others_go_on_and_retry_reprocesses_it(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    env = daemon_env(dovecot, mailbox_user, RPA_HOME=str(tmp_path), RPA_DAEMON_MAX_ATTEMPTS="1")
    settings = load_settings(environ=env)
    dovecot.append(mailbox_user, [claim(0), claim(1, subject="Poison sinistre"), claim(2)])
    run_once(env, ExtractionFailsOnPoison(settings))

    failed = run_rpa("queue", "--status", "failed", home=tmp_path, env=env)
    assert _stored(tmp_path) == 2
    ((record_id, uid),) = rows(tmp_path, "SELECT id, uid FROM mail_records WHERE status = 'failed'")
    assert "ExtractionError" in failed.stdout and "the reader crashed" in failed.stdout
    assert KEYWORD not in dovecot.flags(mailbox_user)[uid]

    retried = run_rpa("retry", str(record_id), home=tmp_path, env=env)
    again = run_rpa("daemon", "--once", home=tmp_path, env=env)  # runs the keyword action

    assert retried.returncode == 0, retried.stderr
    assert again.returncode == 0, again.stderr
    assert_each_mail_once(tmp_path, 3)
    assert KEYWORD in dovecot.flags(mailbox_user)[uid]


def test_a_failing_mail_is_retried_with_backoff_before_it_is_marked_failed(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    env = daemon_env(
        dovecot,
        mailbox_user,
        RPA_HOME=str(tmp_path),
        RPA_DAEMON_MAX_ATTEMPTS="3",
        RPA_DAEMON_RETRY_SECONDS="0.2",
    )
    settings = load_settings(environ=env)
    dovecot.append(mailbox_user, [claim(1, subject="Poison")])
    statuses = []
    for _ in range(4):
        run_once(env, ExtractionFailsOnPoison(settings))
        statuses.append(rows(tmp_path, "SELECT status, attempts FROM mail_records")[0])
        time.sleep(0.2 * 2 ** statuses[-1][1] + 0.1)
    assert statuses == [("retry", 1), ("retry", 2), ("failed", 3), ("failed", 3)]


def test_auto_replies_and_our_own_mail_are_taken_but_get_no_draft(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    env = daemon_env(dovecot, mailbox_user)
    dovecot.append(
        mailbox_user,
        [
            claim(0),
            make_mail(
                "Je suis absent jusqu'au 24 mars.",
                subject="Réponse automatique : absent",
                message_id="<ooo@example.fr>",
                headers={"Auto-Submitted": "auto-replied"},
            ),
            make_mail(
                "Copie de notre réponse.",
                sender="Service <sinistres@assureur.example>",
                message_id="<own@assureur.example>",
            ),
        ],
    )

    done = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert done.returncode == 0, done.stderr
    drafted = rows(tmp_path, "SELECT m.message_key FROM drafts d JOIN messages m ON m.id = d.message_pk")
    assert drafted == [("<claim-0@example.fr>",)]
    flags = dict(rows(tmp_path, "SELECT message_key, flags FROM messages"))
    assert "auto_reply" in flags["<ooo@example.fr>"] and "own_address" in flags["<own@assureur.example>"]
    assert all(KEYWORD in f for f in dovecot.flags(mailbox_user).values())


def test_a_sender_past_the_hourly_limit_gets_no_more_drafts(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    env = daemon_env(dovecot, mailbox_user, RPA_DAEMON_SENDER_DRAFTS_PER_HOUR="2")
    same_sender = {"sender": "Boucle <loop@example.fr>"}
    dovecot.append(
        mailbox_user,
        [make_mail(f"Sinistre n°{n}", message_id=f"<loop-{n}@example.fr>", **same_sender) for n in range(4)],
    )

    assert run_rpa("daemon", "--once", home=tmp_path, env=env).returncode == 0

    assert rows(tmp_path, "SELECT count(*) FROM drafts") == [(2,)]
    assert len(rows(tmp_path, "SELECT id FROM messages WHERE flags LIKE '%rate_limited%'")) == 2


def test_rules_move_what_they_match_and_leave_the_rest_alone(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "config.toml").write_text(
        '[[daemon.rules]]\nname = "claims"\nsubject = "sinistre"\naction = "move"\nmove_to = "Archive"\n'
        "stop = true\n",
        encoding="utf-8",
    )
    dovecot.append(
        mailbox_user,
        [
            claim(0, subject="Déclaration de sinistre"),
            make_mail("Votre newsletter", subject="Newsletter", message_id="<news@x.fr>"),
        ],
    )

    done = run_rpa("daemon", "--once", home=tmp_path, env=daemon_env(dovecot, mailbox_user))

    assert done.returncode == 0, done.stderr
    assert [m["Message-ID"] for m in dovecot.messages(mailbox_user, "Archive")] == ["<claim-0@example.fr>"]
    inbox = dovecot.messages(mailbox_user, "INBOX")
    assert [m["Message-ID"] for m in inbox] == ["<news@x.fr>"]
    assert sorted(rows(tmp_path, "SELECT status FROM mail_records")) == [("done",), ("ignored",)]


def fill_new_folder(dovecot: Dovecot, user: str, folder: str, mails: list[bytes]) -> None:
    """Make `folder` afresh, as a rebuilt index or a migration would: a new UIDVALIDITY."""
    client = dovecot.client(user)
    if client.folder_exists(folder):
        client.delete_folder(folder)
    client.create_folder(folder)
    client.logout()
    dovecot.append(user, mails, folder=folder)


def test_a_uidvalidity_change_resyncs_by_message_id_without_duplicates(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    env = daemon_env(dovecot, mailbox_user, RPA_IMAP_FOLDER="Claims")
    fill_new_folder(dovecot, mailbox_user, "Claims", [claim(0), claim(1)])
    assert run_rpa("daemon", "--once", home=tmp_path, env=env).returncode == 0

    fill_new_folder(dovecot, mailbox_user, "Claims", [claim(0), claim(1), claim(2)])
    again = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert again.returncode == 0, again.stderr
    assert len(rows(tmp_path, "SELECT DISTINCT uidvalidity FROM mail_records")) == 2
    assert rows(tmp_path, "SELECT count(*) FROM messages") == [(3,)]
    assert rows(tmp_path, "SELECT count(*) FROM drafts") == [(3,)]


class RecordingMailbox(ImapMailbox):
    """The real IMAP mailbox, noting the mails it downloads whole and those whose Message-ID it asks."""

    def __init__(self, client, account: str) -> None:  # noqa: ANN001 - an IMAPClient
        super().__init__(client, account)
        self.downloaded: list[FetchedMail] = []
        self.asked_message_id: list[int] = []

    def fetch(self, uids: Sequence[int]) -> list[FetchedMail]:
        mails = super().fetch(uids)
        self.downloaded += mails
        return mails

    def message_ids(self, uids: Sequence[int]) -> dict[int, str | None]:
        self.asked_message_id += uids
        return super().message_ids(uids)


def test_after_a_uidvalidity_change_known_mails_are_matched_on_their_message_id_header_only(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    env = daemon_env(dovecot, mailbox_user, RPA_IMAP_FOLDER="Claims", RPA_HOME=str(tmp_path))
    fill_new_folder(dovecot, mailbox_user, "Claims", [claim(n) for n in range(20)])
    run_once(env)
    ((old_uidvalidity,),) = rows(tmp_path, "SELECT DISTINCT uidvalidity FROM mail_records")
    taken = dict(rows(tmp_path, "SELECT message_key, message_pk FROM mail_records"))

    no_message_id = make_mail("Bonjour,\n\nUn sinistre de plus. Contrat HAB-20931099.\n", message_id=None)
    fill_new_folder(dovecot, mailbox_user, "Claims", [*(claim(n) for n in range(21)), no_message_id])
    settings = load_settings(environ=env)
    mailbox = RecordingMailbox.connect(settings.imap)
    with Store.open(settings) as store, PipelineRunner(settings, 1) as runner:
        Daemon(settings, store, runner=runner, connect=lambda: mailbox).run(once=True)

    downloaded = [message_from_bytes(mail.raw)["Message-ID"] for mail in mailbox.downloaded]
    assert downloaded == ["<claim-20@example.fr>", None]  # the 2 new ones: unknown, or without a Message-ID
    assert sorted(mailbox.asked_message_id) == sorted(dovecot.flags(mailbox_user, "Claims"))
    renumbered = dict(
        rows(
            tmp_path,
            "SELECT message_key, message_pk FROM mail_records "
            f"WHERE uidvalidity != {old_uidvalidity} AND status = 'done'",
        )
    )
    assert len(renumbered) == 22 and {key: renumbered[key] for key in taken} == taken
    assert rows(tmp_path, "SELECT count(*) FROM drafts") == [(22,)]
    assert all(KEYWORD in f for f in dovecot.flags(mailbox_user, "Claims").values())  # actions run again


def test_bad_credentials_are_reported_as_such_and_the_password_is_never_shown(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    env = daemon_env(dovecot, mailbox_user, RPA_IMAP_PASSWORD="wrong-horse-battery")

    done = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert done.returncode == 1
    assert "refused the credentials of " + mailbox_user in done.stderr
    assert "wrong-horse-battery" not in done.stderr + done.stdout


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    env = {
        **FAST_PIPELINE,
        "RPA_IMAP_HOST": "127.0.0.1",
        "RPA_IMAP_PORT": "1",
        "RPA_IMAP_SECURITY": "none",
        "RPA_IMAP_USER": "u",
        "RPA_IMAP_PASSWORD": "p",
    }

    done = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert done.returncode == 1 and "connection lost while connecting to 127.0.0.1:1" in done.stderr


def test_the_mailbox_fetches_without_marking_read_and_idle_sees_an_append_at_once(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    settings = load_settings(environ=daemon_env(dovecot, mailbox_user, RPA_HOME=str(tmp_path)))
    mailbox = ImapMailbox.connect(settings.imap)
    try:
        assert mailbox.open_folder("INBOX").exists == 0
        started = time.monotonic()
        dovecot.append(mailbox_user, [claim(0)])
        assert mailbox.wait_for_mail(10, lambda: False) is True
        assert time.monotonic() - started < 2
        (mail,) = mailbox.fetch(mailbox.uids())
        assert b"claim-0@example.fr" in mail.raw and mail.received_at.tzinfo is not None
        assert mailbox.uids(without_keyword="$rpa-processed") == [mail.uid]
        mailbox.add_keyword([mail.uid], "$rpa-processed")
        assert mailbox.uids(without_keyword="$rpa-processed") == []
        assert mailbox.contains_message_id("INBOX", "<claim-0@example.fr>")
        assert not mailbox.contains_message_id("Sent", "<claim-0@example.fr>")
    finally:
        mailbox.close()
    assert b"\\Seen" not in dovecot.flags(mailbox_user)[mail.uid]


def test_mail_that_arrives_between_the_noop_and_the_idle_is_seen_at_once(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    """The server then tells of it right after "+ idling", often in the same packet, which the
    IMAP library reads into its buffer with the continuation: waiting on the socket alone
    missed it until the wait ran out (the daemon's idle latency benchmark saw 30 s)."""
    settings = load_settings(environ=daemon_env(dovecot, mailbox_user, RPA_HOME=str(tmp_path)))
    mailbox = ImapMailbox.connect(settings.imap)
    noop = mailbox.client.noop

    def noop_then_a_mail_arrives():  # noqa: ANN202 - imapclient's own return
        answer = noop()
        dovecot.append(mailbox_user, [claim(1)])
        time.sleep(0.2)  # delivered and announced before the IDLE command goes out
        return answer

    try:
        mailbox.open_folder("INBOX")
        mailbox.client.noop = noop_then_a_mail_arrives
        started = time.monotonic()
        assert mailbox.wait_for_mail(20, lambda: False) is True
        assert time.monotonic() - started < 5
    finally:
        mailbox.close()


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_is_the_default_and_a_plain_server_is_refused_clearly(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path, security: str
) -> None:
    env = daemon_env(dovecot, mailbox_user, RPA_IMAP_SECURITY=security)

    done = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert done.returncode == 1 and "error:" in done.stderr and "Traceback" not in done.stderr


def test_mail_arriving_in_a_second_folder_is_taken_while_idle_watches_the_first(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    client = dovecot.client(mailbox_user)
    client.create_folder("Claims")
    client.logout()
    # IDLE is on INBOX; the other folders are looked at each cycle, here every second.
    env = daemon_env(dovecot, mailbox_user, RPA_IMAP_FOLDER="INBOX,Claims", RPA_DAEMON_IDLE_SECONDS="1")
    daemon = start_daemon(tmp_path, env)
    try:
        log = tmp_path / "daemon.log"
        assert wait_until(lambda: _state(tmp_path) == "idle"), log.read_text()
        dovecot.append(mailbox_user, [claim(0)], folder="Claims")
        assert wait_until(lambda: _stored(tmp_path) == 1, timeout=15), log.read_text()
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0
    assert rows(tmp_path, "SELECT folder, message_key FROM mail_records") == [
        ("Claims", "<claim-0@example.fr>")
    ]
    assert KEYWORD in dovecot.flags(mailbox_user, "Claims")[1]


def _stored(home: Path) -> int:
    if not (home / "rpa.db").exists():
        return 0
    try:
        return rows(home, "SELECT count(*) FROM messages")[0][0]
    except Exception:  # noqa: BLE001 - the daemon may be creating the schema right now
        return 0


def _state(home: Path) -> str | None:
    if not (home / "rpa.db").exists():
        return None
    try:
        return rows(home, "SELECT state FROM daemon_heartbeats")[0][0]
    except Exception:  # noqa: BLE001 - no database or no heartbeat yet
        return None


def test_with_action_delete_a_mail_is_deleted_from_the_server_once_stored(
    dovecot: Dovecot, mailbox_user: str, tmp_path: Path
) -> None:
    env = daemon_env(dovecot, mailbox_user, RPA_HOME=str(tmp_path), RPA_DAEMON_ACTION="delete")
    dovecot.append(mailbox_user, [claim(0), claim(1)])

    run_once(env)

    assert dovecot.flags(mailbox_user) == {}
    assert_each_mail_once(tmp_path, 2)
    assert rows(tmp_path, "SELECT DISTINCT status, actions FROM mail_records") == [("done", '["delete"]')]
