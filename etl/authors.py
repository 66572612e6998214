"""Who publishes, rolls back or undoes a roll-back: the person the change log names, as their sign-in established
them, never a name typed in a field.

Three ways of knowing who it is, each recorded in the change log's `signed_in` column beside the name (`by`) and the
e-mail (`by_email`):

- the Update page behind the institution's identity provider (OpenID Connect, `st.login`): the verified name and
  e-mail of the ID token, `signed_in` naming the issuer and the account's subject (app/access.py);
- the Update page with the shared password of one machine: the operator that machine's configuration names
  (`update_operator`, `update_operator_email` in `.streamlit/secrets.toml`), else the account that runs the server;
- `python -m etl` in a shell: the account that runs the command (its name from the system's user database).
"""

from __future__ import annotations

import getpass
import os
import pwd
import socket
from dataclasses import dataclass

# The rows committed before sign-in existed (data/dashboard.changes.csv, 2026-12-03 to 2026-12-07) were written by
# the project's developers with a free-text "by"; no individual was recorded, so they are attributed to the team.
BEFORE_SIGN_IN_BY = "Zespół projektu dashboardu / the dashboard's project team"
BEFORE_SIGN_IN = "none: recorded before sign-in existed (no individual was recorded)"


@dataclass(frozen=True)
class Author:
    """A person as the change log records them: name, e-mail (may be empty) and how their identity was known."""

    name: str
    email: str = ""
    signed_in: str = ""

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    def ledger(self) -> dict[str, str]:
        """The change log's columns for this person."""
        return {"by": self.name, "by_email": self.email, "signed_in": self.signed_in}


def shell_account() -> Author:
    """The account that runs this process, named as the system's user database names it (its full name, else the
    login), with the login and host it was known by."""
    uid = os.getuid()
    try:
        entry = pwd.getpwuid(uid)
        login, full = entry.pw_name, entry.pw_gecos.split(",")[0].strip()
    except KeyError:  # a uid without an entry (a container's): the login the environment gives, else the number
        try:
            login = getpass.getuser()
        except (KeyError, OSError):
            login = str(uid)
        full = ""
    return Author(full or login, "", f"shell account {login}@{socket.gethostname()}")


def as_author(by: Author | str | None) -> Author:
    """An Author from what a caller passes: an Author as it is; a plain string (a caller of the Python API, e.g. a
    test) as a name said by that caller, recorded as such; nothing as the account that runs this process."""
    if isinstance(by, Author):
        return by
    if by:
        return Author(str(by), "", "given by the calling program (not verified)")
    return shell_account()
