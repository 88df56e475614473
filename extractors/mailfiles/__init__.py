"""Mails saved as files and sent as attachments: one module per format.

    base       the contract (`MailFileFormat`, `MailFile`, `FileInMail`), the
               failure sentence every format shares, and `PackagedFormat`: a format
               read with one package (is it installed; its errors as ours)
    outlook    Outlook `.msg` (extract-msg)
    tnef       TNEF `winmail.dat` / application/ms-tnef (tnefparse)
    registry   `MAIL_FORMATS`: name -> format, and `mail_format_of(...)`

A customer's Outlook attaches a mail it received as a `.msg` file; Exchange wraps
the rich form of a mail, and its attachments, in a `winmail.dat`. Neither is a
document with pages: each holds a mail, which `extractors.containers` opens like a
forwarded one, its files going through the normal attachment path in turn (a PDF
in a winmail.dat is read like any PDF; a `.msg` in a `.msg` nests, bounded by
`MAX_FORWARD_DEPTH`).

Formats import only `base` (and the package they wrap, inside the functions that
need it), never the registry nor `extractors.containers`.
"""
