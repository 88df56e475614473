"""Fields as the ninth development batch's writers wrote them (short, hurried, forwarded and
rambling mails), each rule in French and English: the harm's own day whatever verb governs
the sentence, weekdays written short, hail, storms and falls, the note of one who forwards a
customer's mail, a lower-case prefix of a known kind or of letters no word is made of, a
number in a word that no label reaches over, a key "A" before a vowel, Eircodes within a
line, lower-case French plates and plates of a road accident."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import incident_in, make_mail, name_of_mail, value_in, written_for

from extractors.fields.extract import extract_fields
from extractors.fields.postcodes import find_postcodes
from extractors.mime import parse_message
from rpa.config import LimitSettings, ParsingSettings
from rpa.pipeline import text_sources

THURSDAY = date(2026, 11, 19)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "J'ai envoyé vendredi les photos pour le feu de cheminée du 11 octobre (sinistre n° 4471-DG-2026).",
            "2026-10-11",
        ),
        (
            "Ça fait 3 semaines que l'expert a validé 920€ pour le vol du 18/09, toujours pas de virement.",
            "2026-09-18",
        ),
        ("I sent you the photos on Monday for the theft of 11 October, claim 4471-DG-2026.", "2026-10-11"),
        (
            "Any news on claim CL-26-448190? It's been three weeks since the hailstones on the 3rd.",
            "2026-11-03",
        ),
        ("Her fall was on 13 November, the day before they were meant to fly home.", "2026-11-13"),
        ("my phone got nicked at the servo on fri arvo", "2026-11-13"),
        ("someone smashed my window sat night outside the pub", "2026-11-14"),
        ("Les grêlons de mardi soir ont cassé deux tuiles.", "2026-11-17"),
    ],
)
def test_the_incident_day_as_batch_nine_told_it(text: str, value: str) -> None:
    assert incident_in(text, THURSDAY) == value


@pytest.mark.parametrize(
    "text",
    [
        "Suite à votre déclaration de sinistre du 3 novembre, nous avons besoin de photos.",
        "We are moving in the fall, on 13 November.",
        "I sat night after night waiting for the assessor.",
    ],
)
def test_no_incident_in_a_declaration_a_season_or_a_verb(text: str) -> None:
    assert incident_in(text, THURSDAY) is None


def _field_of_mail(name: str, body: str, sender: str, subject: str) -> str | None:
    """Field `name` of a mail read by the real MIME parser, received on THURSDAY."""
    raw = make_mail(body, sender=sender, subject=subject)
    message = parse_message(raw, source="mail.eml", limits=LimitSettings())
    found = extract_fields(text_sources(message), ParsingSettings(), received=THURSDAY).get(name)
    return found.value if found else None


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Bonjour,\nJe vous transfère le message de ma voisine, qui a 84 ans.\nMarc Ollier (le voisin)\n\n"
            "---------- Message transféré ----------\nDe : Huguette Perrin <h.perrin@wanadoo.example>\n"
            "Date : dim. 15 nov. 2026 à 18:02\nObjet : tempête\nÀ : Marc Ollier <marc.ollier@mail.example>\n\n"
            "Marc,\nLa tempête de samedi soir a arraché des tuiles.\nMerci mille fois\nHuguette Perrin\n",
            "Marc Ollier <marc.ollier@mail.example>",
            "Huguette Perrin",
        ),
        (
            "Hi,\nForwarding for my mother. Her landline is below.\nTom\n\n"
            "---------- Forwarded message ---------\nFrom: Beryl Ashdown <beryl.ashdown@swan.example>\n"
            "Date: Tue, 13 Oct 2026 at 4:51 pm\nSubject: hospital papers\nTo: Tom Ashdown <tom@swan.example>\n\n"
            "Tom, here are the hospital papers for the insurance.\nLove, Mum\nBeryl Ashdown\n",
            "Tom Ashdown <tom@swan.example>",
            "Beryl Ashdown",
        ),
    ],
)
def test_the_customer_of_a_forward_is_its_writer_not_the_forwarder_who_signs_above(
    body: str, sender: str, name: str
) -> None:
    assert _field_of_mail("customer_name", body, sender, "TR: tempête") == name


def test_a_customer_forwarding_their_own_mail_keeps_its_incident_day() -> None:
    body = (
        "I am forwarding below my email of 30 October, still unanswered.\n\nI was hospitalised after a fall "
        "in Lisbon on 29 August while on holiday.\nMatthew O'Driscoll\n\n---------- Forwarded message "
        "---------\nFrom: Matthew O'Driscoll <m.od@cork.example>\nDate: Fri, 30 Oct 2026 at 09:14\n"
        "Subject: hospital bill\nTo: claims@insurer.example\n\nThe hospital has still not been paid.\n"
    )
    sender = "Matthew O'Driscoll <m.od@cork.example>"
    assert _field_of_mail("incident_date", body, sender, "FW: hospital bill") == "2026-08-29"


@pytest.mark.parametrize(
    ("body", "sender", "phone", "postcode"),
    [
        (
            "Hello,\nForwarding the revised estimate from our roofer below. Can the adjuster approve it?\n"
            "Thanks,\nBeverly Lindqvist\n2219 Athol Street, Regina SK  S4T 3C2\n306-585-2231\n\n"
            "---------- Forwarded message ---------\nFrom: Prairie Peak Roofing <office@peakroofing.example>\n"
            "Date: Wed, Nov 4, 2026 at 3:18 PM\nSubject: Revised estimate\nTo: Bev Lindqvist <bev@sask.example>\n\n"
            "Hi Bev,\nAttached is our revised estimate.\nCurtis Rempel\nPrairie Peak Roofing Ltd.\n"
            "1140 Fleet St, Regina SK S4N 7N7\n306-757-4410\n",
            "Bev Lindqvist <bev@sask.example>",
            "+13065852231",
            "S4T 3C2",
        ),
        (
            "Bonjour,\nJe vous transfère le devis du couvreur.\nCordialement,\nMarie Dufour\n"
            "12 rue des Lilas\n31000 Toulouse\n06 12 44 87 21\n\n"
            "---------- Message transféré ----------\nDe : Toitures Garonne <contact@toitures.example>\n"
            "Date : mer. 4 nov. 2026 à 15:18\nObjet : devis\nÀ : Marie Dufour <marie@mail.example>\n\n"
            "Madame,\nVeuillez trouver notre devis.\nToitures Garonne\n8 avenue de Muret\n31300 Toulouse\n"
            "05 61 44 20 10\n",
            "Marie Dufour <marie@mail.example>",
            "+33612448721",
            "31000",
        ),
    ],
)
def test_the_phone_and_address_of_a_mail_the_customer_forwards_from_someone_else_are_not_theirs(
    body: str, sender: str, phone: str, postcode: str
) -> None:
    assert _field_of_mail("phone", body, sender, "Fwd: estimate") == phone
    assert _field_of_mail("postcode", body, sender, "Fwd: estimate") == postcode


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "voila les photos et le devis pour le degat des eaux de jeudi contrat hab 21 0097 4",
            "HAB 21 0097 4",
        ),
        ("Contrat propriétaire non occupant PNO 69 4410 28.", "PNO 69 4410 28"),
        ("Multirisque pro n° MRP/21/77 0042.", "MRP/21/77 0042"),
        ("hey its me again about claim 4471-TX-0092 for the hail, policy hx 330 9917", "HX 330 9917"),
        ("claimed physio on my extras cover member 4410 8829 A after i did my knee", "4410 8829 A"),
        ("Condo unit owner policy (HO-6) #CX 880 4412. Unit address: 1520 N Lakeview Ave.", "CX 880 4412"),
        (
            "my phone got nicked, gadget cover GC-QLD-551802\ncops gave me a ref QP2601448913\nis the ref enough??",
            "GC-QLD-551802",
        ),
    ],
)
def test_policies_written_in_a_hurry(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("contrat auto 4471 2209 88", "4471 2209 88"),
        ("Policy 4471 2209 A new car is on it", "4471 2209"),
        ("contrat auto n° 4471 2209", "4471 2209"),
    ],
)
def test_a_cover_word_and_an_article_stay_out_of_the_number(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        (
            "ci-joint le constat du 30/11, sinistre 26-0913-AU, pour la golf gb-730-zk. Y a-t-il autre chose",
            "GB-730-ZK",
        ),
        (
            "when I rang about my claim LC/55120 (the accident on 21 November, Fiesta FN70 WKA). The man",
            "FN70 WKA",
        ),
        ("Après la collision, ma Clio GH-552-XT est au garage.", "GH-552-XT"),
    ],
)
def test_plates_in_small_letters_or_beside_a_road_accident(text: str, plate: str) -> None:
    assert value_in(text, "vehicle_plate") == plate


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("We're at 14 Ardmore Park, Douglas, Cork T12 K8N4 and my mobile is 087 331 4092.", "T12 K8N4"),
        ("mossie moloney\n41 ballinacurra gardens limerick V94 R2X7", "V94 R2X7"),
    ],
)
def test_an_eircode_within_a_line_or_after_a_town_in_small_letters(text: str, code: str) -> None:
    assert [(found.code, found.countries) for found in find_postcodes(text, "en")] == [
        (code, frozenset({"IE"}))
    ]


@pytest.mark.parametrize("text", ["the model A12 BC34 is new", "I paid C12 AAAA for it"])
def test_letters_and_digits_that_no_eircode_spells_are_none(text: str) -> None:
    assert find_postcodes(text, "en") == []


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Madame, Monsieur,\nMon père, M. Marcel Besnard, 91 ans, est sans chauffage depuis dimanche.\n"
            "Olivier Besnard",
            "Olivier Besnard <olivier.besnard@mail.example>",
            "Marcel Besnard",
        ),
        (
            "My father, Harold Brandt, is 91 and has dementia. His furnace died on October 30.\nKaren",
            "Karen Brandt-Oliveira <karen@mail.example>",
            "Harold Brandt",
        ),
    ],
)
def test_an_elderly_relative_named_with_their_age_is_the_policyholder(
    body: str, sender: str, name: str
) -> None:
    assert written_for(body, sender) == name


def test_a_relative_named_without_an_age_or_a_cover_is_not() -> None:
    body = "My wife, Jane Brandt, is coming with me to the assessment on Monday.\nKaren Brandt"
    assert name_of_mail(body, "Karen Brandt <karen@mail.example>") == "Karen Brandt"


def test_the_incident_day_told_in_a_forwarders_note_is_read() -> None:
    body = (
        "Hi,\nForwarding for my mother. Her fall was on 2 October, the day before they were meant to fly home.\n"
        "Tom\n\n---------- Forwarded message ---------\nFrom: Beryl Ashdown <beryl@swan.example>\n"
        "Date: Tue, 13 Oct 2026 at 4:51 pm\nSubject: hospital papers\nTo: Tom Ashdown <tom@swan.example>\n\n"
        "Tom, here are the hospital papers for the insurance.\nBeryl Ashdown\n"
    )
    sender = "Tom Ashdown <tom@swan.example>"
    assert _field_of_mail("incident_date", body, sender, "Fwd: hospital papers") == "2026-10-02"
