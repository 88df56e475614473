"""Field extraction: the facts of a mail, one best value per canonical field, found by the
finders that `extract` lists (`extract_fields`, `find_candidates`).

The package itself imports nothing, so that a module needing one helper (the reader
processes need `text` and `amounts` for tables) does not load every finder and the
libraries behind them (phonenumbers, python-stdnum, the date words: about 25 MB a process).

Modules: `extract` (the finders, and the best value per field), `text` (folding, labels),
`dates` (and `date_words`, `incident_words`, `written_dates`, `relative_dates`, `sent_dates`),
`amounts` (and `amount_words`), `references` (policy, claim and invoice numbers; and
`reference_values`, `label_typos`, `unlabelled`), `banking` (IBAN, BIC), `registrations` (SIRET,
VAT), `plates` (number plates), `postcodes`, `contacts` (e-mail, phone), `residence` (the
customer's country: whose national numbers, "$" and postcodes), `names` (customer name),
`issuer` (company and address of a document's issuer), `select` (ranking).
"""
