"""The Update page's password attempts (the shared password of one machine, app/access.py): a delay that grows and
a lock-out, counted per session, per client address and per account, that never locks everyone out.

The count lives in a small file beside the database (`<db>.logins.json`, under a lock), so every replica of
`make serve` sees the same failures. Three kinds of key:

- `session:<id>`: this browser session. Delays, then a lock-out.
- `client:<address>`: the client's own address. Delays, then a lock-out. A forwarded address (X-Forwarded-For,
  X-Real-IP) is believed only from the proxies DASHBOARD_TRUSTED_PROXIES names (addresses or networks, comma-
  separated; `make serve` sets its own nginx's, 127.0.0.1 and ::1): the client is the last address of the
  X-Forwarded-For chain that is not one of them. Anyone else's headers are ignored, so they cannot be spoofed.
- `shared:<address>` and `account:<name>`: an address many clients may share (a proxy this server was not told to
  trust, or no address at all) and the account signed into (one shared password: one account). These only delay,
  at most SHARED_MAX_DELAY_S, and never lock out: one wrong guesser cannot keep the team out.
"""

from __future__ import annotations

import fcntl
import hmac
import ipaddress
import json
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

from etl.build import db_pointer

MAX_FAILURES = 5  # then locked out for LOCKOUT_S
LOCKOUT_S = 15 * 60
MAX_DELAY_S = 60  # after n failures the next try waits min(2 ** (n - 1), MAX_DELAY_S) seconds
FORGET_S = 24 * 3600  # failures older than this are forgotten
SHARED_MAX_DELAY_S = 10  # the longest a key many people share (an account, a shared address) makes anyone wait
PROXIES_ENV = "DASHBOARD_TRUSTED_PROXIES"
NEVER_LOCKED = ("shared:", "account:")
_log = logging.getLogger(__name__)
_warned = False  # the warning about an unnamed proxy, once per process


def password_ok(given: str, secrets) -> bool:
    """Compare with the `update_password` secret in constant time; no secret set means no way in."""
    expected = secrets.get("update_password") if secrets is not None else None
    return bool(expected) and hmac.compare_digest(str(given).encode(), str(expected).encode())


def trusted_proxies(value: str | None = None) -> list:
    """The networks of DASHBOARD_TRUSTED_PROXIES ("127.0.0.1,::1", "10.0.0.0/24"); a malformed entry is left out
    (and logged): it then trusts nobody, which is safe."""
    value = os.environ.get(PROXIES_ENV, "") if value is None else value
    nets = []
    for item in filter(None, (v.strip() for v in value.split(","))):
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            _log.warning("%s: %r is not an address or network; ignored", PROXIES_ENV, item)
    return nets


def _address(text: str | None):
    try:
        return ipaddress.ip_address(str(text).strip().strip("[]")) if text else None
    except ValueError:
        return None


def client_address(ip: str | None, headers, proxies: list | None = None) -> tuple[str, bool]:
    """(the client's address, whether it is the client's own): the peer's address, or the address a trusted proxy
    forwarded (the last of X-Forwarded-For that is not a trusted proxy, else X-Real-IP). Own is False when many
    clients may share it: a chain of trusted proxies only, no address, or a forwarding proxy on this machine that
    DASHBOARD_TRUSTED_PROXIES does not name (its forwarded address is not believed; the peer is that proxy)."""
    proxies = trusted_proxies() if proxies is None else proxies
    peer = _address(ip) if isinstance(ip, str) else None  # (AppTest gives no address)
    if peer is None:
        return "unknown", False
    get = (lambda k: headers.get(k)) if headers is not None else (lambda k: None)
    forwarded = [a.strip() for a in (get("X-Forwarded-For") or "").split(",") if a.strip()]
    real = get("X-Real-IP")
    if any(peer in net for net in proxies):
        for hop in reversed(forwarded):
            address = _address(hop)
            if address is None:
                return str(peer), False  # garbage in the chain: nothing behind it can be believed
            if not any(address in net for net in proxies):
                return str(address), True
        address = _address(real)
        if address is not None and not any(address in net for net in proxies):
            return str(address), True
        return str(peer), False
    if peer.is_loopback and (forwarded or real):
        _warn_unnamed_proxy()
        return str(peer), False
    return str(peer), True


def _warn_unnamed_proxy() -> None:
    global _warned
    if not _warned:
        _warned = True
        _log.warning("a request forwarded by a proxy on this machine that %s does not name: every client behind it "
                     "shares its address, so its failed passwords only delay (set %s=127.0.0.1,::1)",
                     PROXIES_ENV, PROXIES_ENV)


def keys_for(session: str, ip: str | None, headers, account: str, proxies: list | None = None) -> list[str]:
    """The keys one attempt counts under: the session, the client (own or shared address) and the account."""
    address, own = client_address(ip, headers, proxies)
    return [f"session:{session}", f"{'client' if own else 'shared'}:{address}", f"account:{account}"]


def session_keys(account: str = "update_password") -> list[str]:
    """The keys a Streamlit session's attempts count under (see keys_for)."""
    import uuid

    import streamlit as st

    session = st.session_state.setdefault("update.session", uuid.uuid4().hex)
    return keys_for(session, st.context.ip_address, st.context.headers, account)


def _path() -> Path:
    pointer = db_pointer()
    return pointer.with_name(pointer.stem + ".logins.json")


@contextmanager
def _state():
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        try:
            state = json.loads(fh.read() or "{}")
        except json.JSONDecodeError:
            state = {}
        now = time.time()
        state = {k: v for k, v in state.items() if now - v.get("last", 0) < FORGET_S}
        yield state
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps(state))
        fh.flush()
        os.fsync(fh.fileno())


def wait_seconds(keys: list[str]) -> int:
    """How long the holders of `keys` (a session, a client address) must wait before the next try (0: now)."""
    now = time.time()
    with _state() as state:
        waits = []
        for k in keys:
            n, last = state.get(k, {}).get("failures", 0), state.get(k, {}).get("last", 0)
            if k.startswith(NEVER_LOCKED):
                if n:
                    waits.append(last + min(2 ** (n - 1), SHARED_MAX_DELAY_S) - now)
            elif n >= MAX_FAILURES:
                waits.append(last + LOCKOUT_S - now)
            elif n:
                waits.append(last + min(2 ** (n - 1), MAX_DELAY_S) - now)
    return max(0, int(max(waits, default=0) + 0.999))


def failed(keys: list[str]) -> None:
    """Count one failed try for each key."""
    with _state() as state:
        for k in keys:
            entry = state.setdefault(k, {"failures": 0})
            entry["failures"] = entry.get("failures", 0) + 1
            entry["last"] = time.time()


def succeeded(keys: list[str]) -> None:
    """Forget the failures of these keys."""
    with _state() as state:
        for k in keys:
            state.pop(k, None)
