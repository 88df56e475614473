"""The incident's day as customers tell it: parts of the mail's own day, days moved from
another ("la veille du 11"), days counted from a quoted or forwarded mail's own date, and
the words of harm that make a day the incident's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from email.message import EmailMessage

import pytest

from extractors.fields.extract import extract_fields
from extractors.sources import RawInput
from rpa.config import ParsingSettings, Settings
from rpa.models import TextSource
from rpa.pipeline import Pipeline

SETTINGS = ParsingSettings()
THURSDAY = date(2026, 11, 19)  # the mails below were sent on Thursday 19 November 2026


def incident(*sources: TextSource, received: date | datetime = THURSDAY) -> str | None:
    found = extract_fields(list(sources), SETTINGS, received=received).get("incident_date")
    return found.value if found else None


def body(text: str, sent: datetime | None = None) -> TextSource:
    return TextSource("body", text, sent=sent)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 19, hour, minute)


# --- The evening or afternoon of the mail's own day ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "J'ai eu un accrochage ce soir sur le parking du supermarché, une voiture a reculé dans ma portière.",
        "A van clipped my wing mirror this evening on the ring road.",
        "Tonight someone smashed the window of my car outside the gym.",
        "Cet après-midi, un livreur a percuté notre portail en manœuvrant.",
    ],
)
def test_an_evening_or_afternoon_told_in_a_mail_sent_after_it_is_the_mails_day(text: str) -> None:
    assert incident(body(text), received=at(22, 40)) == "2026-11-19"


@pytest.mark.parametrize(
    "text",
    [
        "Ce soir, le vent doit encore forcer et ma clôture est déjà cassée.",
        "Tonight the wind is meant to pick up again and my fence is already broken.",
        "Cet après-midi, je dépose la voiture accidentée chez le carrossier.",
        "This afternoon I take the damaged car to the body shop.",
    ],
)
def test_an_evening_or_afternoon_not_yet_come_when_the_mail_was_sent_is_no_day(text: str) -> None:
    assert incident(body(text), received=at(8, 15)) is None


@pytest.mark.parametrize(
    "text",
    [
        "Ce soir vers 23h, des voleurs ont forcé la porte de notre garage.",
        "Tonight, just before midnight, somebody broke into our garden shed.",
    ],
)
def test_an_evening_told_in_the_small_hours_is_the_evening_before(text: str) -> None:
    assert incident(body(text), received=at(1, 30)) == "2026-11-18"


@pytest.mark.parametrize(
    "text",
    [
        "Je souhaite déclarer un sinistre. Mardi dans la nuit, l'eau a traversé le plafond de la salle de bain.",
        "I want to make a claim. Tuesday night, water poured through the bathroom ceiling.",
    ],
)
def test_a_weekday_told_as_a_night_in_a_claim_is_the_incident(text: str) -> None:
    assert incident(body(text)) == "2026-11-17"


# --- Days moved from the day they name --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("L'incendie a pris dans la cuisine la veille du 11 novembre.", "2026-11-10"),
        ("The kitchen fire started the day before 11 November.", "2026-11-10"),
        ("Our shed was burgled on the eve of the 8th.", "2026-11-07"),
        ("Le lendemain du 3 novembre 2026, le plafond s'est effondré.", "2026-11-04"),
        ("The ceiling collapsed the day after 3 November 2026.", "2026-11-04"),
        ("La tuile est tombée deux jours avant le 15 novembre.", "2026-11-13"),
    ],
)
def test_a_day_before_or_after_a_named_day_is_moved(text: str, value: str) -> None:
    assert incident(body(text)) == value


# --- A quoted or forwarded mail's days count from its own date -------------------------------


@pytest.mark.parametrize(
    ("reply", "quoted", "value"),
    [
        (
            "Je vous renvoie mon mail de lundi, resté sans réponse.",
            "-----Message d'origine-----\nDe : Paul Martin <paul@example.fr>\n"
            "Envoyé : lundi 16 novembre 2026 21:03\nObjet : vol\n\n"
            "Bonjour,\nMon scooter a été volé ce soir devant la gare.",
            "2026-11-16",
        ),
        (
            "Sending this again, no answer yet.",
            "-----Original Message-----\nFrom: Paul Martin <paul@example.com>\n"
            "Sent: Monday, November 16, 2026 9:03 PM\nSubject: theft\n\n"
            "Hello,\nMy scooter was stolen yesterday outside the station.",
            "2026-11-15",
        ),
        (
            "Any news?",
            "On Mon, 16 Nov 2026 at 08:12, Paul Martin <paul@example.com> wrote:\n"
            "> Our van was broken into last night on the driveway.",
            "2026-11-15",
        ),
        (
            "Des nouvelles ?",
            "Le lun. 16 nov. 2026 à 08:12, Paul Martin <paul@example.fr> a écrit :\n"
            "> Notre camionnette a été fracturée hier soir dans l'allée.",
            "2026-11-15",
        ),
    ],
)
def test_days_in_a_quoted_mail_count_from_that_mails_date(reply: str, quoted: str, value: str) -> None:
    assert incident(body(reply), TextSource("quoted", quoted), received=at(9)) == value


def test_a_subject_line_with_a_date_does_not_date_the_quoted_mail() -> None:
    quoted = (
        "-----Original Message-----\nSent: Monday, November 16, 2026 9:03 PM\n"
        "Subject: claim of 02/11/2026\n\nMy bike was stolen yesterday."
    )
    assert incident(body("See below."), TextSource("quoted", quoted)) == "2026-11-15"


@pytest.mark.parametrize(
    "text",
    [
        "Ma voiture a été percutée hier sur le parking de la gare.",
        "My car was hit yesterday in the station car park.",
    ],
)
def test_days_in_a_forwarded_mail_count_from_the_day_it_was_written(text: str) -> None:
    assert incident(body(text, sent=datetime(2026, 11, 2, 18, 0))) == "2026-11-01"


# --- How the writer orders day and month -------------------------------------------------------


def test_a_day_and_month_that_only_read_month_first_set_the_order_of_the_mail() -> None:
    text = "Hail damage to the roof from the storm on 10/28. The adjuster came out 11/2."
    assert incident(body(text)) == "2026-10-28"


def test_day_and_month_are_read_day_first_when_nothing_says_otherwise() -> None:
    assert incident(body("La grêle du 3/11 a cabossé le capot.")) == "2026-11-03"


# --- Days written from the month, or by a weekday alone -----------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Le dégât des eaux a eu lieu le 28 du mois dernier.", "2026-10-28"),
        ("The pipe burst on the 28th of last month.", "2026-10-28"),
        ("Le vol a eu lieu le 2 de ce mois.", "2026-11-02"),
        ("I slipped on the ice on 14th and broke my wrist.", "2026-11-14"),
        ("Lundi, ma voiture a été volée devant la gare.", "2026-11-16"),
        ("J'ai eu un accident mardi en rentrant du travail.", "2026-11-17"),
        ("Someone broke into my shed this past Saturday.", "2026-11-14"),
        ("Dans la nuit de samedi, des cambrioleurs sont entrés chez nous.", "2026-11-14"),
        ("Our car was broken into overnight on Saturday.", "2026-11-14"),
        ("Un arbre est tombé sur notre voiture pendant la tempête de mardi.", "2026-11-17"),
        ("A tree came down on our car in Tuesday's storm.", "2026-11-17"),
        ("La tempête a arraché le toit de l'abri il y a 12 jours.", "2026-11-07"),
        ("The storm took part of the shed roof 12 days ago.", "2026-11-07"),
    ],
)
def test_days_named_from_the_month_or_by_a_weekday_are_resolved(text: str, value: str) -> None:
    assert incident(body(text)) == value


@pytest.mark.parametrize(
    "text",
    [
        "Le garage est fermé le lundi, la voiture accidentée attendra.",
        "Dès lundi, le plombier réparera la fuite.",
        "Je suis absent jusqu'à lundi, le sinistre attendra.",
        "À partir de lundi, le garage pourra réparer la voiture accidentée.",
        "Lundi prochain, je ferai réparer la porte cassée.",
        "Le carrossier est ouvert du lundi au vendredi pour la voiture accidentée.",
    ],
)
def test_a_weekday_of_a_habit_a_deadline_or_to_come_is_no_incident_date(text: str) -> None:
    assert incident(body(text)) is None


# --- Which words make a day the incident's ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Une partie du mur de clôture s'est effondrée le 3 novembre 2026.", "2026-11-03"),
        ("Part of the garden wall collapsed on 3 November 2026.", "2026-11-03"),
        ("Mon chien s'est coupé la patte sur un barbelé le 12 novembre 2026.", "2026-11-12"),
        ("Our dog cut his paw on broken glass on 12 November 2026.", "2026-11-12"),
        ("My bike was nicked from the rack at work on 12 November 2026.", "2026-11-12"),
        ("Mon sac a été arraché dans la rue le 12 novembre 2026.", "2026-11-12"),
        ("A stone left a big crack in the windscreen on 12 November 2026.", "2026-11-12"),
        ("La baignoire a débordé le 12 novembre 2026 et a inondé le salon.", "2026-11-12"),
        ("En sortant le 12 novembre 2026, j'ai trouvé la vitre arrière brisée.", "2026-11-12"),
        ("On 12 November 2026 I came out to find the rear window shattered.", "2026-11-12"),
        ("When/where: on the 16th, at the bus station.", "2026-11-16"),
        ("Quand et où : le 16 novembre 2026, à la gare routière.", "2026-11-16"),
    ],
)
def test_words_of_harm_make_a_day_the_incidents(text: str, value: str) -> None:
    assert incident(body(text)) == value


@pytest.mark.parametrize(
    "text",
    [
        # the whole sentence is read when the day opens it, however late its verb comes
        "Le 3 novembre 2026, à la suite des très fortes pluies de la semaine, une grande partie du mur "
        "de clôture de notre jardin s'est effondrée.",
        "On 3 November 2026, after a whole week of very heavy rain over the valley and the town, a "
        "large part of our garden wall collapsed.",
    ],
)
def test_a_day_that_opens_its_sentence_dates_the_harm_told_late_in_it(text: str) -> None:
    assert incident(body(text)) == "2026-11-03"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Nous avons bien reçu votre courrier concernant le dégât des eaux du 1er octobre 2026.",
            "2026-10-01",
        ),
        ("We have received your letter regarding the flood in your cellar on 1 October 2026.", "2026-10-01"),
        (
            "Votre déclaration relative au vol de votre vélo le 1er octobre 2026 est enregistrée.",
            "2026-10-01",
        ),
    ],
)
def test_a_day_said_of_the_harm_a_letter_is_about_is_the_incidents(text: str, value: str) -> None:
    assert incident(TextSource("quoted", text)) == value


@pytest.mark.parametrize(
    "text",
    [
        "Votre lettre du 20 novembre refuse la prise en charge de l'effondrement de mon mur.",
        "Your letter of 20 November refused my claim for the collapse of my garden wall.",
        "Suite à votre déclaration de sinistre du 3 novembre, nous avons besoin de photos.",
        "Le devis du 12 novembre pour réparer la fuite s'élève à 800 euros.",
        "The quote of 12 November for mending the leak comes to 800 pounds.",
    ],
)
def test_the_day_of_a_letter_a_declaration_or_a_quote_is_no_incident_date(text: str) -> None:
    assert incident(body(text)) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Je demande le remboursement des frais du vétérinaire. Le 11 novembre, notre chat a mangé du lys.",
            "2026-11-11",
        ),
        ("I am claiming for my dog. The day before yesterday he ate a sock and kept vomiting.", "2026-11-17"),
    ],
)
def test_in_a_claim_for_a_pet_what_it_swallowed_dates_the_incident(text: str, value: str) -> None:
    assert incident(body(text)) == value


# --- Through the pipeline: the mail's Date header and a forwarded mail's own ---------------------


@pytest.fixture
def pipeline(settings: Settings) -> Iterator[Pipeline]:
    pipeline = Pipeline(settings)
    yield pipeline
    pipeline.close()


def _mail(subject: str, sent: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Léa Petit <lea.petit@example.fr>"
    message["To"] = "sinistres@assureur.example"
    message["Subject"] = subject
    message["Date"] = sent
    message.set_content(text)
    return message


def _process(pipeline: Pipeline, message: EmailMessage) -> str | None:
    raw = RawInput(source="mail.eml", data=bytes(message), kind="mail", filename="mail.eml")
    found = pipeline.process(raw).fields.get("incident_date")
    return found.value if found else None


def test_the_hour_of_the_date_header_tells_whether_ce_soir_had_come(pipeline: Pipeline) -> None:
    text = "Bonjour,\nMon vélo a été volé ce soir devant le cinéma.\nLéa Petit"
    evening = _mail("Vol de vélo", "Thu, 19 Nov 2026 22:40:00 +0100", text)
    morning = _mail("Vol de vélo", "Thu, 19 Nov 2026 08:40:00 +0100", text)
    assert (_process(pipeline, evening), _process(pipeline, morning)) == ("2026-11-19", None)


def test_a_forwarded_mails_yesterday_is_the_day_before_it_was_written(pipeline: Pipeline) -> None:
    inner = _mail("Theft", "Mon, 02 Nov 2026 18:00:00 +0000", "Hello,\nMy bike was stolen yesterday.\nLea")
    outer = _mail("Fwd: Theft", "Thu, 19 Nov 2026 09:00:00 +0000", "Sending this again, no answer.\nLea")
    outer.add_attachment(inner)
    assert _process(pipeline, outer) == "2026-11-01"


# --- Days told by a weekday's night, "le 3 courant", "tout à l'heure"; harm told by its doers --


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Thursday 19 November: last Saturday was the 14th
        (
            "Someone got into our place last Saturday night while we were at my sister's. Cops came Sunday.",
            "2026-11-14",
        ),
        ("On Saturday evening, while we were out, thieves cut the bars on the kitchen window.", "2026-11-14"),
        ("Samedi soir, pendant notre absence, des voleurs ont fracturé la porte du garage.", "2026-11-14"),
        ("Le 3 courant, vers 16h30, mon fils a brisé la vitrine de la boutique voisine.", "2026-11-03"),
        ("On the 3rd of this month, at about 4pm, my son broke the shop window next door.", "2026-11-03"),
    ],
)
def test_a_weekday_s_night_the_day_of_this_month_and_harm_told_by_who_did_it_date_the_incident(
    text: str, value: str
) -> None:
    assert incident(body(text)) == value


def test_tout_a_l_heure_told_of_the_past_is_the_mail_s_day_and_of_what_is_to_come_no_incident() -> None:
    told = "J'ai eu un accrochage tout à l'heure vers midi sur la rocade, un camion a tapé mon aile."
    assert incident(body(told), received=at(13, 47)) == "2026-11-19"
    assert (
        incident(
            body("I had a bump earlier today on the ring road, a lorry hit my wing."), received=at(13, 47)
        )
        == "2026-11-19"
    )
    coming = "Ma voiture a été accrochée ; je passerai à l'agence tout à l'heure avec le constat."
    assert incident(body(coming), received=at(13, 47)) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Je veux faire réclamation sur l'expert venu pour le feu de cheminée du 21 octobre.", "2026-10-21"),
        (
            "Pour le bris de ma baie vitrée le 13 novembre, vous avez déduit la franchise deux fois.",
            "2026-11-13",
        ),
        ("About the chimney fire of 21 October: the assessor was an hour late.", "2026-10-21"),
    ],
)
def test_a_fire_or_a_breakage_named_before_its_day_dates_the_incident(text: str, value: str) -> None:
    assert incident(body(text)) == value


def test_a_shopping_mall_is_no_mail_sent_that_day() -> None:
    stolen = "The car was stolen from the Rosebank Mall parking on Friday night, the 13th."
    assert incident(body(stolen)) == "2026-11-13"
    sent = "I sent you a mail on Friday the 13th about the theft of my car."
    assert incident(body(sent)) is None


# --- A day taken back, and thefts told with a plain verb --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "On Friday evening (the 13th? no, sorry, I mean Tuesday the 17th) my phone was taken from a café table.",
        "Vendredi soir (le 13 ? non, pardon, je veux dire mardi 17) on m'a volé mon téléphone au café.",
        "Le vendredi 13, enfin non, le mardi 17, un voleur a forcé la portière de ma voiture.",
        "The break-in was on 13/11/2026, or rather 17/11/2026, while we were away.",
    ],
)
def test_a_day_the_customer_takes_back_is_not_the_incident(text: str) -> None:
    assert incident(body(text)) == "2026-11-17"


@pytest.mark.parametrize(
    "text",
    [
        "On Friday the 13th my phone was taken from the table of a café.",
        "My bag got snatched on Friday the 13th at the market.",
        "Vendredi 13, on m'a arraché mon sac dans le métro.",
        "Vendredi 13 au marché, on m'a pris mon portefeuille dans mon sac.",
    ],
)
def test_a_theft_told_with_a_plain_verb_dates_the_incident(text: str) -> None:
    assert incident(body(text)) == "2026-11-13"


def test_two_days_without_words_of_correction_keep_the_first_told() -> None:
    text = "Le vendredi 13 un voleur a forcé la portière, et le mardi 17 j'ai vu que le GPS manquait aussi."
    assert incident(body(text)) == "2026-11-13"


# --- The writer's own next act, in a mail typed without stops ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "slt on ma vole mon scooter devant le taf hier aprem vers 17h jai porte plainte au comico",
        "my bike got nicked outside work yesterday afternoon i reported it to the police at 6",
        "mon garage a ete inonde hier soir nous avons appele les pompiers",
    ],
)
def test_the_writers_next_act_after_the_harm_does_not_take_its_day(text: str) -> None:
    """ "Yesterday" belongs to the theft told before it, not to the complaint the writer made
    after, though no stop parts them."""
    assert incident(body(text)) == "2026-11-18"


@pytest.mark.parametrize(
    "text",
    [
        "le 3 novembre j'ai porte plainte pour le vol de mon velo",
        "on 3 November I reported the theft of my bike to the police",
    ],
)
def test_a_day_that_opens_the_writers_own_act_is_still_that_acts(text: str) -> None:
    assert incident(body(text)) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("claimed physio $95 x 3 on my extras cover after i did my knee at footy on 3 nov", "2026-11-03"),
        ("I did my back in lifting a wardrobe on Saturday, can I claim the osteo?", "2026-11-14"),
        ("je me suis fait une entorse le 3 novembre au foot, le kiné est-il remboursé ?", "2026-11-03"),
    ],
)
def test_an_injury_said_as_doing_a_joint_in_dates_the_incident(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "He flew out to Tenerife on 28 October and fell on the steps of the hotel on the 2nd.",
            "2026-11-02",
        ),
        (
            "My claim: I drove to Leeds on 2 November and hit a deer on the way back on 4 November.",
            "2026-11-04",
        ),
        (
            "Je déclare un sinistre. Il est parti en Espagne le 28 octobre et il est tombé dans l'escalier le 2 novembre.",
            "2026-11-02",
        ),
        # a harm after "and" with no other day after it is still its day's
        ("Claim: I was at the hotel on the 2nd and slipped in the shower, breaking my wrist.", "2026-11-02"),
        ("On 3 November my car was stolen, and on 5 November I reported it.", "2026-11-03"),
    ],
)
def test_a_harm_joined_by_and_before_another_day_is_that_days(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("We complain about the flood from the burst pipe under the kitchen on Fri. 2/10.", "2026-10-02"),
        ("the flood from the burst pipe on Thurs. 5 November, the ceiling came down", "2026-11-05"),
        ("Nous avons eu une inondation due à la fuite le ven. 2/10.", "2026-10-02"),
        ("La fuite d'eau du jeu. 5 novembre a abîmé le plafond.", "2026-11-05"),
    ],
)
def test_a_short_day_names_dot_before_its_date_ends_no_sentence(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("The leak itself was a fortnight ago today.", "2026-11-05"),
        ("The pipe under the bath burst two weeks ago.", "2026-11-05"),
        ("La fuite sous la baignoire a commencé il y a deux semaines.", "2026-11-05"),
        ("On nous a cambriolés il y a quinze jours.", "2026-11-05"),
        ("I hit a moose the night before last, around 9 pm, on the highway.", "2026-11-17"),
        ("La nuit d'avant-hier, on nous a volé la voiture devant la maison.", "2026-11-17"),
    ],
)
def test_weeks_back_and_the_night_before_last_are_counted_from_the_mail(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    "text",
    [
        "Please find the repair estimate from Bellaire Collision Center dated 11/02/2026.",
        "Ci-joint le devis de Collision Express, daté du 02/11/2026.",
    ],
)
def test_what_is_dated_is_a_document_whatever_its_words(text: str) -> None:
    assert incident(body(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "My car met with an accident dated 2nd Nov. 2026 at Silk Board junction.",
        "Ma voiture a eu un accident daté du 2 novembre 2026 au carrefour.",
    ],
)
def test_a_harm_dated_so_is_dated_by_it(text: str) -> None:
    assert incident(body(text)) == "2026-11-02"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "les factures de l'hôtel après l'incendie du tableau électrique du 2 novembre, le temps que "
            "l'électricien remette le courant",
            "2026-11-02",
        ),
        (
            "the hotel bills after the fire of the fuse box on 2 November, while the electrician "
            "restored the power",
            "2026-11-02",
        ),
        ("jai tapé un sanglier hier soir vers 22h sur la d960 en rentrant du boulot", "2026-11-18"),
        (
            "Il m'est arrivé un malheur le dimanche 15 novembre, vers midi : la poêle a pris feu.",
            "2026-11-15",
        ),
    ],
)
def test_a_harm_said_plainly_or_with_what_it_struck_dates_its_day(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    "text",
    [
        "its been over a week since the crash on rememberance day and my car is still at the garage",
        "the crash on Remembrance Day left my car at the garage",
    ],
)
def test_remembrance_day_as_it_is_often_spelled_is_the_eleventh_of_november(text: str) -> None:
    assert incident(body(text)) == "2026-11-11"


@pytest.mark.parametrize(
    "text",
    [
        "la gendarmerie m'a appelé ce matin, ma voiture volée le 2/11/2026 devant chez moi a été retrouvée.",
        "the police rang me this morning, my car stolen on 2/11/2026 outside the house has been found.",
    ],
)
def test_a_verb_of_another_clause_does_not_govern_the_harm_after_a_comma(text: str) -> None:
    assert incident(body(text)) == "2026-11-02"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("ten days ago we had that big electrical storm and the inverter blew", "2026-11-09"),
        ("il y a dix jours, un gros orage a grillé l'onduleur", "2026-11-09"),
        ("following up on the fender bender sunday nite, i sent the photos yesterday", "2026-11-15"),
        (
            "The other day, the 12th, I came out of the shop to find a van reversing into my car.",
            "2026-11-12",
        ),
        ("L'autre jour, le 12, une camionnette a reculé dans ma voiture sur le parking.", "2026-11-12"),
    ],
)
def test_days_counted_in_words_a_nite_and_a_van_reversing_into_the_car(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Voici le constat scanné pour l'accident du 16 et les photos de l'aile arrière.", "2026-11-16"),
        ("Mon téléphone est tombé le 3 en sortant de la voiture, l'écran est cassé.", "2026-11-03"),
        ("Ma voiture a été rayée le 12 sur le parking du supermarché.", "2026-11-12"),
        ("Here is the police report for the accident on the 16th and the photos of the wing.", "2026-11-16"),
    ],
)
def test_a_french_day_without_its_month_may_go_on_with_its_sentence(text: str, day: str) -> None:
    assert incident(body(text)) == day


def test_a_day_told_of_in_the_next_item_of_a_list_is_no_other_day_of_its_sentence() -> None:
    text = (
        "Here are the documents for my claim:\n\n"
        "- the police report, dated Nov 13 (the accident itself was the evening before, Nov 12)\n"
        "- the repair estimate from the body shop, dated 11/17\n"
        "- photos of my car"
    )
    assert incident(body(text)) == "2026-11-12"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Sur l'A10, le mardi 10 novembre, un gravillon a fait un impact sur mon pare-brise... pardon, "
            "je me trompe, c'était le mercredi 11, le lendemain de mon rendez-vous chez le dentiste.",
            "2026-11-11",
        ),
        (
            "On Tuesday the 10th a stone hit my windscreen on the motorway and cracked it... sorry, I was "
            "wrong, it was Wednesday the 11th.",
            "2026-11-11",
        ),
    ],
)
def test_a_day_the_writer_corrects_at_the_end_of_the_sentence_is_the_one_meant(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "my ebike got stolen on tuesday outside the coffee shop on ne alberta st. was inside maybe 15 min",
            "2026-11-17",
        ),
        (
            "on m'a volé mon vélo mardi devant la boulangerie, j'étais dedans peut-être 10 minutes",
            "2026-11-17",
        ),
    ],
)
def test_a_hedge_on_a_length_of_time_is_no_doubt_about_the_day(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("I'm writing about a claim for my ER visit at Rose Medical Center on November 9.", "2026-11-09"),
        (
            "A claim: we flew home from Malta on 11th November and one of our suitcases did not arrive.",
            "2026-11-11",
        ),
        (
            "Nous sommes rentrés de Malte le 11 novembre et une de nos valises n'est jamais arrivée. Je voudrais être remboursée.",
            "2026-11-11",
        ),
        ("Claim for my father.\nInsured: Robert Lindsey\nDate of death: October 28, 2026", "2026-10-28"),
        (
            "Déclaration pour mon père.\nAssuré : Robert Lindsey\nDate du décès : 28 octobre 2026",
            "2026-10-28",
        ),
    ],
)
def test_care_lost_luggage_and_a_death_date_the_claim(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("There was a landslide behind our house on 12 November and the wall is cracking.", "2026-11-12"),
        ("Un glissement de terrain derrière la maison le 12 novembre a fissuré le mur.", "2026-11-12"),
        (
            "I'm asking for the hotel I had to stay in after the ceiling came through on Saturday 14th.",
            "2026-11-14",
        ),
        (
            "Le plafond de la cuisine s'est effondré le samedi 14, nous avons dû partir à l'hôtel.",
            "2026-11-14",
        ),
        (
            "hi attached are the photos of the dent in the door from tuesdays thing in the car park",
            "2026-11-17",
        ),
        ("The scratch on the wing is from Tuesday's bump in the car park.", "2026-11-17"),
    ],
)
def test_the_ground_a_ceiling_giving_way_and_dents_date_the_harm(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("hi rang roadside 4 times on tues night when my car died on the expressway", "2026-11-17"),
        (
            "j'ai appelé l'assistance mardi soir quand ma voiture est tombée en panne sur l'autoroute",
            "2026-11-17",
        ),
    ],
)
def test_what_a_when_right_after_a_day_tells_of_happened_that_day(text: str, day: str) -> None:
    assert incident(body(text)) == day


def test_a_short_weekday_before_an_ordinal_in_the_subject_dates_the_harm() -> None:
    sources = (
        TextSource("subject", "Docs for claim - washing machine leak Tues 17th"),
        body("Documents attached."),
    )
    assert incident(*sources) == "2026-11-17"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "bonjour\nhier soir vers 21h en rentrant du foot j'ai trouve ma clio avec le retro gauche arrache "
            "et une grosse rayure sur toute la portiere, elle etait garee rue des tanneurs devant chez un pote.",
            "2026-11-18",
        ),
        (
            "hello\nlast night around 9 coming back from football i found my car with the wing mirror ripped "
            "off and a long scratch down the door, it was parked outside a mates place on tanner street.",
            "2026-11-18",
        ),
    ],
)
def test_a_greeting_line_typed_without_its_comma_opens_no_sentence(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Mon vélo électrique (un modèle acheté en avril) a été volé la semaine dernière, mardi, devant la gare.",
            "2026-11-10",
        ),
        ("My e-bike (bought in April) was stolen last week, on Tuesday, outside the station.", "2026-11-10"),
    ],
)
def test_a_word_inside_brackets_does_not_govern_the_harm_after_them(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Mon chien Filou s'est fait mordre par un autre chien au parc il y a 10 jours.", "2026-11-09"),
        (
            "i lodged my claim online 9 days ago, the same day the other car ran up the back of me at the lights",
            "2026-11-10",
        ),
        (
            "Sunday evening, coming back into our slip after a day sail, a gust caught us broadside and pushed "
            "us hard into the piling. There is a gouge in the gelcoat.",
            "2026-11-15",
        ),
    ],
)
def test_a_bite_a_car_from_behind_and_a_gust_date_the_harm(text: str, day: str) -> None:
    assert incident(body(text)) == day


def test_a_document_dated_after_a_hospitals_name_is_no_harm() -> None:
    text = (
        "Attached is the invoice from Austin Emergency Animal Hospital dated 11/19 for $1,265.40. Our lab got "
        "into the trash on Tuesday and ate most of the turkey carcass. Please pay the claim.\nTyler Brooks\n(512) 448-3016"
    )
    assert incident(body(text)) == "2026-11-17"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "A burglary has taken place at my shop in the intervening night of 16th and 17th November 2026. "
            "The shutter lock was broken.",
            "2026-11-16",
        ),
        ("Cambriolage dans la nuit du 16 au 17 novembre 2026, la porte a été forcée.", "2026-11-16"),
    ],
)
def test_a_night_named_by_two_days_and_its_year_is_its_first_day(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "I was admitted to Sri Ramana Hospital from 12.11.2026 to 15.11.2026 for dengue fever.",
            "2026-11-12",
        ),
        ("Ma mère a été hospitalisée du 12/11/2026 au 15/11/2026 après sa chute.", "2026-11-12"),
        (
            "My wife was admitted to hospital from the 12th to the 15th of November, here is the bill.",
            "2026-11-12",
        ),
    ],
)
def test_the_first_day_of_a_stay_in_hospital_is_the_claims(text: str, day: str) -> None:
    assert incident(body(text)) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Je vous déclare un sinistre.\n\nLe jour du 11 novembre, pendant qu'on était à la cérémonie au "
            "monument aux morts, le vent s'est levé très fort et a arraché une douzaine de plaques.",
            "2026-11-11",
        ),
        (
            "Please find the glazier's invoice for the shop window that was put through at about 11pm on "
            "Tuesday night; the new glass went in Wednesday afternoon.",
            "2026-11-17",
        ),
        (
            "Writing to lodge a claim: the wind on Tuesday peeled a third of the roof iron off the barn.",
            "2026-11-17",
        ),
        (
            "Notre génisse a été foudroyée le 17/11 pendant l'orage, voici la facture de l'équarrisseur.",
            "2026-11-17",
        ),
    ],
)
def test_the_day_of_opens_a_sentence_and_a_window_put_through_or_a_roof_peeled_off_is_harm(
    text: str, day: str
) -> None:
    assert incident(body(text)) == day
