"""The versions of the intent model that `rpa train` saves, and which one is in use.

    $RPA_HOME/models/intent/
        current                     the name of the version in use (absent: the shipped examples)
        20261206T041500Z/
            examples.jsonl          every example the model is fitted on: the model itself
            meta.json               when, what it replaced, counts and accuracies

A version is its examples, not a fitted model: the classifier fits them at first use, as it
does the shipped ones (no pickle is ever loaded). A version is written whole under a hidden
name and then renamed, and `current` is replaced in one step, so a process starting meanwhile
sees the old version or the new one, never half of one. A version is never changed once
written; rolling back only moves `current` to the version that was in use before it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from extractors.intent.learned import TRAINED_EXAMPLES, Example, current_version
from rpa.errors import ConfigError, RpaError

__all__ = ["ModelVersion", "describe_version_in_use", "rollback", "save_version", "version_in_use"]

_META = "meta.json"
_CURRENT = "current"


@dataclass(frozen=True)
class ModelVersion:
    name: str
    folder: Path
    meta: dict

    @property
    def previous(self) -> str:
        """The version in use when this one was saved ("" for the shipped examples)."""
        return str(self.meta.get("previous") or "")


def version_in_use(folder: Path) -> ModelVersion | None:
    """The version `current` names in `folder`; None when the shipped examples are in use."""
    version = current_version(folder)
    return _read(version) if version is not None else None


def describe_version_in_use(folder: Path) -> str:
    """One line for `rpa doctor`: which examples the learned classifier is fitted on."""
    version = version_in_use(folder)
    if version is None:
        return "the shipped examples (no `rpa train` version in use)"
    heldout = (version.meta.get("heldout") or {}).get("after") or {}
    measured = f", held-out {heldout['accuracy']:.1%}" if "accuracy" in heldout else ""
    return (
        f"version {version.name} of `rpa train` ({version.meta.get('examples', '?')} examples,"
        f" {version.meta.get('corrected', 0) + version.meta.get('approved', 0)} from agents{measured})"
    )


def save_version(folder: Path, examples: Sequence[Example], meta: dict) -> ModelVersion:
    """Write `examples` and `meta` as a new version and make it the one in use."""
    replaced = version_in_use(folder)
    now = datetime.now(UTC)
    name = _free_name(folder, now.strftime("%Y%m%dT%H%M%SZ"))
    meta = {
        "version": name,
        "created_at": now.isoformat(),
        "previous": replaced.name if replaced else "",
    } | meta
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}."))
        lines = (json.dumps(example.as_json(), ensure_ascii=False) + "\n" for example in examples)
        (partial / TRAINED_EXAMPLES).write_text("".join(lines), encoding="utf-8")
        (partial / _META).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        partial.rename(folder / name)
    except OSError as exc:
        raise RpaError(f"cannot save the intent model in {folder}: {exc}") from exc
    _point(folder, name)
    return ModelVersion(name, folder / name, meta)


def rollback(folder: Path) -> tuple[ModelVersion, ModelVersion | None]:
    """Put back the version that was in use before the current one (None: the shipped
    examples); returns (the version left, the version now in use)."""
    current = version_in_use(folder)
    if current is None:
        raise RpaError("no trained intent model to roll back: the shipped examples are in use")
    previous = None
    if current.previous:
        previous_folder = folder / current.previous
        if not (previous_folder / TRAINED_EXAMPLES).is_file():
            raise RpaError(f"the version before {current.name}, {current.previous}, is no longer in {folder}")
        previous = _read(previous_folder)
    _point(folder, previous.name if previous else "")
    return current, previous


def _read(version: Path) -> ModelVersion:
    path = version / _META
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        meta = {}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    return ModelVersion(version.name, version, meta if isinstance(meta, dict) else {})


def _free_name(folder: Path, name: str) -> str:
    """`name`, or `name-2`, `name-3`... when a version of that second exists."""
    candidate, number = name, 1
    while (folder / candidate).exists():
        number += 1
        candidate = f"{name}-{number}"
    return candidate


def _point(folder: Path, name: str) -> None:
    """Make `name` the version in use ("" : the shipped examples), in one step."""
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".current.")
        with os.fdopen(handle, "w", encoding="utf-8") as output:
            output.write(f"{name}\n" if name else "")
        os.replace(temporary, folder / _CURRENT)
    except OSError as exc:
        raise RpaError(f"cannot change the intent model in use in {folder}: {exc}") from exc
