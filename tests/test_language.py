"""Language: French or English, on real-looking customer text."""

from __future__ import annotations

import pytest

from extractors.language import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, je souhaite déclarer un sinistre survenu le 14 mars sur mon véhicule.",
        "bjr je vous ecris pour mon dossier toujours pas de nouvelles merci de me rappeler",
        "Madame, Monsieur, veuillez trouver ci-joint la facture du garage.",
        "J'ai eu un dégât des eaux dans ma cuisine.",
    ],
)
def test_french_text_is_french(text: str) -> None:
    assert detect_language(text)[0] == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I would like to report a claim for water damage in my kitchen.",
        "still waiting for an update on my claim, please call me back",
        "Please find attached the invoice from the garage.",
        "Dear Sir or Madam, I am writing to cancel my policy.",
    ],
)
def test_english_text_is_english(text: str) -> None:
    assert detect_language(text)[0] == "en"


def test_empty_text_falls_back_to_the_default_with_low_confidence() -> None:
    assert detect_language("", default="en") == ("en", 0.5)
    assert detect_language("AUT-4587-2291 14/03/2025")[1] == 0.5


def test_confidence_grows_with_evidence() -> None:
    short = detect_language("merci pour votre aide")[1]
    long = detect_language("Je vous remercie pour votre aide et je reste à votre disposition pour tout.")[1]
    assert 0.5 < short <= long <= 1.0
