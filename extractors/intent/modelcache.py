"""Fitted intent models kept on disk, so that a new process does not fit the same model again.

Fitting the model on the shipped examples takes 3 to 7 seconds on two cores; every `rpa`
command, daemon, worker and web server that classifies mail used to pay it at start-up. A
fitted model is written to the cache folder (`RPA_CACHE_DIR`, else `$XDG_CACHE_HOME/rpa`,
else `~/.cache/rpa`) under a key made of what it was fitted from: the features and intents of
its examples, its seed, the code of the model's module and of `linear`, and the versions of
scikit-learn, NumPy and Python. Any change to one of those is another file; a file that cannot
be read is fitted again and rewritten. Files hold plain arrays (`linear.LinearTextModel.save`,
read without pickles), so reading one imports neither scikit-learn nor SciPy. A folder that
cannot be written leaves the model fitted in memory, as before.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Protocol, TypeVar

from extractors.intent import linear

__all__ = ["CACHE_ENV", "cache_folder", "cached"]

log = logging.getLogger(__name__)

CACHE_ENV = "RPA_CACHE_DIR"
_FORMAT = 2  # bump when the cache's layout changes


class Saved(Protocol):
    """A fitted model that writes itself to a file and is read back from one."""

    def save(self, path: Path) -> None: ...

    @classmethod
    def load(cls, path: Path, size: int) -> Saved:
        """The model `save` wrote, fitted on `size` examples; raises OSError or ValueError."""
        ...


Model = TypeVar("Model", bound=Saved)


def cache_folder() -> Path:
    """Where fitted models are kept."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rpa"


def cached(kind: type[Model], examples: Sequence, seed: int, fit: Callable[[], Model]) -> Model:
    """The model of class `kind` fitted on `examples` with `seed`: read from the cache folder,
    else `fit()` and written there."""
    path = cache_folder() / f"intent-{_key(kind, examples, seed)}.npz"
    try:
        return kind.load(path, len(examples))
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a torn or foreign file is fitted again
        log.warning("fitting the intent model again: %s could not be read (%s)", path, exc)
    model = fit()
    _write(path, model)
    return model


def _key(kind: type, examples: Sequence, seed: int) -> str:
    digest = hashlib.sha256()
    packages = [metadata.version(name) for name in ("scikit-learn", "numpy")]
    digest.update(json.dumps([_FORMAT, seed, *packages, list(sys.version_info[:2])]).encode())
    for module in (inspect.getmodule(kind), linear):
        digest.update(inspect.getsource(module).encode())
    for example in examples:
        digest.update(json.dumps([str(example.intent), example.features()]).encode())
    return digest.hexdigest()[:32]


def _write(path: Path, model: Saved) -> None:
    """Write `model` to `path` whole or not at all (another process may be reading it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".intent-", delete=False)  # noqa: SIM115
    except OSError as exc:
        log.debug("the fitted intent model is not cached: %s", exc)
        return
    try:
        handle.close()
        model.save(Path(handle.name))
        os.replace(handle.name, path)
    except OSError as exc:
        log.debug("the fitted intent model is not cached: %s", exc)
        Path(handle.name).unlink(missing_ok=True)
