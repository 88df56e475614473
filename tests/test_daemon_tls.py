"""`rpa daemon` over TLS, against a Dovecot that requires it, with a CA made for the test."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest
from conftest import make_mail, run_rpa
from servers import Dovecot, daemon_env, start_daemon, wait_until
from tls import make_certificates

from rpa.config import load_settings
from rpa.store import Store

pytest_plugins = ["servers"]  # the secure_dovecot fixture and its certificates

KEYWORD = b"$rpa-processed"
CLAIM = make_mail(
    "Bonjour,\n\nJe déclare un sinistre survenu le 14 mars 2025. Contrat HAB-20931000.\n\nCordialement,\n",
    message_id="<tls-claim@example.fr>",
)


@pytest.fixture
def user(secure_dovecot: Dovecot) -> str:
    return secure_dovecot.new_user()


def tls_env(server: Dovecot, user: str, security: str, **extra: str) -> dict[str, str]:
    """RPA_IMAP_* for `security`: ssl on the imaps port, starttls on the plain one; ca_file set."""
    port = server.ssl_port if security == "ssl" else server.port
    return daemon_env(server, user, RPA_IMAP_SECURITY=security, RPA_IMAP_PORT=str(port), **extra)


def is_stored(home: Path, env: dict[str, str], message_id: str) -> bool:
    with Store.open(load_settings(environ={**env, "RPA_HOME": str(home)})) as store:
        return store.find_message(message_id) is not None


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_trusting_the_internal_ca_the_daemon_takes_mail_over_tls(
    secure_dovecot: Dovecot, user: str, tmp_path: Path, security: str
) -> None:
    secure_dovecot.append(user, [CLAIM])
    env = tls_env(secure_dovecot, user, security)

    done = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert done.returncode == 0, done.stderr
    assert is_stored(tmp_path, env, "<tls-claim@example.fr>")
    assert KEYWORD in secure_dovecot.flags(user)[1]
    logins = re.findall(rf"Login: user=<{re.escape(user)}>, method=PLAIN, .*", secure_dovecot.log())
    assert len(logins) >= 2 and all(", TLS," in line for line in logins)  # ours, and the test's own


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_without_the_ca_file_the_certificate_is_refused_with_a_clear_error(
    secure_dovecot: Dovecot, user: str, tmp_path: Path, security: str
) -> None:
    env = tls_env(secure_dovecot, user, security, RPA_IMAP_CA_FILE="")

    done = run_rpa("daemon", "--once", home=tmp_path, env=env)

    port = env["RPA_IMAP_PORT"]
    assert done.returncode == 1
    assert (
        f"error: the TLS certificate of 127.0.0.1:{port} was not accepted: "
        "unable to get local issuer certificate; if an internal CA signed it, "
        "set [imap] ca_file (RPA_IMAP_CA_FILE) to the CA's PEM file"
    ) in done.stderr
    assert "Traceback" not in done.stderr


def test_a_ca_file_of_another_ca_is_refused_and_the_file_is_named(
    secure_dovecot: Dovecot, user: str, tmp_path: Path
) -> None:
    other = make_certificates(tmp_path / "other-ca")
    env = tls_env(secure_dovecot, user, "ssl", RPA_IMAP_CA_FILE=str(other.ca_file))

    done = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        f"was not accepted: unable to get local issuer certificate; "
        f"check that {other.ca_file} holds the CA that signed it"
    ) in done.stderr


def test_a_running_daemon_logs_a_refused_certificate_as_an_error_and_keeps_trying(
    secure_dovecot: Dovecot, user: str, tmp_path: Path
) -> None:
    env = tls_env(secure_dovecot, user, "ssl", RPA_IMAP_CA_FILE="", RPA_DAEMON_RECONNECT_MAX_SECONDS="0.2")
    log = tmp_path / "daemon.log"
    daemon = start_daemon(tmp_path, env)
    try:
        assert wait_until(lambda: log.exists() and log.read_text().count("was not accepted") >= 2), (
            log.read_text() if log.exists() else "no log"
        )
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0
    refusals = [line for line in log.read_text().splitlines() if "was not accepted" in line]
    assert all(" ERROR rpa.daemon: the TLS certificate of 127.0.0.1:" in line for line in refusals)
