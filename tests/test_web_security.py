"""The workspace's security, in-process: every route behind a session and a permission, CSRF on
every change, roles, headers, session fixation, logout, the login throttle, downloads.

The routes are enumerated from the app's own route table, so a route added later without a
permission fails these tests."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount
from starlette.testclient import TestClient
from webclient import PASSWORD, add_team, log_in, sample_mails, seed, submit_login

from rpa.accounts import disable_user
from rpa.config import Settings, load_settings
from rpa.store import Store
from rpa.web import create_app
from rpa.web.auth import PUBLIC_PATHS
from rpa.web.security import SESSION_COOKIE

_SAFE = {"GET", "HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store, dict[str, int]]:
    home = tmp_path_factory.mktemp("web-security")
    settings = load_settings(
        environ={
            "RPA_HOME": str(home),
            "RPA_PIPELINE_WORKERS": "1",
            "RPA_WEB_LOGIN_DELAY_AFTER": "100",
            "RPA_WEB_LOGIN_LOCK_AFTER": "100",
        }
    )
    store = Store.open(settings)
    add_team(store)
    ids = seed(settings, store, sample_mails(3))
    yield settings, store, ids
    store.close()


@pytest.fixture
def app(workspace):  # noqa: ANN001, ANN201
    settings, store, _ = workspace
    return create_app(settings, store)


def _routes(app) -> list[APIRoute]:  # noqa: ANN001
    """Every API route of the app, through the routers it includes."""
    return [
        c.original_route for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)
    ]


def _concrete(path: str, message_pk: int = 1) -> str:
    values = {"message_pk": str(message_pk), "position": "0", "page": "1", "name": "alice", "record_id": "1"}
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "1"), path)


def test_the_app_has_no_route_outside_the_route_table_but_static_files(app) -> None:  # noqa: ANN001
    routes = [context.original_route for context in iter_route_contexts(app.routes)]
    others = [route for route in routes if not isinstance(route, APIRoute)]
    assert [(type(route), route.path) for route in others] == [(Mount, "/static")]
    assert app.openapi_url is None and app.docs_url is None and app.redoc_url is None


def test_every_route_names_the_permission_it_needs(app) -> None:  # noqa: ANN001
    for route in _routes(app):
        if route.path in PUBLIC_PATHS:
            continue
        permissions = [getattr(d.call, "permission", None) for d in route.dependant.dependencies]
        assert any(permissions), f"{route.path} checks no permission"


def test_every_route_refuses_a_request_without_a_session(app, workspace) -> None:  # noqa: ANN001
    message_pk = next(iter(workspace[2].values()))
    client = TestClient(app)
    checked = 0
    for route in _routes(app):
        if route.path in PUBLIC_PATHS:
            continue
        for method in route.methods:
            answer = client.request(method, _concrete(route.path, message_pk), follow_redirects=False)
            assert answer.status_code in (303, 401), f"{method} {route.path}: {answer.status_code}"
            if answer.status_code == 303:
                assert answer.headers["location"].startswith("/login")
            checked += 1
    assert checked >= 30


def test_the_public_routes_are_the_login_ones_only(app) -> None:  # noqa: ANN001
    paths = {route.path for route in _routes(app)}
    assert PUBLIC_PATHS <= paths | {"/oidc/login", "/oidc/callback"}
    assert all("login" in path or path in ("/api/session", "/oidc/callback") for path in PUBLIC_PATHS)


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(app, workspace, token) -> None:  # noqa: ANN001
    message_pk = next(iter(workspace[2].values()))
    client = TestClient(app)
    log_in(client, "ada")
    changed = 0
    for route in _routes(app):
        for method in route.methods - _SAFE:
            path = _concrete(route.path, message_pk)
            headers = {"X-CSRF-Token": token} if token else {}
            if path.startswith("/api/"):
                answer = client.request(method, path, json={}, headers=headers, follow_redirects=False)
            else:
                data = {"csrf_token": token} if token else {}
                answer = client.request(method, path, data=data, follow_redirects=False)
            assert answer.status_code == 403, f"{method} {route.path}: {answer.status_code}"
            changed += 1
    assert changed >= 15


def test_the_login_form_itself_needs_its_csrf_token(app) -> None:  # noqa: ANN001
    client = TestClient(app)
    client.get("/login")
    answer = client.post("/login", data={"username": "alice", "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.cookies


@pytest.mark.parametrize(
    ("user", "method", "path"),
    [
        ("alice", "GET", "/dashboard"),
        ("alice", "GET", "/audit"),
        ("alice", "GET", "/admin/users"),
        ("alice", "POST", "/messages/{id}/assign"),
        ("alice", "POST", "/failed/1/retry"),
        ("alice", "POST", "/admin/users"),
        ("sam", "GET", "/admin/users"),
        ("sam", "POST", "/admin/users/alice/disable"),
    ],
)
def test_a_role_cannot_reach_what_a_higher_role_may_do(app, workspace, user, method, path) -> None:  # noqa: ANN001
    message_pk = next(iter(workspace[2].values()))
    client = TestClient(app)
    csrf = log_in(client, user)
    data = {"csrf_token": csrf, "holder": "bob", "name": "x", "role": "agent", "password": PASSWORD}
    answer = client.request(
        method, path.replace("{id}", str(message_pk)), data=data if method == "POST" else None
    )
    assert answer.status_code == 403


def test_supervisors_and_admins_reach_their_pages(app) -> None:  # noqa: ANN001
    supervisor, admin = TestClient(app), TestClient(app)
    log_in(supervisor, "sam")
    log_in(admin, "ada")
    assert supervisor.get("/audit").status_code == 200
    assert admin.get("/admin/users").status_code == 200
    assert admin.get("/audit").status_code == 200


def test_pages_and_static_files_carry_the_security_headers(app) -> None:  # noqa: ANN001
    client = TestClient(app)
    for path in ("/login", "/static/app.js"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
    assert client.get("/login").headers["cache-control"] == "no-store"


def test_the_session_cookie_is_http_only_and_same_site_lax(app) -> None:  # noqa: ANN001
    client = TestClient(app)
    answer = submit_login(client, "alice")
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # served over plain http here; https base_url sets Secure


def test_cookies_are_secure_when_the_workspace_is_served_over_https(workspace) -> None:  # noqa: ANN001
    settings, store, _ = workspace
    https = load_settings(
        environ={"RPA_HOME": str(settings.home), "RPA_WEB_BASE_URL": "https://rpa.example.org"}
    )
    client = TestClient(create_app(https, store))
    form = client.get("/login")
    assert "secure" in form.headers["set-cookie"].lower()


def test_a_session_id_set_before_login_is_not_adopted(app) -> None:  # noqa: ANN001
    client = TestClient(app, cookies={SESSION_COOKIE: "attacker-chosen-session-id"})
    answer = submit_login(client, "alice")
    issued = answer.cookies.get(SESSION_COOKIE)
    assert issued and issued != "attacker-chosen-session-id"
    planted = TestClient(app, cookies={SESSION_COOKIE: "attacker-chosen-session-id"})
    assert planted.get("/queue", follow_redirects=False).status_code == 303


def test_each_login_gets_a_fresh_session_and_logout_ends_it(app) -> None:  # noqa: ANN001
    client = TestClient(app)
    csrf = log_in(client, "alice")
    first = client.cookies.get(SESSION_COOKIE)
    thief = TestClient(app)
    thief.cookies.set(SESSION_COOKIE, first)
    assert thief.get("/queue").status_code == 200
    client.post("/logout", data={"csrf_token": csrf})
    assert thief.get("/queue", follow_redirects=False).status_code == 303
    log_in(client, "alice")
    assert client.cookies.get(SESSION_COOKIE) != first


def test_disabling_a_user_ends_their_sessions(app, workspace) -> None:  # noqa: ANN001
    settings, store, _ = workspace
    from rpa.accounts import add_user

    add_user(store, "temp", "agent", PASSWORD, actor="test")
    client = TestClient(app)
    log_in(client, "temp")
    assert client.get("/queue").status_code == 200
    disable_user(store, "temp", actor="ada")
    assert client.get("/queue", follow_redirects=False).status_code == 303
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    refused = client.post("/login", data={"username": "temp", "password": PASSWORD, "csrf_token": token})
    assert refused.status_code == 401


def test_repeated_failed_logins_are_refused_for_a_while_and_logged_without_the_password(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(
        environ={"RPA_HOME": str(tmp_path), "RPA_WEB_LOGIN_DELAY_AFTER": "2", "RPA_WEB_LOGIN_LOCK_AFTER": "3"}
    )
    with Store.open(settings) as store:
        add_team(store)
        client = TestClient(create_app(settings, store))
        form = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        statuses = []
        with caplog.at_level(logging.WARNING, logger="rpa.web.auth"):
            for attempt in range(4):
                answer = client.post(
                    "/login",
                    data={"username": "alice", "password": f"guess-number-{attempt}", "csrf_token": token},
                )
                statuses.append(answer.status_code)
            right = client.post(
                "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
            )
        assert statuses == [401, 401, 401, 429]
        assert right.status_code == 429 and "Too many failed logins" in right.text
        assert int(right.headers["retry-after"]) > 0
        failures = [record.getMessage() for record in caplog.records if "login failed" in record.getMessage()]
        assert len(failures) == 3 and all("'alice'" in line for line in failures)
        assert not any("guess-number" in record.getMessage() for record in caplog.records)


def test_an_attachment_is_always_downloaded_never_shown_inline(tmp_path: Path) -> None:
    from conftest import make_mail

    settings = load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_PIPELINE_WORKERS": "1"})
    with Store.open(settings) as store:
        add_team(store)
        hostile = b"<html><script>alert(1)</script></html>"
        mail = make_mail(
            "Voir la pièce jointe.",
            attachments=[('"><img src=x onerror=alert(1)>.html', "text/html", hostile)],
        )
        ids = seed(settings, store, [("hostile.eml", mail)])
        client = TestClient(create_app(settings, store))
        log_in(client, "alice")
        answer = client.get(f"/messages/{ids['hostile.eml']}/attachments/0")
        assert answer.status_code == 200 and answer.content == hostile
        assert answer.headers["content-type"] == "application/octet-stream"
        disposition = answer.headers["content-disposition"]
        assert re.fullmatch(r'attachment; filename="[^"]*"; filename\*=UTF-8\'\'[^"\s;]*', disposition), (
            disposition
        )
        assert client.get(f"/messages/{ids['hostile.eml']}/attachments/7").status_code == 404
