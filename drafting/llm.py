"""Language models that write replies: a local `transformers` model, or an OpenAI-compatible server.

A `LanguageModel` turns conversations (system and user turns) into replies,
several at once: the local model generates a batch in one `generate` call, the
server gets its requests side by side. A reply that could not be written is a
`DraftingError` in its place, so one failure does not lose the others.
torch, transformers and openai are imported inside the models that need them.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from drafting.prompt import ChatMessage
from rpa.config import ModelSettings, OpenAISettings, Settings
from rpa.errors import ConfigError, DraftingError

__all__ = ["MODELS", "LanguageModel", "OpenAIModel", "TransformersModel", "load_local_model"]

Conversation = Sequence[ChatMessage]


@runtime_checkable
class LanguageModel(Protocol):
    name: str
    remote: bool  # prompts leave the machine: personal data is redacted first

    def is_available(self) -> bool: ...

    def generate(self, conversations: Sequence[Conversation]) -> list[str | DraftingError]: ...


def _installed(*packages: str) -> bool:
    return all(importlib.util.find_spec(package) is not None for package in packages)


@dataclass(frozen=True)
class LocalModel:
    """A model folder loaded once per process: tokenizer, weights, and how to prompt it. The
    pipelines of a run share it, one batch at a time (`lock`): a tokenizer is not to be used
    by two threads at once, and a batch takes every core torch is given anyway."""

    path: str
    tokenizer: Any
    model: Any
    seq2seq: bool
    device: str
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def render(self, conversation: Conversation) -> str:
        if getattr(self.tokenizer, "chat_template", None):
            try:
                return self.tokenizer.apply_chat_template(
                    list(conversation), tokenize=False, add_generation_prompt=True
                )
            except Exception:  # noqa: BLE001 - templates that refuse a system turn: merge it below
                merged = [{"role": "user", "content": "\n\n".join(m["content"] for m in conversation)}]
                return self.tokenizer.apply_chat_template(merged, tokenize=False, add_generation_prompt=True)
        return "\n\n".join(message["content"] for message in conversation) + "\n\n"

    def encode(self, conversations: Sequence[Conversation], max_new_tokens: int) -> Any:
        """The batch of prompts as tensors, left-padded so that every reply starts at the end."""
        texts = [self.render(conversation) for conversation in conversations]
        limit = getattr(self.model.config, "max_position_embeddings", None) or getattr(
            self.model.config, "n_positions", None
        )
        max_length = (limit - max_new_tokens if limit and not self.seq2seq else limit) or None
        encoded = self.tokenizer(
            texts,
            return_tensors="pt",
            padding=True,
            truncation=max_length is not None,
            max_length=max_length,
            add_special_tokens=not getattr(self.tokenizer, "chat_template", None),
        )
        return encoded.to(self.device)


def load_local_model(path: str, device: str = "auto", dtype: str = "auto") -> LocalModel:
    """Load a model folder (causal LM or seq2seq) once per process; never from a hub."""
    return _load_once(str(Path(path).expanduser().resolve()), device, dtype)


@functools.lru_cache(maxsize=2)
def _load_once(path: str, device: str, dtype: str) -> LocalModel:
    os.environ["HF_HUB_OFFLINE"] = "1"  # a missing file must be an error, not a download
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import torch
    import transformers

    transformers.utils.logging.disable_progress_bar()  # stderr is for our progress and errors
    folder = Path(path).expanduser()
    if not (folder / "config.json").is_file():
        raise DraftingError(f"no model in {folder} (config.json missing): set [model] path / RPA_MODEL_PATH")
    device = _device(torch, device)
    try:
        config = transformers.AutoConfig.from_pretrained(folder, local_files_only=True)
        seq2seq = bool(getattr(config, "is_encoder_decoder", False))
        kind = transformers.AutoModelForSeq2SeqLM if seq2seq else transformers.AutoModelForCausalLM
        model = kind.from_pretrained(folder, local_files_only=True, dtype=_dtype(torch, dtype, device))
        tokenizer = transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise DraftingError(f"cannot load the model in {folder}: {exc}") from exc
    tokenizer.padding_side = "left"  # generation continues from the last token of each row
    tokenizer.truncation_side = "left"  # too long: drop the start, keep the mail and the task
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    model.to(device)
    model.eval()
    return LocalModel(str(folder), tokenizer, model, seq2seq, device)


def _device(torch: Any, wanted: str) -> str:
    if wanted != "auto":
        return wanted
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def _dtype(torch: Any, wanted: str, device: str) -> Any:
    if wanted == "auto":
        return torch.float32 if device == "cpu" else "auto"  # half precision is slow on CPUs
    # `[model] dtype` is one of these or auto: checked when the settings load
    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[wanted]


class TransformersModel:
    """A local model folder; the batch is generated in one call."""

    name = "transformers"
    remote = False

    def __init__(self, settings: ModelSettings) -> None:
        if not settings.path:
            raise ConfigError(
                "the transformers backend needs a model folder: set [model] path or RPA_MODEL_PATH"
            )
        self.settings = settings

    def is_available(self) -> bool:
        folder = Path(self.settings.path).expanduser()
        return _installed("torch", "transformers") and (folder / "config.json").is_file()

    def load(self) -> LocalModel:
        if not _installed("torch", "transformers"):
            raise DraftingError(
                "the transformers backend needs torch and transformers: pip install 'rpa[llm]'"
            )
        return load_local_model(self.settings.path, self.settings.device, self.settings.dtype)

    def generation_options(self, local: LocalModel) -> dict[str, Any]:
        options: dict[str, Any] = {
            "max_new_tokens": self.settings.max_new_tokens,
            "repetition_penalty": self.settings.repetition_penalty,
            "pad_token_id": local.tokenizer.pad_token_id,
            "do_sample": self.settings.temperature > 0,
        }
        if self.settings.temperature > 0:
            options.update(temperature=self.settings.temperature, top_p=self.settings.top_p)
        return options

    def generate(self, conversations: Sequence[Conversation]) -> list[str | DraftingError]:
        if not conversations:
            return []
        import torch

        local = self.load()
        with local.lock:
            inputs = local.encode(conversations, self.settings.max_new_tokens)
            if self.settings.temperature > 0:
                torch.manual_seed(self.settings.seed)
            try:
                with torch.inference_mode():
                    output = local.model.generate(**inputs, **self.generation_options(local))
            except (RuntimeError, ValueError) as exc:
                failure = DraftingError(f"the model in {local.path} failed to generate: {exc}")
                return [failure] * len(conversations)
            new_tokens = output if local.seq2seq else output[:, inputs["input_ids"].shape[1] :]
            return list(local.tokenizer.batch_decode(new_tokens, skip_special_tokens=True))


class OpenAIModel:
    """Any server that speaks the OpenAI chat-completions API; requests of a batch go side by side."""

    name = "openai"

    def __init__(self, settings: OpenAISettings, generation: ModelSettings) -> None:
        if not settings.model:
            raise ConfigError("the openai backend needs a model name: set [openai] model or RPA_OPENAI_MODEL")
        self.settings = settings
        self.generation = generation
        self.remote = settings.redact
        self._client: Any = None

    def is_available(self) -> bool:
        return _installed("openai")

    def client(self) -> Any:
        if self._client is None:
            if not _installed("openai"):
                raise DraftingError("the openai backend needs the openai package: pip install 'rpa[llm]'")
            import openai

            # The client retries timeouts, 429 and 5xx answers itself, with exponential backoff.
            self._client = openai.OpenAI(
                base_url=self.settings.base_url,
                # Local servers want no key, but the client insists on one.
                api_key=self.settings.api_key or "not-needed",
                timeout=self.settings.timeout_seconds,
                max_retries=self.settings.max_retries,
            )
        return self._client

    def generate(self, conversations: Sequence[Conversation]) -> list[str | DraftingError]:
        if not conversations:
            return []
        client = self.client()
        with ThreadPoolExecutor(max_workers=min(8, len(conversations))) as pool:
            return list(pool.map(lambda conversation: self._one(client, conversation), conversations))

    def _one(self, client: Any, conversation: Conversation) -> str | DraftingError:
        import openai

        where = f"the model server at {self.settings.base_url}"
        try:
            response = client.chat.completions.create(
                model=self.settings.model,
                messages=list(conversation),
                max_tokens=self.generation.max_new_tokens,
                temperature=self.generation.temperature,
                top_p=self.generation.top_p,
            )
        except openai.APITimeoutError:
            return DraftingError(
                f"{where} did not answer within {self.settings.timeout_seconds:g} s "
                f"({self.settings.max_retries} retries)"
            )
        except openai.APIConnectionError as exc:
            return DraftingError(f"{where} is unreachable ({exc.__cause__ or exc}); is it running?")
        except openai.APIStatusError as exc:
            return DraftingError(f"{where} answered {exc.status_code}: {exc.message}")
        except openai.OpenAIError as exc:
            return DraftingError(f"{where} failed: {exc}")
        choices = getattr(response, "choices", None) or []
        content = choices[0].message.content if choices else None
        if not content or not content.strip():
            return DraftingError(f"{where} answered with an empty reply")
        return content


MODELS: dict[str, Callable[[Settings], LanguageModel]] = {
    TransformersModel.name: lambda settings: TransformersModel(settings.model),
    OpenAIModel.name: lambda settings: OpenAIModel(settings.openai, settings.model),
}
