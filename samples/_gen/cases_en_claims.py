"""English cases about claims: new claims, follow-ups and the documents sent for them."""

from __future__ import annotations

import random

from _gen.case import EN_CLAIMS, FR_CLAIMS, Case
from _gen.documents import Pdf, Table
from _gen.identifiers import gb_iban, spaced
from _gen.mails import Blob, Forward, Mail, quote, t
from _gen.scans import Scan

__all__ = ["CASES"]

IBAN_SEVERN = gb_iban("LNDB", "309421", "58820461")

# What a dashcam app exports: a short binary header and frames no mail reader can open.
DASHCAM_EXPORT = b"DCX1\x00\x02\x00\x00" + random.Random(4242).randbytes(6000)

CASES = [
    Case(
        "en_claim_new_water_damage",
        "en", "claim_new",
        "polite plain text claim; date '9 April 2025'; UK postcode and Bristol phone in the signature",
        fields={"policy_number": "POL/2023/507714", "incident_date": "2025-04-09", "phone": "+441174960123",
                "postcode": "BS7 9LQ", "customer_name": "Sarah Collins"},
        source=Mail(
            sender="Sarah Collins <sarah.collins@btinternet.example>",
            to=EN_CLAIMS,
            subject="New claim - water damage at 14 Ashgrove Road",
            date="2025-04-10T07:55:00+01:00",
            body=t("""
                Dear Sir or Madam,

                I would like to report water damage at my home. On 9 April 2025 a pipe under the bathroom floor burst while we were at work, and water came through the kitchen ceiling below. Part of the ceiling plaster has come down and the kitchen units and flooring are soaked.

                A plumber has repaired the pipe and I am waiting for his invoice. My home insurance policy number is POL/2023/507714.

                Could you please tell me whether I can arrange for a drying company myself, or whether you will send someone?

                Kind regards,

                Sarah Collins
                14 Ashgrove Road
                Bristol BS7 9LQ
                Tel: 0117 496 0123
            """),
        ),
    ),
    Case(
        "en_claim_new_windscreen_html",
        "en", "claim_new",
        "HTML-only mail (style block, table of details, <br>) from an English customer in France; date "
        "written 'March 2, 2025' and '2 March 2025'; French plate, postcode and phone",
        fields={"policy_number": "AUT-7745-0931", "incident_date": "2025-03-02", "phone": "+33642178805",
                "vehicle_plate": "EW-287-QD", "postcode": "24200", "customer_name": "Robert Hughes"},
        source=Mail(
            sender="Robert Hughes <rob.hughes@gmail.example>",
            to=FR_CLAIMS,
            subject="Windscreen claim - cracked windscreen",
            date="2025-03-04T18:26:00+01:00",
            html=t("""
                <!DOCTYPE html><html><head><meta charset="utf-8">
                <style>
                  body { font-family: "Segoe UI", sans-serif; font-size: 14px; color: #222; }
                  td.k { font-weight: bold; padding-right: 12px; }
                  .footer { color: #777; }
                </style></head>
                <body><div dir="ltr">Hello,<br><br>
                A stone hit my windscreen on the A20 near Brive on March 2, 2025 and the crack has now spread to about 30 cm, right in the driver's line of sight.<br><br>
                <table style="border:1px solid #ccc">
                  <tr><td class="k">Policy number</td><td>AUT-7745-0931</td></tr>
                  <tr><td class="k">Vehicle</td><td>Volkswagen Golf, registration EW-287-QD</td></tr>
                  <tr><td class="k">Date of damage</td><td>2 March 2025</td></tr>
                  <tr><td class="k">Place</td><td>A20 motorway, near Brive-la-Gaillarde</td></tr>
                </table><br>
                Could you tell me which approved windscreen repairer I should use near Sarlat? Is there an excess for glass?<br><br>
                Many thanks,<br>
                <div class="footer">Robert Hughes<br>Le Moulin Bas, 24200 Sarlat-la-Canéda<br>+33 6 42 17 88 05</div>
                </div></body></html>
            """),
        ),
    ),
    Case(
        "en_claim_new_theft_scan_pdf",
        "en", "claim_new",
        "image-only PDF (scanned police letter, no text layer); the postcode is only in the scan; the "
        "force's letterhead above the addressee's window (no issuer `address`)",
        fields={"policy_number": "CTR-60391", "incident_date": "2025-09-18", "postcode": "M14 5TQ",
                "customer_name": "Daniel Okafor", "company": "GREATER MANCHESTER POLICE"},
        source=Mail(
            sender="Daniel Okafor <daniel.okafor@outlook.example>",
            to=EN_CLAIMS,
            subject="Bike stolen - claim under my contents policy",
            date="2025-09-22T08:03:00+01:00",
            body=t("""
                Hi,

                My bicycle was stolen from the locked bike store of my building on 18 September 2025. I've reported it to the police and attach the crime report letter they sent me (scanned).

                The bike is a Brompton C Line bought in 2023 and is listed as a specified item on my contents policy, ref. CTR-60391. I can send the purchase receipt if you need it.

                Thanks,
                Daniel Okafor
            """),
            attachments=[Scan(
                "crime_report_letter.pdf",
                [[
                    "# GREATER MANCHESTER POLICE",
                    "Victim Services",
                    "",
                    "Mr Daniel Okafor",
                    "Flat 6, 21 Wilmslow Road",
                    "Manchester M14 5TQ",
                    "",
                    "# Crime reference: 06/221874/25",
                    "Offence: Theft of pedal cycle",
                    "Date of offence: 18/09/2025",
                    "Location: communal bike store, 21 Wilmslow Road",
                    "",
                    "Thank you for reporting this crime. Please quote the",
                    "crime reference above to your insurer.",
                    "",
                    "Officer in charge: PC 4471 J. Whitworth",
                ]],
                fmt="pdf",
                angle=-0.8,
                point=12,
            )],
        ),
    ),
    Case(
        "en_claim_new_forwarded_inline",
        "en", "claim_new",
        "inline forward '---------- Forwarded message ---------' (Gmail) by a branch colleague; the customer "
        "is the inner 'From:' sender, whose address is not an `email` field",
        fields={"policy_number": "POL/2024/220518", "incident_date": "2025-02-15", "phone": "+441134960321",
                "postcode": "LS6 2QB", "customer_name": "Priya Shah"},
        source=Mail(
            sender="Tom Ridley <tom.ridley@harbourline.example>",
            to=EN_CLAIMS,
            subject="Fwd: Storm damage to roof",
            date="2025-02-17T09:02:00+00:00",
            body=t("""
                Hi team,

                Forwarding a new claim from one of our branch customers - please set it up and contact her directly.

                Thanks
                Tom

                ---------- Forwarded message ---------
                From: Priya Shah <priya.shah@yahoo.example>
                Date: Mon, 17 Feb 2025 at 08:14
                Subject: Storm damage to roof
                To: Tom Ridley <tom.ridley@harbourline.example>


                Hello Tom,

                During the storm on Saturday 15 February 2025 several roof tiles were blown off and rain has come into the loft. I've put a tarpaulin over the worst of it and a roofer will send a quote this week.

                My policy number is POL/2024/220518. What do I need to send you?

                Best wishes,
                Priya Shah
                27 Beech Avenue, Leeds LS6 2QB
                0113 496 0321
            """),
        ),
    ),
    Case(
        "en_claim_followup_quoted_amount",
        "en", "claim_followup",
        "reply above a Gmail-quoted message: the quote holds the OLD approved amount (GBP 1,120.00) and the "
        "incident date, the new text the final invoice '£1,286.40'; signed with a first name only",
        fields={"claim_number": "CLM-448812", "incident_date": "2025-05-27", "total_amount": "1286.40",
                "currency": "GBP", "customer_name": "Mark Evans"},
        source=Mail(
            sender="Mark Evans <mark.evans@gmail.example>",
            to=EN_CLAIMS,
            subject="Re: Your claim CLM-448812",
            date="2025-06-12T12:40:00+01:00",
            in_reply_to="<20250603110205.CLM448812@harbourline.example>",
            body=t("""
                Hi Emma,

                Thanks for the update. The garage has finished the repairs and the final invoice came to £1,286.40, a bit more than the estimate because the bumper brackets also had to be replaced.

                Will you pay the garage directly, or should I pay and claim it back? And roughly how long does that take?

                Best,
                Mark

                On Tue, 3 Jun 2025 at 11:02, Harbourline Claims <claims@harbourline.example> wrote:
            """) + quote(t("""
                Dear Mr Evans,

                Thank you for sending the repair estimate for your claim CLM-448812
                (accident of 27 May 2025). We have approved the estimate of GBP 1,120.00
                and you can ask Castle Garage to go ahead with the work.

                Kind regards,
                Emma Clarke
                Claims Handler, Harbourline Insurance
            """)),
        ),
    ),
    Case(
        "en_claim_followup_iphone",
        "en", "claim_followup",
        "short lower-case mail 'Sent from my iPhone'; From has no display name, the signature gives the "
        "name; phone written '+44 20 7946 0958'",
        fields={"claim_number": "CLM-452207", "phone": "+442079460958", "customer_name": "Jake Wilson"},
        source=Mail(
            sender="jwilson84@gmail.example",
            to=EN_CLAIMS,
            subject="claim CLM-452207",
            date="2025-10-30T21:14:00+00:00",
            headers={"X-Mailer": "iPhone Mail (22F76)"},
            body=t("""
                hi any news on my claim? its been 3 weeks since the assessor came round and nobody has called me. pls call me on +44 20 7946 0958 after 5

                thanks
                Jake Wilson

                Sent from my iPhone
            """),
        ),
    ),
    Case(
        "en_documents_forwarded_rfc822",
        "en", "documents_submission",
        "message/rfc822 attachment forwarded by a branch colleague; the inner mail carries a text PDF "
        "invoice (INV-10442, subtotal, VAT, total)",
        fields={"claim_number": "CLM-450193", "invoice_number": "INV-10442", "incident_date": "2025-08-01",
                "invoice_date": "2025-08-08", "total_amount": "583.20", "currency": "GBP",
                "postcode": "EX3 0HU", "customer_name": "Oliver Grant",
                "company": "SPARKS & SONS ELECTRICAL LTD", "address": "Marsh Barton Trading Estate, Exeter"},
        source=Mail(
            sender="Helen Ward <helen.ward@harbourline.example>",
            to=EN_CLAIMS,
            subject="FW: Documents for claim CLM-450193",
            date="2025-08-13T10:12:00+01:00",
            headers={"X-Mailer": "Microsoft Outlook 16.0"},
            body=t("""
                Hello,

                Please see the customer's email attached, with the electrician's invoice for his claim.

                Helen Ward
                Harbourline Insurance - Exeter branch
            """),
            attachments=[Forward(
                Mail(
                    sender="Oliver Grant <oliver.grant@btinternet.example>",
                    to="Helen Ward <helen.ward@harbourline.example>",
                    subject="Documents for claim CLM-450193",
                    date="2025-08-12T19:40:00+01:00",
                    body=t("""
                        Dear Helen,

                        As promised, I attach the invoice from the electrician who replaced the fuse board damaged by the lightning strike on 1 August 2025. The total is £583.20.

                        Regards,
                        Oliver Grant
                        Orchard Cottage, Church Lane, Topsham, Exeter EX3 0HU
                    """),
                    attachments=[Pdf(
                        "Invoice INV-10442.pdf",
                        [
                            "## SPARKS & SONS ELECTRICAL LTD",
                            "Marsh Barton Trading Estate, Exeter",
                            "",
                            "# INVOICE",
                            "Invoice number: INV-10442",
                            "Invoice date: 8 August 2025",
                            "",
                            "Bill to: Mr O. Grant, Orchard Cottage, Church Lane, Topsham, Exeter EX3 0HU",
                            Table((0.7, 0.3), [
                                ("Description", "Amount"),
                                ("Consumer unit replacement, 18-way", "395.00"),
                                ("Surge protection device", "65.00"),
                                ("Testing and certification", "26.00"),
                            ]),
                            "> Subtotal: £486.00",
                            "> VAT @ 20%: £97.20",
                            "> Total: £583.20",
                            "",
                            "Payment due within 14 days. Thank you for your business.",
                        ],
                        title="Invoice INV-10442",
                        creator="QuickBooks",
                        created="2025-08-08T15:00:00",
                    )],
                ),
                filename="Documents for claim CLM-450193.eml",
            )],
        ),
    ),
    Case(
        "en_documents_dat_and_receipt_scan",
        "en", "documents_submission",
        "an unknown binary attachment (application/octet-stream, export.dat) beside a scanned JPEG receipt; "
        "total written 'GBP 254.40'",
        fields={"claim_number": "CLM-451876", "invoice_number": "R-20931", "incident_date": "2025-07-14",
                "invoice_date": "2025-07-14", "total_amount": "254.40", "currency": "GBP",
                "phone": "+441174960877", "customer_name": "Laura Bennett", "company": "WESTCOUNTRY RECOVERY"},
        source=Mail(
            sender="Laura Bennett <laura.bennett@outlook.example>",
            to=EN_CLAIMS,
            subject="Claim CLM-451876 - dashcam footage and receipt",
            date="2025-07-16T13:22:00+01:00",
            body=t("""
                Hello,

                Please find attached the file exported from my dashcam app (I'm told your assessor can open it) and the receipt for the recovery truck.

                The collision happened on 14 July 2025 on the A38 near Plymouth; claim ref. CLM-451876.

                Kind regards,
                Laura Bennett
                Tel. 0117 496 0877
            """),
            attachments=[
                Blob("export.dat", DASHCAM_EXPORT),
                Scan(
                    "recovery_receipt.jpg",
                    [[
                        "# WESTCOUNTRY RECOVERY",
                        "24 hour breakdown & recovery",
                        "",
                        "# RECEIPT No. R-20931",
                        "Date: 14/07/2025",
                        "Customer: L. Bennett",
                        "",
                        "Recovery A38 Plymouth to Bristol|212.00",
                        "VAT 20%|42.40",
                        "TOTAL PAID|GBP 254.40",
                        "",
                        "Paid by card - thank you",
                    ]],
                    paper=(4.5, 7.0),
                    margin=0.45,
                    angle=2.4,
                    point=12,
                    columns=(0.0, 0.7),
                ),
            ],
        ),
    ),
    Case(
        "en_documents_invoice_photo",
        "en", "documents_submission",
        "JPEG phone photo of a plumber's invoice (turned -2°, uneven light); the plumber's phone is the "
        "only phone; two addresses, only the customer's has a postcode",
        fields={"claim_number": "CLM-447305", "invoice_number": "CPH-3391", "invoice_date": "2025-06-03",
                "total_amount": "280.20", "currency": "GBP", "phone": "+442920180455", "postcode": "CF11 9DF",
                "customer_name": "Gareth Morgan", "company": "CARDIFF PLUMBING & HEATING",
                "address": "Canton, Cardiff"},
        source=Mail(
            sender="Gareth Morgan <gareth.morgan@btinternet.example>",
            to=EN_CLAIMS,
            subject="Invoice for claim CLM-447305",
            date="2025-06-05T15:48:00+01:00",
            body=t("""
                Good afternoon,

                As requested on the phone, here is a photo of the plumber's invoice for the leak under the kitchen sink (claim CLM-447305). Sorry it's a bit crooked, I took it with my phone.

                Regards
                Gareth Morgan
            """),
            attachments=[Scan(
                "IMG_4471.jpg",
                [[
                    "# CARDIFF PLUMBING & HEATING",
                    "Canton, Cardiff - Tel 029 2018 0455",
                    "",
                    "# INVOICE No: CPH-3391",
                    "Date: 3 June 2025",
                    "",
                    "To: Mr G. Morgan",
                    "52 Kings Road, Cardiff CF11 9DF",
                    "",
                    "Call-out|65.00",
                    "Replace waste trap and fittings|48.50",
                    "Labour (2 hours)|120.00",
                    "Subtotal|233.50",
                    "VAT 20%|46.70",
                    "TOTAL DUE|£280.20",
                ]],
                angle=-2.0,
                photo=True,
                point=13,
                columns=(0.0, 0.56),
                quality=72,
            )],
        ),
    ),
    Case(
        "en_standalone_roof_invoice",
        "en", "documents_submission",
        "standalone two-page TIFF (bilevel G4): a roofer's invoice and its payment page with IBAN, BIC and an "
        "accounts e-mail; the customer is named by initial only (no customer_name); no draft",
        draft=False,
        fields={"claim_number": "CLM-444518", "invoice_number": "INV-10587", "invoice_date": "2025-02-21",
                "total_amount": "1968.00", "currency": "GBP", "iban": IBAN_SEVERN, "bic": "LNDBGB2L",
                "email": "accounts@severn-roofing.example", "phone": "+441134960902", "postcode": "LS6 2QB",
                "company": "SEVERN ROOFING LTD", "address": "Unit 12, Canal Wharf, Leeds"},
        source=Scan(
            "invoice.tif",
            [
                [
                    "# SEVERN ROOFING LTD",
                    "Unit 12, Canal Wharf, Leeds",
                    "Tel 0113 496 0902",
                    "",
                    "# INVOICE INV-10587",
                    "Invoice date: 21 February 2025",
                    "Insurance claim ref: CLM-444518",
                    "",
                    "Bill to: Ms P. Shah",
                    "27 Beech Avenue, Leeds LS6 2QB",
                    "",
                    "Scaffold hire (1 week)|480.00",
                    "Replace 38 roof tiles and ridge|620.00",
                    "Labour (2 days)|540.00",
                    "Subtotal|1,640.00",
                    "VAT 20%|328.00",
                    "TOTAL|£1,968.00",
                    "",
                    "Continued overleaf",
                ],
                [
                    "# PAYMENT DETAILS",
                    "Invoice INV-10587",
                    "",
                    "Please pay by bank transfer within 30 days to:",
                    "Account name: Severn Roofing Ltd",
                    f"IBAN: {spaced(IBAN_SEVERN)}",
                    "BIC: LNDBGB2L",
                    "",
                    "Remittance advice to:",
                    "accounts@severn-roofing.example",
                    "",
                    "Thank you for your business.",
                ],
            ],
            fmt="tiff",
            angle=-0.7,
            specks=350,
            point=12,
            columns=(0.0, 0.62),
        ),
    ),
]
