"""The workspace's secret key: one file of random bytes, made on first use.

`[web] secret_key_file` (default `$RPA_HOME/web-secret`) holds at least 32
random bytes, readable by its owner only (0600). Each use derives a key of its
own from it (`purpose_key(secret, "oidc-state")`), so that no two uses share one.
The key protects only what is in flight (a single sign-on under way), never
what is stored: replacing the file ends those and nothing else.

Several server processes may start at once: the key is written to a file aside
and linked into place, so that every process reads the same, complete key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from rpa.config import Settings
from rpa.errors import ConfigError

__all__ = ["KEY_BYTES", "purpose_key", "secret_key_path", "web_secret_key"]

KEY_BYTES = 32
log = logging.getLogger("rpa.web")


def secret_key_path(settings: Settings) -> Path:
    """Where the key is: `[web] secret_key_file`, else `$RPA_HOME/web-secret`."""
    configured = settings.web.secret_key_file
    return Path(configured).expanduser() if configured else settings.home / "web-secret"


def web_secret_key(settings: Settings) -> bytes:
    """The key's bytes, the file made (32 random bytes, mode 0600) when there is none yet."""
    path = secret_key_path(settings)
    try:
        if not path.exists():
            _create(path)
        key = path.read_bytes()
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigError(f"cannot read or create the secret key file {path}: {exc}") from exc
    if len(key) < KEY_BYTES:
        raise ConfigError(
            f"the secret key file {path} holds {len(key)} bytes, fewer than {KEY_BYTES}: "
            "delete it (rpa makes a new one) or fill it with random bytes"
        )
    if mode & 0o077:
        log.warning("the secret key file %s can be read by other users: chmod 600 it", path)
    return key


def purpose_key(secret: bytes, purpose: str) -> bytes:
    """A 32-byte key for one use only, derived from the secret (HMAC-SHA256)."""
    return hmac.new(secret, f"rpa:{purpose}".encode(), hashlib.sha256).digest()


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    handle = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(handle, secrets.token_bytes(KEY_BYTES))
        os.fsync(handle)
    finally:
        os.close(handle)
    try:
        os.link(aside, path)  # fails if another process made it meanwhile: theirs is kept
        log.info("made the secret key file %s", path)
    except FileExistsError:
        pass
    finally:
        aside.unlink()
