"""The configuration of the tests' Dovecot: plain, or TLS-only with an oauth2 passdb.

Written into the server's own folder; the system's /etc/dovecot is never read.
"""

from __future__ import annotations

from pathlib import Path

from tls import Certificates

__all__ = ["dovecot_config", "oauth2_settings"]

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login{oauth_mechanisms}
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u
mail_uid = mail
mail_gid = mail
first_valid_uid = 1
mail_privileged_group =
default_login_user = dovenull
default_internal_user = dovecot
# Push new mail to IDLE clients at once (inotify), and check at least every second.
mailbox_idle_check_interval = 1 secs
{oauth_passdb}passdb {{
  driver = static
  mechanisms = plain login
  args = password={password}
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={root}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = create
  }}
  mailbox Archive {{
    auto = create
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def dovecot_config(
    root: Path, port: int, ssl_port: int, password: str, certificates: Certificates | None, oauth: bool
) -> str:
    return _CONFIG.format(
        root=root,
        port=port,
        ssl_port=ssl_port,
        password=password,
        ssl=_tls_settings(certificates),
        oauth_mechanisms=" xoauth2 oauthbearer" if oauth else "",
        oauth_passdb=_OAUTH_PASSDB.format(root=root) if oauth else "",
    )


def oauth2_settings(url: str) -> str:
    """dovecot-oauth2.conf.ext: ask `url` about each token (RFC 7662 introspection, by POST)."""
    return _OAUTH_SETTINGS.format(url=url)


def _tls_settings(certificates: Certificates | None) -> str:
    if certificates is None:
        return "ssl = no"
    return f"ssl = required\nssl_cert = <{certificates.cert_file}\nssl_key = <{certificates.key_file}"


_OAUTH_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/dovecot-oauth2.conf.ext
}}
"""
# The endpoint answers {"active": true, "username": ...} or {"active": false}.
_OAUTH_SETTINGS = """\
introspection_url = {url}
introspection_mode = post
username_attribute = username
active_attribute = active
active_value = true
"""
