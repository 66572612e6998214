"""The Update page's password attempts: a delay that grows and a lock-out, per session and per client address.

The count lives in a small file beside the database (`<db>.logins.json`, under a lock), so every replica of
`make serve` sees the same failures; a client is known by the address nginx saw (X-Real-IP, trusted only when the
request came from the proxy on this machine), else by the address Streamlit saw.
"""

from __future__ import annotations

import fcntl
import hmac
import ipaddress
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from etl.build import db_pointer

MAX_FAILURES = 5  # then locked out for LOCKOUT_S
LOCKOUT_S = 15 * 60
MAX_DELAY_S = 60  # after n failures the next try waits min(2 ** (n - 1), MAX_DELAY_S) seconds
FORGET_S = 24 * 3600  # failures older than this are forgotten


def password_ok(given: str, secrets) -> bool:
    """Compare with the `update_password` secret in constant time; no secret set means no way in."""
    expected = secrets.get("update_password") if secrets is not None else None
    return bool(expected) and hmac.compare_digest(str(given).encode(), str(expected).encode())


def client_address(ip: str | None, headers) -> str:
    """The client's address: nginx's X-Real-IP when the request came through the proxy on loopback."""
    ip = ip if isinstance(ip, str) and ip else None  # (AppTest gives no address)
    try:
        local = ip is not None and ipaddress.ip_address(ip).is_loopback
    except ValueError:
        local = False
    real = headers.get("X-Real-IP") if headers is not None else None
    return real if local and real else (ip or "unknown")


def session_keys() -> list[str]:
    """The keys a Streamlit session's attempts count under: the session, and the client's address."""
    import uuid

    import streamlit as st

    session = st.session_state.setdefault("update.session", uuid.uuid4().hex)
    return [f"session:{session}", f"client:{client_address(st.context.ip_address, st.context.headers)}"]


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
            if n >= MAX_FAILURES:
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
