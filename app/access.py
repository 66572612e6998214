"""Who is on the Update page and whether they may publish, roll back and undo: checked on the server for every
action, never only by hiding a button.

Two ways in, chosen by `.streamlit/secrets.toml` (docs/publishing.md, "Who may publish"):

- **The institution's identity provider** (OpenID Connect through Streamlit's own `st.login`, Authlib) when an
  `[auth]` section is configured: Microsoft Entra ID, Keycloak, Google Workspace or any other OIDC provider. The
  person is who the ID token says (Streamlit keeps its claims in a signed cookie, `st.user`); they may publish if
  `[publishers]` lists their e-mail address or one of their groups (the claim `claim`, "groups" by default), and
  only while their sign-in is at most `max_sign_in_age_hours` old (12 by default: a group membership removed at the
  provider stops counting within that time). An empty list lets nobody publish.
- **The shared password of one machine** (`update_password`, `make run` on a laptop) otherwise: whoever knows it
  acts as the machine's operator, `update_operator` (and `update_operator_email`), else the account that runs the
  server; its attempts are limited by app/login.py.

The change log records the Author (etl/authors.py) this module makes: never a name typed on the page.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from etl.authors import Author, shell_account

PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
MAX_SIGN_IN_AGE_HOURS = 12.0


class NotAllowed(Exception):
    """The person on the page may not do this (not signed in, not a publisher, a sign-in too old)."""

    def __init__(self, reason: str, who: Author | None = None):
        super().__init__(f"not allowed ({reason})" + (f": {who}" if who else ""))
        self.reason, self.who = reason, who


@dataclass(frozen=True)
class Rules:
    """Who may publish ([publishers] in secrets.toml): e-mail addresses, or the groups of a claim."""

    emails: frozenset[str] = frozenset()
    claim: str = "groups"
    groups: frozenset[str] = frozenset()
    max_age_s: float = MAX_SIGN_IN_AGE_HOURS * 3600

    @property
    def empty(self) -> bool:
        return not self.emails and not self.groups


@dataclass(frozen=True)
class Identity:
    """The person on the page as the server knows them: how ("oidc" or "password"), whether signed in, who, and
    whether they may change the data (`reason` says why not: signed_out, not_listed, unverified_email, too_old,
    no_publishers)."""

    mode: str
    signed_in: bool = False
    author: Author | None = None
    allowed: bool = False
    reason: str = "signed_out"
    provider: str | None = None  # the [auth.<name>] section signed in with (None: [auth] itself)
    providers: tuple[str | None, ...] = field(default=())

    def publisher(self) -> Author:
        """The Author to record, or NotAllowed: what every action calls first, on the server."""
        if not (self.signed_in and self.allowed and self.author is not None):
            raise NotAllowed(self.reason, self.author)
        return self.author


def _get(section, key, default=None):
    try:
        return section.get(key, default) if section is not None else default
    except AttributeError:
        return default


def providers(secrets) -> tuple[str | None, ...]:
    """The identity providers `[auth]` configures: None for the unnamed one ([auth] itself holds client_id...),
    else the name of each [auth.<name>] section that does. Empty: no sign-in configured (the shared password)."""
    auth = _get(secrets, "auth")
    if not auth or not _get(auth, "redirect_uri") or not _get(auth, "cookie_secret"):
        return ()
    if all(_get(auth, k) for k in PROVIDER_KEYS):
        return (None,)
    return tuple(sorted(name for name in auth.keys()
                        if isinstance(auth[name], Mapping) and all(_get(auth[name], k) for k in PROVIDER_KEYS)))


def rules(secrets) -> Rules:
    """[publishers]: `emails` (case does not matter), `claim` and `groups`, `max_sign_in_age_hours`."""
    section = _get(secrets, "publishers") or {}

    def listed(key: str) -> list[str]:
        value = _get(section, key) or []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    hours = _get(section, "max_sign_in_age_hours", MAX_SIGN_IN_AGE_HOURS)
    return Rules(frozenset(e.strip().lower() for e in listed("emails") if e.strip()),
                 str(_get(section, "claim", "groups") or "groups"),
                 frozenset(g.strip() for g in listed("groups") if g.strip()), float(hours) * 3600)


def author_of(claims: Mapping, provider: str | None = None) -> Author:
    """The person an ID token names: its `name` (else given and family name, preferred_username, e-mail, subject),
    its `email`, and the issuer and subject that identify the account for good."""
    name = claims.get("name") or " ".join(p for p in (claims.get("given_name"), claims.get("family_name")) if p) \
        or claims.get("preferred_username") or claims.get("email") or claims.get("sub") or "?"
    issuer = claims.get("iss") or "?"
    how = f"OpenID Connect: {issuer}" + (f" ([auth.{provider}])" if provider else "") + f", subject {claims.get('sub')}"
    return Author(str(name), str(claims.get("email") or ""), how)


def check(claims: Mapping, rule: Rules, now: float | None = None) -> tuple[bool, str]:
    """(may publish, why not): an e-mail on the list (unless the provider says it is unverified) or a group of the
    claim on the list, with a sign-in (the ID token's `iat`) no older than the rule allows."""
    if rule.empty:
        return False, "no_publishers"
    now = time.time() if now is None else now
    try:
        issued = float(claims.get("iat"))
    except (TypeError, ValueError):
        issued = None
    if issued is None or now - issued > rule.max_age_s:
        return False, "too_old"
    email = str(claims.get("email") or "").strip().lower()
    groups = claims.get(rule.claim) or []
    groups = {groups} if isinstance(groups, str) else {str(g) for g in groups} if isinstance(groups, (list, tuple)) \
        else set()
    if groups & rule.groups:
        return True, ""
    if email and email in rule.emails:
        if claims.get("email_verified") in (False, "false"):
            return False, "unverified_email"
        return True, ""
    return False, "not_listed"


def operator(secrets) -> Author:
    """Who the shared password acts as: `update_operator` (and `update_operator_email`) of this machine's
    secrets.toml, else the account that runs the server."""
    name = str(_get(secrets, "update_operator") or "").strip()
    host = socket.gethostname()
    if name:
        return Author(name, str(_get(secrets, "update_operator_email") or "").strip(),
                      f"shared password on {host} (its operator, update_operator)")
    account = shell_account()
    return Author(account.name, "", f"shared password on {host} (no update_operator: the server's "
                                    f"{account.signed_in})")


def _secrets():
    import streamlit as st

    return st.secrets if st.secrets.load_if_toml_exists() else None


def identity(secrets=None, claims: Mapping | None = None, session: Mapping | None = None,
             now: float | None = None) -> Identity:
    """The person on this page now, from this session's server-side state only: st.user (claims from the signed
    cookie, read when the session started) with the identity provider, the session's password sign-in without."""
    import streamlit as st

    secrets = _secrets() if secrets is None else secrets
    configured = providers(secrets)
    if configured:
        claims = st.user.to_dict() if claims is None else claims
        if not claims.get("is_logged_in"):
            return Identity("oidc", providers=configured)
        provider = claims.get("provider")
        provider = provider if provider in configured else None
        ok, reason = check(claims, rules(secrets), now)
        return Identity("oidc", True, author_of(claims, provider), ok, reason, provider, configured)
    session = st.session_state if session is None else session
    if session.get("update.ok"):
        return Identity("password", True, operator(secrets), True, "")
    return Identity("password")
