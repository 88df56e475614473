"""Single sign-on with OpenID Connect: the authorization-code flow with PKCE, through Authlib.

`GET /oidc/login` sends the browser to the provider with a fresh `state`,
`nonce` and PKCE (S256) verifier, which wait in a cookie of their own for ten
minutes: encrypted and authenticated (a JWE, dir + A256GCM) with a key derived
from `[web] secret_key_file`, HttpOnly, SameSite=Lax, sent to /oidc only.
`GET /oidc/callback` checks the answer against that cookie, exchanges the code
(with the client secret, as the provider's discovery document allows), checks
the ID token (signature against the provider's keys, issuer, audience, expiry,
nonce, at_hash) and reads the user's groups from it or from the user info. The
groups give the role: the highest of agent < supervisor < admin whose `[oidc]
*_groups` names one of them; none gives a 403. `rpa.accounts.log_in_external`
then opens the session as a password login does.

The only host contacted is the configured provider; its discovery document and
keys are fetched once per app (the keys again when a token names a key not seen
yet). Every refusal is a `LoginFailed` or `Forbidden` page, logged with its
reason, never with a code, a token or the client secret. Without an `[oidc]
issuer`, both routes answer 404.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oidc.core import CodeIDToken
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwe import JWERegistry
from joserfc.jwk import KeySet, OctKey
from joserfc.jws import JWSRegistry
from starlette.concurrency import run_in_threadpool

from rpa.accounts import log_in_external
from rpa.config import ROLES, OidcSettings, Settings
from rpa.errors import Forbidden, LoginFailed, NotFound
from rpa.secret import purpose_key, web_secret_key
from rpa.web.auth import client_address, safe_next
from rpa.web.routes.login import set_session_cookie
from rpa.web.security import cookie_options

__all__ = ["STATE_COOKIE", "OidcProvider", "role_for_groups", "router"]

STATE_COOKIE = "rpa_oidc_state"
_STATE_SECONDS = 600
_TIMEOUT = 10.0  # seconds, for each request to the provider
_LEEWAY = 60  # seconds of clock difference allowed with the provider
_STATE_REGISTRY = JWERegistry(algorithms=["dir", "A256GCM"])
_NO_GROUP = "your account is in no group allowed to use rpa"

# Authlib's httpx client (the code exchange) runs on httpx2 where that is installed, else on httpx.
try:
    from httpx2 import HTTPError as _Httpx2Error

    _NETWORK_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, _Httpx2Error)
except ImportError:  # pragma: no cover - depends on what else is installed
    _NETWORK_ERRORS = (httpx.HTTPError,)

log = logging.getLogger("rpa.web.auth")
router = APIRouter(prefix="/oidc")


def role_for_groups(oidc: OidcSettings, groups: list[str]) -> str | None:
    """The highest role one of `groups` is given by `[oidc] *_groups`, or None."""
    granted = {"agent": oidc.agent_groups, "supervisor": oidc.supervisor_groups, "admin": oidc.admin_groups}
    member = set(groups)
    return next((role for role in reversed(ROLES) if member & set(granted[role])), None)


@dataclass(frozen=True)
class _Flow:
    """What the callback must find again: kept in the state cookie."""

    state: str
    nonce: str
    verifier: str
    next_url: str


class OidcProvider:
    """The configured provider: its discovery document and keys (fetched once per app), the code
    exchange, and the checks of its ID tokens."""

    def __init__(self, settings: Settings) -> None:
        self.oidc = settings.oidc
        self.state_key = OctKey.import_key(purpose_key(web_secret_key(settings), "oidc-state"))
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            url = self.oidc.issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = await _fetch_json(url, "the provider's discovery document")
            issuer = document.get("issuer")
            if not isinstance(issuer, str) or issuer.rstrip("/") != self.oidc.issuer.rstrip("/"):
                raise LoginFailed(f"{url} names the issuer {issuer!r}, not the configured {self.oidc.issuer}")
            missing = [
                k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if k not in document
            ]
            if missing:
                raise LoginFailed(f"the discovery document {url} lacks {', '.join(missing)}")
            self._metadata = document
        return self._metadata

    async def keys(self, *, again: bool = False) -> KeySet:
        if self._keys is None or again:
            url = (await self.metadata())["jwks_uri"]
            document = await _fetch_json(url, "the provider's keys")
            try:
                self._keys = KeySet.import_key_set(document)
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                raise LoginFailed(f"the provider's keys at {url} cannot be read: {exc}") from exc
        return self._keys

    async def oauth_client(self, redirect_uri: str) -> AsyncOAuth2Client:
        """An OAuth 2 client for one sign-on (used in `async with`)."""
        methods = (await self.metadata()).get(
            "token_endpoint_auth_methods_supported", ["client_secret_basic"]
        )
        method = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
        return AsyncOAuth2Client(
            client_id=self.oidc.client_id,
            client_secret=self.oidc.client_secret,
            token_endpoint_auth_method=method,
            scope=" ".join(self.oidc.scopes),
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=_TIMEOUT,
        )

    async def exchange(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        """The token endpoint's answer to this code (with the PKCE verifier and the client secret)."""
        endpoint = (await self.metadata())["token_endpoint"]
        async with await self.oauth_client(redirect_uri) as client:
            try:
                token = await client.fetch_token(
                    endpoint, grant_type="authorization_code", code=code, code_verifier=verifier
                )
            except AuthlibBaseError as exc:
                raise LoginFailed(
                    f"the sign-on provider refused the authorization code ({exc.error})"
                ) from exc
            except (*_NETWORK_ERRORS, ValueError) as exc:
                raise LoginFailed(
                    f"the sign-on provider's token endpoint failed: {type(exc).__name__}"
                ) from exc
        return dict(token)

    async def id_token_claims(self, token: dict[str, Any], nonce: str) -> dict[str, Any]:
        """The ID token's claims, once its signature, issuer, audience, expiry and nonce are checked."""
        raw = token.get("id_token")
        if not isinstance(raw, str):
            raise LoginFailed("the provider sent no ID token: is 'openid' among [oidc] scopes?")
        metadata = await self.metadata()
        algorithms = [
            alg for alg in metadata.get("id_token_signing_alg_values_supported", ["RS256"]) if alg != "none"
        ]
        registry = JWSRegistry(algorithms=algorithms, strict_check_header=False)
        try:
            try:
                decoded = jwt.decode(raw, await self.keys(), registry=registry)
            except InvalidKeyIdError:  # the provider has turned to a new key since we fetched them
                decoded = jwt.decode(raw, await self.keys(again=True), registry=registry)
            claims = CodeIDToken(
                decoded.claims,
                decoded.header,
                {
                    "iss": {"essential": True, "value": metadata["issuer"]},
                    "aud": {"essential": True, "value": self.oidc.client_id},
                },
                {"nonce": nonce, "client_id": self.oidc.client_id, "access_token": token.get("access_token")},
            )
            claims.validate(leeway=_LEEWAY)
        except (JoseError, ValueError) as exc:
            raise LoginFailed(f"the provider's ID token is not valid ({_jose_reason(exc)})") from exc
        return dict(claims)

    async def user_info(self, access_token: str, subject: str) -> dict[str, Any]:
        """The user info's claims about `subject`; {} when the provider has no user info endpoint."""
        url = (await self.metadata()).get("userinfo_endpoint")
        if not url:
            return {}
        info = await _fetch_json(url, "the provider's user info", {"Authorization": f"Bearer {access_token}"})
        if info.get("sub") != subject:
            raise LoginFailed("the provider's user info is about another user than its ID token")
        return info


# -- routes ----------------------------------------------------------------------------


@router.get("/login")
async def oidc_login(request: Request, next: str = "/queue") -> Response:  # noqa: A002 - the query's name
    provider = _provider(request)
    if request.state.actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    flow = _Flow(
        secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48), safe_next(next)
    )
    metadata = await provider.metadata()
    async with await provider.oauth_client(_redirect_uri(request)) as client:
        url, _ = client.create_authorization_url(
            metadata["authorization_endpoint"],
            state=flow.state,
            nonce=flow.nonce,
            code_verifier=flow.verifier,
        )
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        STATE_COOKIE, _seal(provider, flow), max_age=_STATE_SECONDS, **_state_cookie_options(request)
    )
    return response


@router.get("/callback")
async def oidc_callback(request: Request) -> Response:
    provider = _provider(request)
    address = client_address(request)
    try:
        flow = _answered_flow(request, provider)
        await _check_issuer(request, provider)
        claims = await _signed_on_claims(request, provider, flow)
        role = role_for_groups(provider.oidc, _groups(claims, provider.oidc.groups_claim))
        if role is None:
            raise Forbidden(_NO_GROUP)
        result = await run_in_threadpool(
            log_in_external,
            request.app.state.store,
            request.app.state.settings.web,
            subject=claims["sub"],
            name=_account_name(claims),
            role=role,
            display_name=claims.get("name") if isinstance(claims.get("name"), str) else None,
            address=address,
        )
    except (LoginFailed, Forbidden) as exc:
        log.warning("single sign-on refused from %s: %s", address or "?", exc)
        raise
    response = RedirectResponse(flow.next_url, status_code=303)
    response.delete_cookie(STATE_COOKIE, **_state_cookie_options(request))
    set_session_cookie(request, response, result)
    return response


# -- the steps ---------------------------------------------------------------------------


def _provider(request: Request) -> OidcProvider:
    settings: Settings = request.app.state.settings
    if not settings.oidc.enabled:
        raise NotFound("single sign-on is not configured")
    provider = getattr(request.app.state, "oidc_provider", None)
    if provider is None:
        provider = request.app.state.oidc_provider = OidcProvider(settings)
    return provider


def _answered_flow(request: Request, provider: OidcProvider) -> _Flow:
    """The flow this browser started, when the provider's answer is the one to it."""
    flow = _unseal(provider, request.cookies.get(STATE_COOKIE))
    state = request.query_params.get("state", "")
    if not hmac.compare_digest(state.encode(), flow.state.encode()):
        raise LoginFailed("the sign-on answer is not for the sign-on this browser started: start again")
    error = request.query_params.get("error")
    if error:
        said = f"{error[:100]} {request.query_params.get('error_description', '')[:300]}"
        raise LoginFailed(f"the sign-on provider refused: {' '.join(said.split())}")
    if not request.query_params.get("code"):
        raise LoginFailed("the sign-on provider's answer has no authorization code")
    return flow


async def _check_issuer(request: Request, provider: OidcProvider) -> None:
    """RFC 9207: an answer naming its issuer must name ours (no mix-up with another provider)."""
    issuer = request.query_params.get("iss")
    if issuer is not None and issuer != (await provider.metadata())["issuer"]:
        raise LoginFailed(f"the sign-on answer comes from {issuer[:200]!r}, not the configured provider")


async def _signed_on_claims(request: Request, provider: OidcProvider, flow: _Flow) -> dict[str, Any]:
    """Exchange the code, check the ID token, and add the user info when the groups are not in it."""
    token = await provider.exchange(request.query_params["code"], flow.verifier, _redirect_uri(request))
    claims = await provider.id_token_claims(token, flow.nonce)
    if _claim(claims, provider.oidc.groups_claim) is None and isinstance(token.get("access_token"), str):
        claims = {**await provider.user_info(token["access_token"], claims["sub"]), **claims}
    if _claim(claims, provider.oidc.groups_claim) is None:
        log.warning(
            "the sign-on provider sent no %r claim for %s: ask for its scope in [oidc] scopes "
            "or have the provider add it",
            provider.oidc.groups_claim,
            claims["sub"],
        )
    return claims


# -- helpers -----------------------------------------------------------------------------


async def _fetch_json(url: str, what: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A JSON object from the provider, or `LoginFailed` saying what went wrong."""
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
            response = await client.get(url, headers={"Accept": "application/json", **(headers or {})})
    except httpx.HTTPError as exc:
        raise LoginFailed(f"the sign-on provider cannot be reached at {url}: {type(exc).__name__}") from exc
    if response.status_code != 200:
        raise LoginFailed(f"{what} at {url}: the provider answered {response.status_code}")
    try:
        document = response.json()
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise LoginFailed(f"{what} at {url} is not a JSON object")
    return document


def _jose_reason(exc: Exception) -> str:
    reason = getattr(exc, "description", None) or getattr(exc, "error", None) or type(exc).__name__
    return str(reason)[:200]


def _seal(provider: OidcProvider, flow: _Flow) -> str:
    claims = {**dataclasses.asdict(flow), "exp": int(time.time()) + _STATE_SECONDS}
    return jwt.encode({"alg": "dir", "enc": "A256GCM"}, claims, provider.state_key, registry=_STATE_REGISTRY)


def _unseal(provider: OidcProvider, value: str | None) -> _Flow:
    if not value:
        raise LoginFailed("no sign-on is under way in this browser (or it took over 10 minutes): start again")
    try:
        claims = jwt.decode(value, provider.state_key, registry=_STATE_REGISTRY).claims
        jwt.JWTClaimsRegistry(exp={"essential": True}).validate(claims)
        return _Flow(claims["state"], claims["nonce"], claims["verifier"], safe_next(claims["next_url"]))
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise LoginFailed("the sign-on in this browser has expired or was altered: start again") from exc


def _state_cookie_options(request: Request) -> dict[str, Any]:
    secure = request.app.state.settings.web.secure_cookies or request.url.scheme == "https"
    return {**cookie_options(secure), "path": "/oidc"}


def _redirect_uri(request: Request) -> str:
    base = request.app.state.settings.web.base_url or str(request.base_url)
    return base.rstrip("/") + "/oidc/callback"


def _claim(claims: dict[str, Any], name: str) -> Any:
    """A claim by name, or by a dotted path into nested objects (e.g. realm_access.roles)."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _groups(claims: dict[str, Any], name: str) -> list[str]:
    value = _claim(claims, name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [group for group in value if isinstance(group, str)]
    return []


_NOT_IN_NAMES = re.compile(r"[^a-z0-9._@-]+")


def _account_name(claims: dict[str, Any]) -> str:
    """The local account's name: preferred_username, else the e-mail's local part, else the subject."""
    email = claims.get("email")
    candidates = [
        claims.get("preferred_username"),
        email.partition("@")[0] if isinstance(email, str) else None,
        claims["sub"],
    ]
    for candidate in candidates:
        if isinstance(candidate, str):
            name = _NOT_IN_NAMES.sub("-", candidate.strip().lower()).strip("-._@")[:150]
            if name:
                return name
    return "sso-" + secrets.token_hex(4)
