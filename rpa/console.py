"""Terminal output of the CLI: progress, summary tables, the queue, doctor checks.

Data goes to stdout (JSON Lines, tables); progress and logs go to stderr, so
`rpa process --json ... | jq` sees only JSON.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from rpa.doctor import Check
from rpa.enqueue import Enqueued
from rpa.ingestion import Ingested
from rpa.store import QueueEntry, Store
from rpa.views import message_json

__all__ = ["print_checks", "print_queue", "report_batch"]

# Piped into a file or a pager, tables keep a readable width instead of Rich's 80 columns.
_out = Console(highlight=False, soft_wrap=True, width=shutil.get_terminal_size((120, 24)).columns)
_err = Console(stderr=True, highlight=False)


def report_batch(items: Iterable[Ingested], store: Store, *, as_json: bool) -> int:
    """Print each processed message (JSON) or a progress bar and a summary; return failures."""
    done: list[Ingested] = []
    with _progress(enabled=not as_json and _err.is_terminal) as progress:
        task = progress.add_task("processing", total=None)
        for item in items:
            done.append(item)
            progress.update(task, advance=1, description=Path(item.source).name[:40])
            if as_json:
                _out.print(json.dumps(_item_json(item, store), ensure_ascii=False), markup=False)
            elif item.error:
                _err.print(f"[red]failed[/red] {item.source}: {item.error}", markup=True)
    if not as_json:
        _print_summary(done)
    return sum(1 for item in done if item.error)


def report_enqueued(items: Iterable[Enqueued]) -> int:
    """`rpa process --enqueue`: a line per input, then a summary; return how many failed."""
    counts = {"queued": 0, "already stored": 0, "failed": 0}
    for item in items:
        if item.error:
            counts["failed"] += 1
            _err.print(f"[red]failed[/red] {item.source}: {item.error}", markup=True)
        elif item.duplicate:
            counts["already stored"] += 1
        else:
            counts["queued"] += 1
            _out.print(f"queued {item.source} as mail record {item.record_id} ({item.queue})", markup=False)
    _err.print(", ".join(f"{n} {what}" for what, n in counts.items()), markup=False)
    return counts["failed"]


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        disable=not enabled,
        transient=True,
    )


def _item_json(item: Ingested, store: Store) -> dict:
    if item.error or item.outcome is None:
        return {
            "source": item.source,
            "message_id": None,
            "draft": None,
            "flags": ["failed"],
            "errors": [item.error],
        }
    record = store.message(item.outcome.message_pk)
    extra = ["already_processed"] if item.duplicate else []
    return {**message_json(record, extra_flags=extra), "source": item.source}


def _print_summary(items: Sequence[Ingested]) -> None:
    processed = [item for item in items if item.result is not None]
    by_intent = Counter(str(item.result.classification.intent) for item in processed)
    drafts = Counter(str(item.result.classification.intent) for item in processed if item.result.draft)
    with_errors = Counter(str(item.result.classification.intent) for item in processed if item.result.errors)
    table = Table(title="rpa process", show_footer=True)
    table.add_column("intent", footer="total")
    for name, counter in (("messages", by_intent), ("drafts", drafts), ("with errors", with_errors)):
        table.add_column(name, justify="right", footer=str(sum(counter.values())))
    for intent, count in sorted(by_intent.items()):
        table.add_row(intent, str(count), str(drafts[intent]), str(with_errors[intent]))
    _out.print(table)
    skipped = sum(1 for item in items if item.duplicate)
    failed = [item for item in items if item.error]
    _out.print(
        f"{len(processed)} processed, {skipped} already in the store, {len(failed)} failed. "
        "Review with `rpa queue` and `rpa show ID`."
    )


def print_queue(entries: Sequence[QueueEntry], *, as_json: bool) -> None:
    if as_json:
        for e in entries:
            _out.print(
                json.dumps(
                    {
                        "id": e.message_pk,
                        "draft_id": e.draft_id,
                        "status": e.status,
                        "language": e.language,
                        "intent": e.intent,
                        "urgent": e.urgent,
                        "sentiment": e.sentiment,
                        "customer": e.customer,
                        "subject": e.subject,
                        "received": e.created_at.isoformat(),
                    },
                    ensure_ascii=False,
                ),
                markup=False,
            )
        return
    table = Table(title=f"review queue ({len(entries)})")
    for column in ("id", "status", "lang", "intent"):
        table.add_column(column, no_wrap=True)
    table.add_column("customer", overflow="ellipsis", max_width=24)
    table.add_column("subject", overflow="fold")
    for e in entries:
        customer = e.customer.split(" <")[0] if " <" in e.customer else e.customer
        subject = Text.assemble(("URGENT ", "bold red"), e.subject) if e.urgent else e.subject
        table.add_row(str(e.message_pk), e.status, e.language or "", e.intent or "", customer, subject)
    _out.print(table)


def print_checks(checks: Sequence[Check]) -> None:
    for check in checks:
        mark = "ok  " if check.ok else ("FAIL" if check.required else "--  ")
        _out.print(f"{mark} {check.name:<22} {check.detail}", markup=False)
