"""The settings sections: one frozen dataclass per TOML table, each key with its help.

`[limits]`, the bounds held against hostile input, is `rpa.config.limits`; `[ocr]` is
`rpa.config.ocr`, `[queue]` `rpa.config.queue`, the mail sections `rpa.config.mail`.

Each section checks its own keys in `__post_init__` (a key typed `Literal[...]` by
`rpa.config.options.check_choices`), and `Settings` what one section needs of another,
so that a wrong setting stops rpa when the configuration loads, not at first use.
"""

from __future__ import annotations

import importlib.util
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rpa.config.limits import LimitSettings
from rpa.config.mail import DaemonSettings, ImapSettings, MailRule, SmtpSettings
from rpa.config.ocr import OcrSettings
from rpa.config.options import check_choices, without_password
from rpa.config.options import option as _opt
from rpa.config.queue import QueueSettings
from rpa.errors import ConfigError
from rpa.models import FIELD_NAMES

__all__ = [
    "Settings",
    "StoreSettings",
    "OcrSettings",
    "QueueSettings",
    "PipelineSettings",
    "ParsingSettings",
    "CustomField",
    "DraftingSettings",
    "LetterSettings",
    "ModelSettings",
    "OpenAISettings",
    "KnowledgeSettings",
    "ImapSettings",
    "SmtpSettings",
    "MailRule",
    "DaemonSettings",
    "WebSettings",
    "OidcSettings",
    "ROLES",
    "CLASSIFIERS",
    "DRAFTING_BACKENDS",
]

ROLES = ("agent", "supervisor", "admin")  # each role may do what the one before it may, and more

# The intent classifiers (`extractors.intent.CLASSIFIERS`) and drafting backends
# (`drafting.BACKENDS`) by name, here so that a wrong name is refused when the settings load.
Classifier = Literal["learned", "rules"]
CLASSIFIERS: tuple[str, ...] = typing.get_args(Classifier)
DraftingBackend = Literal["template", "transformers", "openai"]
DRAFTING_BACKENDS: tuple[str, ...] = typing.get_args(DraftingBackend)


@dataclass(frozen=True)
class StoreSettings:
    url: str = _opt(
        "",
        "SQLAlchemy database URL; empty means sqlite:///$RPA_HOME/rpa.db (with a password: url_file)",
        url=True,
    )


@dataclass(frozen=True)
class PipelineSettings:
    workers: int = _opt(0, "Messages processed side by side; 0: one per CPU core, fewer if memory is short")
    classifier: Classifier = _opt("learned", "Intent classifier: learned (TF-IDF + linear model) or rules")
    intent_threshold: float = _opt(
        0.4, "Learned classifier: below this probability the intent is 'other', flagged needs_triage"
    )
    intent_examples: str = _opt(
        "", "Learned classifier: a JSON Lines file of your own examples, added to the shipped ones"
    )

    def __post_init__(self) -> None:
        check_choices(self, "[pipeline]")
        if not 0.0 <= self.intent_threshold <= 1.0:
            raise ConfigError(
                f"[pipeline] intent_threshold must be between 0 and 1, not {self.intent_threshold}"
            )


@dataclass(frozen=True)
class CustomField:
    """One `[[parsing.custom_fields]]` table: a field of your own, found after its labels."""

    name: str = _opt("", "Field name (lower case, not a built-in field's name)")
    labels: tuple[str, ...] = _opt((), "Label words before the value, French and English")
    pattern: str = _opt("", "Regular expression of the value; empty means any value of its type")
    type: Literal["text", "date", "amount", "id"] = _opt("id", "text, date, amount or id")
    validator: str = _opt("", "luhn, mod97, iban, or a python-stdnum module such as fr.siret")

    def __post_init__(self) -> None:
        _check_custom_field(self)


_OWN_VALIDATORS = ("luhn", "mod97", "iban")


def _check_custom_field(spec: CustomField) -> None:
    where = f"[[parsing.custom_fields]] {spec.name or '(no name)'}"
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", spec.name):
        raise ConfigError(f"{where}: name must be lower-case letters, digits and _")
    if spec.name in FIELD_NAMES:
        raise ConfigError(f"{where}: {spec.name!r} is a built-in field; choose another name")
    check_choices(spec, f"{where}:")
    if not spec.labels and not spec.pattern:
        raise ConfigError(f"{where}: give labels, a pattern, or both")
    try:
        re.compile(spec.pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid pattern {spec.pattern!r}: {exc}") from exc
    module = spec.validator
    if module and module not in _OWN_VALIDATORS and importlib.util.find_spec(f"stdnum.{module}") is None:
        known = "luhn, mod97, iban or a python-stdnum module"
        raise ConfigError(f"{where}: unknown validator {module!r} ({known})")


@dataclass(frozen=True)
class ParsingSettings:
    default_region: str = _opt("FR", "Country assumed for phone numbers without a +prefix")
    day_first: bool = _opt(True, "Read 03/04/2025 as 3 April (true) or March 4 (false)")
    default_currency: str = _opt("EUR", "Currency assumed for an amount printed without one")
    custom_fields: tuple[CustomField, ...] = _opt((), "[[parsing.custom_fields]] tables: fields of your own")


@dataclass(frozen=True)
class DraftingSettings:
    backend: DraftingBackend = _opt(
        "template", "Drafting backend: template, transformers ([model]) or openai ([openai])"
    )
    templates_dir: str = _opt("", "Folder of reply templates; empty means the bundled ones")
    team_name: str = _opt("Service clients", "Signature under every reply")
    from_address: str = _opt("", "Our own address: replies come from it, mail from it is ignored")
    batch_size: int = _opt(8, "Messages whose drafts a language model writes in one batch")
    min_chars: int = _opt(60, "A generated reply shorter than this is flagged")
    max_length_ratio: float = _opt(4.0, "A generated reply longer than this times the template is flagged")

    def __post_init__(self) -> None:
        check_choices(self, "[drafting]")


@dataclass(frozen=True)
class LetterSettings:
    """Replies by post to letters received on paper: the letterhead and who signs."""

    company: str = _opt("", "Letterhead: the company's name; empty means [drafting] team_name")
    address: tuple[str, ...] = _opt((), "Letterhead: the company's postal address, one string a line")
    place: str = _opt("", 'Where the replies are written from, before their date ("Paris, le ...")')
    signatory: str = _opt("", "Name printed under the reply's closing; empty means none")
    title: str = _opt("", "The signatory's title, under the name")

    def __post_init__(self) -> None:
        for line in (self.company, self.place, self.signatory, self.title, *self.address):
            if "\n" in line or len(line) > 80:
                raise ConfigError(
                    f"[letters] lines are printed on one line of 80 characters at most: {line!r}"
                )


@dataclass(frozen=True)
class ModelSettings:
    path: str = _opt("", "Folder of a local model (causal LM or seq2seq) for the transformers backend")
    device: str = _opt("auto", "auto (a GPU when there is one, else the CPU), cpu, cuda, cuda:1, mps")
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = _opt(
        "auto", "auto, float32, bfloat16 or float16"
    )
    max_new_tokens: int = _opt(320, "Longest reply generated, in tokens (both model backends)")
    temperature: float = _opt(0.0, "0 means greedy decoding; above 0, sampling (both model backends)")
    top_p: float = _opt(1.0, "Nucleus sampling threshold (both model backends)")
    repetition_penalty: float = _opt(1.1, "Above 1 discourages repeating tokens (transformers backend)")
    seed: int = _opt(0, "Random seed for sampling, so a batch can be drafted again identically")

    def __post_init__(self) -> None:
        check_choices(self, "[model]")


@dataclass(frozen=True)
class OpenAISettings:
    base_url: str = _opt(
        "http://127.0.0.1:8000/v1", "An OpenAI-compatible server: vLLM, Ollama, llama.cpp, TGI"
    )
    model: str = _opt("", "Model name the server knows")
    api_key: str = _opt("", "API key, when the server wants one", secret=True)
    timeout_seconds: float = _opt(60.0, "Give up on one request after this long")
    max_retries: int = _opt(2, "Retries (with exponential backoff) after a timeout or a 5xx/429 answer")
    redact: bool = _opt(
        True, "Replace IBANs, phones, e-mail addresses and names by placeholders before sending"
    )


@dataclass(frozen=True)
class KnowledgeSettings:
    top_k: int = _opt(3, "Knowledge-base passages retrieved for each mail")
    embeddings: bool = _opt(True, "Rank with sentence embeddings besides BM25 when a model is available")
    embedding_model_path: str = _opt(
        "", "Sentence-embedding model folder; empty means the bundled all-MiniLM-L6-v2 (English only)"
    )
    embedding_languages: tuple[str, ...] = _opt(
        ("en",), "Languages the embedding model serves; other languages are ranked by BM25 alone"
    )


# Hours an agent has to answer, per intent, before a waiting message is past its SLA.
_DEFAULT_SLA_HOURS = {
    "complaint": 24.0,
    "claim_new": 24.0,
    "cancellation": 48.0,
    "claim_followup": 48.0,
    "reimbursement": 48.0,
    "documents_submission": 72.0,
    "contract_change": 72.0,
    "information": 72.0,
    "other": 72.0,
}


@dataclass(frozen=True)
class WebSettings:
    host: str = _opt("127.0.0.1", "Address `rpa web` listens on")
    port: int = _opt(8000, "Port `rpa web` listens on")
    base_url: str = _opt(
        "",
        "Address agents open, e.g. https://rpa.example.org (https makes cookies Secure); empty: http://host:port",
    )
    workers: int = _opt(1, "Server processes; sessions live in the store, so any number works")
    session_hours: float = _opt(
        10.0, "A session ends this long after login (logout and disabling end it sooner)"
    )
    secret_key_file: str = _opt(
        "",
        "File of the key that signs single sign-on state; empty: $RPA_HOME/web-secret, made on first use",
    )
    claim_lease_minutes: float = _opt(
        15.0, "An opened message stays the agent's this long after its page was last open"
    )
    assignment_hours: float = _opt(8.0, "A message a supervisor gives to an agent stays theirs this long")
    sla_hours: dict[str, float] = field(
        default_factory=lambda: dict(_DEFAULT_SLA_HOURS),
        metadata={"help": "Hours to answer, per intent; a [web.sla_hours] table, e.g. complaint = 24"},
    )
    default_sla_hours: float = _opt(72.0, "Hours to answer an intent that sla_hours does not name")
    page_size: int = _opt(50, "Messages per page of the queue")
    login_delay_after: int = _opt(3, "Failed logins (per account or address) after which each try is slowed")
    login_lock_after: int = _opt(10, "Failed logins after which the account or address is refused a while")
    login_lock_minutes: float = _opt(15.0, "How long logins stay refused, and how long failures are counted")
    forwarded_allow_ips: str = _opt(
        "", "Reverse proxies whose X-Forwarded-For/-Proto are believed (comma-separated IPs); empty: none"
    )

    def __post_init__(self) -> None:
        for name in ("session_hours", "claim_lease_minutes", "assignment_hours", "default_sla_hours"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"[web] {name} must be above 0")
        if not 0 < self.port < 65536:
            raise ConfigError(f"[web] port must be between 1 and 65535, not {self.port}")
        if self.workers < 1 or self.page_size < 1:
            raise ConfigError("[web] workers and page_size must be at least 1")
        if not 1 <= self.login_delay_after <= self.login_lock_after:
            raise ConfigError("[web] login_delay_after must be at least 1 and at most login_lock_after")
        if self.base_url and not re.match(r"https?://[^/\s]+(/\S*)?$", self.base_url):
            raise ConfigError(f"[web] base_url must be an http:// or https:// address, not {self.base_url!r}")
        intents = {
            "claim_new",
            "claim_followup",
            "documents_submission",
            "reimbursement",
            "complaint",
            "contract_change",
            "cancellation",
            "information",
            "auto_reply",
            "other",
        }
        for intent, hours in self.sla_hours.items():
            if intent not in intents:
                raise ConfigError(
                    f"[web] sla_hours: unknown intent {intent!r} ({', '.join(sorted(intents))})"
                )
            if hours <= 0:
                raise ConfigError(f"[web] sla_hours: {intent} must be above 0 hours")

    def sla(self, intent: str | None) -> float:
        """Hours to answer a message of this intent."""
        return self.sla_hours.get(intent or "", self.default_sla_hours)

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


@dataclass(frozen=True)
class OidcSettings:
    issuer: str = _opt(
        "", "OpenID Connect provider (its discovery document is ISSUER/.well-known/...); empty: off"
    )
    client_id: str = _opt("", "This application's client id at the provider")
    client_secret: str = _opt("", "This application's client secret", secret=True)
    scopes: tuple[str, ...] = _opt(("openid", "profile", "email"), "Scopes asked for")
    groups_claim: str = _opt("groups", "Claim of the ID token or user info that lists the user's groups")
    agent_groups: tuple[str, ...] = _opt((), "Groups whose members log in as agents")
    supervisor_groups: tuple[str, ...] = _opt((), "Groups whose members log in as supervisors")
    admin_groups: tuple[str, ...] = _opt((), "Groups whose members log in as admins")
    button_label: str = _opt("Single sign-on", "Text of the login page's single sign-on button")

    def __post_init__(self) -> None:
        if self.issuer and not self.client_id:
            raise ConfigError("[oidc] issuer is set but client_id is empty")
        if self.issuer and not re.match(r"https?://\S+$", self.issuer):
            raise ConfigError(f"[oidc] issuer must be an http(s) address, not {self.issuer!r}")

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id)


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
    letters: LetterSettings = field(default_factory=LetterSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    openai: OpenAISettings = field(default_factory=OpenAISettings)
    kb: KnowledgeSettings = field(default_factory=KnowledgeSettings)
    imap: ImapSettings = field(default_factory=ImapSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    daemon: DaemonSettings = field(default_factory=DaemonSettings)
    web: WebSettings = field(default_factory=WebSettings)
    oidc: OidcSettings = field(default_factory=OidcSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)

    def __post_init__(self) -> None:
        if self.queue.enabled and not self.store.url.lower().startswith(("postgresql", "postgres")):
            raise ConfigError(
                "[queue] broker_url needs [store] url on a PostgreSQL server that the daemon and every "
                f"worker reach, not {without_password(self.store.url) or 'the local SQLite file'}"
            )
        _check_across_sections(self)

    @property
    def database_url(self) -> str:
        return self.store.url or f"sqlite:///{self.home / 'rpa.db'}"


def _check_across_sections(settings: Settings) -> None:
    """What one section needs of another."""
    backend = settings.drafting.backend
    if backend == "transformers" and not settings.model.path:
        raise ConfigError(
            "[drafting] backend = transformers needs a model folder: set [model] path or RPA_MODEL_PATH"
        )
    if backend == "openai" and not settings.openai.model:
        raise ConfigError(
            "[drafting] backend = openai needs a model name: set [openai] model or RPA_OPENAI_MODEL"
        )
    if settings.smtp.auth == "xoauth2" and not (settings.imap.token_command or settings.imap.token_file):
        raise ConfigError("[smtp] auth = xoauth2 needs the [imap] token_command or token_file")
    if settings.smtp.mode == "drafts" and not settings.imap.host:
        raise ConfigError("[smtp] mode = drafts needs the mailbox: set [imap] host (RPA_IMAP_HOST)")
