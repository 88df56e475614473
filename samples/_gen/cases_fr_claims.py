"""French cases about claims: new claims, follow-ups and the documents sent for them."""

from __future__ import annotations

from _gen.case import FR_CLAIMS, Case, spaced_siret
from _gen.documents import Pdf, Table
from _gen.identifiers import fr_vat, siret
from _gen.mails import Mail, t
from _gen.scans import Scan

__all__ = ["CASES"]

SIRET_CARROSSERIE = siret("41235487", "0001")
SIRET_PLOMBIER = siret("50318842", "0002")
SIRET_CYCLES = siret("82240716", "0001")
SIRET_LEFEBVRE = siret("39087125", "0004")
SIRET_VITRAGE = siret("48871903", "0001")

CONSTAT_PHOTO = Scan(
    "constat_amiable.jpg",
    [[
        "# CONSTAT AMIABLE D'ACCIDENT AUTOMOBILE",
        "1. Date de l'accident : 14/03/2025      Heure : 17h40",
        "2. Lieu : Lyon, av. Berthelot / rue de Gerland",
        "3. Blessés même légers : non     4. Dégâts matériels autres : non",
        "",
        "# VÉHICULE A",
        "Conducteur : DUPONT Jean",
        "Société d'assurance : MAV Assurances",
        "Contrat n° : AUT-4587-2291",
        "Marque, type : Peugeot 308",
        "Immatriculation : FG-482-KL",
        "Point de choc initial : avant droit",
        "",
        "# VÉHICULE B",
        "Conducteur : MERCIER Olivier",
        "Société d'assurance : Assurances Rhodania",
        "Contrat n° : 0047 8812 RH",
        "Marque, type : Renault Clio",
        "Immatriculation : EK-903-PV",
        "Point de choc initial : avant gauche",
        "",
        "Circonstances : A case 1 (en stationnement)",
        "B case 6 (sortait d'un parking)",
        "Signatures des conducteurs : A et B",
    ]],
    angle=-2.2,
    photo=True,
    point=13,
    quality=72,
)

CASES = [
    Case(
        "fr_claim_new_constat_photo",
        "fr", "claim_new",
        "plain text mail; JPEG phone photo of a constat amiable (turned 2°, uneven light); the other "
        "driver's plate, policy and name in the photo lose to the body; a constat has no issuer (no `company`)",
        fields={"policy_number": "AUT-4587-2291", "incident_date": "2025-03-14", "phone": "+33612345678",
                "vehicle_plate": "FG-482-KL", "postcode": "69007", "customer_name": "Jean Dupont"},
        source=Mail(
            sender="Jean Dupont <jean.dupont@orange.example>",
            to=FR_CLAIMS,
            subject="Déclaration de sinistre - accrochage du 14 mars",
            date="2025-03-15T09:12:00+01:00",
            body=t("""
                Bonjour,

                Je vous déclare un accrochage survenu le vendredi 14 mars 2025 vers 17h40 à Lyon, au carrefour de l'avenue Berthelot et de la rue de Gerland. Un véhicule qui sortait d'un parking m'a percuté sur l'aile avant droite.

                Mon véhicule : Peugeot 308 immatriculée FG-482-KL, assurée chez vous sous le contrat AUT-4587-2291.

                Nous avons rempli un constat amiable avec l'autre conducteur, je vous en joins une photo. La voiture roule mais le phare droit est cassé. Pouvez-vous m'indiquer un garage agréé près de chez moi ?

                Je reste joignable au 06 12 34 56 78.

                Cordialement,

                Jean Dupont
                12 rue des Tanneurs
                69007 Lyon
            """),
            attachments=[CONSTAT_PHOTO],
        ),
    ),
    Case(
        "fr_claim_new_degat_eaux_html",
        "fr", "claim_new",
        "HTML-only mail (Outlook markup: style block, MsoNormal paragraphs, table, <br>); date '3/02/2025'; "
        "a second address the customer asks to be answered at",
        fields={"policy_number": "MRH-77120-B", "incident_date": "2025-02-03",
                "email": "claire.morel@cabinet-morel.example", "phone": "+33145678912", "postcode": "75011",
                "customer_name": "Claire Morel"},
        source=Mail(
            sender="Claire Morel <claire.morel@free.example>",
            to=FR_CLAIMS,
            subject="Dégât des eaux dans mon appartement",
            date="2025-02-04T08:05:00+01:00",
            headers={"X-Mailer": "Microsoft Outlook 16.0"},
            html=t("""
                <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
                <style><!--
                p.MsoNormal, li.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
                table.degats td {border:1px solid #999; padding:3px 8px;}
                .sig {color:#1F3864; font-size:9.0pt;}
                --></style></head>
                <body lang="FR"><div class="WordSection1">
                <p class="MsoNormal">Bonjour,<o:p></o:p></p>
                <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
                <p class="MsoNormal">Je vous signale un d&eacute;g&acirc;t des eaux dans mon appartement, constat&eacute; le 3/02/2025 en rentrant du travail&nbsp;: l'eau coulait du plafond de la salle de bains et de la chambre. La fuite vient de l'appartement du dessus (M. Bernard, 4<sup>e</sup> &eacute;tage), qui a pr&eacute;venu son propre assureur.<o:p></o:p></p>
                <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
                <p class="MsoNormal">Mon contrat habitation&nbsp;: <b>MRH-77120-B</b>.<br>D&eacute;g&acirc;ts constat&eacute;s&nbsp;:</p>
                <table class="degats" style="border-collapse:collapse">
                <tr><td><b>Pi&egrave;ce</b></td><td><b>D&eacute;g&acirc;ts</b></td></tr>
                <tr><td>Salle de bains</td><td>plafond gonfl&eacute;, peinture d&eacute;coll&eacute;e</td></tr>
                <tr><td>Chambre</td><td>aur&eacute;ole au plafond, parquet tach&eacute; sur 2 m&sup2;</td></tr>
                </table>
                <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
                <p class="MsoNormal">Merci de me r&eacute;pondre de pr&eacute;f&eacute;rence sur mon adresse professionnelle <a href="mailto:claire.morel@cabinet-morel.example">claire.morel@cabinet-morel.example</a>, je consulte peu celle-ci.<o:p></o:p></p>
                <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
                <p class="MsoNormal">Bien cordialement,<o:p></o:p></p>
                <p class="MsoNormal sig" style="color:#1F3864">Claire Morel<br>48 rue de la Roquette<br>75011 Paris<br>T&eacute;l. 01.45.67.89.12<o:p></o:p></p>
                </div></body></html>
            """),
        ),
    ),
    Case(
        "fr_claim_new_bris_glace_iphone",
        "fr", "claim_new",
        "short phone-typed mail without accents, 'Envoyé de mon iPhone'; date '12.01.2025'; unlabelled policy",
        fields={"policy_number": "AUT-3318-0462", "incident_date": "2025-01-12", "vehicle_plate": "GH-215-TR",
                "customer_name": "Kevin Lambert"},
        source=Mail(
            sender="Kevin Lambert <kev.lambert33@gmail.example>",
            to=FR_CLAIMS,
            subject="pare brise",
            date="2025-01-12T11:48:00+01:00",
            headers={"X-Mailer": "iPhone Mail (22C152)"},
            body=t("""
                Bonjour
                pare brise fissure ce matin 12.01.2025 un gravillon sur la rocade, la fissure fait deja 20 cm
                mon contrat c AUT-3318-0462 , voiture immat GH-215-TR
                je peux aller direct chez un poseur agree ? c urgent je bosse demain
                merci
                Kevin Lambert

                Envoyé de mon iPhone
            """),
        ),
    ),
    Case(
        "fr_claim_new_grele_formulaire_pdf",
        "fr", "claim_new",
        "text PDF claim form with an RFC 2231 non-ASCII file name (déclaration_sinistre_été.pdf); date "
        "'1er juillet 2025'; the form repeats the sender's own address (not an `email` field); a blank form "
        "filled in by the customer has no issuer (no `company`)",
        fields={"policy_number": "HAB 20931874", "incident_date": "2025-07-01", "phone": "+33671224890",
                "postcode": "33140", "customer_name": "Nathalie Girard"},
        source=Mail(
            sender="Nathalie Girard <nathalie.girard@laposte.example>",
            to=FR_CLAIMS,
            subject="Déclaration de sinistre - grêle du 1er juillet",
            date="2025-07-03T20:31:00+02:00",
            body=t("""
                Madame, Monsieur,

                Suite à l'orage de grêle du 1er juillet 2025, la verrière de ma véranda et deux fenêtres de toit ont été endommagées. Vous trouverez ci-joint la déclaration de sinistre complétée.

                Je me tiens à votre disposition pour la visite d'un expert.

                Bien cordialement,
                Nathalie Girard
            """),
            attachments=[Pdf(
                "déclaration_sinistre_été.pdf",
                [
                    "# DÉCLARATION DE SINISTRE",
                    "## Multirisque habitation - document à retourner à votre assureur",
                    "",
                    "## 1. L'assuré",
                    "Nom, prénom : GIRARD Nathalie",
                    "Adresse du risque : 14 chemin des Vignes, 33140 Villenave-d'Ornon",
                    "Téléphone : +33 6 71 22 48 90",
                    "Courriel : nathalie.girard@laposte.example",
                    "N° de contrat : HAB 20931874",
                    "",
                    "## 2. Le sinistre",
                    "Date du sinistre : 01/07/2025          Heure : vers 18 h",
                    "Nature :  ☐ Dégât des eaux   ☐ Incendie   ☒ Tempête / grêle   ☐ Vol   ☐ Autre",
                    "Description : grêlons de 3 à 4 cm. Verrière de la véranda brisée, deux fenêtres de toit "
                    "fêlées, infiltrations dans le séjour.",
                    "Tiers responsable : non          Dépôt de plainte : sans objet",
                    "",
                    "## 3. Pièces jointes",
                    "Photos des dommages (à envoyer), devis de réparation (à venir).",
                    "",
                    "Fait à Villenave-d'Ornon, le 03/07/2025",
                    "Signature : N. Girard",
                ],
                title="Déclaration de sinistre",
                creator="LibreOffice Writer",
                created="2025-07-03T20:20:00",
            )],
        ),
    ),
    Case(
        "fr_claim_new_cambriolage_scan_pdf",
        "fr", "claim_new",
        "image-only PDF (scanned police receipt, no text layer) beside a short mail",
        fields={"policy_number": "HAB 28814407", "incident_date": "2025-10-18", "postcode": "75011",
                "customer_name": "Chloé Perret", "company": "PRÉFECTURE DE POLICE"},
        source=Mail(
            sender="Chloé Perret <chloe.perret@gmail.example>",
            to=FR_CLAIMS,
            subject="Déclaration de vol - contrat HAB 28814407",
            date="2025-10-20T10:02:00+02:00",
            cte="quoted-printable",
            body=t("""
                Bonjour,

                Mon appartement a été cambriolé le samedi 18 octobre 2025 pendant notre absence (porte fracturée). Ont été volés un ordinateur portable, une console de jeux et des bijoux. Je vous joins le récépissé de dépôt de plainte que j'ai scanné.

                La liste détaillée des objets avec les factures suivra dans la semaine.

                Cordialement,
                Chloé Perret
            """),
            attachments=[Scan(
                "recepisse_plainte.pdf",
                [[
                    "# PRÉFECTURE DE POLICE",
                    "Commissariat central du 11e arrondissement",
                    "",
                    "# RÉCÉPISSÉ DE DÉPÔT DE PLAINTE",
                    "N° de procédure : 2025/031874",
                    "",
                    "Plaignante : PERRET Chloé",
                    "Demeurant : 63 boulevard Voltaire, 75011 Paris",
                    "",
                    "Nature des faits : vol par effraction (cambriolage)",
                    "Date des faits : 18/10/2025, entre 14h00 et 19h30",
                    "Lieu des faits : domicile de la plaignante",
                    "",
                    "Le présent récépissé ne vaut pas copie de la plainte.",
                    "Fait à Paris, le 19/10/2025",
                    "L'officier de police judiciaire",
                ]],
                fmt="pdf",
                angle=1.2,
                point=12,
            )],
        ),
    ),
    Case(
        "fr_claim_followup_thread_phone",
        "fr", "claim_followup",
        "reply in an Outlook thread: quoted earlier messages hold the OLD phone, the new text the new one; "
        "the claim handler's name is in the quote; the policy and the incident date appear only in the quote",
        fields={"policy_number": "MRH-60218-A", "claim_number": "SIN-2025-00412", "incident_date": "2025-04-12",
                "phone": "+33781445210", "customer_name": "Paul Renaud"},
        source=Mail(
            sender="Paul Renaud <paul.renaud@sfr.example>",
            to=FR_CLAIMS,
            subject="RE: Votre sinistre SIN-2025-00412 - dégât des eaux",
            date="2025-04-22T18:03:00+02:00",
            in_reply_to="<20250418102611.SIN412@mav-assurances.example>",
            headers={"Thread-Topic": "Votre sinistre SIN-2025-00412 - dégât des eaux", "X-Mailer": "Microsoft Outlook 16.0"},
            body=t("""
                Bonjour Madame Perrin,

                Merci pour votre retour. L'expert peut passer n'importe quel jour de la semaine prochaine après 16h. Attention, j'ai changé de numéro : vous pouvez désormais me joindre au 07 81 44 52 10, l'ancien ne fonctionne plus.

                Avez-vous bien reçu les photos du plafond envoyées la semaine dernière ?

                Cordialement,
                Paul Renaud

                ________________________________
                De : MAV Assurances - Sinistres <sinistres@mav-assurances.example>
                Envoyé : vendredi 18 avril 2025 10:26
                À : Paul Renaud <paul.renaud@sfr.example>
                Objet : Votre sinistre SIN-2025-00412 - dégât des eaux

                Bonjour Monsieur Renaud,

                Nous accusons réception de votre déclaration du 14 avril 2025 concernant le dégât des eaux survenu à votre domicile (contrat MRH-60218-A). Votre dossier est enregistré sous la référence SIN-2025-00412.

                Un expert du cabinet Expertises Loire va vous appeler au 06 45 18 27 93 pour convenir d'un rendez-vous.

                Cordialement,
                Julie Perrin
                Gestionnaire sinistres

                ________________________________
                De : Paul Renaud <paul.renaud@sfr.example>
                Envoyé : lundi 14 avril 2025 21:40
                À : sinistres@mav-assurances.example
                Objet : Déclaration dégât des eaux

                Bonjour,
                Une canalisation a fui dans la salle de bains le 12 avril 2025, le plafond du salon est abîmé.
                Contrat MRH-60218-A.
                Paul Renaud
                Tél 06 45 18 27 93
            """),
        ),
    ),
    Case(
        "fr_claim_followup_latin1",
        "fr", "claim_followup",
        "mail in ISO-8859-1 (quoted-printable, old Outlook); claim number '2025/SIN/7781'; a repair date "
        "that is not the incident date",
        fields={"policy_number": "AUT-1187-6630", "claim_number": "2025/SIN/7781", "incident_date": "2025-05-16",
                "phone": "+33299877766", "postcode": "35700", "customer_name": "Hélène Bérard"},
        source=Mail(
            sender="Hélène Bérard <helene.berard@orange.example>",
            to=FR_CLAIMS,
            subject="Où en est mon dossier 2025/SIN/7781 ?",
            date="2025-06-10T14:22:00+02:00",
            headers={"X-Mailer": "Microsoft Outlook 14.0"},
            charset="iso-8859-1",
            cte="quoted-printable",
            body=t("""
                Bonjour,

                Je me permets de vous relancer au sujet de mon dossier de bris de glace n° 2025/SIN/7781 (contrat n° AUT-1187-6630). Le pare-brise de ma voiture a été remplacé le 20 mai par le garage, qui attend toujours votre accord de prise en charge pour être payé et me relance tous les jours.

                Le sinistre date du 16 mai 2025 ; j'ai envoyé tous les justificatifs le lendemain.

                Merci de me tenir informée rapidement.

                Hélène Bérard
                Tél. : 02 99 87 77 66
                7 allée des Châtaigniers
                35700 Rennes
            """),
        ),
    ),
    Case(
        "fr_claim_followup_transfert_inline",
        "fr", "claim_followup",
        "inline forward '-------- Message transféré --------' (Thunderbird) by an agency colleague; the "
        "customer is the inner 'De :' sender, whose address is not an `email` field",
        fields={"claim_number": "SIN-2025-00688", "incident_date": "2025-03-29", "phone": "+33614253647",
                "customer_name": "Marc Lefort"},
        source=Mail(
            sender="Sophie Marchal <sophie.marchal@mav-assurances.example>",
            to=FR_CLAIMS,
            subject="Fwd: Où en est mon dossier ?",
            date="2025-05-07T09:31:00+02:00",
            headers={"User-Agent": "Mozilla Thunderbird"},
            body=t("""
                Bonjour,

                Je vous transfère le message d'un client de l'agence qui n'a pas de nouvelles de son dossier. Pouvez-vous le recontacter directement ?

                Merci,
                Sophie
                Agence MAV Nantes Centre


                -------- Message transféré --------
                Sujet : 	Où en est mon dossier ?
                Date : 	Tue, 6 May 2025 19:14:52 +0200
                De : 	Marc Lefort <marc.lefort@orange.example>
                Pour : 	Sophie Marchal <sophie.marchal@mav-assurances.example>



                Bonjour Madame Marchal,

                Je n'ai toujours aucune nouvelle de mon dossier de vol de scooter (réf. SIN-2025-00688), déclaré début avril. Le scooter a été volé le 29 mars 2025 au soir devant chez moi et le commissariat m'a dit qu'il n'avait pas été retrouvé.

                Pouvez-vous me dire quand je serai indemnisé ?

                Cordialement,
                Marc Lefort
                06 14 25 36 47
            """),
        ),
    ),
    Case(
        "fr_documents_devis_carrosserie",
        "fr", "documents_submission",
        "text PDF repair quote (devis) with SIRET, VAT number, HT/TVA/TTC lines, vehicle plate; the "
        "garage's phone loses to the customer's signature",
        fields={"claim_number": "DOS-93310", "invoice_number": "DV-2025-0418", "incident_date": "2025-04-28",
                "invoice_date": "2025-05-05", "total_amount": "1757.40", "currency": "EUR",
                "phone": "+33658219437", "vehicle_plate": "HB-731-ZC", "siret": SIRET_CARROSSERIE,
                "vat_number": fr_vat(SIRET_CARROSSERIE), "postcode": "69200", "customer_name": "Sébastien Roux",
                "company": "CARROSSERIE DES TROIS PONTS SARL", "address": "21 route de Vienne, 69200 Vénissieux"},
        source=Mail(
            sender="Sébastien Roux <seb.roux@gmail.example>",
            to=FR_CLAIMS,
            subject="Dossier DOS-93310 - devis carrosserie",
            date="2025-05-06T12:10:00+02:00",
            cte="base64",
            body=t("""
                Bonjour,

                Comme convenu avec votre conseiller au téléphone, je vous transmets le devis du carrossier pour la réparation de ma voiture (dossier DOS-93310).

                Le garage attend votre accord pour commander les pièces.

                Bonne journée,
                Sébastien Roux
                06 58 21 94 37
            """),
            attachments=[Pdf(
                "Devis_DV-2025-0418.pdf",
                [
                    "## CARROSSERIE DES TROIS PONTS SARL",
                    "21 route de Vienne - 69200 Vénissieux",
                    "Tél. 04 78 70 12 45",
                    f"SIRET {spaced_siret(SIRET_CARROSSERIE)} - TVA intracommunautaire {fr_vat(SIRET_CARROSSERIE)}",
                    "",
                    "# DEVIS N° DV-2025-0418",
                    "Date : 05/05/2025                Validité : 30 jours",
                    "",
                    "Client : M. Sébastien Roux",
                    "Véhicule : Renault Mégane IV - Immatriculation : HB-731-ZC - Kilométrage : 84 210",
                    "Sinistre du 28/04/2025 - Réf. assureur : DOS-93310",
                    Table((0.52, 0.12, 0.18, 0.18), [
                        ("Désignation", "Qté", "PU HT", "Montant HT"),
                        ("Pare-chocs avant (pièce d'origine)", "1", "412,00", "412,00"),
                        ("Optique avant droite", "1", "389,50", "389,50"),
                        ("Peinture et ingrédients", "1", "286,00", "286,00"),
                        ("Main d'œuvre T2 (heures)", "6,5", "58,00", "377,00"),
                    ]),
                    "> Total HT : 1 464,50 €",
                    "> TVA 20 % : 292,90 €",
                    "> Total TTC : 1 757,40 €",
                    "",
                    "Bon pour accord (date, signature) :",
                ],
                title="Devis DV-2025-0418",
                creator="GaragePro 7",
                created="2025-05-05T16:40:00",
            )],
        ),
    ),
    Case(
        "fr_documents_facture_pdf_corrompu",
        "fr", "documents_submission",
        "two PDF attachments: a good plumber's invoice (TVA 10 %, total '1 842,50 €') and a truncated, "
        "unreadable report; the plumber and the customer share a postcode",
        fields={"claim_number": "SIN-2025-01138", "invoice_number": "FA-2025-0193", "invoice_date": "2025-03-18",
                "total_amount": "1842.50", "currency": "EUR", "phone": "+33320554178", "siret": SIRET_PLOMBIER,
                "vat_number": fr_vat(SIRET_PLOMBIER), "postcode": "59000", "customer_name": "Amandine Leroy",
                "company": "PLOMBERIE CHAUFFAGE VASSEUR", "address": "3 rue du Molinel, 59000 Lille"},
        source=Mail(
            sender="Amandine Leroy <amandine.leroy@outlook.example>",
            to=FR_CLAIMS,
            subject="Justificatifs sinistre SIN-2025-01138",
            date="2025-03-20T13:45:00+01:00",
            body=t("""
                Bonjour,

                Veuillez trouver en pièces jointes la facture du plombier et le rapport de recherche de fuite pour mon dossier SIN-2025-01138.

                Cordialement,
                Amandine Leroy
            """),
            attachments=[
                Pdf(
                    "facture_FA-2025-0193.pdf",
                    [
                        "## PLOMBERIE CHAUFFAGE VASSEUR",
                        "3 rue du Molinel, 59000 Lille - Tél. 03 20 55 41 78",
                        f"SIRET : {spaced_siret(SIRET_PLOMBIER)}    N° TVA : {fr_vat(SIRET_PLOMBIER)}",
                        "",
                        "# FACTURE FA-2025-0193",
                        "Date de facture : 18 mars 2025",
                        "",
                        "Mme Amandine Leroy",
                        "27 rue Nationale",
                        "59000 Lille",
                        "",
                        "Intervention : recherche de fuite et réparation (dégât des eaux, dossier SIN-2025-01138)",
                        Table((0.7, 0.3), [
                            ("Désignation", "Montant HT"),
                            ("Recherche de fuite non destructive", "290,00"),
                            ("Ouverture cloison et remplacement canalisation", "845,00"),
                            ("Fournitures", "295,00"),
                            ("Déplacement", "45,00"),
                            ("Rebouchage et peinture", "200,00"),
                        ]),
                        "> Total HT : 1 675,00 €",
                        "> TVA 10 % (travaux de rénovation) : 167,50 €",
                        "> Net à payer TTC : 1 842,50 €",
                        "",
                        "Paiement à réception. Pas d'escompte pour paiement anticipé.",
                    ],
                    title="Facture FA-2025-0193",
                    creator="EBP Bâtiment",
                    created="2025-03-18T11:05:00",
                ),
                Pdf(
                    "rapport_recherche_fuite.pdf",
                    [
                        "# RAPPORT DE RECHERCHE DE FUITE",
                        "Dossier SIN-2025-01138 - Mme Amandine Leroy, 27 rue Nationale, 59000 Lille",
                        "Méthode : caméra thermique et gaz traceur.",
                        "Conclusion : fuite sur la canalisation encastrée alimentant la salle de bains.",
                    ],
                    creator="EBP Bâtiment",
                    created="2025-03-17T17:30:00",
                    keep=0.35,
                ),
            ],
        ),
    ),
    Case(
        "fr_documents_scan_tiff",
        "fr", "documents_submission",
        "multi-page TIFF attachment (bilevel G4 scan: police receipt + bike invoice); birth date as a "
        "distractor; claim reference written 'votre référence dossier'",
        fields={"claim_number": "2025/SIN/8034", "invoice_number": "F20250412", "incident_date": "2025-08-22",
                "invoice_date": "2025-04-12", "total_amount": "2149.00", "currency": "EUR",
                "siret": SIRET_CYCLES, "postcode": "37000", "customer_name": "Bernard Fontaine",
                "company": "Commissariat de police de Tours"},
        source=Mail(
            sender="Bernard Fontaine <b.fontaine@wanadoo.example>",
            to=FR_CLAIMS,
            subject="documents demandés",
            date="2025-08-27T16:20:00+02:00",
            body=t("""
                Bonjour Madame,

                Comme demandé au téléphone je vous envoie les documents scannés pour le vol de mon vélo électrique, votre référence dossier 2025/SIN/8034 : le récépissé de la plainte et la facture d'achat du vélo.

                Avec mes remerciements,
                Bernard Fontaine
            """),
            attachments=[Scan(
                "scan_documents.tif",
                [
                    [
                        "# RÉCÉPISSÉ DE DÉCLARATION DE PLAINTE",
                        "Commissariat de police de Tours",
                        "",
                        "Plaignant : FONTAINE Bernard",
                        "Né le 03/11/1952",
                        "Demeurant : 9 rue Colbert, 37000 Tours",
                        "",
                        "Nature des faits : vol de cycle (vélo à assistance électrique)",
                        "Date des faits : 22/08/2025",
                        "N° de procédure : 2025/014537",
                    ],
                    [
                        "# CYCLES BÉRÉNICE",
                        "40 avenue de Grammont, 37000 Tours",
                        f"SIRET {spaced_siret(SIRET_CYCLES)}",
                        "",
                        "# FACTURE N° F20250412",
                        "Date : 12/04/2025",
                        "Client : M. Bernard Fontaine",
                        "",
                        "Vélo électrique Urbain E-500|1|2 149,00",
                        "Antivol en U (offert)|1|0,00",
                        "",
                        "Total TTC|        |2 149,00 EUR",
                        "dont TVA 20 % : 358,17 EUR",
                        "Payé par carte bancaire",
                    ],
                ],
                fmt="tiff",
                angle=0.8,
                specks=400,
                point=12,
                columns=(0.0, 0.62, 0.72),
            )],
        ),
    ),
    Case(
        "fr_documents_noreply_plateforme",
        "fr", "documents_submission",
        "automated notification from a noreply@ platform with an invoice PDF (no draft); franchise and "
        "'net à payer' lines beside the TTC total; no personal customer name",
        draft=False,
        fields={"claim_number": "SIN-2025-00957", "invoice_number": "FA-2025-0877", "invoice_date": "2025-06-11",
                "total_amount": "3186.24", "currency": "EUR", "vehicle_plate": "KC-417-MB",
                "siret": SIRET_LEFEBVRE, "vat_number": fr_vat(SIRET_LEFEBVRE), "postcode": "44800",
                "company": "CARROSSERIE LEFEBVRE", "address": "Zone artisanale du Vivier, 44800 Saint-Herblain"},
        source=Mail(
            sender="Réseau Carrosserie Partenaires <noreply@reseau-carrosserie.example>",
            to=FR_CLAIMS,
            subject="Nouveau document déposé - dossier SIN-2025-00957",
            date="2025-06-11T17:02:00+02:00",
            body=t("""
                Bonjour,

                Le garage Carrosserie Lefebvre a déposé un nouveau document sur votre espace partenaire.

                Dossier : SIN-2025-00957
                Document : Facture définitive
                Immatriculation : KC-417-MB

                Vous trouverez le document en pièce jointe.

                Ceci est un message automatique, merci de ne pas y répondre.
            """),
            attachments=[Pdf(
                "facture_definitive.pdf",
                [
                    "## CARROSSERIE LEFEBVRE",
                    "Zone artisanale du Vivier, 44800 Saint-Herblain",
                    f"SIRET {spaced_siret(SIRET_LEFEBVRE)} - TVA {fr_vat(SIRET_LEFEBVRE)}",
                    "",
                    "# FACTURE N° FA-2025-0877",
                    "Date : 11/06/2025",
                    "Facturé à : MAV Assurances, pour le compte de son assuré - dossier SIN-2025-00957",
                    "Véhicule : Citroën C4 - KC-417-MB",
                    Table((0.5, 0.15, 0.17, 0.18), [
                        ("Désignation", "Qté", "PU HT", "Total HT"),
                        ("Porte arrière gauche", "1", "845,00", "845,00"),
                        ("Bas de caisse gauche", "1", "312,20", "312,20"),
                        ("Peinture", "1", "698,80", "698,80"),
                        ("Main d'œuvre T3", "12", "66,60", "799,20"),
                    ]),
                    "> Total HT : 2 655,20 €",
                    "> TVA 20 % : 531,04 €",
                    "> Total TTC : 3 186,24 €",
                    "> Franchise à la charge de l'assuré : 380,00 €",
                    "> Net à payer par l'assureur : 2 806,24 €",
                ],
                title="Facture FA-2025-0877",
                creator="GaragePro 7",
                created="2025-06-11T16:55:00",
            )],
        ),
    ),
    Case(
        "fr_standalone_declaration_sinistre",
        "fr", "documents_submission",
        "standalone text PDF (no covering mail): a car claim form with an ISO date, an e-mail address and a "
        "phone; no one to answer, so no draft",
        draft=False,
        fields={"policy_number": "AUT-9021-3348", "incident_date": "2025-02-21",
                "email": "pierre.lacombe@free.example", "phone": "+33555321846", "vehicle_plate": "EM-552-NS",
                "postcode": "87000", "customer_name": "Pierre Lacombe", "company": "MAV Assurances"},
        source=Pdf(
            "declaration.pdf",
            [
                "# Déclaration de sinistre automobile",
                "## MAV Assurances - formulaire en ligne (version imprimable)",
                "",
                "## Assuré",
                "Nom : LACOMBE        Prénom : Pierre",
                "Adresse : 8 rue Gambetta, 87000 Limoges",
                "Téléphone : 05 55 32 18 46",
                "E-mail : pierre.lacombe@free.example",
                "Numéro de contrat : AUT-9021-3348",
                "",
                "## Véhicule",
                "Marque / modèle : Dacia Duster        Immatriculation : EM-552-NS",
                "",
                "## Sinistre",
                "Date du sinistre : 2025-02-21        Heure : 06:50",
                "Lieu : RD 941, commune de Saint-Léonard-de-Noblat",
                "Circonstances : collision avec un chevreuil qui traversait la route. Pare-chocs, calandre et "
                "radiateur endommagés. Véhicule remorqué au garage.",
                "Tiers identifié : non        Témoins : non",
                "",
                "Je certifie l'exactitude des renseignements ci-dessus.",
                "Date de la déclaration : 2025-02-22",
            ],
            title="Déclaration de sinistre automobile",
            creator="MAV Assurances - Espace client",
            created="2025-02-22T08:14:00",
        ),
    ),
    Case(
        "fr_standalone_facture_scan",
        "fr", "documents_submission",
        "standalone JPEG scan of a windscreen invoice (no covering mail); total written '1.234,56 EUR', date "
        "'24.09.2025'; garage and customer share a postcode; no draft",
        draft=False,
        fields={"invoice_number": "FA-2025-1542", "incident_date": "2025-09-19", "invoice_date": "2025-09-24",
                "total_amount": "1234.56", "currency": "EUR", "phone": "+33476432109",
                "vehicle_plate": "CZ-118-WB", "siret": SIRET_VITRAGE, "vat_number": fr_vat(SIRET_VITRAGE),
                "postcode": "38000", "customer_name": "Aurélie Faure",
                "company": "GARAGE DU CENTRE - VITRAGE AUTO", "address": "2 avenue Alsace-Lorraine, 38000 Grenoble"},
        source=Scan(
            "facture_vitrage.jpg",
            [[
                "# GARAGE DU CENTRE - VITRAGE AUTO",
                "2 avenue Alsace-Lorraine, 38000 Grenoble",
                "Tél. 04 76 43 21 09",
                f"SIRET {spaced_siret(SIRET_VITRAGE)}",
                f"TVA intracom. {fr_vat(SIRET_VITRAGE)}",
                "",
                "# FACTURE",
                "Facture n° : FA-2025-1542",
                "Date : 24.09.2025",
                "",
                "Client : Mme Aurélie Faure",
                "19 rue Pasteur, 38000 Grenoble",
                "Véhicule : Toyota Yaris - Immat. CZ-118-WB",
                "Sinistre bris de glace du 19/09/2025",
                "",
                "Désignation|Qté|Montant HT",
                "Pare-brise athermique|1|689,00",
                "Recalibrage caméra et capteur pluie|1|120,00",
                "Kit de collage et joint|1|39,80",
                "Main d'œuvre (heures)|2,5|180,00",
                "",
                "Total HT||1.028,80 EUR",
                "TVA 20 %||205,76 EUR",
                "TOTAL TTC||1.234,56 EUR",
            ]],
            angle=1.8,
            point=12,
            columns=(0.0, 0.6, 0.72),
        ),
    ),
]
