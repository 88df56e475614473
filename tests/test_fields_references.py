"""Policy and claim numbers as people write them who never saw our rules (issue 12): a cover
word before the number, a key letter after it, prefixes of several parts, a last group typed
apart, mistyped labels, a number alone under the signature or in the subject, a number the
sentence announces. French and English always, and what must not be read as a reference."""

from __future__ import annotations

import pytest
from conftest import make_mail, value_in

from extractors.fields.extract import extract_fields
from extractors.fields.label_typos import misspellings
from extractors.mime import parse_message
from rpa.config import LimitSettings, ParsingSettings
from rpa.pipeline import text_sources

SETTINGS = ParsingSettings()


def references_of_mail(body: str, subject: str = "Question") -> dict[str, str]:
    """Policy and claim numbers the real MIME parser and finders read in a plain-text mail."""
    message = parse_message(make_mail(body, subject=subject), source="mail.eml", limits=LimitSettings())
    fields = extract_fields(text_sources(message), SETTINGS)
    return {name: field.value for name, field in fields.items() if name in ("policy_number", "claim_number")}


# --- A word naming the cover between the label and a number ------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, mon contrat moto 5120 7734 18 arrive à échéance.", "5120 7734 18"),
        ("Bonjour, ma police habitation 0093417725 doit changer d'adresse.", "0093417725"),
        ("Bonjour, contrat prévoyance 31-447-902 : merci de le résilier.", "31-447-902"),
        ("Hi, contract mobile 552 118 907 covers my phone, doesn't it?", "552 118 907"),
        ("Hello, my policy gadget 77-410-932 should cover the tablet.", "77-410-932"),
    ],
)
def test_a_cover_word_may_stand_between_the_label_and_six_digits_or_more(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, mon contrat PJ 5120 7734 18 arrive à échéance.", "PJ 5120 7734 18"),
        ("Hello, please cancel contract HOME 6129 3305 B from Monday.", "HOME 6129 3305 B"),
    ],
)
def test_a_cover_word_in_capitals_is_the_prefix_of_the_number(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, mon contrat de 12 mois se termine bientôt.",
        "Bonjour, je suis fidèle, contrat depuis 3 ans chez vous.",
        "Bonjour, contrat signé 15 03 2024 à l'agence.",
        "Bonjour, mon contrat auto 06 12 34 56 78 : rappelez-moi.",
        "Bonjour, contrat habitation 75011 Paris, 3e étage.",
        "Bonjour, la police est passée à 14h30 pour le constat.",
        "Hello, my policy since 2019 has never had a claim.",
        "Hello, policy renewed 01/02/2025 at a higher price.",
        "Hello, my policy worth 250000 should cover the house.",
    ],
)
def test_durations_dates_phones_postcodes_years_and_times_after_a_label_are_no_reference(text: str) -> None:
    assert value_in(text) is None


# --- The shapes of the number itself ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, N° d'adhérent : 5 210 884 T.", "5 210 884 T"),
        ("Bonjour, contrat 12 774 309 K, merci de me rappeler.", "12 774 309 K"),
        ("Hello, policy 7710 2291 X needs a new address.", "7710 2291 X"),
        ("hi policy no is hx 4410 2291 m, is the phone covered", "HX 4410 2291 M"),
    ],
)
def test_a_key_letter_after_the_digits_belongs_to_the_number(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, le contrat 4471 2209 88 a été résilié par erreur.", "4471 2209 88"),
        ("Bonjour, contrat 4471 2209 88 à modifier svp.", "4471 2209 88"),
        ("Hello, my policy number is 77102291 A new car joins it today.", "77102291"),
        ("Hello, policy 77102291 I think, please check.", "77102291"),
    ],
)
def test_a_word_of_one_letter_after_the_digits_is_not_their_key(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("Bonjour, mon contrat PREV-OBS 1 204 887 doit être modifié.", "policy_number", "PREV-OBS 1 204 887"),
        ("Bonjour, n° de contrat MRH 3 118 204 55.", "policy_number", "MRH 3 118 204 55"),
        ("Bonjour, où en est le sinistre S 41 228 907 ?", "claim_number", "S 41 228 907"),
        ("Hello, our policy number is TRV EU 2026 55120.", "policy_number", "TRV EU 2026 55120"),
        ("Hello, any news on claim C 41 228 907?", "claim_number", "C 41 228 907"),
    ],
)
def test_a_prefix_of_several_parts_or_one_capital_may_stand_before_groups_of_digits(
    text: str, name: str, value: str
) -> None:
    assert value_in(text, name) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, adhérent n° 6 118 204 3, je déménage.", "6 118 204 3"),
        ("Bonjour, mon numéro de sociétaire est 2 774 309.", "2 774 309"),
        ("Hello, membership number 4 118 552 730 is mine.", "4 118 552 730"),
    ],
)
def test_a_lone_first_digit_before_groups_of_three_starts_the_number(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    "text",
    ["Bonjour, sinistre de 1 250 000 € pour l'immeuble.", "Hello, my claim 2 days ago was refused."],
)
def test_sums_and_durations_written_in_groups_are_no_reference(text: str) -> None:
    assert value_in(text, "claim_number") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, merci de transférer le contrat HAB-2023-771 204 à ma fille.", "HAB-2023-771 204"),
        ("Hello, please cancel policy HH/2020/0417 552 at renewal.", "HH/2020/0417 552"),
    ],
)
def test_a_last_group_typed_after_a_space_ends_a_dashed_number(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("Bonjour, contrat AUT-4587 12 rue des Lilas, Lyon.", "policy_number", "AUT-4587"),
        ("Hello, contract AB-12345 12 Station Road, Leeds.", "policy_number", "AB-12345"),
        ("Invoice INV-0193 2025-01-18", "invoice_number", "INV-0193"),
    ],
)
def test_a_street_number_or_a_date_after_a_dashed_number_is_not_its_last_group(
    text: str, name: str, value: str
) -> None:
    assert value_in(text, name) == value


def test_the_first_groups_of_an_iban_after_a_label_are_no_reference() -> None:
    assert value_in("Bonjour, pour le contrat IBAN FR76 3000 6000 0112 3456 7890 189.") is None
    assert value_in("Hello, the policy IBAN GB29 NWBK 6016 1331 9268 19 is mine.") is None


# --- Labels written otherwise -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("Bonjour, n° de contart : 7712045.", "policy_number", "7712045"),
        ("Bonjour, numero de polcie : AB 562 187 33.", "policy_number", "AB 562 187 33"),
        ("Bonjour, le sinsitre 4410 2291 n'avance pas.", "claim_number", "4410 2291"),
        ("Bonjour, mon n° de sociétiare est 88120455.", "policy_number", "88120455"),
        ("Hello, polcy number 88120455, please cancel.", "policy_number", "88120455"),
        ("Hello, pollicy 88120455 needs my new address.", "policy_number", "88120455"),
        ("Hello, any news on cliam no 5512 0987?", "claim_number", "5512 0987"),
    ],
)
def test_a_label_word_mistyped_by_one_slip_is_still_a_label(text: str, name: str, value: str) -> None:
    assert value_in(text, name) == value


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hello, please contact 12345678 for the garage.", "policy_number"),
        ("Bonjour, la fracture 12345678 a été opérée.", "invoice_number"),
        ("Hello, I will clam 12345678 shells.", "claim_number"),
    ],
)
def test_real_words_a_slip_away_from_a_label_are_no_label(text: str, name: str) -> None:
    assert value_in(text, name) is None


def test_slips_are_only_read_for_long_words_and_never_for_real_words() -> None:
    slips = misspellings(["contrat", "contract", "facture", "claim", "police", "policy"])
    assert (slips["contart"], slips["contrcat"], slips["polcie"]) == ("contrat", "contract", "police")
    assert slips["cliam"] == "claim"
    assert {"contact", "fracture", "polite", "clair", "clam", "policy", "police"}.isdisjoint(slips)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, mon num d'adhésion c ab-fr-9901-2277.", "AB-FR-9901-2277"),
        ("Bonjour, nº d'adhésion : 55 120 448.", "55 120 448"),
        ("Bonjour, numéro adhésion 55 120 448.", "55 120 448"),
        ("Hello, membership num 4471 2209, please.", "4471 2209"),
    ],
)
def test_number_signs_and_membership_words_are_read_in_their_short_forms(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("Bonjour, pour mon contrat (PJ-55120) je voudrais un avenant.", "policy_number", "PJ-55120"),
        ("Bonjour, mon contrat santé (MUT n° 61 447 320 B) couvre-t-il ?", "policy_number", "61 447 320 B"),
        ("Bonjour, un contrat obsèques chez vous, n° OBS-FR-25-0098.", "policy_number", "OBS-FR-25-0098"),
        ("Hello, my annual policy, HX 2026 0417 55, covers Spain.", "policy_number", "HX 2026 0417 55"),
        ("Hello, I'm on a family policy, number WCA 2026 0410 982.", "policy_number", "WCA 2026 0410 982"),
        ("Hello, my claim (GGC-0041277) was approved.", "claim_number", "GGC-0041277"),
    ],
)
def test_a_number_may_follow_its_label_in_brackets_or_after_a_comma(text: str, name: str, value: str) -> None:
    assert value_in(text, name) == value


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, voici le contrat (2 ans) signé.",
        "Bonjour, le contrat, 12 mois plus tard, est toujours là.",
        "Hello, my claim, 3 days ago, was refused.",
        "Hello, the policy (12 months) ends soon.",
    ],
)
def test_what_follows_a_bracket_or_a_comma_must_still_be_a_reference(text: str) -> None:
    assert value_in(text) is None and value_in(text, "claim_number") is None


# --- Numbers with no label right before them ----------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Bonjour,\nje n'ai toujours pas été remboursée.\n\nMerci\nClaire Petit\nPREV-2024-55120",
        "Hello,\nhave you received my claim form?\n\nBest wishes,\nTom\nPJ 41 552 907",
    ],
)
def test_a_reference_alone_on_a_line_under_the_signature_is_the_customers_policy(body: str) -> None:
    assert references_of_mail(body).get("policy_number") == body.rsplit("\n", 1)[1]


@pytest.mark.parametrize(
    "body",
    [
        "Bonjour,\nmerci de me rappeler.\n\nCordialement\nJean Morel\nTEL 06 12 34 56 78",
        "Bonjour,\nvoici ma facture.\n\nCordialement\nJean Morel\nSIRET 732 829 320 00074",
        "Hello,\nplease call me back.\n\nRegards,\nTom Hale\nWindows 11",
        "Hello,\nplease call me back.\n\nRegards,\nTom Hale\n4471 2209 88",
    ],
)
def test_a_phone_a_siret_a_word_or_bare_digits_under_the_signature_are_no_policy(body: str) -> None:
    assert "policy_number" not in references_of_mail(body)


@pytest.mark.parametrize(
    ("subject", "value"),
    [
        ("Changement d'adresse - PREV/2024/5512", "PREV/2024/5512"),
        ("Renewal question | HX-5521-880", "HX-5521-880"),
        ("HX-5521-880 - renewal question", "HX-5521-880"),
    ],
)
def test_a_reference_set_apart_by_a_dash_in_the_subject_is_the_customers_policy(
    subject: str, value: str
) -> None:
    assert value_in(subject, source="subject") == value


@pytest.mark.parametrize(
    "subject",
    ["RDV expert - 14h30", "Sinistre du 12 mars - 2025", "Rappel - 06 12 34 56 78", "Question - tarif"],
)
def test_a_time_a_year_or_a_phone_set_apart_in_the_subject_is_no_policy(subject: str) -> None:
    assert value_in(subject, source="subject") is None


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        (
            "Bonjour, mon numéro de contrat figure sur votre courrier, je crois que c'est PJ/0041277/K.",
            "policy_number",
            "PJ/0041277/K",
        ),
        (
            "Hello, the claim number was on the letter you sent, I believe it is GGC-0041277-B.",
            "claim_number",
            "GGC-0041277-B",
        ),
    ],
)
def test_a_plain_reference_announced_earlier_in_its_sentence_is_of_the_kind_announced(
    text: str, name: str, value: str
) -> None:
    assert value_in(text, name) == value


@pytest.mark.parametrize(
    "text",
    [
        "Hello, my policy covers the laptop, serial SN-2291-7740-A.",
        "Bonjour, mon contrat couvre-t-il le colis suivi TRK-55120448 ?",
        "Bonjour, le numéro de contrat est perdu. Le colis TRK-55120448 est arrivé.",
    ],
)
def test_a_word_of_a_kind_alone_or_in_another_sentence_announces_no_reference(text: str) -> None:
    assert value_in(text) is None


# --- Joints with spaces, lower case, long gaps, second-part prefixes ---------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, mon contrat n° HB/ 20417 /25 doit être mis à jour.", "HB/ 20417 /25"),
        ("Hello, policy number 5512 - 0831 - 07, please confirm the cover.", "5512 - 0831 - 07"),
        ("Réf. contrat : MR 2021 / 0456 / C (maison de campagne)", "MR 2021 / 0456 / C"),
        ("hi, policy no gh auto 118 2290 please call me", "GH AUTO 118 2290"),
        ("Hello, INR is not money here: my policy no. RS 2018 / 0455 / A", "RS 2018 / 0455 / A"),
    ],
)
def test_a_reference_with_spaced_joints_or_typed_in_lower_case_is_read_whole(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("Policy number, for the third time now: KL 0448 1920", "policy_number", "KL 0448 1920"),
        (
            "My policy number as far as I remember from the renewal is 71-204-5588 I think.",
            "policy_number",
            "71-204-5588",
        ),
        (
            "My policy is the family one, FM-HOME-2025-3321, since March.",
            "policy_number",
            "FM-HOME-2025-3321",
        ),
        ("Mon contrat est, si je lis bien l'attestation, le 4471.208.55.", "policy_number", "4471.208.55"),
        (
            "Le numéro sur la carte de l'assurance auto (formule Eco) c'est AE/27/118830, je pense.",
            "policy_number",
            "AE/27/118830",
        ),
        ("The claim number your office gave me on the phone is AB-CLM-5521.", "claim_number", "AB-CLM-5521"),
    ],
)
def test_a_reference_announced_further_back_in_its_sentence_is_read(text: str, name: str, value: str) -> None:
    assert value_in(text, name) == value


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("I only got an automatic reply with CLM-HM-440912 in it.", "claim_number", "CLM-HM-440912"),
        ("J'ai reçu un accusé avec le numéro XY-SIN-20931.", "claim_number", "XY-SIN-20931"),
    ],
)
def test_a_kind_prefix_after_or_before_another_part_names_the_kind(text: str, name: str, value: str) -> None:
    assert value_in(text, name) == value


def test_just_in_case_is_no_case_number() -> None:
    text = "My policy no. is printed on your letter, but just in case: HW/331/90871-C"
    assert value_in(text, "policy_number") == "HW/331/90871-C"
    assert value_in(text, "claim_number") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, je résilie ma GAV n° 0082 4410 3 au 1er janvier.", "0082 4410 3"),
        ("Objet : déménagement - MRH n° 5530.112.09", "5530.112.09"),
        ("Ma garantie : Accidents de la Vie, n° adh. GV/0211/874.", "GV/0211/874"),
        ("Contrat Moto Tiers+ 31-MT-7720.", "31-MT-7720"),
    ],
)
def test_french_cover_acronyms_and_cover_names_label_a_policy(text: str, value: str) -> None:
    assert value_in(text) == value


def test_a_bare_ref_of_a_document_gives_way_to_the_number_announced_as_the_policy() -> None:
    body = (
        "Hello,\n1. Police report from the station, ref LNDN 55810\n\n"
        "My policy number as far as I know is 52-331-7780 but please check.\n\nThanks\nAnn"
    )
    assert references_of_mail(body)["policy_number"] == "52-331-7780"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Pour rappel : n° sociétaire 551 208 / contrat auto 551208-A3.", "551208-A3"),
        ("Member no. 77120 43, and policy HF-2291-774 is the one for the flat.", "HF-2291-774"),
        ("Bonjour, mon n° d'adhérent est le 4471 2208, merci.", "4471 2208"),
    ],
)
def test_a_members_number_gives_way_to_the_contracts_own_number(text: str, value: str) -> None:
    assert value_in(text) == value
