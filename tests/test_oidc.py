"""Single sign-on against a real OpenID provider.

The provider is the npm package oidc-provider, run by node (tests/oidcprovider.js)
on a free port of 127.0.0.1; the workspace is served by uvicorn in a thread, as
`rpa web` serves it. A person's sign-on is an HTTP client following redirects:
rpa's /oidc/login, the provider's login form (posted with the account's name),
the provider's answer to /oidc/callback, and the page rpa sends them to.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import logging
import re
import secrets
import select
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
import uvicorn
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from conftest import ROOT, require
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from smtpsink import free_port

from rpa.accounts import disable_user, list_users
from rpa.config import Settings, load_settings
from rpa.errors import LoginFailed
from rpa.secret import purpose_key, web_secret_key
from rpa.store import Store
from rpa.store.accounts import UserRecord
from rpa.web import create_app
from rpa.web.routes.oidc import STATE_COOKIE, OidcProvider, role_for_groups
from rpa.web.security import SESSION_COOKIE

NODE = shutil.which("node")
PROVIDER_SCRIPT = ROOT / "tests" / "oidcprovider.js"
PROVIDER_PACKAGE = ROOT / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "rpa-workspace"
CLIENT_SECRET = "client-secret-" + secrets.token_urlsafe(16)


class ProviderProcess:
    """tests/oidcprovider.js in a subprocess, started at once (`wait_until_listening` waits for it);
    `tokens()` lists the authorization codes and access tokens it issued."""

    def __init__(self, folder: Path, redirect_uri: str, *, userinfo: bool = True) -> None:
        self.port = free_port()
        self.tokens_file = folder / "issued-tokens.jsonl"
        arguments = [
            NODE,
            str(PROVIDER_SCRIPT),
            f"--port={self.port}",
            f"--client-id={CLIENT_ID}",
            f"--client-secret={CLIENT_SECRET}",
            f"--redirect-uri={redirect_uri}",
            f"--tokens-file={self.tokens_file}",
        ] + ([] if userinfo else ["--no-userinfo"])
        self.log_file = folder / "provider.log"
        with self.log_file.open("w") as log:  # its warnings; a pipe nobody reads could fill up
            self.process = subprocess.Popen(
                arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True
            )
        self.issuer = ""

    def wait_until_listening(self, timeout: float = 20.0) -> None:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""  # {"issuer": ...} once it listens
        if not line:
            self.stop()
            raise RuntimeError(f"oidcprovider.js did not start: {self.log_file.read_text()}")
        self.issuer = json.loads(line)["issuer"]

    def tokens(self) -> list[str]:
        if not self.tokens_file.exists():
            return []
        return [json.loads(line)["value"] for line in self.tokens_file.read_text().splitlines()]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdin.close()
        self.process.stdout.close()


class ServedApp:
    """The workspace served by uvicorn in a thread, as `rpa web` serves it (no access log)."""

    def __init__(self, settings: Settings, store: Store, listening: socket.socket) -> None:
        port = listening.getsockname()[1]
        config = uvicorn.Config(
            create_app(settings, store), host="127.0.0.1", port=port, access_log=False, log_config=None
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [listening]}, name="rpa-web", daemon=True
        )
        self.url = f"http://127.0.0.1:{port}"
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def oidc_settings(home: Path, issuer: str) -> Settings:
    return load_settings(
        environ={
            "RPA_HOME": str(home),
            "RPA_OIDC_ISSUER": issuer,
            "RPA_OIDC_CLIENT_ID": CLIENT_ID,
            "RPA_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "RPA_OIDC_SCOPES": "openid,profile,email,groups",
            "RPA_OIDC_AGENT_GROUPS": "claims-agents",
            "RPA_OIDC_SUPERVISOR_GROUPS": "claims-leads",
            "RPA_OIDC_ADMIN_GROUPS": "rpa-admins",
        }
    )


def log_in_at_provider(browser: httpx.Client, url: str, login: str, callback: str) -> str:
    """From `url`, through the provider's login form (as `login`), to its answer at `callback`:
    the answer's URL, not followed."""
    response = browser.get(url)
    while response.is_redirect:
        response = browser.get(response.url.join(response.headers["location"]))
    form_action = re.search(r'<form[^>]* action="([^"]+)"', response.text).group(1)
    response = browser.post(
        response.url.join(form_action), data={"prompt": "login", "login": login, "password": "whatever"}
    )
    while response.is_redirect:
        location = str(response.url.join(response.headers["location"]))
        if location.startswith(callback):
            return location
        response = browser.get(location)
    raise AssertionError(f"the provider did not answer: {response.status_code} {response.text[:500]}")


def start_sign_on(app: ServedApp, login: str, next_url: str = "/queue") -> tuple[httpx.Client, str]:
    """A fresh browser that asks rpa for single sign-on and logs in at the provider as `login`:
    the browser, and the provider's answer (the callback URL) not yet followed."""
    browser = httpx.Client(timeout=10)
    start = f"{app.url}/oidc/login?{urlencode({'next': next_url})}"
    return browser, log_in_at_provider(browser, start, login, f"{app.url}/oidc/callback")


def sign_on(app: ServedApp, login: str, next_url: str = "/queue") -> httpx.Response:
    """The page a person lands on after signing on as `login`."""
    browser, callback = start_sign_on(app, login, next_url)
    with closing(browser):
        return browser.get(callback, follow_redirects=True)


def token_from_provider(world: World, login: str, nonce: str) -> dict:
    """What the provider's token endpoint gives rpa's client after `login` signed on: asked for
    here as rpa asks for it, to check its ID token apart."""
    redirect_uri = f"{world.app.url}/oidc/callback"
    verifier = secrets.token_urlsafe(48)
    metadata = httpx.get(f"{world.provider.issuer}/.well-known/openid-configuration").json()
    query = {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": "openid",
        "state": secrets.token_urlsafe(16),
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    with httpx.Client(timeout=10) as browser:
        start = f"{metadata['authorization_endpoint']}?{urlencode(query)}"
        answer = log_in_at_provider(browser, start, login, redirect_uri)
    code = parse_qs(urlparse(answer).query)["code"][0]
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    response = httpx.post(
        metadata["token_endpoint"],
        data={**exchange, "code_verifier": verifier},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    return response.raise_for_status().json()


def user(store: Store, name: str) -> UserRecord | None:
    return next((record for record in list_users(store) if record.name == name), None)


@dataclass
class World:
    """A provider, the workspace it signs people on to, and the workspace's store."""

    provider: ProviderProcess
    settings: Settings
    app: ServedApp
    store: Store

    @classmethod
    def build(cls, folder: Path, provider: ProviderProcess, listening: socket.socket) -> World:
        provider.wait_until_listening()
        settings = oidc_settings(folder / "home", provider.issuer)
        settings.home.mkdir(parents=True)
        store = Store(settings.database_url)
        return cls(provider, settings, ServedApp(settings, store, listening), store)

    def close(self) -> None:
        self.app.stop()
        self.store.close()


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, World]]:
    """Two providers, both started at once: one hands the groups out in its user info (as most
    do), the other has no user info and puts them in its ID tokens."""
    require(NODE is not None, "node is not installed (apt-get install nodejs)")
    require(
        PROVIDER_PACKAGE.is_file(), "the npm package oidc-provider is not installed (make setup runs npm ci)"
    )
    folder = tmp_path_factory.mktemp("oidc")
    # The apps' sockets are bound now, so that no provider can be given the same port.
    sockets = {where: _listening() for where in ("user info", "ID token")}
    ports = {where: listening.getsockname()[1] for where, listening in sockets.items()}
    providers = {}
    for where, port in ports.items():
        (folder / where).mkdir()
        providers[where] = ProviderProcess(
            folder / where, f"http://127.0.0.1:{port}/oidc/callback", userinfo=where == "user info"
        )
    built: dict[str, World] = {}
    try:
        for where, provider in providers.items():
            built[where] = World.build(folder / where, provider, sockets[where])
        yield built
    finally:
        for world in built.values():
            world.close()
        for provider in providers.values():
            provider.stop()


def _listening() -> socket.socket:
    listening = socket.socket()
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    return listening


@pytest.fixture
def world(worlds: dict[str, World]) -> World:
    return worlds["user info"]


def test_an_agent_signs_on_and_lands_on_the_queue(world: World) -> None:
    page = sign_on(world.app, "alice")

    assert page.status_code == 200
    assert page.url.path == "/queue"
    assert "Alice Martin" in page.text
    alice = user(world.store, "alice")
    assert alice is not None
    assert (alice.role, alice.oidc_subject, alice.password_hash, alice.display_name) == (
        "agent",
        "alice",
        None,
        "Alice Martin",
    )


@pytest.mark.parametrize(
    ("login", "account", "role"),
    [("bob", "bob.leroy", "supervisor"), ("dave", "dave", "admin")],
)
def test_the_highest_role_of_the_providers_groups_is_given(
    world: World, login: str, account: str, role: str
) -> None:
    page = sign_on(world.app, login)

    assert page.url.path == "/queue"
    assert user(world.store, account).role == role


def test_a_user_in_no_allowed_group_is_refused(world: World) -> None:
    page = sign_on(world.app, "carol")

    assert page.status_code == 403
    assert "your account is in no group allowed to use rpa" in page.text
    assert user(world.store, "carol") is None
    assert SESSION_COOKIE not in page.cookies


def test_the_next_page_is_kept_but_only_on_this_site(world: World) -> None:
    kept = sign_on(world.app, "alice", "/queue?status=all")
    elsewhere = sign_on(world.app, "alice", "https://elsewhere.example/phish")

    assert (kept.url.path, kept.url.params["status"]) == ("/queue", "all")
    assert (elsewhere.url.host, elsewhere.url.path) == ("127.0.0.1", "/queue")


def test_a_tampered_state_is_refused(world: World) -> None:
    browser, callback = start_sign_on(world.app, "alice")
    query = parse_qs(urlparse(callback).query)
    query["state"] = ["forged-" + query["state"][0][7:]]
    with closing(browser):
        page = browser.get(callback.split("?")[0] + "?" + urlencode(query, doseq=True))

    assert page.status_code == 401
    assert "start again" in page.text
    assert SESSION_COOKIE not in page.cookies


def test_a_tampered_state_cookie_is_refused(world: World) -> None:
    browser, callback = start_sign_on(world.app, "alice")
    sealed = browser.cookies.get(STATE_COOKIE, path="/oidc")
    browser.cookies.set(STATE_COOKIE, sealed[:-4] + "AAAA", domain="127.0.0.1", path="/oidc")
    with closing(browser):
        page = browser.get(callback)

    assert page.status_code == 401
    assert "expired or was altered" in page.text


def test_a_replayed_callback_is_refused(world: World) -> None:
    browser, callback = start_sign_on(world.app, "alice")
    sealed = browser.cookies.get(STATE_COOKIE, path="/oidc")
    with closing(browser):
        assert browser.get(callback, follow_redirects=True).url.path == "/queue"
        again = browser.get(callback)  # the state cookie went with the first answer
    with httpx.Client(timeout=10) as thief:  # with the cookie too, the provider refuses its used code
        thief.cookies.set(STATE_COOKIE, sealed, domain="127.0.0.1", path="/oidc")
        stolen = thief.get(callback)

    assert again.status_code == 401
    assert "no sign-on is under way" in again.text
    assert stolen.status_code == 401
    assert "refused the authorization code (invalid_grant)" in stolen.text
    assert SESSION_COOKIE not in again.cookies and SESSION_COOKIE not in stolen.cookies


def test_a_disabled_account_is_refused(world: World) -> None:
    assert sign_on(world.app, "erin").url.path == "/queue"
    disable_user(world.store, "erin", actor="admin")

    page = sign_on(world.app, "erin")

    assert page.status_code == 401
    assert "the account erin is disabled" in page.text


def test_the_provider_refusing_is_a_clear_page(world: World) -> None:
    browser, callback = start_sign_on(world.app, "alice")
    state = parse_qs(urlparse(callback).query)["state"][0]
    with closing(browser):
        page = browser.get(
            f"{world.app.url}/oidc/callback",
            params={"state": state, "error": "access_denied", "error_description": "End-User aborted"},
        )

    assert page.status_code == 401
    assert "the sign-on provider refused: access_denied End-User aborted" in page.text


def test_no_code_or_token_reaches_the_logs(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    browser, callback = start_sign_on(world.app, "alice")
    sealed = browser.cookies.get(STATE_COOKIE, path="/oidc")
    with closing(browser):
        browser.get(callback)
        session = browser.cookies.get(SESSION_COOKIE)
        browser.get(callback)  # refused: logged
    query = parse_qs(urlparse(callback).query)
    secret_values = [
        CLIENT_SECRET,
        query["code"][0],
        query["state"][0],
        sealed,
        session,
        *world.provider.tokens(),
    ]

    # What the server logged: not the test's own client (in this thread), which logs the URLs it
    # follows, nor uvicorn's access log, off in `rpa web` but switched on here by pytest's handler.
    server_logs = "\n".join(
        caplog.handler.format(record)
        for record in caplog.records
        if record.thread != threading.main_thread().ident and record.name != "uvicorn.access"
    )
    assert "user alice logged in" in server_logs
    assert "single sign-on refused" in server_logs
    assert len(world.provider.tokens()) >= 2
    for value in secret_values:
        assert value and value not in server_logs
    assert "eyJ" not in server_logs  # no JSON Web Token (the ID token) either


def test_groups_in_the_id_token_are_read_from_it(worlds: dict[str, World]) -> None:
    world = worlds["ID token"]

    assert sign_on(world.app, "bob").url.path == "/queue"
    assert user(world.store, "bob.leroy").role == "supervisor"


def test_an_id_token_for_another_sign_on_or_another_client_is_refused(world: World) -> None:
    token = token_from_provider(world, "alice", nonce="nonce-of-this-sign-on")
    ours = OidcProvider(world.settings)
    another_client = OidcProvider(
        dataclasses.replace(
            world.settings, oidc=dataclasses.replace(world.settings.oidc, client_id="other-app")
        )
    )

    assert asyncio.run(ours.id_token_claims(token, "nonce-of-this-sign-on"))["sub"] == "alice"
    with pytest.raises(LoginFailed, match="ID token is not valid.*nonce"):
        asyncio.run(ours.id_token_claims(token, "nonce-of-another-sign-on"))
    with pytest.raises(LoginFailed, match="ID token is not valid.*aud"):
        asyncio.run(another_client.id_token_claims(token, "nonce-of-this-sign-on"))


def test_an_id_token_not_signed_by_the_provider_is_refused(world: World) -> None:
    token = token_from_provider(world, "alice", nonce="n")
    payload = token["id_token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    own_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})  # the provider's key id
    forged = jwt.encode({"alg": "RS256", "kid": "test-key"}, {**claims, "sub": "dave"}, own_key)

    with pytest.raises(LoginFailed, match=r"ID token is not valid \(bad_signature\)"):
        asyncio.run(OidcProvider(world.settings).id_token_claims({**token, "id_token": forged}, "n"))


def test_the_secret_key_is_made_once_and_readable_by_its_owner_only(settings: Settings) -> None:
    key = web_secret_key(settings)
    path = settings.home / "web-secret"

    assert len(key) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert web_secret_key(settings) == key
    assert purpose_key(key, "oidc-state") != purpose_key(key, "another-use")


def test_without_an_issuer_single_sign_on_is_not_found(settings: Settings, store: Store) -> None:
    with TestClient(create_app(settings, store)) as client:
        assert client.get("/oidc/login").status_code == 404
        assert client.get("/oidc/callback?code=x&state=y").status_code == 404


def test_an_unreachable_provider_is_a_clear_page(tmp_path: Path, store: Store) -> None:
    settings = oidc_settings(tmp_path / "home", f"http://127.0.0.1:{free_port()}")  # nobody listens there
    with TestClient(create_app(settings, store)) as client:
        page = client.get("/oidc/login")

    assert page.status_code == 401
    assert "the sign-on provider cannot be reached" in page.text


def test_the_role_is_the_highest_one_the_groups_give(tmp_path: Path) -> None:
    oidc = oidc_settings(tmp_path, "https://id.example.org").oidc

    assert role_for_groups(oidc, ["claims-agents"]) == "agent"
    assert role_for_groups(oidc, ["claims-agents", "rpa-admins", "claims-leads"]) == "admin"
    assert role_for_groups(oidc, ["marketing"]) is None
    assert role_for_groups(oidc, []) is None
