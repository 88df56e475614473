"""The learned intent classifier: trained offline from shipped examples, headers first,
unsure means `other` + `needs_triage`."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from conftest import parsed_message as message

from extractors.automation import AUTO_REPLY
from extractors.intent import (
    CLASSIFIERS,
    NEEDS_TRIAGE,
    IntentClassifier,
    LearnedClassifier,
    RuleClassifier,
    fold,
    make_classifier,
)
from extractors.intent.learned import (
    Example,
    IntentModel,
    example_from_message,
    load_examples,
    shipped_examples,
    shipped_model,
)
from extractors.mime import parse_message
from rpa.config import LimitSettings, PipelineSettings
from rpa.errors import ConfigError
from rpa.models import Attachment, Intent, Page


@pytest.fixture(scope="module")
def learned() -> LearnedClassifier:
    return LearnedClassifier(PipelineSettings())


# Written for these tests: none of them is in the training data.
FRESH = [
    (
        "fr",
        Intent.CLAIM_NEW,
        "Sinistre : vitre cassée",
        "Bonjour, des jeunes ont lancé un ballon dans ma baie vitrée qui a éclaté. Je souhaite déclarer "
        "ce sinistre.",
    ),
    (
        "en",
        Intent.CLAIM_NEW,
        "Water coming through the ceiling",
        "Hello, the water tank in our loft burst this morning and flooded two bedrooms. I need to "
        "report a claim.",
    ),
    (
        "fr",
        Intent.CLAIM_FOLLOWUP,
        "Où en est mon indemnisation ?",
        "Bonjour, l'expert est venu il y a cinq semaines et je n'ai toujours aucune nouvelle de mon dossier.",
    ),
    (
        "en",
        Intent.CLAIM_FOLLOWUP,
        "Claim still open",
        "Hi, I'm chasing an update on my claim from February. The assessor visited but nobody has been "
        "in touch since.",
    ),
    (
        "fr",
        Intent.DOCUMENTS_SUBMISSION,
        "Justificatifs",
        "Bonjour, comme demandé je vous transmets la facture d'achat et les photos du vélo.",
    ),
    (
        "en",
        Intent.DOCUMENTS_SUBMISSION,
        "Paperwork you asked for",
        "Hello, please find attached the receipts and the police letter you asked me for.",
    ),
    (
        "fr",
        Intent.REIMBURSEMENT,
        "Remboursement de mes frais",
        "Bonjour, j'ai payé 75 euros de consultation chez le dermatologue, pouvez-vous me rembourser la "
        "part prévue ?",
    ),
    (
        "en",
        Intent.REIMBURSEMENT,
        "Money back please",
        "Hi, you took my premium twice this month. Please refund the second payment to my account.",
    ),
    (
        "fr",
        Intent.COMPLAINT,
        "Je suis furieux",
        "C'est inacceptable : quatre mois d'attente et personne ne répond. Je vais saisir le médiateur.",
    ),
    (
        "en",
        Intent.COMPLAINT,
        "Complaint about my case",
        "This is appalling. Nobody answers my emails and I want to make a formal complaint.",
    ),
    (
        "fr",
        Intent.CONTRACT_CHANGE,
        "Changement de voiture",
        "Bonjour, je remplace ma voiture par une Renault Captur la semaine prochaine, merci de modifier "
        "mon contrat.",
    ),
    (
        "en",
        Intent.CONTRACT_CHANGE,
        "Moving home",
        "Hello, we are moving to a new address next month, please update my home policy details.",
    ),
    (
        "fr",
        Intent.CANCELLATION,
        "Résiliation de mon assurance",
        "Bonjour, je souhaite résilier mon contrat auto à la prochaine échéance. Merci de me confirmer.",
    ),
    (
        "en",
        Intent.CANCELLATION,
        "Please cancel",
        "Hello, I no longer need my travel insurance, please cancel the policy and stop the payments.",
    ),
    (
        "fr",
        Intent.INFORMATION,
        "Question sur les garanties",
        "Bonjour, est-ce que mon contrat habitation couvre le vol de mon vélo dans le garage ? Merci de "
        "m'indiquer.",
    ),
    (
        "en",
        Intent.INFORMATION,
        "Am I covered?",
        "Hi, could you tell me whether my policy covers a hired car when I travel to Italy?",
    ),
    (
        "fr",
        Intent.OTHER,
        "Découvrez notre offre",
        "Bonjour, je me permets de vous contacter pour vous présenter notre solution de signature "
        "électronique.",
    ),
    (
        "en",
        Intent.OTHER,
        "Thanks!",
        "Just a quick note to say thank you for your help earlier, have a nice day.",
    ),
    # A request phrased by denying another one.
    (
        "fr",
        Intent.INFORMATION,
        "Petite question",
        "Bonjour, je ne fais pas de réclamation : j'aimerais seulement savoir si mon contrat couvre "
        "les vélos électriques.",
    ),
    (
        "en",
        Intent.CONTRACT_CHANGE,
        "Payment date",
        "Hello, I do not want to cancel my policy. Please just move my monthly payment to the 15th.",
    ),
]


@pytest.mark.parametrize(
    ("language", "intent", "subject", "text"),
    FRESH,
    ids=[f"{n}-{case[0]}-{case[1]}" for n, case in enumerate(FRESH)],
)
def test_each_intent_is_recognised_on_mail_it_was_not_trained_on(
    learned: LearnedClassifier, language: str, intent: Intent, subject: str, text: str
) -> None:
    result = learned.classify(message(subject, text), {}, language)
    assert (result.intent, result.language) == (intent, language)
    assert NEEDS_TRIAGE not in result.flags


def test_words_after_a_negation_are_features_of_their_own() -> None:
    french = Example(Intent.OTHER, "", "Ce n'est pas une réclamation, juste une question.").features()
    english = Example(Intent.OTHER, "", "I don't want to cancel anything. Thanks").features()
    assert "neg_reclamation," in french and "juste" in french.split()  # the comma closes the window
    assert "neg_cancel" in english and "thanks" in english.split()


def test_the_shipped_examples_cover_every_intent_in_french_and_english() -> None:
    examples = shipped_examples()
    covered = {(example.intent, example.language) for example in examples}
    assert {(intent, language) for intent in Intent for language in ("fr", "en")} <= covered
    assert len(examples) >= 400


def test_the_model_is_trained_from_the_packaged_files_and_knows_every_intent() -> None:
    model = shipped_model()
    assert set(model.intents) == set(Intent)
    assert model.size == len(shipped_examples())


QUESTION = "Bonjour, quelle est ma franchise en bris de glace ?"


def test_below_the_threshold_the_intent_is_other_and_needs_triage() -> None:
    unsure = LearnedClassifier(PipelineSettings(intent_threshold=0.99))
    result = unsure.classify(message("Question", QUESTION), {}, "fr")
    assert result.intent == Intent.OTHER
    assert result.flags == (NEEDS_TRIAGE,)
    assert result.confidence < 0.99


def test_at_a_zero_threshold_the_best_guess_always_stands() -> None:
    sure = LearnedClassifier(PipelineSettings(intent_threshold=0.0))
    result = sure.classify(message("Question", QUESTION), {}, "fr")
    assert result.intent == Intent.INFORMATION
    assert NEEDS_TRIAGE not in result.flags


def test_a_threshold_outside_zero_to_one_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match=r"\[pipeline\] intent_threshold must be between 0 and 1"):
        PipelineSettings(intent_threshold=1.5)


def test_the_auto_reply_header_wins_over_the_words(learned: LearnedClassifier) -> None:
    mail = message(
        "Déclaration de sinistre", "Je déclare un dégât des eaux survenu hier.", Auto_Submitted="auto-replied"
    )
    result = learned.classify(mail, {}, "fr")
    assert (result.intent, result.flags) == (Intent.AUTO_REPLY, (AUTO_REPLY,))


def test_a_mailing_list_is_other_even_when_it_talks_of_claims(learned: LearnedClassifier) -> None:
    mail = message(
        "Nos conseils",
        "Comment déclarer un sinistre et obtenir un remboursement rapide ?",
        List_Id="<news.assureur.example>",
        Precedence="bulk",
    )
    assert learned.classify(mail, {}, "fr").intent == Intent.OTHER


def test_documents_without_a_word_are_a_documents_submission(learned: LearnedClassifier) -> None:
    scan = Attachment("scan.jpg", "image/jpeg", 100, pages=[Page(1, "Résiliation de mon contrat")])
    result = learned.classify(message("", "", attachments=[scan]), {}, "fr")
    assert result.intent == Intent.DOCUMENTS_SUBMISSION


def test_an_out_of_office_without_headers_is_flagged_so_nobody_answers_it(learned: LearnedClassifier) -> None:
    mail = message(
        "Re: votre dossier",
        "Je suis absent du bureau jusqu'au 2 septembre sans accès à mes "
        "mails. Votre message ne sera pas transféré.",
        in_reply_to="<a@b>",
    )
    result = learned.classify(mail, {}, "fr")
    assert (result.intent, result.flags) == (Intent.AUTO_REPLY, (AUTO_REPLY,))


def test_learned_is_the_default_and_rules_stay_selectable() -> None:
    assert isinstance(make_classifier(PipelineSettings()), LearnedClassifier)
    assert isinstance(make_classifier(PipelineSettings(classifier="rules")), RuleClassifier)


def test_an_unknown_classifier_name_is_a_configuration_error() -> None:
    with pytest.raises(
        ConfigError, match=r"\[pipeline\] classifier must be one of learned, rules, not 'bayes'"
    ):
        PipelineSettings(classifier="bayes")


def test_every_registered_classifier_is_built_from_settings_and_satisfies_the_protocol() -> None:
    for name, factory in CLASSIFIERS.items():
        classifier = factory(PipelineSettings())
        assert isinstance(classifier, IntentClassifier)
        assert classifier.name == name


def test_fitting_again_on_the_same_examples_gives_the_same_probabilities() -> None:
    probe = [example_from_message(message(subject, text)) for _, _, subject, text in FRESH[:6]]
    again = IntentModel.fit(shipped_examples())
    assert again.probabilities(probe) == shipped_model().probabilities(probe)


def test_an_operators_examples_file_is_learned_too(tmp_path: Path) -> None:
    phrase = "Objet : formulaire Cerfa 14732 pour le contrat flotte, merci de rectifier la ligne 3."
    extra = tmp_path / "ours.jsonl"
    extra.write_text(
        "".join(
            json.dumps(
                {
                    "intent": "contract_change",
                    "lang": "fr",
                    "subject": f"Cerfa 14732 flotte {n}",
                    "text": phrase,
                }
            )
            + "\n"
            for n in range(6)
        ),
        encoding="utf-8",
    )
    classifier = LearnedClassifier(PipelineSettings(intent_examples=str(extra)))
    assert classifier.model.size == len(shipped_examples()) + 6
    result = classifier.classify(message("Cerfa 14732 flotte", phrase), {}, "fr")
    assert result.intent == Intent.CONTRACT_CHANGE


def test_a_bad_training_line_is_reported_with_its_file_and_line() -> None:
    lines = [
        '{"intent": "claim_new", "subject": "Vol", "text": "On m\'a volé mon vélo."}',
        '{"intent": "claim_nouveau", "subject": "Vol", "text": "x"}',
    ]
    with pytest.raises(ConfigError, match=r"mine\.jsonl:2"):
        load_examples(lines, "mine.jsonl")


def test_a_missing_examples_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="intent_examples"):
        LearnedClassifier(PipelineSettings(intent_examples=str(tmp_path / "absent.jsonl")))


@pytest.mark.parametrize(
    ("file", "folder"), [("samples.jsonl", SAMPLES), ("devset.jsonl", ROOT / "tests" / "data" / "devset")]
)
def test_the_shipped_files_written_from_mail_folders_match_them(
    file: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench_module(monkeypatch)
    shipped = (ROOT / "extractors" / "intent" / "data" / file).read_text(encoding="utf-8")
    current = [example.as_json() for example in bench.shipped_from(folder, LimitSettings())]
    assert [json.loads(line) for line in shipped.splitlines()] == current, (
        f"{folder.name} changed: run `python bench/intent.py --write-examples`"
    )


def test_the_intent_benchmark_runs_on_a_small_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples, devset = tmp_path / "samples", tmp_path / "devset"
    samples.mkdir()
    devset.mkdir()
    cases = (
        "en_cancellation_renewal",
        "fr_resiliation_loi_hamon",
        "en_complaint_ombudsman",
        "fr_reclamation_colere",
    )
    for number, case in zip(
        (101, 102, 201, 202), cases, strict=True
    ):  # two writers, numbering in their own hundred
        for suffix in (".eml", ".expected.json"):
            shutil.copy(SAMPLES / f"{case}{suffix}", samples)
            shutil.copy(SAMPLES / f"{case}{suffix}", devset / f"{case}_{number}{suffix}")
    bench = _bench_module(monkeypatch)
    arguments = ["--samples", str(samples), "--folds", "2", "--melusine", str(tmp_path / "absent")]
    arguments += ["--devset", str(devset)]
    status = bench.main([*arguments, "--heldout", str(samples)])
    out = capsys.readouterr().out
    assert status == 0
    assert "4 labelled inputs, 2-fold cross-validation" in out
    assert "learned  accuracy" in out and "rules    accuracy" in out
    assert "== held-out" in out and "4 labelled mails" in out and "routed to triage" in out
    assert "== development set (devset): 4 labelled mails by 2 writers" in out
    assert "melusine" in out and "absent, skipped" in out


def _bench_module(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202 - bench/intent.py as a module
    # In this process: the script's imports and scikit-learn's are already paid for.
    spec = importlib.util.spec_from_file_location("bench_intent", ROOT / "bench" / "intent.py")
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, bench)  # dataclasses look their module up there
    spec.loader.exec_module(bench)
    return bench


HELDOUT = ROOT / "tests" / "data" / "heldout"


def message_from_file(path: Path):
    return parse_message(path.read_bytes(), source=path.name, limits=LimitSettings())


def _runs(text: str, length: int = 15) -> set[str]:
    words = re.findall(r"\w+", fold(text))
    return {" ".join(words[start : start + length]) for start in range(len(words) - length + 1)}


def test_no_held_out_mail_is_in_the_training_examples() -> None:
    trained: set[str] = set()
    for example in shipped_examples():
        trained |= _runs(example.text)
    held_out = sorted(HELDOUT.glob("*.eml"))
    assert len(held_out) >= 150
    copied = [
        path.name for path in held_out if _runs(example_from_message(message_from_file(path)).text) & trained
    ]
    assert copied == []
