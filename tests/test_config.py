"""Configuration: one TOML file, RPA_* overrides, secrets never from the file."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from rpa.config import Settings, default_config_text, load_settings
from rpa.errors import ConfigError


def test_defaults_apply_without_a_config_file(tmp_path: Path) -> None:
    settings = load_settings(environ={"RPA_HOME": str(tmp_path)})
    assert settings.config_path is None
    assert settings.ocr.languages == "fra+eng"
    assert settings.parsing.day_first is True
    assert settings.database_url == f"sqlite:///{tmp_path / 'rpa.db'}"


def test_config_file_in_rpa_home_is_read(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[ocr]\nlanguages = "fra"\ndpi = 200\n')
    settings = load_settings(environ={"RPA_HOME": str(tmp_path)})
    assert (settings.ocr.languages, settings.ocr.dpi) == ("fra", 200)
    assert settings.config_path == tmp_path / "config.toml"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    config = tmp_path / "custom.toml"
    config.write_text("[limits]\nmax_attachment_mb = 20\n[parsing]\nday_first = true\n")
    settings = load_settings(
        config,
        environ={
            "RPA_HOME": str(tmp_path),
            "RPA_LIMITS_MAX_ATTACHMENT_MB": "2.5",
            "RPA_PARSING_DAY_FIRST": "no",
        },
    )
    assert settings.limits.max_attachment_mb == 2.5
    assert settings.parsing.day_first is False


def test_int_in_toml_is_accepted_for_a_float_setting(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[limits]\nmax_message_mb = 10\n")
    assert load_settings(environ={"RPA_HOME": str(tmp_path)}).limits.max_message_mb == 10.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[ocr]\nlanguage = 'fra'\n", "unknown key(s) in [ocr]: language"),
        ("[imaginary]\nx = 1\n", "unknown section(s): imaginary"),
        ("[ocr]\ndpi = 'high'\n", "expected int"),
        ("[ocr\n", "invalid TOML"),
    ],
)
def test_a_wrong_config_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "config.toml").write_text(content)
    with pytest.raises(
        ConfigError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")
    ):
        load_settings(environ={"RPA_HOME": str(tmp_path)})


def test_a_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RPA_OCR_DPI"):
        load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_OCR_DPI": "lots"})


def test_an_explicit_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml", environ={"RPA_HOME": str(tmp_path)})


def test_default_config_text_is_valid_toml_naming_every_setting() -> None:
    text = default_config_text()
    sections = [f.name for f in dataclasses.fields(Settings) if f.name not in ("home", "config_path")]
    assert {"store", "pipeline", "ocr", "limits", "parsing", "drafting", "model", "openai", "kb"} <= set(
        sections
    )
    assert tomllib.loads(text) == {s: {} for s in sections}
    for key in ("languages", "max_attachment_mb", "day_first", "team_name", "url", "workers"):
        assert f"# {key} = " in text


def test_the_web_section_takes_sla_hours_as_a_table_or_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[web]\nport = 8080\n[web.sla_hours]\ncomplaint = 12\n")
    settings = load_settings(environ={"RPA_HOME": str(tmp_path)})
    assert settings.web.port == 8080 and settings.web.sla("complaint") == 12.0
    assert settings.web.sla("information") == settings.web.default_sla_hours
    overridden = load_settings(
        environ={"RPA_HOME": str(tmp_path), "RPA_WEB_SLA_HOURS": "complaint=6,claim_new=8"}
    )
    assert overridden.web.sla_hours == {"complaint": 6.0, "claim_new": 8.0}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[web]\nport = 70000\n", "port must be between"),
        ("[web]\nclaim_lease_minutes = 0\n", "claim_lease_minutes must be above 0"),
        ("[web]\nbase_url = 'rpa.example.org'\n", "base_url must be an http"),
        ("[web.sla_hours]\nclaims = 4\n", "unknown intent 'claims'"),
        ("[web.sla_hours]\ncomplaint = 'soon'\n", "complaint must be a number"),
        ("[web]\nlogin_delay_after = 20\nlogin_lock_after = 5\n", "login_delay_after"),
        ("[oidc]\nissuer = 'https://sso.example.org'\n", "client_id is empty"),
        ("[oidc]\nclient_secret = 'x'\n", "is a secret"),
    ],
)
def test_a_wrong_web_or_sso_setting_stops_rpa_when_the_configuration_loads(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "config.toml").write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={"RPA_HOME": str(tmp_path)})


def test_cookies_are_secure_when_the_workspace_s_address_is_https(tmp_path: Path) -> None:
    settings = load_settings(
        environ={"RPA_HOME": str(tmp_path), "RPA_WEB_BASE_URL": "https://rpa.example.org"}
    )
    assert settings.web.secure_cookies
    assert not load_settings(environ={"RPA_HOME": str(tmp_path)}).web.secure_cookies


def test_a_server_url_with_a_password_is_read_from_a_file_named_in_the_file_or_the_environment(
    tmp_path: Path,
) -> None:
    store_url, broker_url = tmp_path / "store-url", tmp_path / "broker-url"
    store_url.write_text("postgresql+psycopg://rpa:s3cret@db.internal/rpa\n")
    broker_url.write_text("amqp://rpa:hunter2@mq.internal:5672//\n")
    (tmp_path / "config.toml").write_text(f"[store]\nurl_file = '{store_url}'\n")
    settings = load_settings(
        environ={"RPA_HOME": str(tmp_path), "RPA_QUEUE_BROKER_URL_FILE": str(broker_url)}
    )
    assert settings.store.url == "postgresql+psycopg://rpa:s3cret@db.internal/rpa"
    assert settings.queue.broker_url == "amqp://rpa:hunter2@mq.internal:5672//"
    plain = load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_STORE_URL": "sqlite:////tmp/x.db"})
    assert plain.store.url == "sqlite:////tmp/x.db"  # the variable itself wins over any file
    (tmp_path / "config.toml").write_text("[queue]\nbroker_url = 'redis://127.0.0.1:6379/0'\n")
    with pytest.raises(ConfigError) as refused:  # a URL without a password may stay in the file
        load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_STORE_URL_FILE": str(tmp_path / "none")})
    assert "cannot read secret file for RPA_STORE_URL" in str(refused.value)


def test_a_password_in_a_server_url_is_never_shown_in_an_error(tmp_path: Path) -> None:
    environ = {
        "RPA_HOME": str(tmp_path),
        "RPA_QUEUE_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
        "RPA_STORE_URL": "mysql://rpa:hunter2@db.internal/rpa",
    }
    with pytest.raises(ConfigError) as refused:
        load_settings(environ=environ)
    assert "mysql://rpa:***@db.internal/rpa" in str(refused.value)
    assert "hunter2" not in str(refused.value)
