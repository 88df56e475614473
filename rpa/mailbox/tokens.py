"""OAuth2 access tokens for XOAUTH2 (Gmail, Microsoft 365), from a token helper.

rpa does not run an OAuth2 flow itself: a helper does (for instance
`oauth2ms`, `mutt_oauth2.py`, or a script calling the provider's token
endpoint with a refresh token), and rpa asks it for a token at each login.

- `token_command`: run at each login; prints the access token, or a JSON object
  `{"access_token": "...", "expires_in": 3599}`, in which case the token is
  reused until a minute before it expires.
- `token_file`: a file a helper (a systemd timer, a sidecar) keeps fresh; re-read
  at each login.

IMAP and SMTP log in through `TokenSource.log_in`: a refused token is asked for
again once, skipping the cache.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from rpa.errors import ConfigError, MailboxError

__all__ = ["TokenSource", "xoauth2_string"]


class TokenSource:
    def __init__(
        self, command: str = "", file: str = "", clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not command and not file:
            raise ConfigError("auth = xoauth2 needs token_command or token_file in [imap]")
        self.command = command
        self.file = file
        self.clock = clock
        self._cached: tuple[str, float] | None = None  # token, expires at (clock)

    def token(self, *, fresh: bool = False) -> str:
        """An access token; `fresh` skips the cache (after the server refused one)."""
        if self._cached and not fresh and self.clock() < self._cached[1]:
            return self._cached[0]
        text = self._run_command() if self.command else self._read_file()
        token, lifetime = _parse(text)
        if not token:
            raise MailboxError("the OAuth2 token helper gave an empty token")
        self._cached = (token, self.clock() + lifetime - 60) if lifetime else None
        return token

    def log_in(self, login: Callable[[str], object], *, refused: type[Exception]) -> None:
        """`login(token)` with the cached token and, when the server refuses it (`login`
        raises `refused`), once more with a fresh one: a provider may revoke a token early."""
        try:
            login(self.token())
        except refused:
            login(self.token(fresh=True))

    def _run_command(self) -> str:
        try:
            done = subprocess.run(shlex.split(self.command), capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MailboxError(f"OAuth2 token command failed: {exc}") from exc
        if done.returncode != 0:
            raise MailboxError(f"OAuth2 token command exited {done.returncode}: {done.stderr.strip()[:300]}")
        return done.stdout

    def _read_file(self) -> str:
        try:
            return Path(self.file).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise MailboxError(f"cannot read the OAuth2 token file: {exc}") from exc


def _parse(text: str) -> tuple[str, float]:
    text = text.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
            return str(data.get("access_token", "")), float(data.get("expires_in") or 0)
        except (ValueError, TypeError) as exc:
            raise MailboxError(f"the OAuth2 token helper printed invalid JSON: {exc}") from exc
    return text, 0.0


def xoauth2_string(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as Google and Microsoft document it."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"
