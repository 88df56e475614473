"""User-defined fields: declared in the configuration, found by the pipeline with no code change."""

from __future__ import annotations

import json
from pathlib import Path

import docbuilder
import pytest
from conftest import make_mail, run_rpa
from stdnum import luhn

from extractors.fields.extract import extract_fields
from extractors.sources import RawInput
from rpa.config import CustomField, ParsingSettings, Settings, load_settings
from rpa.errors import ConfigError
from rpa.models import TextSource
from rpa.pipeline import Pipeline

CONFIG = """
[[parsing.custom_fields]]
name = "insurer_claim"
labels = ["dossier assureur", "insurer claim", "insurer file"]
pattern = 'AX-\\d{4}-\\d{6}'
type = "id"

[[parsing.custom_fields]]
name = "contract_type"
labels = ["type de contrat", "contract type"]
type = "text"
"""


def settings_from(tmp_path: Path, text: str, **env: str) -> Settings:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(
        path, environ={"RPA_HOME": str(tmp_path / "home"), "RPA_PIPELINE_WORKERS": "1", **env}
    )


def fields_in(text: str, *specs: CustomField) -> dict[str, str]:
    found = extract_fields([TextSource("body", text)], ParsingSettings(custom_fields=specs))
    return {name: field.value for name, field in found.items()}


# --- Configuration --------------------------------------------------------------


def test_fields_are_declared_as_an_array_of_tables(tmp_path: Path) -> None:
    declared = settings_from(tmp_path, CONFIG).parsing.custom_fields
    assert [field.name for field in declared] == ["insurer_claim", "contract_type"]
    assert declared[0].labels == ("dossier assureur", "insurer claim", "insurer file")


def test_fields_can_be_declared_in_the_environment_as_json(tmp_path: Path) -> None:
    value = json.dumps([{"name": "broker_code", "labels": ["code courtier"]}])
    declared = settings_from(tmp_path, "", RPA_PARSING_CUSTOM_FIELDS=value).parsing.custom_fields
    assert declared == (CustomField(name="broker_code", labels=("code courtier",)),)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('name = "policy_number"\nlabels = ["police"]', "built-in field"),
        ('name = "Broker Code"\nlabels = ["courtier"]', "lower-case"),
        ('name = "broker"\nlabels = ["courtier"]\ntype = "number"', "type must be one of"),
        ('name = "broker"\nlabels = ["courtier"]\npattern = "AX-(\\\\d"', "invalid pattern"),
        ('name = "broker"\nlabels = ["courtier"]\nvalidator = "nosuchcheck"', "unknown validator"),
        ('name = "broker"', "give labels, a pattern, or both"),
        ('name = "broker"\nlabels = ["courtier"]\ncolour = "red"', "unknown key(s): colour"),
    ],
)
def test_a_bad_declaration_is_a_clear_configuration_error(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        settings_from(tmp_path, f"[[parsing.custom_fields]]\n{table}\n")


# --- Finding values -------------------------------------------------------------


def test_a_value_after_its_label_is_found_with_the_fields_pattern() -> None:
    spec = CustomField(name="insurer_claim", labels=("dossier assureur",), pattern=r"AX-\d{4}-\d{6}")
    found = fields_in("Notre dossier assureur n° AX-2024-123456 est ouvert.", spec)
    assert found["insurer_claim"] == "AX-2024-123456"


def test_a_pattern_alone_finds_an_unlabelled_value_with_less_confidence() -> None:
    spec = CustomField(name="insurer_claim", labels=("dossier assureur",), pattern=r"AX-\d{4}-\d{6}")
    found = extract_fields(
        [TextSource("body", "Voir AX-2024-123456.")], ParsingSettings(custom_fields=(spec,))
    )
    assert found["insurer_claim"].value == "AX-2024-123456"
    assert found["insurer_claim"].confidence < 0.7


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("date", "Date de réparation : 3 mars 2025", "2025-03-03"),
        ("amount", "Franchise : 1 150,00 €", "1150.00"),
        ("id", "Code courtier : br-77x1", "BR-77X1"),
        ("text", "Type de contrat :   Multirisque   habitation\nMerci", "Multirisque habitation"),
    ],
)
def test_a_value_is_normalised_by_its_type(kind: str, text: str, value: str) -> None:
    label = text.split(":")[0].strip().lower()
    assert fields_in(text, CustomField(name="mine", labels=(label,), type=kind))["mine"] == value


def test_a_validator_turns_away_a_value_that_fails_its_check() -> None:
    good = "4970101234567" + luhn.calc_check_digit("4970101234567")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    spec = CustomField(name="card_number", labels=("carte",), validator="luhn")
    assert fields_in(f"Carte : {bad}", spec) == {}
    assert fields_in(f"Carte : {good}", spec) == {"card_number": good}


def test_a_python_stdnum_module_can_be_the_validator() -> None:
    spec = CustomField(name="insurer_siren", labels=("siren assureur",), validator="fr.siren")
    assert fields_in("SIREN assureur : 732829320", spec) == {"insurer_siren": "732829320"}
    assert fields_in("SIREN assureur : 732829321", spec) == {}


# --- Through the pipeline -------------------------------------------------------


def test_the_pipeline_finds_custom_fields_in_a_mail_and_in_a_pdf_attachment(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, CONFIG)
    pdf = docbuilder.text_pdf(
        ["Avenant au contrat\nType de contrat : Flotte automobile\nSigné le 2 mars 2025"]
    )
    raw = make_mail(
        "Bonjour,\nMon dossier assureur AX-2024-123456 attend votre réponse.\nJean Dupont",
        attachments=[("avenant.pdf", "application/pdf", pdf)],
    )
    pipeline = Pipeline(settings)
    try:
        result = pipeline.process(RawInput(source="m.eml", data=raw, kind="mail", filename="m.eml"))
    finally:
        pipeline.close()
    assert result.fields["insurer_claim"].value == "AX-2024-123456"
    assert result.fields["insurer_claim"].source == "body"
    assert result.fields["contract_type"].value == "Flotte automobile"
    assert result.fields["contract_type"].source == "attachment:avenant.pdf#p1"


def test_custom_fields_show_in_json_show_and_csv_export(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    mail = tmp_path / "m.eml"
    mail.write_bytes(
        make_mail("Bonjour, type de contrat : Flotte automobile. Dossier assureur AX-2024-123456.")
    )
    processed = run_rpa("process", str(mail), "--json", home=home)
    assert processed.returncode == 0, processed.stderr
    fields = json.loads(processed.stdout.splitlines()[0])["fields"]
    assert fields["contract_type"]["value"] == "Flotte automobile"
    assert "insurer_claim" in run_rpa("show", "1", home=home).stdout
    header, row = run_rpa("export", "--format", "csv", home=home).stdout.splitlines()[:2]
    assert "contract_type" in header.split(",") and "AX-2024-123456" in row
