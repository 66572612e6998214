"""One replica of `make serve`: the dashboard (dashboard.py and pages/) as `st.App`, plus a health check that
reads the database.

    DASHBOARD_REPLICA=replica_8601 python -m streamlit run deploy/replica.py --server.port 8601 ...

supervisord (deploy/supervisord.conf) or systemd (deploy/systemd/dashboard-replica@.service) starts each replica
this way. `streamlit run` finds the `st.App` below and serves dashboard.py exactly as `streamlit run dashboard.py`
would (same runtime, pages, static files, .streamlit/config.toml of the working directory), with one more route:

    GET /_dashboard/health  ->  200 "replica_8601: ok: dashboard-<stamp>.duckdb built <time> UTC"
                            ->  503 "replica_8601: streamlit: ..." or "replica_8601: database: cannot read ...: <error>"

Streamlit's own /_stcore/health answers 200 as soon as the server runs, whether or not the app can open its
database (its script health check, server.scriptHealthCheckEnabled, runs a whole page per probe and reports
"ok" for a page that shows an error box). This check reads the build the database path names now, through the
same read-only connection the pages use (app.builds.health), so a replica whose build is missing, unreadable or
corrupt says so here, for an administrator or a monitor. nginx does not take such a replica out: the build is
one file for every replica, and the page's own message says more than nginx's 502 (deploy/README.md).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from app import builds
from app.document import DocumentLanguage

HEALTH_PATH = "/_dashboard/health"
SCRIPT = Path(__file__).resolve().parents[1] / "dashboard.py"


async def health(request: Request) -> PlainTextResponse:
    """200 when Streamlit accepts browsers and the current build answers a query; 503 naming what failed."""
    from streamlit import runtime

    name = builds.replica() or "replica"
    ready, why = await runtime.get_instance().is_ready_for_browser_connection
    if not ready:
        ok, message = False, f"streamlit: {why}"
    else:
        ok, found = await run_in_threadpool(builds.health)  # opens a DuckDB file: not on the event loop
        message = f"ok: {found}" if ok else f"database: {found}"
    return PlainTextResponse(f"{name}: {message}\n", status_code=200 if ok else 503,
                             headers={"Cache-Control": "no-store"})


# Not named `app`: that is the dashboard's package (imported above). Streamlit also looks for `streamlit_app`.
# The document in the reader's language from the first byte (app/document.py), as `streamlit run dashboard.py` does.
streamlit_app = st.App(SCRIPT, routes=[Route(HEALTH_PATH, health, methods=["GET", "HEAD"])],
                       middleware=[Middleware(DocumentLanguage)])
