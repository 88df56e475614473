"""English cases that are not about a claim's facts: refunds, complaints, policy changes,
cancellations, questions, auto-replies and mail that is not for us."""

from __future__ import annotations

from _gen.case import EN_CLAIMS, EN_SERVICE, FR_CLAIMS, Case
from _gen.documents import Pdf, Table
from _gen.identifiers import fr_iban, gb_iban, spaced
from _gen.mails import Mail, quote, t

__all__ = ["CASES"]

IBAN_TURNER = gb_iban("NWMB", "601613", "31926819")
IBAN_LAWSON = fr_iban("16606", "10040", "00081274466")

CASES = [
    Case(
        "en_reimbursement_medical_receipt",
        "en", "reimbursement",
        "travel insurance refund with a text PDF clinic receipt in euros; GB IBAN and BIC/SWIFT in the body",
        fields={"policy_number": "POL/2025/031277", "invoice_number": "CCS-25-07841",
                "incident_date": "2025-07-22", "invoice_date": "2025-07-22", "total_amount": "158.50",
                "currency": "EUR", "iban": IBAN_TURNER, "bic": "NWMBGB2L", "phone": "+442079460381",
                "customer_name": "Emily Turner", "company": "CLÍNICA COSTA SOL",
                "address": "Avenida de Andalucía, Málaga, Spain"},
        source=Mail(
            sender="Emily Turner <emily.turner@gmail.example>",
            to=EN_CLAIMS,
            subject="Travel insurance claim - doctor's fees in Spain",
            date="2025-07-29T20:05:00+01:00",
            body=t(f"""
                Dear Claims Team,

                While on holiday in Málaga I fell ill and had to see a private doctor on 22 July 2025, who also gave me antibiotics. I paid the clinic €158.50 and attach their receipt. My travel policy number is POL/2025/031277.

                Please reimburse the amount to my account:
                IBAN: {spaced(IBAN_TURNER)}
                BIC/SWIFT: NWMBGB2L

                Thank you,
                Emily Turner
                +44 20 7946 0381
            """),
            attachments=[Pdf(
                "receipt_clinica.pdf",
                [
                    "## CLÍNICA COSTA SOL",
                    "Avenida de Andalucía, Málaga, Spain",
                    "",
                    "# RECEIPT / RECIBO",
                    "Receipt No.: CCS-25-07841",
                    "Date: 22/07/2025",
                    "Patient: Emily Turner",
                    Table((0.7, 0.3), [
                        ("Service", "EUR"),
                        ("General consultation (private)", "120.00"),
                        ("Antibiotics, dispensed", "38.50"),
                    ]),
                    "> Total paid: EUR 158.50",
                    "",
                    "Paid by card. VAT exempt medical services.",
                ],
                creator="Clinic Manager",
                created="2025-07-22T12:30:00",
            )],
        ),
    ),
    Case(
        "en_reimbursement_expenses_html",
        "en", "reimbursement",
        "HTML-only mail with an expenses table (line items and a Total row '€1,842.50'); hotel dates as "
        "distractors; FR IBAN without a BIC",
        fields={"policy_number": "MRH-58230-A", "claim_number": "DOS-94127", "incident_date": "2025-05-11",
                "total_amount": "1842.50", "currency": "EUR", "iban": IBAN_LAWSON, "phone": "+33553901245",
                "postcode": "24600", "customer_name": "Peter Lawson"},
        source=Mail(
            sender="Peter Lawson <peter.lawson@orange.example>",
            to=FR_CLAIMS,
            subject="Claim DOS-94127 - alternative accommodation costs",
            date="2025-06-02T10:18:00+02:00",
            html=t(f"""
                <html><head><style>
                table.exp {{ border-collapse: collapse; }}
                table.exp td, table.exp th {{ border: 1px solid #bbb; padding: 4px 10px; }}
                td.num {{ text-align: right; }}
                </style></head><body style="font-family:Verdana,sans-serif;font-size:12px">
                <p>Dear Sir or Madam,</p>
                <p>Following the kitchen fire on 11 May 2025 (claim DOS-94127, policy MRH-58230-A), our house was not habitable for several days. As agreed with your assessor, here are the costs we paid:</p>
                <table class="exp">
                <tr><th>Dates</th><th>Expense</th><th>Amount</th></tr>
                <tr><td>14&ndash;16 May</td><td>Hôtel Le Relais, Ribérac (3 nights)</td><td class="num">€426.00</td></tr>
                <tr><td>14&ndash;16 May</td><td>Meals</td><td class="num">€182.50</td></tr>
                <tr><td>May&ndash;June</td><td>Storage unit for furniture</td><td class="num">€1,234.00</td></tr>
                <tr><td></td><td><b>Total</b></td><td class="num"><b>€1,842.50</b></td></tr>
                </table>
                <p>Receipts are attached to my previous email. Please reimburse the total to our joint account:<br>
                IBAN {spaced(IBAN_LAWSON)}</p>
                <p>Kind regards,<br>Peter Lawson<br>La Grange, 12 route de Ribérac<br>24600 Villetoureix<br>Tel. 05 53 90 12 45</p>
                </body></html>
            """),
        ),
    ),
    Case(
        "en_reimbursement_double_debit",
        "en", "reimbursement",
        "refund of a premium taken twice, '£75.00'; the debit dates are not incidents",
        fields={"policy_number": "CTR-71058", "total_amount": "75.00", "currency": "GBP", "postcode": "BN2 1TL",
                "customer_name": "Rachel Adams"},
        source=Mail(
            sender="Rachel Adams <rachel.adams@yahoo.example>",
            to=EN_SERVICE,
            subject="Premium taken twice - refund please",
            date="2025-10-03T08:30:00+01:00",
            body=t("""
                Hello,

                My monthly premium for policy CTR-71058 was taken twice from my bank account this month, on 1 and 2 October. Please refund the duplicate payment of £75.00 to the account you hold on file.

                Thanks,
                Rachel Adams
                Flat 3, 8 Marine Parade, Brighton BN2 1TL
            """),
        ),
    ),
    Case(
        "en_complaint_ombudsman",
        "en", "complaint",
        "formal complaint about a write-off valuation, threatens the Financial Ombudsman Service; the amount "
        "asked for '£5,600.00'; a complaint date that is not the incident",
        fields={"policy_number": "POL/2022/093318", "claim_number": "CLM-446590", "incident_date": "2025-01-09",
                "total_amount": "5600.00", "currency": "GBP", "postcode": "YO31 7BG",
                "customer_name": "Christopher Hall"},
        source=Mail(
            sender="Christopher Hall <chris.hall@btinternet.example>",
            to=EN_SERVICE,
            subject="Formal complaint - claim CLM-446590",
            date="2025-05-02T16:44:00+01:00",
            body=t("""
                Dear Sir or Madam,

                I wish to make a formal complaint about the handling of my claim CLM-446590 under policy POL/2022/093318.

                My car was written off after an accident on 9 January 2025. Your settlement offer is well below the market value of similar vehicles: based on the three adverts I sent you, I am asking for a settlement of £5,600.00.

                It has now been eight weeks since my first complaint of 4 March, without a final response. If I do not receive one within 14 days, I will refer the matter to the Financial Ombudsman Service.

                Yours faithfully,

                Christopher Hall
                41 Mill Lane
                York YO31 7BG
            """),
        ),
    ),
    Case(
        "en_complaint_angry_typos",
        "en", "complaint",
        "short angry complaint with typos and capitals, threatens the ombudsman",
        fields={"claim_number": "CLM-449031", "customer_name": "Gary Thompson"},
        source=Mail(
            sender="Gary Thompson <gary.t1977@hotmail.example>",
            to=EN_CLAIMS,
            subject="DISGUSTING SERVICE",
            date="2025-08-19T14:09:00+01:00",
            body=t("""
                I have been on hold for 50 minuts TWICE today and nobody can tell me why my claim CLM-449031 is still not paid. Your suposed to be helping people not making it worse. I want to speak to a manager TODAY or Im going to the ombudsman and leaving a review everywere.

                Gary Thompson
            """),
        ),
    ),
    Case(
        "en_policy_change_address_reply",
        "en", "contract_change",
        "reply above a quoted message holding the OLD address and postcode (LE2 3FP); the new text gives the "
        "new postcode (LE3 0AB); move date is not an incident",
        fields={"policy_number": "HAB 55201874", "phone": "+441164960255", "postcode": "LE3 0AB",
                "customer_name": "Hannah Wright"},
        source=Mail(
            sender="Hannah Wright <hannah.wright@gmail.example>",
            to=EN_SERVICE,
            subject="Re: Change of address - policy HAB 55201874",
            date="2025-11-10T12:15:00+00:00",
            in_reply_to="<20251110094102.HAB552@harbourline.example>",
            body=t("""
                Hi,

                Sorry, I forgot the postcode! The new address is:

                22 Harrow Road
                Leicester LE3 0AB

                I move in on 28 November. Best number to reach me is 0116 496 0255.

                Thanks,
                Hannah

                On Mon, 10 Nov 2025 at 09:41, Harbourline Customer Service <customer.service@harbourline.example> wrote:
            """) + quote(t("""
                Dear Ms Wright,

                Thank you for letting us know about your move. Your policy HAB 55201874 currently
                covers 9 Ash Close, Leicester LE2 3FP. Please send us the full new address,
                including the postcode, and the date you move in, and we will update your policy.

                Kind regards,
                Harbourline Customer Service
            """)),
        ),
    ),
    Case(
        "en_policy_change_new_car",
        "en", "contract_change",
        "English customer in France replacing the car on a French policy (French plate and phone, 'avenant', "
        "'attestation')",
        fields={"policy_number": "AUT-3902-7754", "phone": "+33622714908", "vehicle_plate": "GK-781-NT",
                "customer_name": "Ian Fletcher"},
        source=Mail(
            sender="Ian Fletcher <ian.fletcher@free.example>",
            to=FR_CLAIMS,
            subject="Policy change: new car",
            date="2025-11-06T09:37:00+01:00",
            body=t("""
                Good morning,

                I've just bought a new car and would like it to replace my old Fiesta on policy AUT-3902-7754 from Friday 14 November 2025:
                Skoda Octavia Estate 2.0 TDI, registration GK-781-NT, first registered in 2021.

                Could you please send me the amendment (avenant) and the new certificate of insurance (attestation)?

                Best regards,
                Ian Fletcher
                06 22 71 49 08
            """),
        ),
    ),
    Case(
        "en_cancellation_car_sold",
        "en", "cancellation",
        "cancellation after selling the car, asks for the unused premium back ('£142.30'); sale date is not "
        "an incident",
        fields={"policy_number": "POL/2024/301952", "total_amount": "142.30", "currency": "GBP",
                "postcode": "G1 3DN", "customer_name": "Neil Patterson"},
        source=Mail(
            sender="Neil Patterson <neil.patterson@outlook.example>",
            to=EN_SERVICE,
            subject="Cancel my car insurance - car sold",
            date="2025-10-01T18:50:00+01:00",
            body=t("""
                Hello,

                I sold my car on 30 September 2025 and no longer need my motor policy POL/2024/301952. Please cancel it from that date and refund the unused part of the annual premium, which by my calculation is £142.30.

                I can send you the V5C slip if needed.

                Regards,
                Neil Patterson
                7 Queen Street
                Glasgow G1 3DN
            """),
        ),
    ),
    Case(
        "en_cancellation_renewal",
        "en", "cancellation",
        "do-not-renew request signed 'Mrs M. Holt' (the display name gives the full name); Manchester phone",
        fields={"policy_number": "CTR-66120", "phone": "+441614960742", "customer_name": "Margaret Holt"},
        source=Mail(
            sender="Margaret Holt <m.holt@btinternet.example>",
            to=EN_SERVICE,
            subject="Please do not renew - CTR-66120",
            date="2025-11-12T11:05:00+00:00",
            body=t("""
                Dear Sirs,

                My home insurance CTR-66120 renews on 1 December. I have found a cheaper quote elsewhere, so please do not renew it and cancel the direct debit.

                Yours faithfully,
                Mrs M. Holt
                Tel: 0161 496 0742
            """),
        ),
    ),
    Case(
        "en_information_certificate",
        "en", "information",
        "asks for a certificate of insurance to be sent to a landlord: a third party's address in the text "
        "is the `email` field",
        fields={"policy_number": "CTR-58104", "email": "d.price@pricelettings.example", "postcode": "LS6 1AH",
                "customer_name": "Anna Kowalski"},
        source=Mail(
            sender="Anna Kowalski <anna.kowalski@gmail.example>",
            to=EN_SERVICE,
            subject="Certificate of insurance for my landlord",
            date="2025-04-22T09:48:00+01:00",
            body=t("""
                Hi,

                My landlord is asking for a certificate of insurance for my contents policy (policy number CTR-58104). Could you email it to me, or directly to his letting agent at d.price@pricelettings.example?

                Many thanks,
                Anna Kowalski
                Flat 2, 15 Hyde Park Road
                Leeds LS6 1AH
            """),
        ),
    ),
    Case(
        "en_information_excess_lowercase",
        "en", "information",
        "lower-case question about the windscreen excess; the policy number typed in lower case "
        "('pol/2024/209731' -> 'POL/2024/209731')",
        fields={"policy_number": "POL/2024/209731", "customer_name": "Tom Baker"},
        source=Mail(
            sender="Tom Baker <tombaker@yahoo.example>",
            to=EN_SERVICE,
            subject="question about excess",
            date="2025-03-27T22:31:00+00:00",
            body=t("""
                hi, if i claim for my windscreen what is the excess on my policy? the policy no is pol/2024/209731

                also does it affect my no claims bonus?

                thanks tom
            """),
        ),
    ),
    Case(
        "en_auto_reply_out_of_office",
        "en", "auto_reply",
        "'Out of Office' reply with 'X-Autoreply: yes'; the subject keeps our claim reference; a colleague's "
        "phone (no draft)",
        draft=False,
        fields={"claim_number": "CLM-450771", "phone": "+442079460844", "customer_name": "David Price"},
        source=Mail(
            sender="David Price <david.price@pricebuilders.example>",
            to=EN_CLAIMS,
            subject="Out of Office: Claim CLM-450771 - contractor report",
            date="2025-04-28T08:00:00+01:00",
            in_reply_to="<20250428075512.CLM450771@harbourline.example>",
            headers={"X-Autoreply": "yes"},
            body=t("""
                Thank you for your email. I am out of the office until Monday 5 May 2025 with no access to email.

                For urgent matters please contact my colleague Ruth on +44 20 7946 0844.

                David Price
            """),
        ),
    ),
    Case(
        "en_auto_reply_subject_only",
        "en", "auto_reply",
        "auto-reply recognisable only by its subject 'Automatic reply:' (no Auto-Submitted or X-Autoreply "
        "header; no draft)",
        draft=False,
        fields={"claim_number": "CLM-451203", "customer_name": "Karen Lewis"},
        source=Mail(
            sender="Karen Lewis <karen.lewis@gmail.example>",
            to=EN_CLAIMS,
            subject="Automatic reply: Your claim CLM-451203",
            date="2025-08-11T10:21:00+01:00",
            body=t("""
                I'm away until 21 August with limited access to email. I will reply to your message when I return.

                Karen
            """),
        ),
    ),
    Case(
        "en_other_thank_you",
        "en", "other",
        "a thank-you note with no request after a claim was paid (a reply is still drafted)",
        fields={"claim_number": "CLM-443019", "customer_name": "Patricia Moore"},
        source=Mail(
            sender="Patricia Moore <patricia.moore@btinternet.example>",
            to=EN_CLAIMS,
            subject="Thank you",
            date="2025-03-14T17:20:00+00:00",
            body=t("""
                Dear Mr Clarke,

                I just wanted to thank you and your colleagues for the way you handled our claim (CLM-443019) after the flood. The payment arrived yesterday and the builders start next week. You made a very stressful time much easier.

                With best wishes,
                Patricia Moore
            """),
        ),
    ),
    Case(
        "en_other_misdirected",
        "en", "other",
        "a personal mail sent to the claims mailbox by mistake; signed 'Mum'",
        fields={"customer_name": "Margaret Hill"},
        source=Mail(
            sender="Margaret Hill <maggie.hill@yahoo.example>",
            to=EN_CLAIMS,
            subject="Sunday lunch",
            date="2025-05-16T19:02:00+01:00",
            body=t("""
                Hi love,

                Dad and I will be there around half past twelve on Sunday. I'm bringing the trifle, can you pick up some cream? And tell Chloe I've found the photos she wanted.

                Love,
                Mum xx
            """),
        ),
    ),
]
