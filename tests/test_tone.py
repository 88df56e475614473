"""Beyond the intent: how the customer feels (sentiment), whether the mail must come first
(the `urgent` flag), and the other requests of a mail that asks for two things
(`secondary_intents`), in French and English, through the pipeline, the store and the queue."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from conftest import make_mail, parsed_message

from extractors.intent.learned import Example, shipped_model
from extractors.intent.secondary import SECONDARY_THRESHOLD, secondary_intents, segments
from extractors.intent.tone import sentiment_of, sentiment_of_text
from extractors.intent.urgency import (
    LEGAL,
    REGULATOR,
    REPEATED,
    VULNERABILITY,
    urgency_reasons_of_text,
)
from extractors.sources import RawInput
from rpa.config import Settings
from rpa.models import URGENT, Address, Intent, Sentiment
from rpa.pipeline import Pipeline
from rpa.store import Store
from rpa.store.reviewqueue import QueueFilter, neighbours, next_in_queue, queue_page
from rpa.views import message_json, show_text

NEGATIVE, NEUTRAL, POSITIVE = Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE

# --- sentiment -------------------------------------------------------------------------------

TONE = [
    # negation turns a good word around
    ("fr", "Je ne suis pas satisfait de la gestion de mon dossier.", NEGATIVE),
    ("fr", "franchement je suis pas contente du tout", NEGATIVE),
    ("fr", "Je ne suis plus satisfaite de vos services depuis ce sinistre.", NEGATIVE),
    ("fr", "Ce n'est pas normal d'attendre aussi longtemps.", NEGATIVE),
    ("en", "I am not happy with how my claim was handled.", NEGATIVE),
    ("en", "Your agent was never helpful on the phone.", NEGATIVE),
    ("en", "This is not acceptable.", NEGATIVE),
    # a negated grievance is no grievance
    ("fr", "Pas de souci, je vous envoie la facture demain.", NEUTRAL),
    ("en", "No problem, I will send the invoice tomorrow.", NEUTRAL),
    # words of feeling, intensified, without accents
    ("fr", "Je suis tres decu et vraiment mecontent.", NEGATIVE),
    ("fr", "C'est scandaleux, vos services sont lamentables.", NEGATIVE),
    ("en", "I am really disappointed and frankly furious.", NEGATIVE),
    ("en", "The way you handled this is disgraceful.", NEGATIVE),
    # harm told of is distress, even with no word against us
    ("fr", "Nous avons été cambriolés cette nuit, la maison est saccagée.", NEGATIVE),
    ("en", "Our flat was broken into and the TV smashed.", NEGATIVE),
    # "I would be grateful if" is a way of asking, not gratitude
    ("fr", "Je vous serais reconnaissant de m'envoyer une attestation.", NEUTRAL),
    ("en", "I would be grateful if you could send me a certificate.", NEUTRAL),
    # a refusal is a grievance; a police report is not
    ("fr", "Vous refusez de m'indemniser sans la moindre explication.", NEGATIVE),
    ("en", "You refused my claim without any explanation.", NEGATIVE),
    ("fr", "Je vous joins le dépôt de plainte et les factures.", NEUTRAL),
    ("en", "Attached are the police report and the invoices.", NEUTRAL),
    # shouting and "!!!"
    ("fr", "JE VEUX UNE REPONSE IMMEDIATEMENT", NEGATIVE),
    ("en", "I WANT MY MONEY BACK NOW", NEGATIVE),
    ("fr", "Toujours rien reçu !!!", NEGATIVE),
    ("en", "Still nothing from you!!!", NEGATIVE),
    # politeness is not a feeling
    ("fr", "Bonjour, veuillez trouver ci-joint mon RIB. Merci d'avance. Cordialement", NEUTRAL),
    ("fr", "Je souhaite modifier mon adresse. En vous remerciant par avance, bien cordialement.", NEUTRAL),
    ("en", "Please find my bank details attached. Thanks in advance. Kind regards", NEUTRAL),
    ("en", "Could you update my address? Thank you for your help. Best regards", NEUTRAL),
    ("fr", "Bonjour, je déclare un dégât des eaux survenu hier. Merci beaucoup.", NEUTRAL),
    # thanks for a resolved case, and plain satisfaction
    ("fr", "Merci pour le remboursement, bien reçu ce matin.", POSITIVE),
    ("fr", "Mon dossier est enfin réglé, merci pour votre réactivité !", POSITIVE),
    ("fr", "Je suis ravie de la rapidité de votre intervention.", POSITIVE),
    ("en", "Thank you for the refund, it arrived this morning.", POSITIVE),
    ("en", "Thanks so much for sorting this out so quickly.", POSITIVE),
    ("en", "I'm delighted with the service, the repairer was excellent.", POSITIVE),
    # what follows "mais" / "but" is what is meant
    ("fr", "Merci pour le virement mais je suis très déçu du montant retenu.", NEGATIVE),
    ("en", "Thanks for the payment, but I am very disappointed with the amount.", NEGATIVE),
    # everyday words of anger and weariness, hyphens and missing accents included
    ("fr", "J'en ai ras-le-bol de vos délais, je suis excédée.", NEGATIVE),
    ("fr", "franchement c'est aberrant, personne ne me rappelle jamais", NEGATIVE),
    ("en", "I'm fed up, this is beyond a joke.", NEGATIVE),
    ("en", "Frankly the whole thing has been a shambles and I feel let down.", NEGATIVE),
    # still waiting, said once: impatience
    ("fr", "Toujours aucune nouvelle de mon dossier.", NEGATIVE),
    ("en", "Still no news about my claim.", NEGATIVE),
    # what we failed to do is a grievance even in plain words
    ("fr", "Le plombier que vous avez mandaté ne s'est jamais présenté mardi.", NEGATIVE),
    ("fr", "Vous m'avez prélevé deux fois la cotisation d'octobre.", NEGATIVE),
    ("en", "The engineer you booked didn't turn up on Tuesday.", NEGATIVE),
    ("en", "You have charged me twice for the October premium.", NEGATIVE),
    # a theft, a stay in hospital: distress
    ("fr", "Ma moto a été volée devant chez moi cette nuit.", NEGATIVE),
    ("fr", "Mon père a été hospitalisé en urgence samedi.", NEGATIVE),
    ("en", "My bike was stolen from the garden shed last night.", NEGATIVE),
    ("en", "My wife was hospitalised in an emergency on Saturday.", NEGATIVE),
    # a lawyer or an ombudsman named: nobody writes that content
    ("fr", "Je vais transmettre le dossier au médiateur de l'assurance.", NEGATIVE),
    ("en", "I will be referring this to the Financial Ombudsman Service.", NEGATIVE),
    # a negation ends with its sentence: the subject "not received" does not reach "Good afternoon"
    ("fr", "Courrier pas reçu.\nCorrect pour l'adresse, elle n'a pas changé.", NEUTRAL),
    ("en", "Payment not received.\nGood afternoon, my claim number is WD-1182.", NEUTRAL),
    # gratitude for something done, and praise
    ("fr", "Merci beaucoup pour votre rapidité, c'est un service impeccable.", POSITIVE),
    ("fr", "Je tiens à vous remercier pour le suivi de mon dossier.", POSITIVE),
    ("fr", "Je suis enchantée de l'accueil de votre agence.", POSITIVE),
    ("en", "Thanks a million for all your help with the claim.", POSITIVE),
    ("en", "Great job, I really appreciate how quickly you sorted it.", POSITIVE),
    ("en", "We're so excited about the new car!", POSITIVE),
    # thanks for help still to come stay a formula
    ("fr", "Merci beaucoup pour votre aide. Cordialement", NEUTRAL),
    ("en", "Thank you very much for your time. Best wishes", NEUTRAL),
]


@pytest.mark.parametrize(
    ("subject", "expected"),
    [("Pas content du tout", NEGATIVE), ("Not happy", NEGATIVE), ("Re: Merci !", NEUTRAL)],
)
def test_the_subject_is_part_of_what_the_customer_wrote(subject: str, expected: Sentiment) -> None:
    message = parsed_message(subject, "Bonjour, voir mon dossier HAB-7781.\n")
    assert sentiment_of(message) == expected


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Parfait Mbeki", "Veuillez trouver le formulaire rempli.\nParfait Mbeki"),
        ("Ravi Kumar", "Form attached.\nRavi Kumar"),
    ],
)
def test_the_writer_s_own_name_is_no_word_of_feeling(name: str, text: str) -> None:
    message = parsed_message("Formulaire", text)
    message.sender = Address(name, "client@example.fr")
    assert sentiment_of(message) == NEUTRAL


@pytest.mark.parametrize(("language", "text", "expected"), TONE, ids=[text[:40] for _, text, _ in TONE])
def test_the_sentiment_of_what_the_customer_wrote(language: str, text: str, expected: Sentiment) -> None:
    assert sentiment_of_text(text) == expected


# --- urgency ---------------------------------------------------------------------------------

URGENCY = [
    ("fr", "Sans réponse sous huit jours, mon avocat vous adressera une mise en demeure.", LEGAL),
    ("fr", "Je n'hésiterai pas à porter l'affaire devant le tribunal.", LEGAL),
    ("fr", "Je porterai plainte contre votre compagnie.", LEGAL),
    ("fr", "J'envisage des poursuites contre votre compagnie.", LEGAL),
    ("en", "I have instructed my solicitor to start legal action.", LEGAL),
    ("en", "If this is not paid I will take you to the small claims court.", LEGAL),
    ("en", "I am prepared to sue.", LEGAL),
    ("fr", "Je vais saisir le médiateur de l'assurance.", REGULATOR),
    ("fr", "Je compte écrire à l'ACPR.", REGULATOR),
    ("en", "I will escalate this to the Financial Ombudsman Service.", REGULATOR),
    ("en", "I am going to complain to the regulator.", REGULATOR),
    ("fr", "Mon mari est décédé le mois dernier et je ne sais plus quoi faire.", VULNERABILITY),
    ("fr", "Je suis enceinte et nous sommes sans chauffage depuis le sinistre.", VULNERABILITY),
    ("fr", "J'ai 86 ans et je vis seule.", VULNERABILITY),
    ("fr", "Ma fille est handicapée et ne peut plus accéder à sa chambre.", VULNERABILITY),
    ("fr", "Depuis l'incendie nous sommes à la rue avec trois enfants.", VULNERABILITY),
    ("en", "My father passed away in March and the claim is still open.", VULNERABILITY),
    ("en", "My father has dementia and I hold power of attorney for him.", VULNERABILITY),
    ("fr", "Ma mère est atteinte de la maladie d'Alzheimer et je suis sa tutrice.", VULNERABILITY),
    ("en", "We have no heating and my baby is three months old.", VULNERABILITY),
    ("en", "I am undergoing chemotherapy and cannot chase this any longer.", VULNERABILITY),
    ("en", "Since the fire we are homeless.", VULNERABILITY),
    ("fr", "Ceci est ma troisième relance concernant le sinistre.", REPEATED),
    ("fr", "Je vous ai déjà écrit trois fois à ce sujet.", REPEATED),
    ("fr", "Je vous ai relancé à plusieurs reprises sans réponse.", REPEATED),
    ("en", "This is the third time I'm writing about this claim.", REPEATED),
    ("en", "No reply to any of my three previous emails.", REPEATED),
    ("fr", "Le notaire s'occupe de la succession de ma mère, décédée en mai.", VULNERABILITY),
    ("en", "Since the death of my husband I manage the policies alone.", VULNERABILITY),
    ("fr", "Sans réponse sous huit jours, je saisirai le tribunal.", LEGAL),
    ("en", "I have emailed you four times since March.", REPEATED),
]

NOT_URGENT = [
    ("fr", "Bonjour, je souhaite déclarer un dégât des eaux dans ma cuisine."),
    ("fr", "Quelles sont les garanties décès de mon contrat prévoyance ?"),
    ("fr", "Je vous joins la facture du garage pour le remboursement."),
    ("fr", "Pourriez-vous me dire si ma protection juridique couvre un litige de voisinage ?"),
    ("fr", "J'ai déposé plainte au commissariat pour le vol du vélo, voici le récépissé."),
    ("en", "I would like to add my daughter as a named driver."),
    ("en", "I have reported the theft to the police and filed a complaint with them."),
    ("en", "Please find attached the invoice for the second visit of the plumber."),
    ("en", "Could you tell me whether my policy covers legal costs?"),
    ("en", "Thanks for the quick reply, everything is sorted now."),
    ("fr", "C'est ma deuxième relance pour ce dossier."),
    ("en", "This is my second email about this claim."),
    (
        "fr",
        "J'ai réglé les honoraires de mon avocat, pouvez-vous me les rembourser au titre de ma protection ?",
    ),
    ("en", "I have paid my solicitor's invoice, please reimburse it under my legal expenses cover."),
    # a second mail is a reminder, not yet repeated follow-ups
    ("fr", "Je n'ai toujours pas eu de réponse à mon courrier."),
    ("en", "Still no answer to my email of last month."),
    # words of the law, of death, of illness used in passing
    ("fr", "Un constat d'huissier a été dressé après le dégât des eaux."),
    ("en", "The battery died on the motorway and I had to be towed."),
    ("fr", "Mon enceinte Bluetooth est tombée dans la piscine."),
    ("fr", "Notre chienne est décédée, merci de résilier son assurance."),
    ("en", "Our dog died last week, please cancel her pet insurance."),
    ("fr", "Je souhaite des informations sur le contrat obsèques et la garantie invalidité."),
    ("en", "Could you send me the details of your funeral plan and disability cover?"),
    ("en", "Our broker is authorised and regulated by the Financial Conduct Authority."),
    # a threat taken back in its own clause
    ("fr", "Je préfère régler cela à l'amiable sans aller jusqu'au tribunal."),
    ("en", "I would rather not involve my solicitor, I am sure we can sort it out."),
]


@pytest.mark.parametrize(("language", "text", "reason"), URGENCY, ids=[text[:40] for _, text, _ in URGENCY])
def test_an_urgent_mail_says_why(language: str, text: str, reason: str) -> None:
    assert reason in urgency_reasons_of_text(text)


@pytest.mark.parametrize(("language", "text"), NOT_URGENT, ids=[text[:40] for _, text in NOT_URGENT])
def test_an_ordinary_request_is_not_urgent(language: str, text: str) -> None:
    assert urgency_reasons_of_text(text) == []


# --- secondary intents -----------------------------------------------------------------------

# Mails asking for two things: (text, main request, other request). Written for these tests, in
# the styles customers use (a connective, a new paragraph, a PS, no accents), and the
# calibration set of `SECONDARY_THRESHOLD`.
TWO_REQUESTS = [
    (
        "Bonjour,\nJe vous transmets la facture du garage pour le remboursement des réparations de ma "
        "voiture.\nPar ailleurs, je souhaite résilier mon contrat habitation à son échéance.\nCordialement",
        Intent.REIMBURSEMENT,
        Intent.CANCELLATION,
    ),
    (
        "Bonjour, suite à la tempête de cette nuit, une partie de la toiture de ma maison s'est envolée et "
        "l'eau coule dans le salon. Je souhaite déclarer ce sinistre.\n\nJ'en profite pour vous signaler "
        "mon changement d'adresse à partir du 1er mai : 12 rue des Lilas, 69003 Lyon.",
        Intent.CLAIM_NEW,
        Intent.CONTRACT_CHANGE,
    ),
    (
        "Bonjour,\nou en est le remboursement de mes frais de kine ? j'ai envoye les factures il y a un mois.\n"
        "Autre chose : pouvez-vous m'envoyer une attestation d'assurance habitation pour mon proprietaire ?",
        Intent.CLAIM_FOLLOWUP,
        Intent.INFORMATION,
    ),
    (
        "Madame, Monsieur,\nJe souhaite résilier mon assurance auto car j'ai vendu mon véhicule.\n"
        "Je tiens aussi à vous faire part de mon mécontentement : votre conseiller m'a raccroché au nez "
        "deux fois, c'est inadmissible.",
        Intent.CANCELLATION,
        Intent.COMPLAINT,
    ),
    (
        "Bonjour, je voudrais ajouter ma fille comme conductrice secondaire sur mon contrat auto.\n"
        "PS : pouvez-vous aussi me rembourser la facture du pare-brise que je vous ai envoyée ?",
        Intent.CONTRACT_CHANGE,
        Intent.REIMBURSEMENT,
    ),
    (
        "Hello,\nI would like to make a claim: my phone was stolen on the train yesterday evening.\n"
        "Separately, please cancel my travel insurance policy from next month, I no longer need it.",
        Intent.CLAIM_NEW,
        Intent.CANCELLATION,
    ),
    (
        "Hi, please find attached the plumber's invoice, I'd like to be reimbursed for the repair.\n"
        "Also, I have moved house: my new address is 4 Elm Road, Leeds LS6 2AB, please update my policy.",
        Intent.REIMBURSEMENT,
        Intent.CONTRACT_CHANGE,
    ),
    (
        "Dear Sir or Madam,\nI want to make a formal complaint about the way my claim was handled, nobody "
        "called me back for weeks.\nIn addition, could you tell me whether my policy covers accidental "
        "damage to my laptop?",
        Intent.COMPLAINT,
        Intent.INFORMATION,
    ),
    (
        "Hello, any news on my claim CLM-2291? I sent the photos two weeks ago and heard nothing.\n"
        "On another note, I want to cancel my home insurance when it renews in June.",
        Intent.CLAIM_FOLLOWUP,
        Intent.CANCELLATION,
    ),
    (
        "Good morning,\nI would like to know what my car policy covers when I drive abroad.\n"
        "Also, please add my wife as a named driver from 1 July.",
        Intent.INFORMATION,
        Intent.CONTRACT_CHANGE,
    ),
]

# Mails asking for one thing, told in several sentences: no secondary intent.
ONE_REQUEST = [
    (
        "Bonjour,\nLe 3 mars, un dégât des eaux venant de chez ma voisine a abîmé le plafond de ma cuisine. "
        "Les peintures sont à refaire et un placard est gonflé.\nJe souhaite déclarer ce sinistre.\n"
        "Je vous joins les photos. Cordialement, Claire Martin",
        Intent.CLAIM_NEW,
    ),
    (
        "Bonjour,\nJe souhaite résilier mon contrat habitation HAB-4471 à son échéance du 30 juin.\n"
        "Je déménage à l'étranger et n'aurai plus besoin de cette assurance. Merci de me confirmer la "
        "résiliation par écrit.",
        Intent.CANCELLATION,
    ),
    (
        "Bonjour,\nvous trouverez ci-joint la facture de l'opticien d'un montant de 320 euros.\n"
        "Pouvez-vous procéder au remboursement sur mon compte ? Mon RIB n'a pas changé.\nMerci",
        Intent.REIMBURSEMENT,
    ),
    (
        "Madame, Monsieur,\nCela fait deux mois que j'attends l'indemnisation de mon sinistre. Personne ne "
        "répond au téléphone et vos courriers se contredisent.\nJe trouve ce traitement inacceptable et je "
        "vous demande une réponse écrite.",
        Intent.COMPLAINT,
    ),
    (
        "Bonjour, je voudrais savoir si mon contrat couvre le bris de glace sur la véranda. "
        "Et est-ce qu'il y a une franchise dans ce cas ?",
        Intent.INFORMATION,
    ),
    (
        "Hello,\nA tree fell on my car during the storm last night and smashed the windscreen.\n"
        "The car is parked outside my house and cannot be driven. I would like to make a claim.\n"
        "Photos attached. Kind regards, Tom Baker",
        Intent.CLAIM_NEW,
    ),
    (
        "Hi,\nI'd like to change the address on my home policy: I moved to 22 Park Lane, Bristol BS1 4DJ "
        "last week.\nThe rest of the policy stays the same. Thanks",
        Intent.CONTRACT_CHANGE,
    ),
    (
        "Hello, could you tell me where my claim CLM-5520 stands? The assessor came on 2 May and I have not "
        "heard anything since.\nThank you",
        Intent.CLAIM_FOLLOWUP,
    ),
    (
        "Dear team,\nPlease cancel my pet insurance at the end of the month. My dog passed away last "
        "week.\nRegards",
        Intent.CANCELLATION,
    ),
    (
        "Hello,\nAttached is the receipt for the hotel I had to stay in after the flood, £480.\n"
        "Please reimburse it under my home policy.",
        Intent.REIMBURSEMENT,
    ),
]


@pytest.fixture(scope="module")
def model():
    return shipped_model()


def _scorer(model):
    return lambda texts: model.probabilities([Example(Intent.OTHER, "", text) for text in texts])


def test_a_text_is_read_sentence_by_sentence_a_short_one_joined_to_the_next() -> None:
    parts = segments("Bonjour,\nJe souhaite résilier mon contrat. Merci.\nAutre chose : mon adresse change.")
    assert parts == ["Bonjour, Je souhaite résilier mon contrat.", "Merci. Autre chose : mon adresse change."]


def test_a_mail_with_two_requests_has_the_other_one_as_secondary(model) -> None:
    text, main, other = TWO_REQUESTS[0]
    assert secondary_intents(text, main, _scorer(model)) == (other,)


@pytest.mark.parametrize(
    ("text", "main"), ONE_REQUEST, ids=[f"{m.value}-{i}" for i, (_, m) in enumerate(ONE_REQUEST)]
)
def test_a_mail_with_one_request_has_no_secondary_intent(model, text, main) -> None:
    assert secondary_intents(text, main, _scorer(model)) == ()


def test_the_threshold_keeps_most_second_requests_and_no_false_ones(model) -> None:
    """The calibration itself, at the shipped threshold: at least 8 of the 10 second requests are
    found, none in the one-request mails."""
    found = sum(other in secondary_intents(t, m, _scorer(model)) for t, m, other in TWO_REQUESTS)
    false = sum(bool(secondary_intents(t, m, _scorer(model))) for t, m in ONE_REQUEST)
    assert found >= 0.8 * len(TWO_REQUESTS) and false == 0, (SECONDARY_THRESHOLD, found, false)


TOLD_NOT_ASKED = [
    (
        "Bonjour,\nMon assurance auto a été résiliée le 1er août, j'ai vendu la voiture.\nVous m'avez "
        "pourtant prélevé la cotisation de septembre : merci de me rembourser ces 38 euros.\nLaurent Girard"
    ),
    (
        "Hello,\nMy car insurance was cancelled on 1 August after I sold the car.\nYou still took the "
        "September premium, please refund the £38.\nLaura Green"
    ),
]


DISOWNED = [
    "Bonjour,\nJe souhaite ajouter la garantie bris de glace à mon contrat auto.\nCe n'est pas une "
    "déclaration de sinistre, il ne s'est rien passé, je veux juste être couvert.",
    "Hello,\nI'd like to add breakdown cover to my car policy from next month.\nThis is not a claim, "
    "nothing has happened, I just want to be covered.",
]


@pytest.mark.parametrize("text", DISOWNED, ids=["fr", "en"])
def test_a_request_the_customer_says_it_is_not_is_no_second_request(model, text: str) -> None:
    assert secondary_intents(text, Intent.CONTRACT_CHANGE, _scorer(model)) == ()


@pytest.mark.parametrize("text", TOLD_NOT_ASKED, ids=["fr", "en"])
def test_a_sentence_that_tells_what_happened_is_no_second_request(model, text: str) -> None:
    """The cancellation happened; the customer asks for the refund only."""
    assert secondary_intents(text, Intent.REIMBURSEMENT, _scorer(model)) == ()


# A question about the main request is part of it; on another matter ("Au passage", "By the way")
# it is a second request. (text, main request, secondary intents)
QUESTIONS = [
    (
        "Bonjour,\nJe viens d'acheter un scooter et je souhaite l'ajouter à mon contrat à partir de lundi."
        "\nCombien coûtera la prime en plus ?",
        Intent.CONTRACT_CHANGE,
        (),
    ),
    (
        "Hello,\nI would like to add my new caravan to my policy from Monday.\nHow much will my premium go up?",
        Intent.CONTRACT_CHANGE,
        (),
    ),
    (
        "Bonjour,\nJe souhaite déclarer le vol de mon vélo hier soir devant la gare.\nAu passage, "
        "pourriez-vous me dire si ma garantie couvre aussi les trottinettes ?",
        Intent.CLAIM_NEW,
        (Intent.INFORMATION,),
    ),
    (
        "Hello,\nI'd like to report that my car was broken into last night in the station car park.\n"
        "By the way, could you tell me whether my policy covers hire cars abroad?",
        Intent.CLAIM_NEW,
        (Intent.INFORMATION,),
    ),
    # "can I lower my excess?" asks what is possible: information, no contract change asked for
    (
        "Bonjour,\nMon contrat habitation se renouvelle en janvier avec une franchise de 300 euros.\n"
        "Puis-je la réduire en payant un peu plus chaque mois ?",
        Intent.INFORMATION,
        (),
    ),
    (
        "Hello,\nMy home policy renews in January with a £300 excess on every claim.\n"
        "Can I lower it by paying a little more each month?",
        Intent.INFORMATION,
        (),
    ),
]


@pytest.mark.parametrize(
    ("text", "main", "expected"),
    QUESTIONS,
    ids=["fr-same", "en-same", "fr-other", "en-other", "fr-can", "en-can"],
)
def test_a_question_is_a_second_request_only_on_another_matter(model, text, main, expected) -> None:
    assert secondary_intents(text, main, _scorer(model)) == expected


def test_a_second_matter_announced_needs_less_room_in_the_whole_mail(model) -> None:
    """The whole mail gives the reimbursement little room beside the cancellation, but "Par ailleurs"
    says a second matter is there."""
    assert Intent.REIMBURSEMENT in secondary_intents(TWO_REQUESTS_ANGRY, Intent.CANCELLATION, _scorer(model))


def test_auto_replies_and_other_never_get_secondary_intents(model) -> None:
    text = TWO_REQUESTS[0][0]
    assert secondary_intents(text, Intent.OTHER, _scorer(model)) == ()
    assert Intent.OTHER not in secondary_intents(text, Intent.CLAIM_NEW, _scorer(model))


# --- through the pipeline, the store and the queue ----------------------------------------------

TWO_REQUESTS_ANGRY = (
    "Bonjour,\nJe vous transmets la facture du garage pour le remboursement des réparations de ma voiture, "
    "je suis très déçue du délai.\nPar ailleurs, je souhaite résilier mon contrat habitation à son "
    "échéance.\nMon mari est décédé le mois dernier et je suis seule.\n\nMarie Petit\n"
)
CALM_CLAIM = (
    "Hello,\nA stone hit my windscreen on the motorway yesterday and left a crack in it.\n"
    "I would like to make a claim. Thanks in advance.\n\nKind regards,\nTom Baker\n"
)


@pytest.fixture
def pipeline(settings: Settings) -> Pipeline:
    pipeline = Pipeline(settings)
    yield pipeline
    pipeline.close()


def _mail(body: str, n: int, subject: str = "Mon dossier", **kwargs) -> RawInput:
    data = make_mail(body, subject=subject, message_id=f"<tone-{n}@example.fr>", **kwargs)
    return RawInput(source=f"mail-{n}.eml", data=data, kind="mail", filename=f"mail-{n}.eml")


def _arrived(store: Store, message_pk: int, hours_ago: float) -> None:
    """Arrival set by hand: the queue's order is by age."""
    from datetime import UTC, datetime, timedelta

    created = datetime.now(UTC) - timedelta(hours=hours_ago)
    messages, queue = store.t["messages"], store.t["queue_entries"]
    with store.engine.begin() as connection:
        connection.execute(messages.update().where(messages.c.id == message_pk).values(created_at=created))
        connection.execute(queue.update().where(queue.c.message_pk == message_pk).values(created_at=created))


def test_the_json_output_says_the_tone_the_urgency_and_the_other_request(
    pipeline: Pipeline, store: Store
) -> None:
    result = pipeline.process(_mail(TWO_REQUESTS_ANGRY, 1))
    assert result.classification.sentiment == NEGATIVE
    assert URGENT in result.flags
    pk = store.save_processed(result, actor="rpa").message_pk
    shown = json.loads(json.dumps(message_json(store.message(pk))))
    assert shown["sentiment"] == "negative" and shown["urgent"] is True
    assert (shown["intent"], shown["secondary_intents"]) == ("cancellation", ["reimbursement"])
    assert "urgent" in shown["flags"]
    assert "Tone:     negative   URGENT" in show_text(store.message(pk))


def test_a_calm_request_is_neutral_not_urgent_and_asks_one_thing(pipeline: Pipeline, store: Store) -> None:
    result = pipeline.process(_mail(CALM_CLAIM, 2, subject="Windscreen"))
    pk = store.save_processed(result, actor="rpa").message_pk
    shown = message_json(store.message(pk))
    assert (shown["sentiment"], shown["urgent"], shown["secondary_intents"]) == ("neutral", False, [])


def test_a_mailing_list_naming_a_court_is_not_urgent(pipeline: Pipeline) -> None:
    newsletter = "Notre lettre du mois : le tribunal de Lyon a jugé une affaire d'assurance. Scandaleux !!!"
    result = pipeline.process(_mail(newsletter, 3, headers={"List-Id": "<news.example.fr>"}))
    assert URGENT not in result.flags and result.classification.sentiment == NEUTRAL


def test_the_third_message_on_the_same_claim_is_urgent(pipeline: Pipeline, store: Store) -> None:
    body = "Bonjour,\nAvez-vous des nouvelles de mon sinistre n° SIN-2025-00417 ?\nCordialement\n"
    flagged = []
    for n in range(3):
        result = pipeline.process(_mail(body.replace("Bonjour", f"Bonjour ({n + 1})"), 10 + n))
        assert result.fields["claim_number"].value == "SIN-2025-00417"
        store.save_processed(result, actor="rpa")
        flagged.append(URGENT in result.flags)
    assert flagged == [False, False, True]
    other = pipeline.process(_mail(body.replace("SIN-2025-00417", "SIN-2025-00999"), 20))
    store.save_processed(other, actor="rpa")
    assert URGENT not in other.flags


def test_urgent_messages_come_first_in_the_queue(pipeline: Pipeline, store: Store) -> None:
    calm_old = store.save_processed(pipeline.process(_mail(CALM_CLAIM, 30)), actor="rpa").message_pk
    urgent_new = store.save_processed(pipeline.process(_mail(TWO_REQUESTS_ANGRY, 31)), actor="rpa").message_pk
    calm_new = store.save_processed(
        pipeline.process(_mail(CALM_CLAIM.replace("stone", "pebble"), 32)), actor="rpa"
    ).message_pk
    for pk, hours in ((calm_old, 30), (urgent_new, 1), (calm_new, 2)):
        _arrived(store, pk, hours)
    page = queue_page(store, QueueFilter(), actor="alice")
    assert [row.message_pk for row in page.rows] == [urgent_new, calm_old, calm_new]
    assert page.rows[0].urgent and page.rows[0].sentiment == "negative"
    newest = queue_page(store, QueueFilter(order="newest"), actor="alice")
    assert [row.message_pk for row in newest.rows] == [urgent_new, calm_new, calm_old]
    second = queue_page(store, QueueFilter(), actor="alice", page=2, page_size=2)
    assert [row.message_pk for row in second.rows] == [calm_new]
    assert next_in_queue(store, QueueFilter(), actor="alice") == urgent_new
    assert neighbours(store, QueueFilter(), calm_old, actor="alice") == (urgent_new, calm_new)
    assert neighbours(store, QueueFilter(), urgent_new, actor="alice") == (None, calm_old)
    assert neighbours(store, QueueFilter(order="newest"), calm_new, actor="alice") == (urgent_new, calm_old)
    assert [entry.message_pk for entry in store.queue()][0] == urgent_new


def test_the_urgent_first_page_is_read_in_index_order(pipeline: Pipeline, store: Store) -> None:
    """Each read of a page walks an index: no sort of the whole queue (EXPLAIN QUERY PLAN)."""
    store.save_processed(pipeline.process(_mail(CALM_CLAIM, 40)), actor="rpa")
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT") and "queue_entries" in statement:
            statements.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        queue_page(store, QueueFilter(), actor="alice", page=2, page_size=1)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)
    page_reads = [(sql, params) for sql, params in statements if "ORDER BY" in sql]
    assert len(page_reads) == 2  # the urgent ones, then the others
    with store.engine.connect() as connection:
        for sql, params in page_reads:
            plan = " ".join(row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "USING INDEX queue_by_urgency" in plan and "TEMP B-TREE" not in plan, plan


def test_eval_scores_sentiment_urgency_and_secondary_intents(settings: Settings, tmp_path) -> None:  # noqa: ANN001
    from rpa.evaluation import evaluate, format_report

    folder = tmp_path / "labelled"
    folder.mkdir()
    cases = {
        "angry": (
            TWO_REQUESTS_ANGRY,
            {"sentiment": "negative", "urgent": True, "secondary_intents": ["reimbursement"]},
        ),
        "calm": (
            CALM_CLAIM,
            {"sentiment": "positive", "urgent": False, "secondary_intents": ["cancellation"]},
        ),
    }
    for n, (name, (body, truth)) in enumerate(cases.items()):
        (folder / f"{name}.eml").write_bytes(make_mail(body, message_id=f"<eval-{n}@example.fr>"))
        (folder / f"{name}.expected.json").write_text(json.dumps(truth))
    report = evaluate([folder], settings)
    assert report.sentiments == {("negative", "negative"): 1, ("positive", "neutral"): 1}
    assert (report.urgent.tp, report.urgent.fp, report.urgent.fn) == (1, 0, 0)
    assert (report.secondary.tp, report.secondary.fp, report.secondary.fn) == (1, 0, 1)
    text = format_report(report)
    assert "sentiment accuracy:   50.0% of 2" in text
    assert "urgent flag:          precision 100.0%, recall 100.0%" in text
    assert "secondary intents:    precision 100.0%, recall 50.0%" in text
    assert "calm.eml: sentiment: expected positive, got neutral" in text
