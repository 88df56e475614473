"""The workspace's pages and JSON API, in-process (httpx through the ASGI app): the many small
cases of an agent's day. tests/test_web_browser.py walks the main flows in Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import make_mail
from docbuilder import text_pdf
from starlette.testclient import TestClient
from webclient import PASSWORD, add_team, csrf_of, log_in, sample_mails, seed

from rpa.config import Settings, load_settings
from rpa.knowledge import add_articles
from rpa.models import DraftStatus
from rpa.store import Store
from rpa.web import create_app


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A team and a few mails through the real pipeline, once; each test gets a copy of the store."""
    home = tmp_path_factory.mktemp("seeded")
    settings = load_settings(environ={"RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1"})
    pdf = text_pdf(["Déclaration de sinistre\nContrat numéro HAB-2024-117\nDate du sinistre : 12 mars 2025"])
    mails = [
        *sample_mails(3),
        (
            "with-pdf.eml",
            make_mail(
                "Bonjour, voici ma déclaration.",
                subject="Déclaration jointe",
                message_id="<pdf@example.fr>",
                attachments=[("declaration.pdf", "application/pdf", pdf)],
            ),
        ),
    ]
    with Store.open(settings) as store:
        add_team(store)
        ids = seed(settings, store, mails)
    return home / "rpa.db", ids


@pytest.fixture
def workspace(seeded, tmp_path: Path) -> tuple[Settings, Store, dict[str, int]]:  # noqa: ANN001
    database, ids = seeded
    shutil.copyfile(database, tmp_path / "rpa.db")
    settings = load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_PIPELINE_WORKERS": "1"})
    store = Store.open(settings)
    yield settings, store, ids
    store.close()


def _client(workspace, name: str = "alice") -> tuple[TestClient, str]:  # noqa: ANN001
    settings, store, _ = workspace
    client = TestClient(create_app(settings, store))
    return client, log_in(client, name)


def test_the_queue_lists_the_waiting_messages_with_links_to_each(workspace) -> None:  # noqa: ANN001
    client, _ = _client(workspace)
    html = client.get("/queue").text
    for pk in workspace[2].values():
        assert f'href="/messages/{pk}?back=%2Fqueue"' in html
    assert "Déclaration de sinistre 0" in html and "New claim" in html


def test_a_filter_change_returns_only_the_results_for_htmx(workspace) -> None:  # noqa: ANN001
    client, _ = _client(workspace)
    answer = client.get(
        "/queue?q=declaration+jointe", headers={"HX-Request": "true", "HX-Target": "queue-results"}
    )
    assert "<html" not in answer.text and "Déclaration jointe" in answer.text
    assert "Déclaration de sinistre 0" not in answer.text
    assert client.get("/queue?intent=nonsense").status_code == 400


def test_the_first_agent_to_open_a_message_holds_it_the_second_reads_it(workspace) -> None:  # noqa: ANN001
    pk = workspace[2]["claim-0.eml"]
    alice, _ = _client(workspace, "alice")
    bob, _ = _client(workspace, "bob")
    assert "You hold this message" in alice.get(f"/messages/{pk}").text
    seen = bob.get(f"/messages/{pk}").text
    assert "alice is reviewing this message: you see it read-only." in seen
    assert 'id="approve-form"' not in seen and 'name="value"' not in seen


def test_correcting_a_field_answers_the_fields_panel_and_a_wrong_value_says_why(workspace) -> None:  # noqa: ANN001
    pk = workspace[2]["claim-0.eml"]
    client, csrf = _client(workspace)
    client.get(f"/messages/{pk}")
    htmx = {"HX-Request": "true"}
    fixed = client.post(
        f"/messages/{pk}/fields",
        data={"csrf_token": csrf, "name": "incident_date", "value": "15/03/2025"},
        headers=htmx,
    )
    assert fixed.text.startswith('<div id="fields"') and 'value="2025-03-15"' in fixed.text
    assert "Corrected by alice" in fixed.text and "rpa read 2025-03-10" in fixed.text
    wrong = client.post(
        f"/messages/{pk}/fields", data={"csrf_token": csrf, "name": "iban", "value": "FR00"}, headers=htmx
    )
    assert wrong.status_code == 200 and "is not a valid IBAN" in wrong.text


def test_a_re_draft_answers_the_reply_panel_with_the_corrected_facts(workspace) -> None:  # noqa: ANN001
    pk = workspace[2]["claim-0.eml"]
    client, csrf = _client(workspace)
    client.get(f"/messages/{pk}")
    client.post(
        f"/messages/{pk}/fields", data={"csrf_token": csrf, "name": "policy_number", "value": "HAB-5555-01"}
    )
    panel = client.post(f"/messages/{pk}/redraft", data={"csrf_token": csrf}, headers={"HX-Request": "true"})
    assert panel.text.startswith('<section id="draft"') and "HAB-5555-01" in panel.text
    assert "A new draft was written" in panel.text


def test_approving_with_an_edit_keeps_the_edit_and_next_opens_the_following_message(workspace) -> None:  # noqa: ANN001
    settings, store, ids = workspace
    first, second = ids["claim-0.eml"], ids["claim-1.eml"]
    client, csrf = _client(workspace)
    page = client.get(f"/messages/{first}").text
    draft_id = re.search(r'name="draft_id" value="(\d+)"', page).group(1)
    answer = client.post(
        f"/messages/{first}/approve",
        data={
            "csrf_token": csrf,
            "draft_id": draft_id,
            "body": "Bonjour,\r\nC'est noté.\r\n",
            "then": "next",
        },
    )
    assert answer.url.path == f"/messages/{second}"
    assert store.draft_for(first).status == DraftStatus.APPROVED
    assert store.draft_for(first).final_body == "Bonjour,\nC'est noté.\n"


def test_a_rejection_needs_a_reason(workspace) -> None:  # noqa: ANN001
    settings, store, ids = workspace
    pk = ids["claim-2.eml"]
    client, csrf = _client(workspace)
    draft_id = re.search(r'name="draft_id" value="(\d+)"', client.get(f"/messages/{pk}").text).group(1)
    empty = client.post(
        f"/messages/{pk}/reject", data={"csrf_token": csrf, "draft_id": draft_id, "reason": "  "}
    )
    assert empty.status_code == 400 and "needs a reason" in empty.text
    client.post(
        f"/messages/{pk}/reject", data={"csrf_token": csrf, "draft_id": draft_id, "reason": "Mauvais contrat"}
    )
    assert store.draft_for(pk).reject_reason == "Mauvais contrat"


def test_a_supervisor_gives_a_message_to_an_agent(workspace) -> None:  # noqa: ANN001
    pk = workspace[2]["claim-1.eml"]
    supervisor, csrf = _client(workspace, "sam")
    supervisor.post(f"/messages/{pk}/assign", data={"csrf_token": csrf, "holder": "bob"})
    bob, _ = _client(workspace, "bob")
    mine = bob.get("/queue?assignee=mine").text
    assert f"/messages/{pk}?" in mine
    assert "Given to you by sam" in bob.get(f"/messages/{pk}").text


def test_the_claim_is_renewed_while_the_page_is_open_and_its_loss_is_shown(workspace) -> None:  # noqa: ANN001
    settings, store, ids = workspace
    pk = ids["claim-1.eml"]
    alice, csrf = _client(workspace, "alice")
    alice.get(f"/messages/{pk}")
    assert "You hold this message" in alice.post(f"/messages/{pk}/claim", data={"csrf_token": csrf}).text
    supervisor, supervisor_csrf = _client(workspace, "sam")
    supervisor.post(f"/messages/{pk}/assign", data={"csrf_token": supervisor_csrf, "holder": "bob"})
    assert "bob took this message" in alice.post(f"/messages/{pk}/claim", data={"csrf_token": csrf}).text


def test_a_pdf_page_is_served_as_a_picture_and_cached(workspace) -> None:  # noqa: ANN001
    settings, _, ids = workspace
    client, _ = _client(workspace)
    url = f"/messages/{ids['with-pdf.eml']}/attachments/0/pages/1.png?w=800"
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"\x89PNG")
    assert list((settings.home / "cache" / "pages").rglob("*.png"))
    assert client.get(url).content == first.content
    assert client.get(f"/messages/{ids['with-pdf.eml']}/attachments/0/pages/9.png").status_code == 404


def test_the_knowledge_base_is_searched_from_the_message(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    settings, store, ids = workspace
    article = tmp_path / "kb" / "fr" / "degats.md"
    article.parent.mkdir(parents=True)
    article.write_text(
        "# Dégât des eaux\n\nEnvoyer le constat amiable sous cinq jours ouvrés.\n", encoding="utf-8"
    )
    add_articles(store, dataclass_replace_embeddings_off(settings), [article.parent])
    client, _ = _client(workspace)
    found = client.get(f"/messages/{ids['claim-0.eml']}/knowledge?q=constat+amiable")
    assert "cinq jours ouvrés" in found.text
    nothing = client.get(f"/messages/{ids['claim-0.eml']}/knowledge?q=zzzzqqq")
    assert "Nothing found" in nothing.text


def dataclass_replace_embeddings_off(settings: Settings) -> Settings:
    import dataclasses

    return dataclasses.replace(settings, kb=dataclasses.replace(settings.kb, embeddings=False))


def test_the_page_speaks_the_browser_s_language_until_the_user_chooses(workspace) -> None:  # noqa: ANN001
    client, csrf = _client(workspace)
    assert "File de relecture" in client.get("/queue", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text
    assert "Review queue" in client.get("/queue", headers={"Accept-Language": "de, en;q=0.5"}).text
    client.post("/me/language", data={"csrf_token": csrf, "language": "fr"})
    assert "Prendre le message suivant" in client.get("/queue", headers={"Accept-Language": "en"}).text


def test_the_audit_log_and_the_users_page_show_what_happened(workspace) -> None:  # noqa: ANN001
    admin, csrf = _client(workspace, "ada")
    admin.post(
        "/admin/users", data={"csrf_token": csrf, "name": "dave", "role": "agent", "password": PASSWORD}
    )
    assert "dave" in admin.get("/admin/users").text
    log = admin.get("/audit").text
    assert "added the user" in log and "logged in" in log


def test_the_json_api_logs_in_lists_and_approves_once(workspace) -> None:  # noqa: ANN001
    settings, store, ids = workspace
    client = TestClient(create_app(settings, store))
    login_token = client.get("/api/session").json()["csrf_token"]
    session = client.post(
        "/api/session",
        json={"username": "alice", "password": PASSWORD},
        headers={"X-CSRF-Token": login_token},
    ).json()
    assert session["role"] == "agent"
    headers = {"X-CSRF-Token": session["csrf_token"]}
    queue = client.get("/api/queue?intent=claim_new").json()
    assert queue["total"] == 3 and {item["id"] for item in queue["items"]} >= {ids["claim-0.eml"]}
    pk = ids["claim-0.eml"]
    draft_id = client.get(f"/api/messages/{pk}").json()["draft"]["id"]
    fields = client.post(
        f"/api/messages/{pk}/fields", json={"name": "phone", "value": "06 12 34 56 78"}, headers=headers
    )
    assert {"name": "phone", "value": "+33612345678"}.items() <= next(
        f for f in fields.json() if f["name"] == "phone"
    ).items()
    approved = client.post(f"/api/messages/{pk}/approve", json={"draft_id": draft_id}, headers=headers)
    assert approved.json()["status"] == "approved"
    again = client.post(f"/api/messages/{pk}/approve", json={"draft_id": draft_id}, headers=headers)
    assert again.status_code == 409 and "cannot be approved" in again.json()["detail"]


def test_the_api_s_claim_says_who_holds_a_message(workspace) -> None:  # noqa: ANN001
    pk = workspace[2]["claim-2.eml"]
    alice, _ = _client(workspace, "alice")
    alice.get(f"/messages/{pk}")
    bob, csrf = _client(workspace, "bob")
    taken = bob.post(f"/api/messages/{pk}/claim", headers={"X-CSRF-Token": csrf})
    assert taken.status_code == 409 and "alice" in taken.json()["detail"]


def test_the_openapi_schema_documents_the_api_behind_the_session(workspace) -> None:  # noqa: ANN001
    settings, store, _ = workspace
    anonymous = TestClient(create_app(settings, store))
    assert anonymous.get("/api/openapi.json").status_code == 401
    client, _ = _client(workspace)
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/queue", "/api/messages/{message_pk}", "/api/messages/{message_pk}/approve"):
        assert path in paths
    assert "/api/messages/{message_pk}/reject" in paths and "/api/messages/{message_pk}/claim" in paths


def test_csrf_of_a_page_is_the_session_s(workspace) -> None:  # noqa: ANN001
    client, csrf = _client(workspace)
    assert csrf_of(client.get("/queue").text) == csrf
