"""Real mail servers for the daemon and outbox tests: Dovecot (IMAP) and aiosmtpd (SMTP, smtpsink.py).

Dovecot runs with its own configuration (dovecotconf.py) in a temporary folder
on a free port of 127.0.0.1; the system's /etc/dovecot is never read. Facts about running it as
root here: it refuses uid 0 for mail storage (mail is stored as the `mail`
user), every parent folder of its directory must be traversable by `dovecot`
and `mail` (so the folder is made under /tmp and opened with chmod 0755), and
the login and anvil services need `chroot =` when not started by the packaged
init. Any user name logs in with `PASSWORD`: each test takes a fresh user, so
each test has a fresh, empty mailbox.

`Dovecot(certificates, oauth_url)` is the same server with `ssl = required`
(implicit TLS on `ssl_port`, STARTTLS on `port`) and an oauth2 passdb asking a
token introspection endpoint (tests/oauth.py) for XOAUTH2 and OAUTHBEARER.
Dovecot delays every login from an address that just failed one (2 s, doubling
up to 15 s, kept in its anvil process): all tests come from 127.0.0.1, so the
server is started without that penalty (see `_without_login_penalty`).
"""

from __future__ import annotations

import email.policy
import importlib.util
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import weakref
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from conftest import ROOT, require
from dovecotconf import dovecot_config, oauth2_settings
from oauth import TokenIntrospection
from smtpsink import SmtpSink, free_port
from tls import Certificates, make_certificates

__all__ = [
    "PASSWORD",
    "Certificates",
    "Dovecot",
    "SmtpSink",
    "certificates",
    "daemon_env",
    "dovecot",
    "dovecot_available",
    "free_port",
    "mailbox_user",
    "run_once",
    "secure_dovecot",
    "smtp_sink",
    "start_daemon",
    "token_introspection",
    "wait_until",
]

PASSWORD = "s3cret-pw"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


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


def _without_login_penalty(root: Path) -> bool:
    """Unlink the socket by which the auth process finds anvil's login penalties (it then
    goes without them, as it would with no anvil); False while the master has not made it yet."""
    try:
        (root / "run" / "anvil-auth-penalty").unlink()
    except FileNotFoundError:
        return False
    return True


class Dovecot:
    """A Dovecot IMAP server of our own; `stop()` and `start()` again keep its mail.

    With `certificates`, TLS is required: implicit on `ssl_port`, STARTTLS on
    `port`. With `oauth_url`, XOAUTH2 tokens are checked at that introspection URL.
    """

    def __init__(self, certificates: Certificates | None = None, oauth_url: str = "") -> None:
        self.root = Path(tempfile.mkdtemp(prefix="rpa-dovecot-", dir="/tmp"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.ssl_port = free_port() if certificates else 0
        self.certificates = certificates
        self.host = "127.0.0.1"
        self.process: subprocess.Popen | None = None
        self._finalizer: weakref.finalize | None = None
        self._users = itertools.count(1)
        mail = self.root / "mail"
        mail.mkdir()
        shutil.chown(mail, "mail", "mail")
        if oauth_url:
            (self.root / "dovecot-oauth2.conf.ext").write_text(oauth2_settings(oauth_url), encoding="utf-8")
        config = dovecot_config(self.root, self.port, self.ssl_port, PASSWORD, certificates, bool(oauth_url))
        (self.root / "dovecot.conf").write_text(config, encoding="utf-8")

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
        started = time.monotonic()
        deadline = started + 15
        penalty_removed = False
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stderr.read().decode()}\n{self.log()}")
            # Before the first connection: the auth process starts with it and looks for anvil then.
            # (The master makes every socket before it listens; after 2 s, go on with penalties.)
            if not penalty_removed and time.monotonic() - started < 2:
                penalty_removed = _without_login_penalty(self.root)
                if not penalty_removed:
                    time.sleep(0.01)
                    continue
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
        """The RPA_IMAP_* variables a deployment would set for this server (implicit TLS if it has it)."""
        tls = self.certificates is not None
        return {
            "RPA_IMAP_HOST": self.host,
            "RPA_IMAP_PORT": str(self.ssl_port if tls else self.port),
            "RPA_IMAP_SECURITY": "ssl" if tls else "none",
            "RPA_IMAP_CA_FILE": str(self.certificates.ca_file) if tls else "",
            "RPA_IMAP_USER": user,
            "RPA_IMAP_PASSWORD": PASSWORD,
            "RPA_IMAP_FOLDER": folder,
        }

    def client(self, user: str):  # noqa: ANN201 - an IMAPClient, imported lazily
        from imapclient import IMAPClient

        if self.certificates is None:
            client = IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        else:
            context = self.certificates.client_context()
            client = IMAPClient(self.host, port=self.ssl_port, ssl=True, ssl_context=context, timeout=30)
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


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A throwaway CA and a server certificate for 127.0.0.1, made now (tests/tls.py)."""
    require(importlib.util.find_spec("cryptography") is not None, "the cryptography package is missing")
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def token_introspection() -> TokenIntrospection:
    endpoint = TokenIntrospection()
    endpoint.start()
    yield endpoint
    endpoint.stop()


@pytest.fixture(scope="session")
def secure_dovecot(certificates: Certificates, token_introspection: TokenIntrospection) -> Dovecot:
    """Dovecot with `ssl = required` (imaps and STARTTLS) and XOAUTH2 against `token_introspection`."""
    require(dovecot_available(), "Dovecot is not installed (apt-get install dovecot-imapd) or not root")
    server = Dovecot(certificates, oauth_url=token_introspection.url)
    server.start()
    yield server
    server.close()


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


def run_once(env: dict[str, str], pipeline=None) -> None:  # noqa: ANN001
    """`rpa daemon --once` in this process (setup for tests about something else), with
    `pipeline` (a `rpa.pipeline.Pipeline`) or the default one."""
    from rpa.batch import PipelineRunner
    from rpa.config import load_settings
    from rpa.daemon import Daemon
    from rpa.store import Store

    settings = load_settings(environ=env)
    with Store.open(settings) as store, PipelineRunner(settings, 1, pipeline=pipeline) as runner:
        Daemon(settings, store, runner=runner).run(once=True)
