"""TLS for IMAP and SMTP: one way to build the context, one way to say a certificate was refused.

Both clients verify the server's certificate and host name. `ca_file` names a
PEM file of the CA(s) to trust instead of the system store, for a server whose
certificate an internal CA signed.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from rpa.errors import CertificateRefused, ConfigError

__all__ = ["certificate_refused", "tls_context"]


def tls_context(ca_file: str, section: str) -> ssl.SSLContext:
    """The client context of `[section]`: the system's CAs, or only those of `ca_file`."""
    if not ca_file:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=Path(ca_file).expanduser())
    except (OSError, ValueError) as exc:  # missing or unreadable file; ssl.SSLError: not PEM
        raise ConfigError(f"[{section}] ca_file {ca_file}: not a readable PEM file: {exc}") from exc


def certificate_refused(
    exc: ssl.SSLCertVerificationError, host: str, port: int, section: str, ca_file: str
) -> CertificateRefused:
    """What the user should read when the server's certificate did not verify."""
    reason = exc.verify_message or exc.reason or str(exc)
    hint = (
        f"check that {ca_file} holds the CA that signed it"
        if ca_file
        else f"if an internal CA signed it, set [{section}] ca_file (RPA_{section.upper()}_CA_FILE) "
        "to the CA's PEM file"
    )
    return CertificateRefused(f"the TLS certificate of {host}:{port} was not accepted: {reason}; {hint}")
