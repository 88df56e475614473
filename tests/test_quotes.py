"""What the sender wrote now, apart from the quoted thread, forwarded mail and signature."""

from __future__ import annotations

from extractors.quotes import find_forwarded, split_reply

FR_GMAIL_REPLY = """Bonjour,
Le montant de la franchise me semble trop élevé.

Le lun. 3 mars 2025 à 10:12, Service Sinistres <sinistres@assureur.example> a écrit :
> Bonjour Monsieur,
> Votre franchise est de 450 euros pour le sinistre SIN-2025-0117.
"""

EN_GMAIL_REPLY = """Hi,
I still have not been paid.

On Mon, 3 Mar 2025 at 10:12, Claims Team <claims@insurer.example> wrote:
> Dear Mr Smith,
> Your claim CLM-2025-0042 was approved on 28 February.
"""


def test_french_reply_keeps_new_text_apart_from_the_quoted_mail() -> None:
    parts = split_reply(FR_GMAIL_REPLY)
    assert parts.new_text == "Bonjour,\nLe montant de la franchise me semble trop élevé."
    assert "SIN-2025-0117" in parts.quoted_text
    assert "SIN-2025-0117" not in parts.new_text


def test_english_reply_keeps_new_text_apart_from_the_quoted_mail() -> None:
    parts = split_reply(EN_GMAIL_REPLY)
    assert parts.new_text == "Hi,\nI still have not been paid."
    assert "CLM-2025-0042" in parts.quoted_text


def test_quote_markers_are_removed_from_the_quoted_text() -> None:
    quoted = split_reply(FR_GMAIL_REPLY).quoted_text
    assert not any(line.startswith(">") for line in quoted.splitlines())
    assert "Votre franchise est de 450 euros" in quoted


def test_attribution_wrapped_over_two_lines_is_recognised() -> None:
    text = (
        "Voici le document.\n\nLe lundi 4 juin 2018 à 13:59:14 UTC+2, conseiller@assureur.example\n"
        "<conseiller@assureur.example> a écrit :\n\nChère cliente, votre dossier DOS-88 est complet.\n"
    )
    parts = split_reply(text)
    assert parts.new_text == "Voici le document."
    assert "DOS-88" in parts.quoted_text


def test_attribution_split_before_ecrit_is_recognised() -> None:
    text = 'Merci.\n\nLe 07/06/18, "agent@assureur.example" <agent@assureur.example> a\nécrit :\nAncien texte'
    assert split_reply(text).quoted_text.endswith("Ancien texte")


def test_french_outlook_original_message_separator_starts_the_quote() -> None:
    text = (
        "Ci-joint mon RIB.\n\n-----Message d'origine-----\nDe : Service <clients@assureur.example>\n"
        "Envoyé : lundi 3 mars 2025 10:12\nÀ : Jean Dupont <jean.dupont@example.fr>\n"
        "Objet : RIB manquant\n\nMerci de nous envoyer un RIB."
    )
    parts = split_reply(text)
    assert parts.new_text == "Ci-joint mon RIB."
    assert "Merci de nous envoyer un RIB." in parts.quoted_text


def test_outlook_header_block_without_separator_starts_the_quote() -> None:
    text = (
        "Please find the invoice attached.\n\nFrom: Claims <claims@insurer.example>\n"
        "Sent: Monday, March 3, 2025 10:12 AM\nTo: John Smith <john@example.com>\n"
        "Subject: Missing invoice\n\nWe still need the garage invoice."
    )
    parts = split_reply(text)
    assert parts.new_text == "Please find the invoice attached."
    assert "garage invoice" in parts.quoted_text


def test_interleaved_answers_stay_new_text() -> None:
    text = "> Quelle est la date du sinistre ?\nLe 2 mars 2025.\n> Et le lieu ?\nÀ Nantes."
    parts = split_reply(text)
    assert parts.new_text == "Le 2 mars 2025.\nÀ Nantes."
    assert parts.quoted_text == "Quelle est la date du sinistre ?\nEt le lieu ?"


def test_forwarded_mail_is_neither_new_text_nor_quoted_text() -> None:
    text = (
        "Pour info.\n\n---------- Forwarded message ---------\nFrom: Jean <jean@example.fr>\n"
        "Date: Mon, 3 Mar 2025 at 10:12\nSubject: Sinistre\nTo: <agent@assureur.example>\n\n"
        "Mon contrat est AUT-1234."
    )
    parts = split_reply(text)
    assert parts.new_text == "Pour info."
    assert parts.quoted_text == ""
    assert "AUT-1234" not in parts.signature


def test_split_reply_is_a_three_part_tuple() -> None:
    new_text, quoted_text, signature = split_reply("Bonjour,\nMerci.\n\nCordialement,\nJean")
    assert (new_text, quoted_text, signature) == ("Bonjour,\nMerci.", "", "Cordialement,\nJean")


def test_french_signature_keeps_the_closing_formula_and_the_name() -> None:
    text = "Bonjour,\nVoici ma déclaration.\n\nBien cordialement,\nJean Dupont\n06 12 34 56 78\n1 rue Lilas"
    parts = split_reply(text)
    assert parts.new_text == "Bonjour,\nVoici ma déclaration."
    assert parts.signature == "Bien cordialement,\nJean Dupont\n06 12 34 56 78\n1 rue Lilas"


def test_english_signature_keeps_the_closing_formula_and_the_name() -> None:
    parts = split_reply("Hello,\nPlease call me back.\n\nKind regards,\nEmma Wilson\n+44 20 7946 0958")
    assert parts.new_text == "Hello,\nPlease call me back."
    assert parts.signature == "Kind regards,\nEmma Wilson\n+44 20 7946 0958"


def test_formal_french_closing_sentence_starts_the_signature() -> None:
    text = (
        "Madame, Monsieur,\nJe résilie mon contrat.\n\nVeuillez agréer, Madame, Monsieur, "
        "l'expression de mes salutations distinguées.\nPierre Martin"
    )
    assert split_reply(text).signature.endswith("salutations distinguées.\nPierre Martin")


def test_dash_dash_line_starts_the_signature() -> None:
    parts = split_reply("Ci-joint la facture.\n\n-- \nGarage Martin\n01 23 45 67 89")
    assert parts.new_text == "Ci-joint la facture."
    assert parts.signature == "--\nGarage Martin\n01 23 45 67 89"


def test_closing_formula_before_dash_dash_belongs_to_the_signature() -> None:
    parts = split_reply("Voici mon RIB.\n\nBien cordialement\n\n--\nMonsieur Dupont\n32 avenue Imaginaire")
    assert parts.new_text == "Voici mon RIB."
    assert parts.signature.startswith("Bien cordialement")


def test_sent_from_my_iphone_is_a_signature() -> None:
    for device_line in ("Envoyé de mon iPhone", "Sent from my iPhone"):
        parts = split_reply(f"Photo du sinistre ci-jointe.\n\n{device_line}")
        assert parts == ("Photo du sinistre ci-jointe.", "", device_line)


def test_postscript_after_the_signature_is_new_text() -> None:
    parts = split_reply("Bonjour,\nMerci.\n\nCordialement\nMadame Dupont\n\nPS: mon contrat est HAB-42")
    assert parts.signature == "Cordialement\nMadame Dupont"
    assert parts.new_text.endswith("PS: mon contrat est HAB-42")


def test_thanks_followed_by_a_long_paragraph_is_not_a_signature() -> None:
    text = (
        "Merci\n" + "Je précise que le dégât des eaux vient de la salle de bains du voisin et que "
        "l'expert est déjà passé le 3 mars pour constater les dommages au plafond.\n"
    )
    parts = split_reply(text)
    assert parts.signature == ""
    assert "l'expert est déjà passé" in parts.new_text


def test_thanks_is_the_signature_only_without_a_stronger_formula() -> None:
    assert split_reply("Call me.\n\nThanks in advance.\nBest regards,\nJo").signature == "Best regards,\nJo"
    assert split_reply("Call me.\n\nThanks,\nJo Lee").signature == "Thanks,\nJo Lee"


def test_forwarded_header_block_is_read_with_a_wrapped_cc_line() -> None:
    text = (
        " ----- Transféré par Conseiller le 24/05/2018 11:49 -----\n\n De :\tDupont <dupont@example.fr>\n"
        " A :\tconseiller@assureur.example\n Cc :\tMonsieur Dupont <a@example.fr>, Madame Dupont\n"
        "             <b@example.fr>\n Date :\t24/05/2018 11:36\n Objet :\tDevis habitation\n\n\n"
        " Bonjour, je souhaite un devis."
    )
    found = find_forwarded(text, subject="Tr : Devis habitation")
    assert found is not None
    assert found.headers == {
        "from": "Dupont <dupont@example.fr>",
        "to": "conseiller@assureur.example",
        "cc": "Monsieur Dupont <a@example.fr>, Madame Dupont <b@example.fr>",
        "date": "24/05/2018 11:36",
        "subject": "Devis habitation",
    }
    assert found.text.strip() == "Bonjour, je souhaite un devis."
    assert found.before == ""


def test_apple_mail_forward_marker_is_recognised() -> None:
    text = (
        "Envoyé de mon iPhone\n\nDébut du message réexpédié :\n\nExpéditeur: client@example.fr\n"
        "Date: 7 juin 2018 à 16:34:25 UTC+2\nDestinataire: conseiller@assureur.example\n"
        "Objet: Demande\n\n"
        "Voici la preuve de règlement."
    )
    found = find_forwarded(text)
    assert found is not None and found.headers["from"] == "client@example.fr"
    assert found.text == "Voici la preuve de règlement."


def test_header_block_after_text_is_a_forward_only_when_the_subject_says_so() -> None:
    text = (
        "Please handle.\n\nFrom: Emma <emma@example.co.uk>\nSent: Monday, March 10, 2025 9:41 AM\n"
        "To: desk@insurer.example\nSubject: Windscreen\n\nA stone cracked my windscreen."
    )
    assert find_forwarded(text, subject="RE: Windscreen") is None
    found = find_forwarded(text, subject="FW: Windscreen")
    assert found is not None and found.before == "Please handle."


def test_header_block_with_nothing_above_is_a_forward() -> None:
    text = "\n\nDe : Dupont <dupont@example.fr>\nA : agent@assureur.example\nObjet : RIB\n\nCi-joint mon RIB."
    found = find_forwarded(text, subject="RIB")
    assert found is not None and found.headers["subject"] == "RIB"


def test_a_quoted_reply_is_not_a_forward() -> None:
    assert find_forwarded(FR_GMAIL_REPLY, subject="Tr: Franchise") is None
