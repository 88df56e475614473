"""Mailbox settings and OAuth2 tokens: the environment names deployments rely on."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tls import Certificates

from rpa.config import load_settings
from rpa.errors import ConfigError, MailboxError
from rpa.mailbox import TokenSource, tls_context, xoauth2_string

pytest_plugins = ["servers"]  # the certificates fixture: a CA made for the test


def test_the_documented_environment_variables_configure_imap_and_smtp(tmp_path: Path) -> None:
    settings = load_settings(
        environ={
            "RPA_HOME": str(tmp_path),
            "RPA_IMAP_HOST": "imap.example",
            "RPA_IMAP_PORT": "1993",
            "RPA_IMAP_SECURITY": "starttls",
            "RPA_IMAP_USER": "claims@example",
            "RPA_IMAP_PASSWORD": "pw1",
            "RPA_SMTP_HOST": "smtp.example",
            "RPA_SMTP_PORT": "2525",
            "RPA_SMTP_SECURITY": "ssl",
            "RPA_SMTP_USER": "claims@example",
            "RPA_SMTP_PASSWORD": "pw2",
        }
    )
    assert (settings.imap.host, settings.imap.port, settings.imap.security) == (
        "imap.example",
        1993,
        "starttls",
    )
    assert (settings.imap.user, settings.imap.password, settings.imap.folder) == (
        "claims@example",
        "pw1",
        "INBOX",
    )
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security) == ("smtp.example", 2525, "ssl")
    assert (settings.smtp.user, settings.smtp.password) == ("claims@example", "pw2")
    assert settings.home == tmp_path


def test_a_password_in_the_config_file_is_refused_but_a_password_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[imap]\npassword = "in-the-file"\n')
    with pytest.raises(
        ConfigError, match="password is a secret, never read from the file: set RPA_IMAP_PASSWORD"
    ):
        load_settings(environ={"RPA_HOME": str(tmp_path)})
    (tmp_path / "secret").write_text("from-a-file\n")
    (tmp_path / "config.toml").write_text(f'[imap]\npassword_file = "{tmp_path / "secret"}"\n')
    assert load_settings(environ={"RPA_HOME": str(tmp_path)}).imap.password == "from-a-file"


def test_daemon_rules_are_an_array_of_tables_checked_like_any_section(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[[daemon.rules]]\nsubject = "sinistre"\nstop = true\n[[daemon.rules]]\nattachment = "*.pdf"\n'
    )
    rules = load_settings(environ={"RPA_HOME": str(tmp_path)}).daemon.rules
    assert [(r.subject, r.attachment, r.stop) for r in rules] == [
        ("sinistre", "", True),
        ("", "*.pdf", False),
    ]
    (tmp_path / "config.toml").write_text('[[daemon.rules]]\nsubjet = "typo"\n')
    with pytest.raises(ConfigError, match=r"rules #1: unknown key\(s\): subjet"):
        load_settings(environ={"RPA_HOME": str(tmp_path)})


def test_rules_can_come_from_the_environment_as_json(tmp_path: Path) -> None:
    rules = json.dumps([{"sender": "@partner.example", "action": "read"}])
    settings = load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_DAEMON_RULES": rules})
    assert settings.daemon.rules[0].sender == "@partner.example"


def test_a_token_command_printing_json_is_cached_until_it_expires(tmp_path: Path) -> None:
    counter = tmp_path / "calls"
    helper = tmp_path / "helper.py"
    helper.write_text(
        "import json, pathlib, sys\n"
        f"p = pathlib.Path({str(counter)!r}); n = int(p.read_text()) + 1 if p.exists() else 1\n"
        "p.write_text(str(n)); print(json.dumps({'access_token': f'tok{n}', 'expires_in': 3600}))\n"
    )
    now = [0.0]
    tokens = TokenSource(command=f"{sys.executable} {helper}", clock=lambda: now[0])
    assert (tokens.token(), tokens.token()) == ("tok1", "tok1")
    now[0] = 3600.0
    assert tokens.token() == "tok2"
    assert tokens.token(fresh=True) == "tok3"


def test_a_token_file_is_read_again_at_each_login(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("first\n")
    tokens = TokenSource(file=str(token_file))
    assert tokens.token() == "first"
    token_file.write_text("second\n")
    assert tokens.token() == "second"


def test_a_failing_token_helper_is_a_mailbox_error_and_no_helper_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(MailboxError, match="exited 3"):
        TokenSource(command=f"{sys.executable} -c 'import sys; sys.exit(3)'").token()
    with pytest.raises(ConfigError, match="token_command or token_file"):
        TokenSource()


def test_the_xoauth2_string_is_the_one_google_and_microsoft_document() -> None:
    assert xoauth2_string("a@b.c", "ya29.x") == "user=a@b.c\x01auth=Bearer ya29.x\x01\x01"


def test_an_internal_ca_is_named_by_ca_file_in_the_file_or_the_environment(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[imap]\nca_file = "/etc/rpa/internal-ca.pem"\n')
    environ = {"RPA_HOME": str(tmp_path), "RPA_SMTP_CA_FILE": "/etc/rpa/smtp-ca.pem"}
    settings = load_settings(environ=environ)
    assert (settings.imap.ca_file, settings.smtp.ca_file) == (
        "/etc/rpa/internal-ca.pem",
        "/etc/rpa/smtp-ca.pem",
    )
    overridden = load_settings(environ={**environ, "RPA_IMAP_CA_FILE": "/other.pem"})
    assert overridden.imap.ca_file == "/other.pem"


def test_with_a_ca_file_that_ca_is_trusted_instead_of_the_system_store(certificates: Certificates) -> None:
    default = tls_context("", "imap")
    internal = tls_context(str(certificates.ca_file), "imap")
    assert internal.verify_mode == default.verify_mode and internal.check_hostname and default.check_hostname
    (ca,) = internal.get_ca_certs()
    assert ca["subject"] == ((("commonName", "rpa test CA"),),)


def test_a_ca_file_that_is_missing_or_not_pem_is_a_config_error_naming_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[smtp\] ca_file /nowhere/ca.pem: not a readable PEM file"):
        tls_context("/nowhere/ca.pem", "smtp")
    (tmp_path / "ca.pem").write_text("not a certificate\n")
    with pytest.raises(ConfigError, match=r"\[imap\] ca_file .*ca.pem: not a readable PEM file"):
        tls_context(str(tmp_path / "ca.pem"), "imap")
