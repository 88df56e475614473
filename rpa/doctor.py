"""`rpa doctor`: what is installed and usable here, and what to do about what is not."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass

from drafting import BACKENDS
from drafting.embeddings import SentenceEmbedder
from drafting.postal import pdf_status
from drafting.templates import load_catalog, template_name
from extractors.intent.learned import intent_models_folder
from extractors.mailfiles.registry import MAIL_FORMATS
from extractors.ocr import OcrEngine
from extractors.rapid import rapidocr_status
from extractors.readers.registry import make_readers
from extractors.tesseract import tesseract_status
from rpa.config import Settings, without_password
from rpa.errors import QueueError, RpaError
from rpa.models import Intent
from rpa.modelversions import describe_version_in_use
from rpa.queue import Dispatcher
from rpa.resources import templates_folder
from rpa.store import Store
from rpa.store.migrations import MIGRATIONS

__all__ = ["Check", "run_checks"]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True  # a failed optional check only limits what rpa can do


def run_checks(settings: Settings) -> list[Check]:
    return [
        Check("python", sys.version_info >= (3, 11), sys.version.split()[0]),
        Check("configuration", True, str(settings.config_path or "defaults (no config file)")),
        _tesseract(settings),
        _rapidocr(settings),
        _store(settings),
        _templates(settings),
        Check("letters", *pdf_status(), required=False),  # replies by post to paper letters, as PDF
        _intent_model(settings),
        _workspace(settings),
        _broker(settings),
        *_document_readers(settings),
        *_mail_file_formats(),
        *_drafting_backends(settings),
        *_optional_packages(),
    ]


def _tesseract(settings: Settings) -> Check:
    status = tesseract_status(settings)
    if not status.available:
        return Check("tesseract", False, status.reason or "not found")
    if status.missing_languages:
        missing = ", ".join(status.missing_languages)
        return Check(
            "tesseract",
            False,
            f"{status.version}; missing language(s) {missing}: "
            f"apt-get install {' '.join('tesseract-ocr-' + m for m in status.missing_languages)}",
        )
    return Check("tesseract", True, f"{status.version}; languages {', '.join(status.languages)}")


def _rapidocr(settings: Settings) -> Check:
    status = rapidocr_status()
    needed = settings.ocr.engine in ("auto", "rapidocr")  # photographs are read with it
    return Check(
        "rapidocr", status.available, status.version or status.reason or "not found", required=needed
    )


def _store(settings: Settings) -> Check:
    try:
        with Store.open(settings) as store:
            count = sum(1 for _ in store.message_ids())
    except RpaError as exc:
        return Check("database", False, str(exc))
    latest = MIGRATIONS[-1][0]
    return Check("database", True, f"{store.url} (schema v{latest}, {count} message(s))")


def _broker(settings: Settings) -> Check:
    """The distributed mode's broker ([queue] broker_url): reachable, and its queues' depths."""
    if not settings.queue.enabled:
        return Check(
            "queue", True, "no broker: mail is processed by the process that reads it", required=False
        )
    try:
        dispatcher = Dispatcher(settings)
    except QueueError as exc:
        return Check("queue", False, str(exc))
    try:
        depths = dispatcher.depths()
    finally:
        dispatcher.close()
    broker = without_password(settings.queue.broker_url)
    if any(depth is None for depth in depths.values()):
        return Check("queue", False, f"the broker cannot be reached: {broker}")
    waiting = ", ".join(f"{name}: {depth} waiting" for name, depth in depths.items())
    return Check("queue", True, f"{broker}; {waiting}")


def _intent_model(settings: Settings) -> Check:
    """Which examples the learned classifier is fitted on: shipped, or a version of `rpa train`."""
    if settings.pipeline.classifier != "learned":
        return Check("intent model", True, f"{settings.pipeline.classifier} classifier: no model")
    try:
        return Check("intent model", True, describe_version_in_use(intent_models_folder(settings)))
    except RpaError as exc:
        return Check("intent model", False, str(exc))


def _workspace(settings: Settings) -> Check:
    """The web workspace: its static files (htmx comes from npm at set-up) and its accounts."""
    from rpa.store.accounts import Accounts
    from rpa.web.app import STATIC

    htmx = STATIC / "vendor" / "htmx.min.js"
    if not htmx.is_file():
        return Check("workspace", False, f"{htmx} is missing: run `make setup` (npm ci)")
    try:
        with Store.open(settings) as store:
            users = [user for user in Accounts(store).users() if not user.disabled]
    except RpaError as exc:
        return Check("workspace", False, str(exc))
    address = settings.web.base_url or f"http://{settings.web.host}:{settings.web.port}"
    sso = f"; single sign-on with {settings.oidc.issuer}" if settings.oidc.enabled else ""
    hint = "" if users else "; add one with `rpa user add NAME --role agent`"
    return Check("workspace", True, f"`rpa web` on {address}; {len(users)} active user(s){hint}{sso}")


def _templates(settings: Settings) -> Check:
    try:
        folder = templates_folder(settings)
        catalog = load_catalog(folder)
    except RpaError as exc:
        return Check("templates", False, str(exc))
    wanted = [template_name(lang, str(i)) for lang in ("fr", "en") for i in Intent if i != Intent.AUTO_REPLY]
    missing = [name for name in wanted if not (folder / name).is_file()]
    if missing:
        return Check("templates", False, f"{folder}: missing {', '.join(missing)}")
    return Check(
        "templates", True, f"{folder} ({len(wanted)} templates, {len(catalog.requirements)} intents)"
    )


# What a reader that is not available needs, by its name: a program from Debian (installed by
# `make setup`); any other reader lacks one of rpa's own Python packages.
_READER_NEEDS = {
    "doc": "catdoc is not installed: apt-get install catdoc (make setup)",
    "image": "an OCR engine it uses is missing (see the tesseract and rapidocr lines)",
}


def _document_readers(settings: Settings) -> list[Check]:
    checks = []
    with OcrEngine(settings) as ocr:  # no thread starts until a page is OCRed
        for reader in make_readers(settings, ocr):
            available = reader.is_available()
            missing = _READER_NEEDS.get(reader.name, "a Python package of rpa is missing: make setup")
            detail = "available" if available else f"not available: {missing}"
            checks.append(Check(f"reader:{reader.name}", available, detail, required=False))
    return checks


def _mail_file_formats() -> list[Check]:
    """Mails attached as files (Outlook .msg, winmail.dat): opened like forwarded mails."""
    checks = []
    for form in MAIL_FORMATS.values():
        available = form.is_available()
        what = f"{form.label}s, opened like forwarded mails"
        detail = f"available ({what})" if available else f"not available: install {form.package} (make setup)"
        checks.append(Check(f"reader:{form.name}", available, detail, required=False))
    return checks


def _drafting_backends(settings: Settings) -> list[Check]:
    chosen = settings.drafting.backend
    checks = [_drafting_backend(settings, name, name == chosen) for name in BACKENDS]
    embedder = SentenceEmbedder(settings.kb)
    detail = (
        f"{embedder.model_path} for {', '.join(embedder.languages)}; BM25 for the rest"
        if embedder.is_available()
        else "BM25 only (no embedding model, or [kb] embeddings off)"
    )
    checks.append(Check("kb:embeddings", embedder.is_available(), detail, required=False))
    return checks


def _drafting_backend(settings: Settings, name: str, selected: bool) -> Check:
    try:
        backend = BACKENDS[name](settings, templates_folder(settings))
    except RpaError as exc:
        return Check(f"drafting:{name}", False, f"not configured: {exc}", required=selected)
    available = backend.is_available()
    detail = ("selected" if selected else "configured") + (
        "" if available else " but not usable here (package or model folder missing)"
    )
    return Check(f"drafting:{name}", available, detail, required=selected)


def _optional_packages() -> list[Check]:
    optional = {
        "transformers": "local language models",
        "pillow_heif": "iPhone photos (HEIC/HEIF)",
        "imapclient": "mailbox daemon",
        "prometheus_client": "the daemon's metrics endpoint ([daemon] metrics_port)",
    }
    return [
        Check(
            f"package:{name}",
            importlib.util.find_spec(name) is not None,
            f"for {purpose}" + ("" if importlib.util.find_spec(name) else " (not installed)"),
            required=False,
        )
        for name, purpose in optional.items()
    ]
