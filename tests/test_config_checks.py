"""Every setting is checked when the configuration loads: choices, ranges, what one key needs of another.

A key with a fixed set of values is typed `Literal[...]` (`rpa.config.options`): the
loader refuses another value from the file or from its RPA_* variable, naming the key
and the choices; settings built by code are refused too. The name lists the settings
check are the registries' own (contract tests below).
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from pathlib import Path

import pytest

from drafting import BACKENDS
from extractors.intent import CLASSIFIERS
from extractors.ocr import RECOGNISERS
from rpa.config import (
    DaemonSettings,
    DraftingSettings,
    MailRule,
    OcrSettings,
    PipelineSettings,
    Settings,
    SmtpSettings,
    default_config_text,
    load_settings,
)
from rpa.config.mail import MAIL_ACTIONS
from rpa.config.ocr import OCR_ENGINES
from rpa.config.options import choices_of
from rpa.config.sections import CLASSIFIERS as CLASSIFIER_NAMES
from rpa.config.sections import DRAFTING_BACKENDS
from rpa.daemon.actions import ACTIONS
from rpa.errors import ConfigError
from rpa.outbox import Outbox, SmtpTransport
from rpa.store import Store
from rpa.web.app import create_app

SECTIONS = {f.name: f.type for f in dataclasses.fields(Settings) if f.name not in ("home", "config_path")}
CHOICE_KEYS = [
    (section, key, choices)
    for section, kind in typing.get_type_hints(Settings).items()
    if section in SECTIONS
    for key, hint in typing.get_type_hints(kind).items()
    if (choices := choices_of(hint)) is not None
]


def load(tmp_path: Path, toml: str = "", **environ: str) -> Settings:
    if toml:
        (tmp_path / "config.toml").write_text(toml)
    return load_settings(environ={"RPA_HOME": str(tmp_path), **environ})


def quoted(text: str) -> str:
    return text.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(").replace(")", r"\)")


def test_the_choice_keys_are_those_with_a_fixed_set_of_values() -> None:
    assert {(section, key) for section, key, _ in CHOICE_KEYS} == {
        ("pipeline", "classifier"),
        ("ocr", "engine"),
        ("ocr", "photo_runtime"),
        ("ocr", "photo_characters"),
        ("drafting", "backend"),
        ("model", "dtype"),
        ("imap", "security"),
        ("imap", "auth"),
        ("smtp", "security"),
        ("smtp", "auth"),
        ("smtp", "mode"),
        ("daemon", "action"),
        ("daemon", "log_format"),
    }


@pytest.mark.parametrize(("section", "key", "choices"), CHOICE_KEYS, ids=lambda v: str(v))
def test_a_wrong_choice_from_the_environment_is_refused_naming_the_key_and_the_choices(
    tmp_path: Path, section: str, key: str, choices: tuple
) -> None:
    variable = f"RPA_{section}_{key}".upper()
    expected = f"[{section}] {key} must be one of {', '.join(choices)}, not 'x' ({variable})"
    with pytest.raises(ConfigError, match=quoted(expected)):
        load(tmp_path, **{variable: "x"})


@pytest.mark.parametrize(("section", "key", "choices"), CHOICE_KEYS, ids=lambda v: str(v))
def test_a_wrong_choice_in_the_file_is_refused_naming_the_key_and_the_choices(
    tmp_path: Path, section: str, key: str, choices: tuple
) -> None:
    expected = f"[{section}] {key} must be one of {', '.join(choices)}, not 'x'"
    with pytest.raises(ConfigError, match=quoted(expected)):
        load(tmp_path, f'[{section}]\n{key} = "x"\n')


def test_every_choice_is_accepted_from_the_file_and_the_environment(tmp_path: Path) -> None:
    needs = {  # what a choice needs of other keys
        ("drafting", "transformers"): {"RPA_MODEL_PATH": "/models/tiny"},
        ("drafting", "openai"): {"RPA_OPENAI_MODEL": "mistral"},
        ("imap", "xoauth2"): {"RPA_IMAP_TOKEN_FILE": "/run/token"},
        ("smtp", "xoauth2"): {"RPA_IMAP_TOKEN_FILE": "/run/token"},
        ("smtp", "drafts"): {"RPA_IMAP_HOST": "imap.example.org"},
        ("daemon", "move"): {"RPA_DAEMON_MOVE_TO": "Done"},
    }
    for section, key, choices in CHOICE_KEYS:
        for choice in choices:
            environ = {f"RPA_{section}_{key}".upper(): choice, **needs.get((section, choice), {})}
            assert getattr(getattr(load(tmp_path, **environ), section), key) == choice
    assert load(tmp_path, '[ocr]\nengine = "tesseract"\n').ocr.engine == "tesseract"


def test_a_wrong_choice_in_a_table_of_an_array_names_the_table(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"\[daemon\] rules #2 action must be one of keyword, .*, not 'burn'"
    ):
        load(tmp_path, '[[daemon.rules]]\nsubject = "a"\n[[daemon.rules]]\naction = "burn"\n')
    with pytest.raises(ConfigError, match=r"custom_fields #1 type must be one of text, date, amount, id"):
        load(tmp_path, '[[parsing.custom_fields]]\nname = "broker"\nlabels = ["x"]\ntype = "number"\n')


def test_settings_built_by_code_are_held_to_the_same_choices() -> None:
    with pytest.raises(
        ConfigError, match=r"\[drafting\] backend must be one of template, transformers, openai"
    ):
        DraftingSettings(backend="gpt")  # type: ignore[arg-type]
    with pytest.raises(
        ConfigError, match=r"\[ocr\] engine must be one of auto, tesseract, rapidocr, not 'x'"
    ):
        OcrSettings(engine="x")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"\[\[daemon.rules\]\] urgent: action must be one of"):
        MailRule(name="urgent", action="burn")  # type: ignore[arg-type]
    assert MailRule(action="").action == ""  # empty: [daemon] action


def test_the_default_file_shows_each_key_s_choices_and_still_loads(tmp_path: Path) -> None:
    text = default_config_text()
    assert '# one of: "auto", "tesseract", "rapidocr"\n# engine = "auto"' in text
    assert '# one of: "keyword", "move", "read", "delete", "none"' in text
    assert tomllib.loads(text) == {section: {} for section in SECTIONS}
    (tmp_path / "config.toml").write_text(text)
    assert load(tmp_path) == Settings(home=tmp_path, config_path=tmp_path / "config.toml")


# -- the name lists of the settings are the registries' ---------------------------------


def test_the_settings_name_every_registered_engine_classifier_backend_and_action() -> None:
    assert OCR_ENGINES == ("auto", *RECOGNISERS)
    assert set(CLASSIFIER_NAMES) == set(CLASSIFIERS)
    assert set(DRAFTING_BACKENDS) == set(BACKENDS)
    assert set(MAIL_ACTIONS) == set(ACTIONS)


# -- checks that were made at first use, now made when the settings load -------------------


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"RPA_OCR_PAGE_SEGMENTATION": "14"}, "[ocr] page_segmentation must be 0 (chosen per page) or"),
        ({"RPA_PIPELINE_INTENT_THRESHOLD": "1.5"}, "[pipeline] intent_threshold must be between 0 and 1"),
        ({"RPA_DAEMON_ACTION": "move"}, "[daemon] action = move needs move_to"),
        ({"RPA_IMAP_AUTH": "xoauth2"}, "[imap] auth = xoauth2 needs token_command or token_file"),
        (
            {"RPA_SMTP_AUTH": "xoauth2"},
            "[smtp] auth = xoauth2 needs the [imap] token_command or token_file",
        ),
        ({"RPA_SMTP_MODE": "drafts"}, "[smtp] mode = drafts needs the mailbox: set [imap] host"),
        ({"RPA_DRAFTING_BACKEND": "transformers"}, "set [model] path or RPA_MODEL_PATH"),
        ({"RPA_DRAFTING_BACKEND": "openai"}, "set [openai] model or RPA_OPENAI_MODEL"),
    ],
    ids=lambda v: next(iter(v)) + "=" + next(iter(v.values())) if isinstance(v, dict) else None,
)
def test_a_wrong_setting_stops_rpa_when_the_configuration_loads(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=quoted(message)):
        load(tmp_path, **environ)


def test_a_rule_that_moves_needs_a_folder_of_its_own_or_the_daemon_s(tmp_path: Path) -> None:
    rules = '[[daemon.rules]]\nsubject = "a"\n[[daemon.rules]]\naction = "move"\n'
    with pytest.raises(ConfigError, match=r"\[\[daemon.rules\]\] #2: action = move needs move_to"):
        load(tmp_path, rules)
    assert load(tmp_path, rules, RPA_DAEMON_MOVE_TO="Done").daemon.rules[1].action == "move"
    assert DaemonSettings(rules=(MailRule(action="move", move_to="Claims"),)).rules[0].move_to == "Claims"


def test_a_threshold_and_a_page_segmentation_in_range_are_kept(tmp_path: Path) -> None:
    settings = load(tmp_path, RPA_PIPELINE_INTENT_THRESHOLD="1", RPA_OCR_PAGE_SEGMENTATION="13")
    assert (settings.pipeline.intent_threshold, settings.ocr.page_segmentation) == (1.0, 13)
    assert PipelineSettings(intent_threshold=0.0).intent_threshold == 0.0


# -- what depends on the machine is refused when the command that needs it starts ----------


def sending(tmp_path: Path, **environ: str) -> Settings:
    return load(tmp_path, RPA_SMTP_HOST="127.0.0.1", RPA_DRAFTING_FROM_ADDRESS="us@example.org", **environ)


def test_an_unreadable_smtp_ca_file_stops_rpa_send_before_any_reply(tmp_path: Path) -> None:
    settings = sending(tmp_path, RPA_SMTP_CA_FILE=str(tmp_path / "missing.pem"))
    with Store.open(settings) as store, pytest.raises(ConfigError, match=r"\[smtp\] ca_file .*missing.pem"):
        Outbox(settings, store)


def test_replies_without_our_address_stop_rpa_send_before_any_reply(tmp_path: Path) -> None:
    settings = load(tmp_path, RPA_SMTP_HOST="127.0.0.1")
    with Store.open(settings) as store, pytest.raises(ConfigError, match="RPA_DRAFTING_FROM_ADDRESS"):
        Outbox(settings, store)


def test_an_smtp_login_without_a_password_stops_rpa_send_before_any_reply(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no SMTP password: set RPA_SMTP_PASSWORD"):
        SmtpTransport(sending(tmp_path, RPA_SMTP_USER="us@example.org").smtp)
    assert SmtpTransport(SmtpSettings(host="127.0.0.1", security="none")).smtp.user == ""


def test_an_unusable_web_secret_key_file_stops_rpa_web_when_single_sign_on_is_on(tmp_path: Path) -> None:
    (tmp_path / "short-key").write_bytes(b"too short")
    sso = {"RPA_OIDC_ISSUER": "https://sso.example.org", "RPA_OIDC_CLIENT_ID": "rpa"}
    settings = load(tmp_path, RPA_WEB_SECRET_KEY_FILE=str(tmp_path / "short-key"), **sso)
    with Store.open(settings) as store, pytest.raises(ConfigError, match="holds 9 bytes, fewer than 32"):
        create_app(settings, store)
    without_sso = load(tmp_path, RPA_WEB_SECRET_KEY_FILE=str(tmp_path / "short-key"))
    with Store.open(without_sso) as store:
        assert create_app(without_sso, store).state.settings is without_sso
