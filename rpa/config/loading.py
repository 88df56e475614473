"""Reading the TOML file and the RPA_* variables into a `Settings`; writing the default file."""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from rpa.config.options import choice_error, choices_of
from rpa.config.sections import Settings
from rpa.errors import ConfigError

__all__ = ["default_config_text", "load_settings"]

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
        name: _build_section(name, cls, data.get(name, {}), env, path) for name, cls in _SECTIONS.items()
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
    from_files = {n for n, f in known.items() if f.metadata.get("secret") or f.metadata.get("url")}
    allowed = set(known) | {f"{n}_file" for n in from_files}
    unknown = set(table) - allowed
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [{name}]: {', '.join(sorted(unknown))}")
    for key in (k for k, spec in known.items() if spec.metadata.get("secret") and k in table):
        raise ConfigError(
            f"{path}: [{name}] {key} is a secret, never read from the file: "
            f"set RPA_{name.upper()}_{key.upper()} or {key}_file"
        )
    values = {}
    for key, spec in known.items():
        env_name = f"RPA_{name}_{key}".upper()
        if key in from_files:
            secret = _read_secret(env, env_name, table.get(f"{key}_file"))
            if secret is not None:
                values[key] = secret
                continue
            if spec.metadata.get("secret"):
                continue
        if env_name in env:
            values[key] = _coerce(env[env_name], hints[key], env_name, f"[{name}] {key}")
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


def _coerce(raw: str, kind: object, where: str, key: str):
    """`raw`, from the variable `where`, as a value of type `kind`; `key` names the setting."""
    if choices_of(kind) is not None:
        return _choice(raw.strip(), kind, key, source=where)
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
        if _table_kind(kind) is not None:
            # An array of tables cannot be written as a plain string: JSON it is.
            return _build_tables(json.loads(raw), _table_kind(kind), where)
        if typing.get_origin(kind) is dict:
            # "complaint=24,claim_new=48", or the same as a JSON object
            pairs = (
                json.loads(raw)
                if raw.lstrip().startswith("{")
                else dict(_pair(part, where) for part in raw.split(",") if part.strip())
            )
            return _number_table(pairs, where)
        if _is_str_tuple(kind):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        return raw
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def _check_type(value: object, kind: object, where: str):
    if choices_of(kind) is not None:
        return _choice(value, kind, where)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if _table_kind(kind) is not None:
        return _build_tables(value, _table_kind(kind), where)
    if typing.get_origin(kind) is dict:
        return _number_table(value, where)
    if _is_str_tuple(kind):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"{where}: expected a list of strings")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _choice(value: object, kind: object, where: str, source: str = ""):
    """`value` when it is one of the `Literal` `kind`'s choices; `source` names the variable."""
    choices = choices_of(kind)
    if isinstance(value, bool) or value not in choices:
        error = choice_error(where, choices, value)
        raise ConfigError(f"{error} ({source})") if source else error
    return value


def _table_kind(kind: object) -> type | None:
    """The dataclass of a `tuple[SomeTable, ...]` setting (TOML array of tables), else None."""
    args = typing.get_args(kind)
    if typing.get_origin(kind) is tuple and args and dataclasses.is_dataclass(args[0]):
        return args[0]
    return None


def _build_tables(value: object, cls: type, where: str) -> tuple:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{where}: expected an array of tables")
    hints = typing.get_type_hints(cls)
    tables = []
    for number, table in enumerate(value, 1):
        unknown = set(table) - set(hints)
        if unknown:
            raise ConfigError(f"{where} #{number}: unknown key(s): {', '.join(sorted(unknown))}")
        tables.append(
            cls(
                **{
                    key: _check_type(item, hints[key], f"{where} #{number} {key}")
                    for key, item in table.items()
                }
            )
        )
    return tuple(tables)


def _pair(text: str, where: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals:
        raise ValueError(f"expected name=number pairs separated by commas, got {text.strip()!r}")
    return name.strip(), value.strip()


def _number_table(value: object, where: str) -> dict[str, float]:
    """A table of names to numbers ([web.sla_hours]); numbers may come as text from the environment."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of names to numbers")
    table = {}
    for name, number in value.items():
        try:
            if isinstance(number, bool):
                raise ValueError
            table[str(name)] = float(number)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: {name} must be a number, not {number!r}") from None
    return table


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
        hints = typing.get_type_hints(cls)
        for spec in dataclasses.fields(cls):
            lines.append(f"# {spec.metadata['help']}")
            choices = choices_of(hints[spec.name])
            if choices is not None:
                lines.append(f"# one of: {', '.join(_toml_value(choice) for choice in choices)}")
            if spec.metadata.get("secret"):
                lines.append(f'# {spec.name}_file = "/run/secrets/{name}_{spec.name}"')
            else:
                default = spec.default_factory() if spec.default is dataclasses.MISSING else spec.default
                lines.append(f"# {spec.name} = {_toml_value(default)}")
                if spec.metadata.get("url"):
                    secret_file = f"/run/secrets/{name}_{spec.name}"
                    lines.append(f'# or, a URL with a password: {spec.name}_file = "{secret_file}"')
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_toml_value(v)}" for key, v in value.items()) + " }"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
