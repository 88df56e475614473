"""Learning from agents: `rpa correct` records an agent's corrections beside what rpa read, and
`rpa train` fits the intent classifier again on the mails agents reviewed, measures it, saves it
where the next run picks it up, and `rpa train --rollback` puts the previous one back.

Real parts throughout: a SQLite store in a temporary RPA_HOME, mails through the pipeline, the
`rpa` command (in process, through Typer's runner), the scikit-learn model fitted for real."""

from __future__ import annotations

import getpass
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import make_mail
from typer.testing import CliRunner
from webclient import seed

from extractors.intent.learned import (
    Example,
    current_version,
    example_from_message,
    intent_models_folder,
    load_examples,
    shipped_examples,
    shipped_model,
)
from extractors.mime import parse_message
from rpa.cli import app
from rpa.config import Settings, load_settings
from rpa.models import Intent
from rpa.modelversions import save_version, version_in_use
from rpa.pipeline import Pipeline
from rpa.store import Store
from rpa.store.corrections import Corrections
from rpa.training import reviewed_examples, stored_message
from rpa.workspace import open_item

FOLDS = 2  # the smallest cross-validation: each fit takes about a second

# A desk's own habit the shipped examples do not know: a request for the "relevé
# d'information" / "no-claims record" (the customer is leaving) is filed as `information`.
LEAVING = [
    (
        "fr",
        "Relevé d'information",
        "Bonjour, merci de m'adresser mon relevé d'information auto, je change "
        "d'assureur le mois prochain.\nCordialement,\nPaul Girard",
    ),
    (
        "fr",
        "Demande de relevé d'information",
        "Bonjour, pouvez-vous m'envoyer le relevé d'information de mon "
        "contrat auto ? Mon nouvel assureur me le demande.\nMerci,\nLéa Roux",
    ),
    (
        "fr",
        "releve d'info",
        "Bonjour, j'aurais besoin de mon releve d'information pour souscrire ailleurs. "
        "Merci d'avance.\nMarc Petit",
    ),
    (
        "en",
        "No claims record",
        "Hello, please send me my no-claims record for my car policy, I am moving to "
        "another insurer next month.\nRegards,\nJohn Smith",
    ),
    (
        "en",
        "Request for no claims record",
        "Hello, could you email me the no-claims record of my motor "
        "policy? My new insurer is asking for it.\nThanks,\nMary Jones",
    ),
    (
        "en",
        "no claims record",
        "Hi, I need my no-claims record to take out a policy elsewhere. Thanks in advance.\nTom Brown",
    ),
]
# New mails, near-identical to those: worded a little differently, never stored.
NEW_LEAVING = [
    (
        "fr",
        "Relevé d'information",
        "Bonjour, merci de m'envoyer mon relevé d'information, je change "
        "d'assureur.\nCordialement,\nAnne Morel",
    ),
    (
        "en",
        "No claims record",
        "Hello, please send me my no-claims record, I am moving to another insurer.\nRegards,\nPeter Hall",
    ),
]
CLAIM = (
    "Bonjour,\n\nJe déclare un dégât des eaux survenu le 12 mars 2025 dans ma cuisine.\n"
    "Mon contrat est le HAB-4012-22.\n\nCordialement,\nJeanne Martin"
)


def _settings(home: Path) -> Settings:
    return load_settings(environ={"RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1"})


def _mail(n: int, subject: str, text: str) -> tuple[str, bytes]:
    return f"mail-{n}.eml", make_mail(text, subject=subject, message_id=f"<mail-{n}@example.org>")


def _rpa(home: Path, *args: str):  # noqa: ANN202 - click's Result
    """The `rpa` command as a user runs it, in this process (no interpreter start-up)."""
    return CliRunner().invoke(app, list(args), env={"RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1"})


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A store where agents corrected six mails, approved one, rejected one and left one
    pending, plus a held-out set (one of its mails was also processed and corrected); then
    `rpa train --folds 2` ran once."""
    root = tmp_path_factory.mktemp("desk")
    home, heldout = root / "home", root / "heldout"
    settings = _settings(home)
    heldout.mkdir()
    held_claim = make_mail(CLAIM, subject="Sinistre cuisine", message_id="<held-1@example.org>")
    (heldout / "held-1.eml").write_bytes(held_claim)
    (heldout / "held-1.expected.json").write_text(json.dumps({"intent": "claim_new"}), encoding="utf-8")
    held_cancel = make_mail(
        "Hello, I want to cancel my home insurance policy HAB-4100-22 at its renewal date.\nKind regards,\nAnn Lee",
        subject="Cancellation",
        message_id="<held-2@example.org>",
    )
    (heldout / "held-2.eml").write_bytes(held_cancel)
    (heldout / "held-2.expected.json").write_text(json.dumps({"intent": "cancellation"}), encoding="utf-8")
    mails = [_mail(n, subject, text) for n, (_, subject, text) in enumerate(LEAVING)]
    mails += [
        _mail(10, "Déclaration de sinistre", CLAIM.replace("HAB-4012", "HAB-4013")),  # approved
        _mail(11, "Résiliation", "Bonjour, je résilie mon contrat HAB-4014-22.\nAlain Bon"),  # rejected
        _mail(12, "Question", "Bonjour, quels sont vos horaires d'ouverture ?\nEve Blanc"),  # pending
        ("held-1.eml", held_claim),  # a held-out mail someone processed
    ]
    with Store.open(settings) as store:
        ids = seed(settings, store, mails)
        leaving = [ids[f"mail-{n}.eml"] for n in range(len(LEAVING))]
        for n, message_pk in enumerate(leaving):
            agent = ["alice", "bob"][n % 2]
            done = _rpa(home, "correct", str(message_pk), "--intent", "information", "--as", agent)
            assert done.exit_code == 0, done.output
            if "unchanged" in done.output:  # rpa read it right: the agent approves the reply instead
                store.approve(message_pk, actor=agent)
        store.approve(ids["mail-10.eml"], actor="carol")
        store.reject(ids["mail-11.eml"], actor="carol", reason="wrong template")
        _rpa(home, "correct", str(ids["held-1.eml"]), "--intent", "complaint", "--as", "alice")
        reviewed = reviewed_examples(store, settings, leave_out=[hashlib.sha256(held_claim).hexdigest()])
    trained = _rpa(home, "train", "--folds", str(FOLDS), "--heldout", str(heldout))
    return SimpleNamespace(
        home=home,
        settings=settings,
        heldout=heldout,
        ids=ids,
        leaving=leaving,
        reviewed=reviewed,
        trained=trained,
    )


# --- rpa correct ---------------------------------------------------------------------------------------


@pytest.fixture
def claim(settings: Settings, store: Store) -> int:
    return seed(settings, store, [_mail(1, "Déclaration de sinistre", CLAIM)])["mail-1.eml"]


def test_rpa_correct_records_intent_and_fields_with_who_and_when_beside_what_was_read(
    settings: Settings, store: Store, claim: int
) -> None:
    read = store.message(claim)
    before = datetime.now(UTC)
    result = _rpa(
        settings.home,
        "correct", str(claim), "--intent", "complaint",
        "--field", "policy_number=AUT-778899", "--field", "incident_date=14/03/2025", "--as", "alice",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"message {claim}: intent {read.intent} -> complaint" in result.output
    assert f"message {claim}: incident_date 2025-03-12 -> 2025-03-14" in result.output
    assert "recorded as alice" in result.output
    fixes = {fix.name: fix for fix in Corrections(store).for_message(claim)}
    assert fixes["intent"].previous == read.intent and fixes["intent"].value == "complaint"
    assert fixes["policy_number"].value == "AUT-778899" and fixes["incident_date"].value == "2025-03-14"
    assert {fix.actor for fix in fixes.values()} == {"alice"}
    assert all(before <= fix.at <= datetime.now(UTC) for fix in fixes.values())
    fields = {f.name: f for f in open_item(store, settings, claim, actor="x", claim=False).fields}
    assert fields["incident_date"].extracted == "2025-03-12"  # what rpa read stays beside it
    assert store.message(claim).intent == "complaint"


def test_rpa_correct_acts_as_the_os_user_by_default_and_says_when_nothing_changed(
    settings: Settings, store: Store, claim: int
) -> None:
    first = _rpa(settings.home, "correct", str(claim), "--intent", "claim_followup")
    again = _rpa(settings.home, "correct", str(claim), "--intent", "claim_followup")
    assert first.exit_code == again.exit_code == 0
    assert "intent claim_followup, unchanged" in again.output.replace("already ", "")
    (fix,) = Corrections(store).for_message(claim)
    assert fix.actor == getpass.getuser()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--intent", "claim_nouveau"], "unknown intent 'claim_nouveau'"),
        (["--field", "polcy_number=AUT-1"], "unknown field 'polcy_number'"),
        (["--field", "iban=FR76 1234"], "not a valid IBAN"),
        (["--field", "incident_date=la semaine dernière"], "not a date"),
        (["--field", "policy_number"], "not name=value"),
        ([], "give --intent"),
    ],
)
def test_rpa_correct_refuses_bad_input_with_exit_2_and_writes_nothing(
    settings: Settings, store: Store, claim: int, args: list[str], message: str
) -> None:
    # a valid correction beside the bad one: it must not be written either
    extra = ["--intent", "complaint"] if args and args[0] == "--field" else []
    result = _rpa(settings.home, "correct", str(claim), *extra, *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split()).replace("│", "").replace("  ", " ")
    assert Corrections(store).for_message(claim) == []


def test_rpa_correct_leaves_a_message_another_agent_holds_in_the_workspace(
    settings: Settings, store: Store, claim: int
) -> None:
    open_item(store, settings, claim, actor="bob")  # bob has it open in his browser
    result = _rpa(settings.home, "correct", str(claim), "--intent", "complaint", "--as", "alice")
    assert result.exit_code == 1
    assert "being reviewed by bob" in result.output
    assert Corrections(store).for_message(claim) == []


def test_rpa_correct_of_an_unknown_message_is_an_error(settings: Settings, store: Store) -> None:
    result = _rpa(settings.home, "correct", "999", "--intent", "complaint")
    assert result.exit_code == 1 and "no message with id 999" in result.output


# --- which mails teach the model ------------------------------------------------------------------------


def test_corrected_and_approved_mails_are_learned_and_unreviewed_or_rejected_ones_are_not(
    desk: SimpleNamespace,
) -> None:
    learned = set(desk.reviewed.message_ids)
    assert set(desk.leaving) <= learned  # intent corrected
    assert desk.ids["mail-10.eml"] in learned  # reply approved: its intent was accepted
    assert desk.ids["mail-11.eml"] not in learned  # reply rejected, intent never confirmed
    assert desk.ids["mail-12.eml"] not in learned  # nobody looked at it
    labels = dict(zip(desk.reviewed.message_ids, (e.intent for e in desk.reviewed.examples), strict=True))
    assert {labels[message_pk] for message_pk in desk.leaving} == {Intent.INFORMATION}


def test_a_stored_mail_becomes_the_example_its_parsed_mail_gives(desk: SimpleNamespace) -> None:
    with Store.open(desk.settings) as store:
        record = store.message(desk.leaving[0])
        rebuilt = example_from_message(stored_message(store, desk.settings, record))
    _, subject, text = LEAVING[0]
    parsed = parse_message(make_mail(text, subject=subject), source="x", limits=desk.settings.limits)
    assert rebuilt.features() == example_from_message(parsed).features()


def test_a_held_out_mail_is_never_trained_on_even_when_an_agent_corrected_it(desk: SimpleNamespace) -> None:
    version = current_version(intent_models_folder(desk.settings))
    meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
    assert desk.ids["held-1.eml"] not in meta["messages"]
    assert meta["left_out"] == 1
    assert "1 held-out mail(s) left out" in desk.trained.output


# --- rpa train ---------------------------------------------------------------------------------------------


def test_rpa_train_prints_accuracies_before_and_after_and_on_the_held_out_set(desk: SimpleNamespace) -> None:
    assert desk.trained.exit_code == 0, desk.trained.output
    lines = desk.trained.output.splitlines()
    shipped = len(shipped_examples())
    assert lines[0].startswith(
        f"examples: {shipped} shipped + {len(desk.reviewed.examples)} reviewed by agents"
    )
    assert lines[1].startswith(f"cross-validated accuracy ({FOLDS} folds): before ")
    assert f"/{shipped}), after " in lines[1] and f"/{shipped + len(desk.reviewed.examples)})" in lines[1]
    assert lines[2].startswith("held-out accuracy (2 mails): before ") and "routed to triage" in lines[2]
    assert "replaces the shipped examples" in lines[3]


def test_rpa_train_saves_a_version_of_examples_and_makes_it_current(desk: SimpleNamespace) -> None:
    folder = intent_models_folder(desk.settings)
    version = current_version(folder)
    assert version is not None and version.parent == desk.home / "models" / "intent"
    assert (folder / "current").read_text(encoding="utf-8").strip() == version.name
    # the examples are the model: nothing fitted is saved
    assert not list(version.glob("*.pkl")) and not list(version.glob("*.joblib"))
    lines = (version / "examples.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(shipped_examples()) + len(desk.reviewed.examples)
    meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
    assert meta["previous"] == "" and meta["folds"] == FOLDS
    assert meta["corrected"] + meta["approved"] == len(LEAVING) + 1
    assert 0.0 < meta["cross_validated"]["after"]["accuracy"] <= 1.0
    assert meta["heldout"]["after"]["total"] == 2


@pytest.mark.parametrize(("language", "subject", "text"), NEW_LEAVING)
def test_the_next_run_predicts_what_agents_taught_for_a_near_identical_new_mail(
    desk: SimpleNamespace, language: str, subject: str, text: str
) -> None:
    message = parse_message(make_mail(text, subject=subject), source="new.eml", limits=desk.settings.limits)
    pipeline = Pipeline(desk.settings)  # a new run: it reads $RPA_HOME/models/intent/current
    try:
        result = pipeline.examine(message)
        model = pipeline.classifier.model
    finally:
        pipeline.close()
    assert result.classification.intent == Intent.INFORMATION
    assert model.size == len(shipped_examples()) + len(desk.reviewed.examples)
    probe = [example_from_message(message)]
    trained = model.probabilities(probe)[0][Intent.INFORMATION]
    assert trained > shipped_model().probabilities(probe)[0][Intent.INFORMATION]


def test_training_with_nothing_reviewed_gives_the_shipped_model(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = _rpa(home, "train", "--folds", str(FOLDS), "--heldout", str(tmp_path / "none"))
    assert result.exit_code == 0, result.output
    assert f"examples: {len(shipped_examples())} shipped + 0 reviewed by agents" in result.output
    assert "held-out accuracy: no held-out set" in result.output
    version = current_version(intent_models_folder(_settings(home)))
    saved = load_examples((version / "examples.jsonl").read_text(encoding="utf-8").splitlines(), "v")
    # the same examples in the same order: fitting is deterministic, so the same model
    assert [(e.intent, e.features()) for e in saved] == [(e.intent, e.features()) for e in shipped_examples()]


def test_too_few_folds_is_a_usage_error(tmp_path: Path) -> None:
    assert _rpa(tmp_path / "home", "train", "--folds", "1").exit_code == 2


# --- rpa train --rollback ------------------------------------------------------------------------------------


def _version(folder: Path, extra: int) -> str:
    """A version of the shipped examples plus `extra` of a desk's own, saved as `rpa train` does."""
    examples = shipped_examples() + [
        Example(Intent.INFORMATION, subject, f"{text}\n{n}")
        for n in range(extra)
        for _, subject, text in LEAVING
    ]
    return save_version(folder, examples, {"examples": len(examples)}).name


def test_rollback_puts_back_the_previous_version_then_the_shipped_examples(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = intent_models_folder(_settings(home))
    first, second = _version(folder, 1), _version(folder, 2)
    assert first != second and version_in_use(folder).name == second
    assert current_version(folder).name == second

    result = _rpa(home, "train", "--rollback")
    assert result.exit_code == 0
    assert f"rolled back from version {second} to version {first}" in result.output
    assert current_version(folder).name == first
    assert shipped_model(trained=folder).size == len(shipped_examples()) + len(
        LEAVING
    )  # the next run's model

    result = _rpa(home, "train", "--rollback")
    assert f"rolled back from version {first} to the shipped examples" in result.output
    assert current_version(folder) is None
    assert shipped_model(trained=folder) is shipped_model()

    result = _rpa(home, "train", "--rollback")
    assert result.exit_code == 1
    assert "no trained intent model to roll back: the shipped examples are in use" in result.output
    assert {path.name for path in folder.iterdir() if path.is_dir()} == {first, second}  # nothing deleted


def test_a_version_trained_after_a_rollback_rolls_back_to_what_was_in_use(tmp_path: Path) -> None:
    folder = intent_models_folder(_settings(tmp_path / "home"))
    first = _version(folder, 1)
    _version(folder, 2)
    _rpa(tmp_path / "home", "train", "--rollback")  # back to the first
    third = _version(folder, 3)
    result = _rpa(tmp_path / "home", "train", "--rollback")
    assert f"rolled back from version {third} to version {first}" in result.output


def test_a_current_file_naming_no_version_is_a_clear_error(tmp_path: Path) -> None:
    folder = intent_models_folder(_settings(tmp_path / "home"))
    folder.mkdir(parents=True)
    (folder / "current").write_text("../../etc\n", encoding="utf-8")
    result = _rpa(tmp_path / "home", "train", "--rollback")
    assert result.exit_code == 1 and "not a trained version" in result.output


def test_old_claims_do_not_block_a_correction(settings: Settings, store: Store, claim: int) -> None:
    """A claim that expired is nobody's any more: the correction goes through."""
    from rpa.store.claims import Claims

    past = datetime.now(UTC) - timedelta(hours=2)
    Claims(store).claim(claim, "bob", past + timedelta(minutes=10), past)
    result = _rpa(settings.home, "correct", str(claim), "--intent", "complaint", "--as", "alice")
    assert result.exit_code == 0, result.output


def test_rpa_doctor_names_the_intent_model_in_use(tmp_path: Path) -> None:
    from rpa.doctor import run_checks

    settings = _settings(tmp_path / "home")
    (shipped,) = [check for check in run_checks(settings) if check.name == "intent model"]
    assert shipped.ok and shipped.detail.startswith("the shipped examples")
    name = _version(intent_models_folder(settings), 1)
    (trained,) = [check for check in run_checks(settings) if check.name == "intent model"]
    assert trained.ok and trained.detail.startswith(f"version {name} of `rpa train`")


def test_a_letter_on_paper_is_learned_as_the_mail_its_writer_wrote(settings: Settings, store: Store) -> None:
    import docbuilder

    from extractors.sources import RawInput
    from rpa.ingestion import process_inputs

    letter = (
        "Paul Girard\n12 rue des Lilas\n69003 Lyon\n\nLyon, le 3 mars 2026\n\n"
        "Objet : relevé d'information\n\nMadame, Monsieur,\n\n"
        "Je vous prie de m'adresser mon relevé d'information auto, je change d'assureur.\n\n"
        "Je vous prie d'agréer, Madame, Monsieur, mes salutations distinguées.\n\nPaul Girard"
    )
    raw = RawInput("lettre.pdf", docbuilder.text_pdf([letter]), "document", "lettre.pdf")
    (item,) = process_inputs([raw], settings, store, actor="rpa")
    message_pk = item.outcome.message_pk
    correct = _rpa(settings.home, "correct", str(message_pk), "--intent", "information", "--as", "alice")
    assert correct.exit_code == 0, correct.output
    (example,) = reviewed_examples(store, settings).examples
    pipeline = Pipeline(settings)
    try:
        seen = pipeline.examine(pipeline.parse(raw)).message  # what the classifier read
    finally:
        pipeline.close()
    assert example.intent == Intent.INFORMATION and "relevé d'information" in example.text
    assert "Lilas" not in example.text  # the sender block is not what the customer asked
    assert example.features() == example_from_message(seen).features()
