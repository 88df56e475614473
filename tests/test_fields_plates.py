"""Number plates of France, Britain, Ireland and South Africa, and any plate a label names.
French and English always."""

from __future__ import annotations

import pytest

from extractors.fields.extract import extract_fields
from extractors.fields.plates import normalise_vehicle_plate
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def plate_in(text: str, source: str = "body") -> str | None:
    found = extract_fields([TextSource(source, text)], SETTINGS).get("vehicle_plate")
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("Hello, my car, a blue Fiesta (LB68 XRT), was scratched in the car park.", "LB68 XRT"),
        ("Bonjour, ma voiture anglaise (LB68 XRT) a été rayée sur le parking.", "LB68 XRT"),
        ("Hi, I sold the van last week, it was YK17 OPD, please cancel.", "YK17 OPD"),
        ("Hello, my Peugeot 308 (GT417LM) was hit from behind.", "GT-417-LM"),
        ("Bonjour, sa Renault Clio (FH512KD) était garée devant chez nous.", "FH-512-KD"),
        ("Hi, the thieves took my car, 182 MH 4471, from the driveway.", "182-MH-4471"),
        ("Hello, please cover my Kia Picanto (JK 45 LM GP) from Monday.", "JK 45 LM GP"),
    ],
)
def test_a_national_plate_in_a_sentence_about_a_vehicle_is_read(text: str, plate: str) -> None:
    assert plate_in(text) == plate


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("Hello, the estimate for 182-MH-4471 is attached.", "182-MH-4471"),
        ("Bonjour, le devis pour la 191-D-3318 est joint.", "191-D-3318"),
    ],
)
def test_an_irish_plate_with_its_dashes_is_read_anywhere(text: str, plate: str) -> None:
    assert plate_in(text) == plate


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("Hello, my licence plate: BXR 5521, the car is grey.", "BXR 5521"),
        ("Hi, add my son on my Civic, tag 7HDR204, from today.", "7HDR204"),
        ("Hello, registration CY 661-204, white Toyota.", "CY 661-204"),
        ("Bonjour, plaque suisse VD 123456, merci.", "VD 123456"),
        ("Bonjour, immat. 1234 AB 56 sur ma vieille 205.", "1234 AB 56"),
        ("Hello, my rego is XQJ 82B, can you check?", "XQJ 82B"),
        ("bjr contrat auto 2210-44-AS ma plaque cest fh 622 lb", "FH-622-LB"),
        ("Bonjour, ma plaque c'est GH-482-KT, merci.", "GH-482-KT"),
        ("hi my reg it's KX21 ABC thanks", "KX21 ABC"),
        # typed in small letters by one who types everything so
        ("my car is a 2019 outback plate bqz-r17, hatch wont close", "BQZ-R17"),
        ("ma moto immat zx-r17 est rayée", "ZX-R17"),
    ],
)
def test_any_plate_after_a_plate_label_is_read_as_written(text: str, plate: str) -> None:
    assert plate_in(text) == plate


@pytest.mark.parametrize(
    "text",
    [
        "Hello, our company reg. no. SC123456 is on the invoice.",
        "Hello, VAT registration GB 123 4567 89, thank you.",
        "Hello, my registration is pending since Monday.",
        "Hello, reference AB12 CDE for the parcel.",  # no vehicle, no label
        "Bonjour, l'immatriculation AI-123-CD est refusée.",  # the French layout, letters never issued
    ],
)
def test_what_is_no_plate_is_not_read(text: str) -> None:
    assert plate_in(text) is None


def test_a_plate_in_a_sentence_about_the_other_party_gives_way_to_the_customers() -> None:
    text = "The other car, registration XY34 FGH, drove off. My car is a Polo, registration LB68 XRT."
    assert plate_in(text) == "LB68 XRT"
    texte = "Le véhicule adverse est immatriculé GH-482-KT. Ma voiture est immatriculée FB-207-XR."
    assert plate_in(texte) == "FB-207-XR"


def test_any_plate_is_read_after_its_label_only_in_mail() -> None:
    assert plate_in("Registration BXR 5521", source="attachment:statement.pdf#p1") is None
    assert plate_in("Registration KX19 PLU", source="attachment:statement.pdf#p1") == "KX19 PLU"


@pytest.mark.parametrize(
    ("written", "plate"),
    [
        ("kx19plu", "KX19 PLU"),
        ("191 d 22817", "191-D-22817"),
        ("ab 123 cd", "AB-123-CD"),
        ("ca  492-187", "CA 492-187"),
        ("hello", None),
        ("12345", None),
        ("AB-123-SS", None),
    ],
)
def test_normalise_vehicle_plate(written: str, plate: str | None) -> None:
    assert normalise_vehicle_plate(written) == plate


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("cest la clio blanche gk 208 vb, le pare-choc est arraché", "GK-208-VB"),
        ("car is a black corsa yd68 rke and the wing is dented", "YD68 RKE"),
    ],
)
def test_a_plate_after_the_model_of_the_car_is_read_in_any_case(text: str, plate: str) -> None:
    assert plate_in(text) == plate


@pytest.mark.parametrize(
    "text",
    ["Hello, my golf handicap went from 12 to 9 this year.", "Bonjour, la clio de ma soeur est rouge."],
)
def test_a_model_name_alone_gives_no_plate(text: str) -> None:
    assert plate_in(text) is None


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("My Mazda CX-5 (LKP738) was written off when our street flooded.", "LKP738"),
        (
            "we swapped details, his reg is 08-D-22716 and hes with a different insurer\nmy car is 202-c-4417",
            "202-C-4417",
        ),
        (
            "on a échangé nos coordonnées, sa plaque c'est FG-221-KL\nma voiture c'est la clio gk-208-vb",
            "GK-208-VB",
        ),
    ],
)
def test_a_plate_in_brackets_after_a_make_and_the_customers_own_car_named_before_its_plate(
    text: str, plate: str
) -> None:
    assert plate_in(text) == plate
