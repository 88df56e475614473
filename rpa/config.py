"""Settings: built once from a TOML file and RPA_* variables, then passed down.

Where the file is: ``--config PATH``, else ``$RPA_HOME/config.toml`` (missing is
fine: defaults apply). ``RPA_HOME`` defaults to the per-user data folder.

Every key of every section can be overridden by ``RPA_<SECTION>_<KEY>``, for
instance ``RPA_OCR_LANGUAGES=fra`` or ``RPA_LIMITS_MAX_ATTACHMENT_MB=5``.
Secrets (fields marked ``secret``) are never read from the file: they come from
``RPA_<SECTION>_<KEY>`` or from a file named by ``<key>_file`` (in the TOML or as
``RPA_<SECTION>_<KEY>_FILE``).

No other module reads the environment: they receive a `Settings`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from rpa.errors import ConfigError

__all__ = [
    "Settings",
    "StoreSettings",
    "OcrSettings",
    "PipelineSettings",
    "LimitSettings",
    "ParsingSettings",
    "DraftingSettings",
    "load_settings",
    "default_config_text",
]


def _opt(default, help: str, *, secret: bool = False):
    return field(default=default, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class StoreSettings:
    url: str = _opt("", "SQLAlchemy database URL; empty means sqlite:///$RPA_HOME/rpa.db")


@dataclass(frozen=True)
class PipelineSettings:
    workers: int = _opt(0, "Messages processed side by side; 0 means one per CPU core")


@dataclass(frozen=True)
class OcrSettings:
    languages: str = _opt("fra+eng", "Tesseract languages, joined with '+'")
    dpi: int = _opt(300, "Resolution at which PDF pages without a text layer are rendered")
    tesseract_cmd: str = _opt("tesseract", "The tesseract executable")
    min_text_chars: int = _opt(
        25, "A PDF page with fewer letters and digits in its text layer is OCRed"
    )
    timeout_seconds: int = _opt(180, "Give up on one page after this many seconds")
    workers: int = _opt(0, "Pages OCRed side by side; 0 means one per CPU core")


@dataclass(frozen=True)
class LimitSettings:
    max_attachment_mb: float = _opt(20.0, "Attachments larger than this are skipped")
    max_message_mb: float = _opt(50.0, "Attachments beyond this total per message are skipped")
    max_pages: int = _opt(300, "Pages read per document; the rest are reported as skipped")


@dataclass(frozen=True)
class ParsingSettings:
    default_region: str = _opt("FR", "Country assumed for phone numbers without a +prefix")
    day_first: bool = _opt(True, "Read 03/04/2025 as 3 April (true) or March 4 (false)")
    default_currency: str = _opt("EUR", "Currency assumed for an amount printed without one")


@dataclass(frozen=True)
class DraftingSettings:
    backend: str = _opt("template", "Drafting backend: template")
    templates_dir: str = _opt("", "Folder of reply templates; empty means the bundled ones")
    team_name: str = _opt("Service clients", "Signature under every reply")
    from_address: str = _opt("", "Our own address: replies come from it, mail from it is ignored")


@dataclass(frozen=True)
class Settings:
    home: Path
    config_path: Path | None = None
    store: StoreSettings = field(default_factory=StoreSettings)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    parsing: ParsingSettings = field(default_factory=ParsingSettings)
    drafting: DraftingSettings = field(default_factory=DraftingSettings)

    @property
    def database_url(self) -> str:
        return self.store.url or f"sqlite:///{self.home / 'rpa.db'}"


_SECTIONS: dict[str, type] = {
    name: kind
    for name, kind in typing.get_type_hints(Settings).items()
    if name not in ("home", "config_path")
}


def load_settings(
    config_path: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Read the TOML file (if any) and apply RPA_* overrides from `environ`."""
    env = os.environ if environ is None else environ
    home = Path(env.get("RPA_HOME") or platformdirs.user_data_dir("rpa")).expanduser()
    path = Path(config_path).expanduser() if config_path else home / "config.toml"
    if config_path and not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    data = _read_toml(path) if path.is_file() else {}
    unknown = set(data) - set(_SECTIONS)
    if unknown:
        raise ConfigError(f"{path}: unknown section(s): {', '.join(sorted(unknown))}")
    sections = {
        name: _build_section(name, cls, data.get(name, {}), env, path)
        for name, cls in _SECTIONS.items()
    }
    return Settings(home=home, config_path=path if path.is_file() else None, **sections)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc


def _build_section(name: str, cls: type, table: object, env: Mapping[str, str], path: Path):
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    allowed = set(known) | {f"{n}_file" for n, f in known.items() if f.metadata.get("secret")}
    unknown = set(table) - allowed
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [{name}]: {', '.join(sorted(unknown))}")
    values = {}
    for key, spec in known.items():
        env_name = f"RPA_{name}_{key}".upper()
        if spec.metadata.get("secret"):
            secret = _read_secret(env, env_name, table.get(f"{key}_file"))
            if secret is not None:
                values[key] = secret
            continue
        if env_name in env:
            values[key] = _coerce(env[env_name], hints[key], env_name)
        elif key in table:
            values[key] = _check_type(table[key], hints[key], f"{path} [{name}] {key}")
    return cls(**values)


def _read_secret(env: Mapping[str, str], env_name: str, file_in_toml: str | None) -> str | None:
    if env.get(env_name):
        return env[env_name]
    secret_file = env.get(f"{env_name}_FILE") or file_in_toml
    if not secret_file:
        return None
    try:
        return Path(secret_file).expanduser().read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"cannot read secret file for {env_name}: {exc}") from exc


def _coerce(raw: str, kind: object, where: str):
    try:
        if kind is bool:
            lowered = raw.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(f"not a boolean: {raw!r}")
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        if _is_str_tuple(kind):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        return raw
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def _check_type(value: object, kind: object, where: str):
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if _is_str_tuple(kind):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"{where}: expected a list of strings")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _is_str_tuple(kind: object) -> bool:
    return typing.get_origin(kind) is tuple or isinstance(kind, types.GenericAlias)


def default_config_text() -> str:
    """A commented TOML file with every setting at its default."""
    lines = [
        "# rpa configuration. Every key can be overridden by RPA_<SECTION>_<KEY>.",
        "# Secrets never go here: set them in the environment or name a file with <key>_file.",
        "",
    ]
    for name, cls in _SECTIONS.items():
        lines.append(f"[{name}]")
        for spec in dataclasses.fields(cls):
            lines.append(f"# {spec.metadata['help']}")
            if spec.metadata.get("secret"):
                lines.append(f"# {spec.name}_file = \"/run/secrets/{name}_{spec.name}\"")
            else:
                lines.append(f"# {spec.name} = {_toml_value(spec.default)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
