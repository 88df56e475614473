"""The `rpa` command: a thin shell over the library.

Each command parses its arguments, calls the library, and turns our own errors
into a message on stderr and exit code 1.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from extractors.sources import iter_inputs
from rpa import console
from rpa.clilearning import correct, train
from rpa.clishell import Agent, handled, settings_of, store_of
from rpa.cliusers import user_app
from rpa.config import default_config_text, load_settings
from rpa.daemon import failed_text, retry_mail, run_daemon, send_replies, status_text
from rpa.doctor import run_checks
from rpa.enqueue import enqueue_files
from rpa.errors import ConfigError
from rpa.evaluation import evaluate, format_report
from rpa.ingestion import process_inputs
from rpa.knowledge import add_articles, search_knowledge
from rpa.letters import letter_pdf
from rpa.review import edit_text
from rpa.stats import draft_stats, format_stats, stats_json
from rpa.views import export_csv, export_json, message_json, show_text
from rpa.workspace import messages_for_export

app = typer.Typer(
    help="rpa reads customer mail and documents, extracts the facts, and drafts replies for agents"
    " to approve.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

app.add_typer(user_app, name="user")


@app.callback()
def main(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", help="Configuration file (default: $RPA_HOME/config.toml)")
    ] = None,
) -> None:
    with handled():
        ctx.obj = load_settings(config)


@app.command()
def init(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file")] = False,
) -> None:
    """Write a commented default configuration file."""
    settings = settings_of(ctx)
    path = settings.config_path or settings.home / "config.toml"
    if path.exists() and not force:
        typer.echo(f"error: {path} exists (use --force to overwrite)", err=True)
        raise typer.Exit(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(default_config_text(), encoding="utf-8")
    typer.echo(f"wrote {path}")


@app.command()
def process(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help=".eml, .mbox, Maildir or folders, .pdf/.png/.jpg/.tif")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per message on stdout (JSON Lines)")
    ] = False,
    reprocess: Annotated[
        bool, typer.Option("--reprocess", help="Process again messages already stored")
    ] = False,
    enqueue: Annotated[
        bool,
        typer.Option(
            "--enqueue", help="Store the inputs and leave them to `rpa worker` processes ([queue] broker_url)"
        ),
    ] = False,
    agent: Agent = "",
) -> None:
    """Read mails and documents, extract their facts and draft replies for review."""
    if enqueue:
        with handled(), store_of(ctx) as store:
            failures = console.report_enqueued(enqueue_files(iter_inputs(paths), settings_of(ctx), store))
        if failures:
            raise typer.Exit(1)
        return
    with handled(), store_of(ctx) as store:
        items = process_inputs(
            iter_inputs(paths), settings_of(ctx), store, actor=agent or getpass.getuser(), reprocess=reprocess
        )
        failures = console.report_batch(items, store, as_json=as_json)
    if failures:
        raise typer.Exit(1)


@app.command()
def queue(
    ctx: typer.Context,
    status: Annotated[
        str,
        typer.Option(
            "--status",
            help="pending_review, approved, rejected, sent, no_draft, all; failed: mails that failed",
        ),
    ] = "pending_review",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List messages and the state of their drafts (`--status failed`: mails that failed)."""
    if status == "failed":
        with handled():
            typer.echo(failed_text(settings_of(ctx)), nl=False)
        return
    with handled(), store_of(ctx) as store:
        entries = store.queue(None if status == "all" else [s.strip() for s in status.split(",")])
        console.print_queue(entries, as_json=as_json)


@app.command()
def show(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="Message id (see `rpa queue`)")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    letter_pdf_path: Annotated[
        Path | None,
        typer.Option(
            "--letter-pdf", metavar="FILE", help="Save the reply by post to a paper letter as a PDF"
        ),
    ] = None,
) -> None:
    """Show a message, its attachments, fields and draft."""
    with handled(), store_of(ctx) as store:
        record = store.message(message_id)
        if letter_pdf_path is not None:
            letter_pdf_path.write_bytes(letter_pdf(record, settings_of(ctx)))
            typer.echo(f"wrote {letter_pdf_path}", err=True)
        elif as_json:
            typer.echo(json.dumps(message_json(record), ensure_ascii=False, indent=2))
        else:
            typer.echo(
                show_text(
                    record,
                    store.audit_log("message", message_id)
                    + (store.audit_log("draft", record.draft.id) if record.draft else []),
                )
            )


@app.command()
def approve(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID")],
    edit: Annotated[bool, typer.Option("--edit", help="Edit the reply in $EDITOR before approving")] = False,
    agent: Agent = "",
) -> None:
    """Approve the draft reply of a message (optionally after editing it)."""
    with handled(), store_of(ctx) as store:
        edited = None
        if edit:
            draft = store.draft_for(message_id)
            editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
            edited = edit_text(draft.text_to_send, editor)
            if edited is None:
                typer.echo("no changes saved: the draft was not approved", err=True)
                raise typer.Exit(1)
        draft = store.approve(message_id, actor=agent or getpass.getuser(), edited_body=edited)
        typer.echo(
            f"message {message_id}: draft {draft.id} approved"
            + (" with your edit" if draft.final_body is not None else "")
        )


@app.command()
def reject(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option("--reason", help="Why the draft is rejected")] = ...,
    agent: Agent = "",
) -> None:
    """Reject the draft reply of a message, with a reason."""
    with handled(), store_of(ctx) as store:
        draft = store.reject(message_id, actor=agent or getpass.getuser(), reason=reason)
        typer.echo(f"message {message_id}: draft {draft.id} rejected")


app.command()(correct)
app.command()(train)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="json or csv")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)")
    ] = None,
) -> None:
    """Export the extracted fields of every stored message."""
    if fmt not in ("json", "csv"):
        raise typer.BadParameter("must be json or csv", param_hint="--format")
    with handled(), store_of(ctx) as store:
        items = messages_for_export(store)
        text = export_json(items) if fmt == "json" else export_csv(items)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command(name="eval")
def evaluate_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Folders or files with <case>.expected.json beside them")
    ],
    min_fields: Annotated[
        float, typer.Option("--min-fields", help="Exit 1 below this share of fields right")
    ] = 0.0,
    min_intent: Annotated[
        float, typer.Option("--min-intent", help="Exit 1 below this intent accuracy")
    ] = 0.0,
) -> None:
    """Compare the pipeline's results with expected files: fields, intents, misses."""
    with handled():
        report = evaluate(paths, settings_of(ctx))
    typer.echo(format_report(report), nl=False)
    if report.fields_right < min_fields or report.intent_accuracy < min_intent:
        raise typer.Exit(1)


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check what is installed and usable: Tesseract, database, templates, backends."""
    checks = run_checks(settings_of(ctx))
    console.print_checks(checks)
    if any(not check.ok and check.required for check in checks):
        raise typer.Exit(1)


@app.command()
def daemon(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Process what is waiting, send approved replies, exit")
    ] = False,
) -> None:
    """Watch the mailbox (RPA_IMAP_*) and send approved replies (RPA_SMTP_*) until stopped."""
    with handled():
        run_daemon(settings_of(ctx), once=once)


@app.command()
def worker(
    ctx: typer.Context,
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", "-c", help="Mails processed side by side; 0: one per core"),
    ] = 0,
    queues: Annotated[
        str, typer.Option("--queues", "-Q", help="Queues to take mail from, comma-separated; default: all")
    ] = "",
) -> None:
    """Process the mails the daemon and `rpa process --enqueue` queued ([queue] broker_url)."""
    from rpa.worker import run_worker  # imports Celery: only here

    settings = settings_of(ctx)
    with handled():
        if not settings.queue.enabled:
            raise ConfigError("rpa worker needs [queue] broker_url (RPA_QUEUE_BROKER_URL)")
        names = [name.strip() for name in queues.split(",") if name.strip()]
        run_worker(settings, concurrency=concurrency or (os.cpu_count() or 1), queues=names)


@app.command()
def status(ctx: typer.Context) -> None:
    """Whether a daemon is running, its last heartbeat, backlog and last error; the workers' queues."""
    with handled():
        typer.echo(status_text(settings_of(ctx)), nl=False)


@app.command()
def retry(
    ctx: typer.Context,
    record_id: Annotated[int, typer.Argument(metavar="ID", help="Mail id from `rpa queue --status failed`")],
    agent: Agent = "",
) -> None:
    """Process a failed mail again now."""
    with handled():
        outcome = retry_mail(settings_of(ctx), record_id, actor=agent or getpass.getuser())
    if outcome.error:
        typer.echo(f"mail {record_id} failed again ({outcome.status}): {outcome.error}", err=True)
        raise typer.Exit(1)
    typer.echo(f"mail {record_id}: {outcome.status} as message {outcome.message_pk}")


@app.command()
def send(
    ctx: typer.Context,
    message_ids: Annotated[
        list[int] | None, typer.Argument(metavar="ID", help="Message ids (default: every approved reply)")
    ] = None,
    agent: Agent = "",
) -> None:
    """Send approved replies by SMTP, or put them in the Drafts folder (RPA_SMTP_MODE=drafts)."""
    with handled():
        reports = send_replies(settings_of(ctx), message_ids or None, actor=agent or getpass.getuser())
    for report in reports:
        typer.echo(f"message {report.message_pk}: {report.status} {report.detail}".rstrip())
    if any(report.status in ("failed", "skipped") for report in reports):
        raise typer.Exit(1)


kb_app = typer.Typer(
    help="The knowledge base: procedures and FAQs that drafts and agents draw on.", no_args_is_help=True
)
app.add_typer(kb_app, name="kb")


@kb_app.command("add")
def kb_add(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Markdown, text or PDF articles, or folders of them")],
) -> None:
    """Index articles into passages (adding a file again replaces its passages)."""
    with handled(), store_of(ctx) as store:
        for article in add_articles(store, settings_of(ctx), paths):
            embedded = f", {article.embedded} embedded" if article.embedded else ""
            language = article.language or "?"
            typer.echo(f"{article.source}: {article.passages} passage(s), {language}{embedded}")


@kb_app.command("search")
def kb_search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for")],
    lang: Annotated[str | None, typer.Option("--lang", help="fr or en: passages in that language")] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many passages")] = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Find the best passages for a question, with their source."""
    with handled(), store_of(ctx) as store:
        passages = search_knowledge(store, settings_of(ctx), query, lang, limit)
    for passage in passages:
        if as_json:
            typer.echo(json.dumps(dataclasses.asdict(passage), ensure_ascii=False))
        else:
            typer.echo(f"[{passage.score:.3f}] {passage.title}  ({passage.source})\n{passage.text}\n")
    if not passages:
        typer.echo("no passage found", err=True)
        raise typer.Exit(1)


@app.command()
def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What agents did with drafts, per intent, template and backend: approved, edited, rejected."""
    with handled(), store_of(ctx) as store:
        result = draft_stats(store)
    typer.echo(json.dumps(stats_json(result), indent=2) if as_json else format_stats(result))


@app.command()
def web(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (default: [web] host)")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default: [web] port, 8000)")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Server processes (default: [web] workers)")
    ] = None,
) -> None:
    """Serve the agents' workspace in the browser (until Ctrl-C)."""
    from rpa.web import serve

    settings = settings_of(ctx)
    address = f"http://{host or settings.web.host}:{port or settings.web.port}"
    typer.echo(f"rpa workspace on {settings.web.base_url or address} (Ctrl-C stops it)", err=True)
    with handled():
        serve(settings, host=host, port=port, workers=workers)
