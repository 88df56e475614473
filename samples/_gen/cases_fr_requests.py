"""French cases that are not about a claim's facts: refunds, complaints, contract changes,
cancellations, questions, auto-replies and mail that is not for us."""

from __future__ import annotations

from _gen.case import FR_CLAIMS, FR_SERVICE, Case, spaced_siret
from _gen.documents import Pdf, Table
from _gen.identifiers import fr_iban, fr_vat, siret, spaced, wrong_iban_check
from _gen.mails import Forward, Mail, t
from _gen.scans import Scan

__all__ = ["CASES"]

IBAN_CARON = fr_iban("14707", "00032", "04212785510")
IBAN_LE_GALL_TYPO = wrong_iban_check(fr_iban("10278", "36020", "00020481903"))
SIRET_SERRURIER = siret("83412069", "0001")
SIRET_NUMERIA = siret("79853120", "0002")

CASES = [
    Case(
        "fr_remboursement_pharmacie_iban",
        "fr", "reimbursement",
        "text PDF pharmacy invoice + text PDF medical certificate; valid IBAN and BIC in the body; the "
        "amount claimed in the body (the part left to pay) wins over the invoice's gross total",
        fields={"policy_number": "POL/2024/118842", "claim_number": "2025/SIN/6620",
                "invoice_number": "FP-2025-00087", "incident_date": "2025-01-09", "invoice_date": "2025-01-14",
                "total_amount": "86.40", "currency": "EUR", "iban": IBAN_CARON, "bic": "BQVLFRPPXXX",
                "postcode": "44000", "customer_name": "Martine Caron", "company": "PHARMACIE DU COMMERCE",
                "address": "4 place du Commerce, 44000 Nantes"},
        source=Mail(
            sender="Martine Caron <martine.caron@free.example>",
            to=FR_CLAIMS,
            subject="Demande de remboursement frais médicaux - sinistre 2025/SIN/6620",
            date="2025-01-16T10:40:00+01:00",
            body=t(f"""
                Bonjour,

                Suite à ma chute du 9 janvier 2025 (dossier 2025/SIN/6620, contrat Garantie des accidents de la vie POL/2024/118842), je vous adresse la facture de la pharmacie pour l'attelle et les médicaments, ainsi que le certificat de mon médecin.

                Merci de procéder au remboursement de la somme restée à ma charge, soit 86,40 €, sur mon compte :
                IBAN : {spaced(IBAN_CARON)}
                BIC : BQVLFRPPXXX

                Cordialement,
                Martine Caron
                22 boulevard Victor Hugo
                44000 Nantes
            """),
            attachments=[
                Pdf(
                    "facture_pharmacie.pdf",
                    [
                        "## PHARMACIE DU COMMERCE",
                        "4 place du Commerce, 44000 Nantes",
                        "",
                        "# FACTURE N° FP-2025-00087",
                        "Date : 14/01/2025",
                        "Patient : CARON Martine",
                        Table((0.55, 0.15, 0.3), [
                            ("Produit", "Qté", "Prix TTC"),
                            ("Attelle de poignet ligamentaire", "1", "69,90"),
                            ("Paracétamol 1 g, boîte de 8", "2", "4,36"),
                            ("Kétoprofène gel 2,5 %", "1", "5,62"),
                            ("Bande de contention", "2", "32,72"),
                        ]),
                        "> Montant total : 112,60 €",
                        "> Part Assurance maladie obligatoire : 26,20 €",
                        "> Reste à charge : 86,40 €",
                    ],
                    creator="LGPI Pharmacie",
                    created="2025-01-14T18:12:00",
                ),
                Pdf(
                    "certificat_medical.pdf",
                    [
                        "Docteur Anne Gauthier",
                        "Médecine générale",
                        "10 rue de Strasbourg, 44000 Nantes",
                        "",
                        "# CERTIFICAT MÉDICAL",
                        "",
                        "Je soussignée, Docteur Anne Gauthier, certifie avoir examiné ce jour Madame Martine Caron, "
                        "qui présente une entorse grave du poignet droit consécutive à une chute survenue le "
                        "9 janvier 2025.",
                        "Immobilisation par attelle pendant trois semaines.",
                        "",
                        "Certificat établi à la demande de l'intéressée et remis en main propre pour servir et "
                        "valoir ce que de droit.",
                        "",
                        "> Fait à Nantes, le 10 janvier 2025",
                    ],
                    font="serif",
                    created="2025-01-10T11:30:00",
                ),
            ],
        ),
    ),
    Case(
        "fr_remboursement_iban_invalide",
        "fr", "reimbursement",
        "IBAN with wrong check digits (must NOT be reported); amount written '320 euros'; no accents, typos",
        fields={"policy_number": "AUT-7710-4528", "incident_date": "2025-03-02", "total_amount": "320.00",
                "currency": "EUR", "phone": "+33633481290", "customer_name": "Yannick Le Gall"},
        source=Mail(
            sender="Yannick Le Gall <yannick.legall@orange.example>",
            to=FR_CLAIMS,
            subject="remboursement depannage",
            date="2025-03-05T22:17:00+01:00",
            body=t(f"""
                Bonjour,

                suite a ma panne sur l'autoroute A11 le dimanche 2 mars 2025 j'ai du payer moi meme le remorquage car l'assistance ne repondait pas au telephone. Le depanneur m'a facturé 320 euros, j'ai la facture si besoin.

                pouvez vous me rembourser sur mon compte IBAN {spaced(IBAN_LE_GALL_TYPO)}
                contrat auto AUT-7710-4528

                merci d'avance
                Yannick Le Gall
                06 33 48 12 90
            """),
        ),
    ),
    Case(
        "fr_remboursement_serrurier_png",
        "fr", "reimbursement",
        "scanned PNG receipt (few grey levels, turned -1.4°) from a locksmith; SIRET on the receipt; phone "
        "written '+33 6 …'",
        fields={"policy_number": "MRH-40877-C", "invoice_number": "SE-25-0873", "incident_date": "2025-10-07",
                "invoice_date": "2025-10-07", "total_amount": "419.00", "currency": "EUR",
                "phone": "+33624813755", "siret": SIRET_SERRURIER, "postcode": "13005",
                "customer_name": "Farid Benali", "company": "SERRURERIE EXPRESS 13"},
        source=Mail(
            sender="Farid Benali <farid.benali@sfr.example>",
            to=FR_CLAIMS,
            subject="Remboursement serrurier - contrat MRH-40877-C",
            date="2025-10-09T08:55:00+02:00",
            body=t("""
                Bonjour,

                Le 7 octobre 2025, quelqu'un a tenté de forcer la porte de mon appartement et la serrure a été détruite. J'ai dû faire venir un serrurier en urgence le soir même. Vous trouverez ci-joint la facture scannée.

                Conformément à mon contrat multirisque habitation MRH-40877-C, je vous demande le remboursement de ces frais. La plainte a été déposée au commissariat du 5e arrondissement.

                Bien à vous,
                Farid Benali
                Tél : +33 6 24 81 37 55
            """),
            attachments=[Scan(
                "facture_serrurier.png",
                [[
                    "# SERRURERIE EXPRESS 13",
                    "Dépannage 7j/7 - 24h/24",
                    f"SIRET {spaced_siret(SIRET_SERRURIER)}",
                    "",
                    "# FACTURE",
                    "N° SE-25-0873 du 07/10/2025",
                    "Client : M. Farid Benali",
                    "12 rue Saint-Pierre, 13005 Marseille",
                    "",
                    "Ouverture de porte|150,00",
                    "Cylindre de sécurité A2P|189,00",
                    "Majoration nuit|80,00",
                    "",
                    "TOTAL TTC|419,00 EUR",
                    "dont TVA 20 %|69,83 EUR",
                    "Réglé par carte bancaire",
                ]],
                fmt="png",
                paper=(5.8, 8.3),
                margin=0.5,
                angle=-1.4,
                point=12,
                columns=(0.0, 0.68),
            )],
        ),
    ),
    Case(
        "fr_reclamation_colere",
        "fr", "complaint",
        "short angry complaint in capitals, threat to go to the mediator and to cancel; title in the display "
        "name ('Mme'), initial in the signature",
        fields={"claim_number": "SIN-2025-00233", "customer_name": "Sandrine Petit"},
        source=Mail(
            sender="Mme Sandrine Petit <sandrine.petit62@gmail.example>",
            to=FR_CLAIMS,
            subject="INADMISSIBLE !!!",
            date="2025-06-27T23:48:00+02:00",
            body=t("""
                Cela fait maintenant TROIS MOIS que j'attends le règlement de mon sinistre n° SIN-2025-00233. Trois relances, aucune réponse, personne au téléphone !!!

                Si je n'ai pas de nouvelles d'ici vendredi je saisis le médiateur de l'assurance et je résilie TOUS mes contrats chez vous.

                S. Petit
            """),
        ),
    ),
    Case(
        "fr_reclamation_mediateur",
        "fr", "complaint",
        "formal complaint letter (address block, 'Objet :', formal closing) contesting a refusal; a letter "
        "date that is not the incident date; amount '2 418,75 €'",
        fields={"policy_number": "MRH-31904-A", "claim_number": "2025/SIN/5512", "incident_date": "2025-04-29",
                "total_amount": "2418.75", "currency": "EUR", "phone": "+33380451267", "postcode": "21000",
                "customer_name": "Gérard Lemoine"},
        source=Mail(
            sender="Gérard Lemoine <gerard.lemoine@orange.example>",
            to=FR_SERVICE,
            subject="Réclamation - refus de prise en charge - dossier 2025/SIN/5512",
            date="2025-06-16T11:20:00+02:00",
            body=t("""
                Gérard Lemoine
                18 avenue des Tilleuls
                21000 Dijon
                Tél. 03 80 45 12 67

                                                        MAV Assurances
                                                        Service Réclamations

                Objet : Réclamation - refus de prise en charge du sinistre n° 2025/SIN/5512
                Contrat habitation n° MRH-31904-A

                Madame, Monsieur,

                Par courrier du 2 juin 2025, vous avez refusé la prise en charge du dégât des eaux survenu le 29 avril 2025 dans ma cuisine, au motif d'un « défaut d'entretien ». Je conteste formellement cette décision : le joint défectueux avait été remplacé en 2023 par un professionnel, facture à l'appui.

                Le montant des réparations s'élève à 2 418,75 € TTC selon le devis joint à ma déclaration. Je vous demande de réexaminer mon dossier et de procéder à l'indemnisation, déduction faite de la franchise contractuelle.

                À défaut de réponse satisfaisante dans un délai de deux mois, je saisirai la Médiation de l'Assurance.

                Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.

                Gérard Lemoine
            """),
        ),
    ),
    Case(
        "fr_avenant_changement_vehicule",
        "fr", "contract_change",
        "change of vehicle on a car policy (new plate), asks for the avenant and a new attestation; a "
        "handover date that is not an incident",
        fields={"policy_number": "AUT-5102-3376", "phone": "+33671523380", "vehicle_plate": "GT-604-RA",
                "customer_name": "Thomas Garnier"},
        source=Mail(
            sender="Thomas Garnier <thomas.garnier@gmail.example>",
            to=FR_SERVICE,
            subject="Changement de véhicule contrat AUT-5102-3376",
            date="2025-03-10T19:05:00+01:00",
            body=t("""
                Bonjour,

                Je vends ma Clio et je viens d'acheter une Peugeot 3008 (1.2 PureTech 130, mise en circulation en 2022), immatriculée GT-604-RA. J'en prends possession le samedi 15 mars.

                Pouvez-vous transférer mon contrat AUT-5102-3376 sur le nouveau véhicule à partir de cette date, avec les mêmes garanties (tous risques), et m'envoyer l'avenant ainsi que la nouvelle attestation d'assurance ?

                Merci par avance,
                Thomas Garnier
                06 71 52 33 80
            """),
        ),
    ),
    Case(
        "fr_avenant_demenagement_html",
        "fr", "contract_change",
        "HTML-only webmail mail with a style block and a table holding the new address; move date "
        "'1er avril 2025' (not a field)",
        fields={"policy_number": "HAB 30477125", "phone": "+33687254013", "postcode": "31400",
                "customer_name": "Élodie Marchand"},
        source=Mail(
            sender="Élodie Marchand <elodie.marchand@orange.example>",
            to=FR_SERVICE,
            subject="Déménagement - transfert de mon assurance habitation",
            date="2025-03-18T12:30:00+01:00",
            html=t("""
                <html><head><style type="text/css">
                body { font-family: Arial, Helvetica, sans-serif; font-size: 13px; }
                .sig { color: #666666; font-size: 11px; }
                </style></head><body>
                <div>Bonjour,<br><br>Je déménage le 1er avril 2025 et souhaite transférer mon assurance habitation (contrat <b>HAB 30477125</b>) à ma nouvelle adresse&nbsp;:<br><br></div>
                <table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse;font-size:13px">
                <tr><td style="background:#eeeeee">Adresse</td><td>5 allée Jean Jaurès, appartement 32</td></tr>
                <tr><td style="background:#eeeeee">Code postal / Ville</td><td>31400 Toulouse</td></tr>
                <tr><td style="background:#eeeeee">Logement</td><td>T3 de 68 m&sup2;, 3<sup>e</sup> étage</td></tr>
                <tr><td style="background:#eeeeee">Date d'entrée</td><td>1er avril 2025</td></tr>
                </table>
                <div><br>Pouvez-vous m'indiquer si la cotisation change et m'envoyer l'attestation pour mon nouveau bailleur&nbsp;?<br><br>Cordialement,<br></div>
                <div class="sig">Élodie Marchand<br>06 87 25 40 13</div>
                </body></html>
            """),
        ),
    ),
    Case(
        "fr_avenant_conducteur_transfert_rfc822",
        "fr", "contract_change",
        "forwarded as an attachment (message/rfc822) by an agency colleague; the customer is the inner "
        "sender; birth and licence dates as distractors",
        fields={"policy_number": "CTR-88412", "phone": "+33467602188", "vehicle_plate": "FN-350-LH",
                "postcode": "34000", "customer_name": "Isabelle Roche"},
        source=Mail(
            sender="Karim Haddad <karim.haddad@mav-assurances.example>",
            to=FR_SERVICE,
            subject="TR: Ajout conducteur secondaire",
            date="2025-09-02T08:47:00+02:00",
            headers={"X-Mailer": "Microsoft Outlook 16.0"},
            body=t("""
                Bonjour,

                Ci-joint la demande d'une cliente de l'agence, à traiter par le service contrats.

                Merci,
                Karim Haddad
                Agence MAV Montpellier Comédie
            """),
            attachments=[Forward(
                Mail(
                    sender="Isabelle Roche <isabelle.roche@laposte.example>",
                    to="Karim Haddad <karim.haddad@mav-assurances.example>",
                    subject="Ajout conducteur secondaire",
                    date="2025-09-01T21:12:00+02:00",
                    body=t("""
                        Bonjour Monsieur Haddad,

                        Mon fils Hugo vient d'obtenir son permis (le 28 août) et je souhaiterais l'ajouter comme conducteur secondaire sur mon contrat auto CTR-88412 (Citroën C3 immatriculée FN-350-LH).

                        Pouvez-vous me faire un devis pour cet avenant ? Il est né le 14/02/2007.

                        Merci beaucoup,
                        Isabelle Roche
                        34 rue de l'Aiguillerie
                        34000 Montpellier
                        04 67 60 21 88
                    """),
                ),
                filename="Ajout conducteur secondaire.eml",
            )],
        ),
    ),
    Case(
        "fr_resiliation_loi_hamon",
        "fr", "cancellation",
        "formal cancellation under the loi Hamon (article L113-15-2); contract start date as a distractor",
        fields={"policy_number": "AUT-6634-1029", "vehicle_plate": "DL-228-FX", "postcode": "86000",
                "customer_name": "Julien Mercier"},
        source=Mail(
            sender="Julien Mercier <julien.mercier@laposte.example>",
            to=FR_SERVICE,
            subject="Résiliation contrat auto - loi Hamon",
            date="2025-02-03T09:15:00+01:00",
            body=t("""
                Madame, Monsieur,

                Titulaire du contrat d'assurance automobile n° AUT-6634-1029 souscrit le 12 septembre 2023 pour le véhicule immatriculé DL-228-FX, je vous informe de ma décision de le résilier en application de l'article L113-15-2 du Code des assurances (loi Hamon), le contrat ayant plus d'un an.

                Mon nouvel assureur vous adressera la demande de résiliation et se chargera des formalités. Je vous remercie de m'envoyer un relevé d'information.

                Veuillez agréer, Madame, Monsieur, mes salutations distinguées.

                Julien Mercier
                3 rue des Écoles
                86000 Poitiers
            """),
        ),
    ),
    Case(
        "fr_resiliation_echeance_pdf_chiffre",
        "fr", "cancellation",
        "cancellation at the échéance with a password-protected (encrypted) PDF letter; everything needed "
        "is also in the mail",
        fields={"policy_number": "MRH-22817-B", "phone": "+33468523109", "postcode": "66000",
                "customer_name": "Monique Vidal"},
        source=Mail(
            sender="Monique Vidal <monique.vidal@free.example>",
            to=FR_SERVICE,
            subject="Résiliation à échéance - contrat MRH-22817-B",
            date="2025-03-25T15:02:00+01:00",
            body=t("""
                Bonjour,

                Je vous prie de trouver ci-joint ma lettre de résiliation de mon contrat multirisque habitation MRH-22817-B à sa prochaine échéance du 1er juin 2025 (mon fils l'a faite sur l'ordinateur, elle est protégée).

                Je vends ma maison et pars vivre chez ma fille.

                Merci de me confirmer la bonne prise en compte.

                Monique Vidal
                11 rue Arago
                66000 Perpignan
                04 68 52 31 09
            """),
            attachments=[Pdf(
                "lettre_resiliation.pdf",
                [
                    "Monique Vidal",
                    "11 rue Arago",
                    "66000 Perpignan",
                    "",
                    "> MAV Assurances - Service clients",
                    "",
                    "Objet : résiliation du contrat MRH-22817-B à l'échéance",
                    "",
                    "Madame, Monsieur,",
                    "Je vous informe de ma décision de résilier mon contrat multirisque habitation n° MRH-22817-B "
                    "à sa date d'échéance annuelle, conformément aux conditions générales.",
                    "Veuillez agréer mes salutations distinguées.",
                    "",
                    "Monique Vidal",
                ],
                font="serif",
                created="2025-03-24T17:00:00",
                user_password="vidal1948",
            )],
        ),
    ),
    Case(
        "fr_information_attestation",
        "fr", "information",
        "question with typos and no accents: asks for an attestation d'assurance; policy introduced by "
        "'Mon numero de contrat est le'",
        fields={"policy_number": "HAB 41120953", "customer_name": "Lucas Moreau"},
        source=Mail(
            sender="Lucas Moreau <lucas.moreau@gmail.example>",
            to=FR_SERVICE,
            subject="attestation assurance",
            date="2025-09-08T13:02:00+02:00",
            body=t("""
                Bonjour,

                j'aurais besoin d'une atestation d'assurance habitation pour mon proprietaire, il me la demande pour le renouvellement du bail. Mon numero de contrat est le HAB 41120953 je crois.
                Est ce que vous pouvez me l'envoyer par mail ou je dois la telecharger sur l'espace client ? je n'arrive pas a me connecter.

                Merci
                Lucas Moreau
            """),
        ),
    ),
    Case(
        "fr_information_charset_errone",
        "fr", "information",
        "body bytes in ISO-8859-1 but the header declares utf-8 (8bit): the reader must fall back to "
        "guessing; a question about the bris de glace franchise",
        fields={"policy_number": "AUT-2087-5519", "phone": "+33556781234", "customer_name": "François Hébert"},
        source=Mail(
            sender="François Hébert <francois.hebert@wanadoo.example>",
            to=FR_SERVICE,
            subject="Question franchise bris de glace",
            date="2025-05-12T17:41:00+02:00",
            headers={"X-Mailer": "Eudora 7.1"},
            charset="iso-8859-1",
            cte="8bit",
            declared_charset="utf-8",
            body=t("""
                Bonjour,

                J'ai un impact sur mon pare-brise (contrat n° AUT-2087-5519). Avant de faire réparer, je voudrais savoir si une franchise s'applique en bris de glace et si le remplacement est pris en charge à 100 % chez un réparateur agréé.

                Pouvez-vous me rappeler au 05 56 78 12 34 ? Je suis joignable après 17 h.

                Merci d'avance.
                François Hébert
            """),
        ),
    ),
    Case(
        "fr_reponse_automatique_absence",
        "fr", "auto_reply",
        "out-of-office reply with 'Auto-Submitted: auto-replied' and the subject 'Réponse automatique : "
        "absent du bureau'; a phone to call instead (no draft)",
        draft=False,
        fields={"phone": "+33472331860", "customer_name": "Laurent Fabre"},
        source=Mail(
            sender="Laurent Fabre <laurent.fabre@fabre-batiment.example>",
            to=FR_CLAIMS,
            subject="Réponse automatique : absent du bureau",
            date="2025-04-14T10:00:00+02:00",
            in_reply_to="<20250414095812.EXP221@mav-assurances.example>",
            headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
            body=t("""
                Bonjour,

                Je suis absent du bureau jusqu'au lundi 28 avril 2025 inclus, avec un accès limité à ma messagerie.

                Pour toute urgence concernant les chantiers en cours, vous pouvez joindre le secrétariat au 04 72 33 18 60.

                Laurent Fabre
                Fabre Bâtiment
            """),
        ),
    ),
    Case(
        "fr_autre_prospection",
        "fr", "other",
        "a supplier's sales pitch: company signature with SIRET, VAT number, address and phone; the "
        "signature repeats the sender's own address",
        fields={"phone": "+33428297105", "siret": SIRET_NUMERIA, "vat_number": fr_vat(SIRET_NUMERIA),
                "postcode": "69006", "customer_name": "Léa Bonnet"},
        source=Mail(
            sender="Léa Bonnet <lea.bonnet@numeria-solutions.example>",
            to=FR_CLAIMS,
            subject="Automatisez le traitement de vos déclarations de sinistre",
            date="2025-09-16T09:00:00+02:00",
            body=t(f"""
                Bonjour,

                Je me permets de vous contacter car de nombreux cabinets de courtage et mutuelles nous font déjà confiance pour dématérialiser leurs déclarations de sinistre.

                Notre plateforme Numéria Claims lit les courriels et les pièces jointes, pré-remplit vos dossiers et réduit de 40 % le temps de gestion de vos équipes.

                Seriez-vous disponible pour une démonstration de 30 minutes la semaine prochaine ?

                Bien cordialement,

                Léa Bonnet
                Chargée de développement commercial
                Numéria Solutions SAS
                115 rue de Créqui, 69006 Lyon
                Tél. 04 28 29 71 05 - lea.bonnet@numeria-solutions.example
                SIRET {spaced_siret(SIRET_NUMERIA)} - TVA {fr_vat(SIRET_NUMERIA)}

                Pour ne plus recevoir nos messages, répondez STOP.
            """),
        ),
    ),
    Case(
        "fr_autre_lettre_information_liste",
        "fr", "other",
        "newsletter from a mailing list ('List-Id', 'Precedence: list', 'List-Unsubscribe'), text and HTML "
        "alternatives; nothing to extract and no draft",
        draft=False,
        fields={},
        source=Mail(
            sender="La Lettre de l'Assurance <lettre@actu-assurance.example>",
            to="sinistres@mav-assurances.example",
            subject="La Lettre de l'Assurance n° 142 - catastrophes naturelles, loi Hamon, prix des pièces",
            date="2025-04-03T06:30:00+02:00",
            headers={
                "List-Id": "La Lettre de l'Assurance <lettre.actu-assurance.example>",
                "List-Unsubscribe": "<https://actu-assurance.example/desinscription?l=142>",
                "Precedence": "list",
            },
            body=t("""
                LA LETTRE DE L'ASSURANCE - n° 142

                * Catastrophes naturelles : les nouveaux arrêtés publiés au Journal officiel
                * Loi Hamon : dix ans après, quel bilan pour la résiliation à tout moment ?
                * Baromètre : le prix des pièces détachées automobiles augmente encore

                Lire la lettre en ligne : https://actu-assurance.example/lettre/142

                Vous recevez cette lettre car vous êtes inscrit à La Lettre de l'Assurance.
                Se désinscrire : https://actu-assurance.example/desinscription?l=142
                Actu Assurance SAS - Paris
            """),
            html=t("""
                <html><body style="margin:0;background:#f2f2f2">
                <table width="600" align="center" cellpadding="0" cellspacing="0" style="background:#ffffff;font-family:Georgia,serif">
                <tr><td style="background:#0b3d6e;color:#ffffff;padding:18px;font-size:22px">La Lettre de l'Assurance <span style="font-size:14px">n&deg; 142</span></td></tr>
                <tr><td style="padding:14px"><h2 style="font-size:17px">Catastrophes naturelles&nbsp;: les nouveaux arr&ecirc;t&eacute;s publi&eacute;s au Journal officiel</h2></td></tr>
                <tr><td style="padding:14px"><h2 style="font-size:17px">Loi Hamon&nbsp;: dix ans apr&egrave;s, quel bilan pour la r&eacute;siliation &agrave; tout moment&nbsp;?</h2></td></tr>
                <tr><td style="padding:14px"><h2 style="font-size:17px">Barom&egrave;tre&nbsp;: le prix des pi&egrave;ces d&eacute;tach&eacute;es automobiles augmente encore</h2></td></tr>
                <tr><td style="padding:14px;font-size:11px;color:#888888">Vous recevez cette lettre car vous &ecirc;tes inscrit &agrave; La Lettre de l'Assurance.<br><a href="https://actu-assurance.example/desinscription?l=142">Se d&eacute;sinscrire</a> - Actu Assurance SAS - Paris</td></tr>
                </table></body></html>
            """),
        ),
    ),
]
