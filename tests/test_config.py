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
