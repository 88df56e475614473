"""Real mail servers for the daemon and outbox tests: Dovecot (IMAP) and aiosmtpd (SMTP).

Dovecot runs with its own configuration in a temporary folder on a free port of
127.0.0.1; the system's /etc/dovecot is never read. Facts about running it as
root here: it refuses uid 0 for mail storage (mail is stored as the `mail`
user), every parent folder of its directory must be traversable by `dovecot`
and `mail` (so the folder is made under /tmp and opened with chmod 0755), and
the login and anvil services need `chroot =` when not started by the packaged
init. Any user name logs in with `PASSWORD`: each test takes a fresh user, so
each test has a fresh, empty mailbox.
"""

from __future__ import annotations

import asyncio
import email.policy
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from conftest import ROOT, require

__all__ = [
    "PASSWORD",
    "Dovecot",
    "SmtpSink",
    "daemon_env",
    "dovecot",
    "dovecot_available",
    "free_port",
    "mailbox_user",
    "run_once",
    "smtp_sink",
    "start_daemon",
    "wait_until",
]

PASSWORD = "s3cret-pw"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
mail_uid = mail
mail_gid = mail
first_valid_uid = 1
mail_privileged_group =
default_login_user = dovenull
default_internal_user = dovecot
# Push new mail to IDLE clients at once (inotify), and check at least every second.
mailbox_idle_check_interval = 1 secs
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={root}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = create
  }}
  mailbox Archive {{
    auto = create
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def _remove_server(owner_pid: int, root: Path) -> None:
    if os.getpid() != owner_pid:
        return  # a forked child exiting: the server belongs to its parent
    pid_file = root / "run" / "master.pid"
    try:
        os.killpg(int(pid_file.read_text().split()[0]), signal.SIGKILL)
    except (OSError, ValueError):
        pass
    shutil.rmtree(root, ignore_errors=True)


def dovecot_available() -> bool:
    return Path(DOVECOT).is_file() and os.geteuid() == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    """A Dovecot IMAP server of our own; `stop()` and `start()` again keep its mail."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="rpa-dovecot-", dir="/tmp"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.host = "127.0.0.1"
        self.process: subprocess.Popen | None = None
        self._finalizer: weakref.finalize | None = None
        self._users = itertools.count(1)
        mail = self.root / "mail"
        mail.mkdir()
        shutil.chown(mail, "mail", "mail")
        (self.root / "dovecot.conf").write_text(
            _CONFIG.format(root=self.root, port=self.port, password=PASSWORD), encoding="utf-8"
        )

    def start(self) -> None:
        if self._finalizer is None:
            # Whatever happens to the fixture's bookkeeping, no server outlives this process.
            self._finalizer = weakref.finalize(self, _remove_server, os.getpid(), self.root)
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stderr.read().decode()}\n{self.log()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not answer on port {self.port}\n{self.log()}")

    def stop(self) -> None:
        """Stop the server and every process of it, as a restart of the machine would:
        connected clients lose their connection (Dovecot's own stop leaves them running)."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
        if self._finalizer is not None:
            self._finalizer.detach()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def new_user(self) -> str:
        return f"user{next(self._users)}@example.test"

    def env(self, user: str, folder: str = "INBOX") -> dict[str, str]:
        """The RPA_IMAP_* variables a deployment would set for this server."""
        return {
            "RPA_IMAP_HOST": self.host,
            "RPA_IMAP_PORT": str(self.port),
            "RPA_IMAP_SECURITY": "none",
            "RPA_IMAP_USER": user,
            "RPA_IMAP_PASSWORD": PASSWORD,
            "RPA_IMAP_FOLDER": folder,
        }

    def client(self, user: str):  # noqa: ANN201 - an IMAPClient, imported lazily
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        client.login(user, PASSWORD)
        return client

    def append(self, user: str, mails: list[bytes], folder: str = "INBOX") -> None:
        client = self.client(user)
        try:
            for raw in mails:
                client.append(folder, raw)
        finally:
            client.logout()

    def flags(self, user: str, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        client = self.client(user)
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search(["ALL"])
            return (
                {uid: data[b"FLAGS"] for uid, data in client.fetch(uids, ["FLAGS"]).items()} if uids else {}
            )
        finally:
            client.logout()

    def messages(self, user: str, folder: str) -> list[Message]:
        client = self.client(user)
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search(["ALL"])
            fetched = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
            return [
                message_from_bytes(fetched[uid][b"BODY[]"], policy=email.policy.default)
                for uid in sorted(fetched)
            ]
        finally:
            client.logout()


@dataclass
class SmtpSink:
    """aiosmtpd on a free port, keeping every mail it accepts; `hold` delays MAIL FROM."""

    user: str = "smtp-user"
    password: str = "smtp-pw"
    received: list[Message] = field(default_factory=list)
    hold: threading.Event | None = None  # while set, MAIL FROM waits (a slow server)
    mail_from_seen: threading.Event = field(default_factory=threading.Event)
    refuse_recipients: bool = False

    def start(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        sink = self

        class Handler:
            async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: ANN001
                sink.mail_from_seen.set()
                while sink.hold is not None and sink.hold.is_set():
                    await asyncio.sleep(0.05)
                envelope.mail_from = address
                return "250 OK"

            async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: ANN001
                if sink.refuse_recipients:
                    return "550 5.1.1 mailbox unavailable"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
                mail = message_from_bytes(
                    envelope.original_content or envelope.content, policy=email.policy.default
                )
                mail["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
                sink.received.append(mail)
                return "250 Message accepted for delivery"

        def authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
            ok = auth_data.login == sink.user.encode() and auth_data.password == sink.password.encode()
            return AuthResult(success=ok, handled=False)

        self.port = free_port()
        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticate,
            auth_require_tls=False,
            auth_required=True,
        )
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def env(self) -> dict[str, str]:
        return {
            "RPA_SMTP_HOST": "127.0.0.1",
            "RPA_SMTP_PORT": str(self.port),
            "RPA_SMTP_SECURITY": "none",
            "RPA_SMTP_USER": self.user,
            "RPA_SMTP_PASSWORD": self.password,
        }


# The rules classifier: these tests are about mail flow, and it starts in milliseconds.
FAST_PIPELINE = {"RPA_PIPELINE_CLASSIFIER": "rules", "RPA_PIPELINE_WORKERS": "1"}


@pytest.fixture(scope="session")
def dovecot() -> Dovecot:
    require(dovecot_available(), "Dovecot is not installed (apt-get install dovecot-imapd) or not root")
    server = Dovecot()
    server.start()
    yield server
    server.close()


@pytest.fixture
def mailbox_user(dovecot: Dovecot) -> str:
    return dovecot.new_user()


@pytest.fixture
def smtp_sink() -> SmtpSink:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


def daemon_env(server: Dovecot, user: str, **extra: str) -> dict[str, str]:
    """What ops would set: the issue's RPA_IMAP_* names, quick retries for tests."""
    return {
        **server.env(user),
        **FAST_PIPELINE,
        "RPA_DAEMON_HEARTBEAT_SECONDS": "0.5",
        "RPA_DAEMON_RECONNECT_MAX_SECONDS": "2",
        "RPA_DRAFTING_FROM_ADDRESS": "sinistres@assureur.example",
        **extra,
    }


def start_daemon(home: Path, env: dict[str, str], *args: str) -> subprocess.Popen:
    """`rpa daemon` as ops run it, in the background; its log goes to home/daemon.log."""
    home.mkdir(parents=True, exist_ok=True)
    rpa = str(ROOT / ".venv" / "bin" / "rpa")
    log = (home / "daemon.log").open("ab")
    return subprocess.Popen(
        [rpa, "daemon", *args], env={**os.environ, "RPA_HOME": str(home), **env}, stdout=log, stderr=log
    )


def wait_until(condition, timeout: float = 20.0, every: float = 0.05) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def run_once(env: dict[str, str], processor=None) -> None:  # noqa: ANN001
    """`rpa daemon --once` in this process (setup for tests about something else)."""
    from rpa.config import load_settings
    from rpa.daemon import Daemon
    from rpa.pipeline import Pipeline
    from rpa.store import Store

    settings = load_settings(environ=env)
    with Store.open(settings) as store:
        Daemon(settings, store, processor=processor or Pipeline(settings)).run(once=True)
