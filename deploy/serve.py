"""`make serve`: renders nginx's and supervisord's configuration into a run directory, then becomes supervisord.

Debian's supervisord (deploy/supervisord.conf) starts the replicas (`streamlit run deploy/replica.py`, one per port
from --first-port up) and nginx (deploy/nginx.conf) in front of them, restarts what ends, and stops them all on
Ctrl-C or SIGTERM: this process execs it, so those signals are supervisord's. Left here: refusing to start without
a database build or on a port in use, and filling in the templates (all --render-only does, for systemd's units).
"""

import argparse
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = Path(__file__).parent
HEALTH_PATH = "/_dashboard/health"  # deploy/replica.py (not imported here: it imports Streamlit and the app)
SERVER_PARAMS = "max_fails=3 fail_timeout=10s"  # nginx's passive health (deploy/nginx.conf says how)


def find(program: str) -> str | None:
    """A program on PATH or in /usr/sbin (Debian's nginx is not on a user's PATH); None if not installed."""
    return shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/local/sbin")


def hostport(host: str, port: int) -> str:
    """host:port, with an IPv6 address in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def in_use(address: str, ports) -> list[int]:
    """The ports among `ports` that something listens on at `address` now."""
    busy = []
    for port in ports:
        with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn and nginx bind: TIME_WAIT is free
            try:
                s.bind((address, port))
            except OSError:
                busy.append(port)
    return busy


def fill(template: str, fields: dict[str, str]) -> str:
    """deploy/<template> with its {{...}} fields filled in; every field must be known and filled."""
    text = (DEPLOY / template).read_text(encoding="utf-8")
    for key, value in fields.items():
        text = text.replace("{{" + key + "}}", value)
    unfilled = sorted(set(re.findall(r"\{\{[A-Z_]+\}\}", text)))
    if unfilled:
        raise ValueError(f"unfilled fields in deploy/{template}: {', '.join(unfilled)}")
    return text


def nginx_conf(run_dir: Path, listen: str, upstreams: list[str], access_log: str = "off") -> str:
    """deploy/nginx.conf for nginx on `listen` in front of `upstreams` (host:port each)."""
    servers = "\n".join(f"        server {u} {SERVER_PARAMS};" for u in upstreams)
    return fill("nginx.conf", {"RUN_DIR": str(run_dir), "LISTEN": listen, "SERVERS": servers,
                               "ACCESS_LOG": access_log})


def supervisord_conf(replicas: int, first_port: int, address: str, nginx: str | None,
                     streamlit_args: list[str] = ()) -> str:
    """deploy/supervisord.conf for `replicas` replicas on first_port and up, and nginx unless it is None."""
    text = fill("supervisord.conf", {
        "PYTHON": shlex.quote(sys.executable), "ROOT": str(ROOT), "REPLICAS": str(replicas),
        "FIRST_PORT": str(first_port), "REPLICA_ADDRESS": address, "NGINX": shlex.quote(nginx or "nginx"),
        "STREAMLIT_ARGS": shlex.join(streamlit_args).replace("%", "%%")})  # supervisord expands %(...)s
    for section, wanted in (("program:replica", replicas > 0), ("program:nginx", nginx is not None)):
        if not wanted:  # the section, its comments included, up to the next one
            text = re.sub(rf"(?ms)^\[{section}\]$.*?(?=^\[|\Z)", "", text)
    return text


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The options, and the arguments after `--` (for every replica's `streamlit run`)."""
    i = argv.index("--") if "--" in argv else len(argv)
    argv, streamlit_args = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.splitlines()[0],
                                 epilog="Arguments after -- go to every replica's `streamlit run`.")
    ap.add_argument("--replicas", type=int, default=3, help="Streamlit replicas started here (default 3)")
    ap.add_argument("--host", default="127.0.0.1", help="address nginx listens on (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=8080, help="port nginx listens on (default 8080)")
    ap.add_argument("--first-port", type=int, default=8601, help="the replicas' ports, from this one up (8601)")
    ap.add_argument("--replica-address", default="127.0.0.1", help="address the replicas listen on (127.0.0.1)")
    ap.add_argument("--upstream", action="append", default=[], metavar="HOST:PORT", help="a replica elsewhere")
    ap.add_argument("--no-proxy", action="store_true", help="only the replicas (a proxy elsewhere)")
    ap.add_argument("--run-dir", type=Path, default=ROOT / ".serve", help="configuration, logs, socket (.serve)")
    ap.add_argument("--access-log", default="off", help="nginx access log file (default off)")
    ap.add_argument("--render-only", action="store_true", help="write the configuration and exit (systemd)")
    args = ap.parse_args(argv)
    if args.replicas < 0 or (args.replicas == 0 and not args.upstream) or (args.no_proxy and args.upstream):
        ap.error("nothing to serve: --replicas 1 or more, or --upstream (which needs the proxy: no --no-proxy)")
    return args, streamlit_args


def refuse(message: str) -> int:
    """Say why deploy.serve does not start; its exit status."""
    print(f"deploy.serve: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Check, render, and become supervisord (or, with --render-only, stop there)."""
    args, streamlit_args = parse(sys.argv[1:] if argv is None else argv)
    from etl import recovery
    from etl.build import current_build, db_pointer  # light: no Streamlit, no app

    nginx, supervisord = None if args.no_proxy else find("nginx"), find("supervisord")
    ports = range(args.first_port, args.first_port + args.replicas)
    if nginx is None and not args.no_proxy:
        return refuse("nginx is not installed: sudo apt-get install nginx (or --no-proxy for the replicas alone)")
    if not args.render_only:  # (under systemd the replicas may be running already)
        if supervisord is None:
            return refuse("supervisord is not installed: sudo apt-get install supervisor")
        # The replicas' recovery, once before they start (each also runs it at every page load): a journal that
        # cannot be applied is said, and the replicas serve the last complete build.
        if trouble := recovery.run(db_pointer()):
            print(f"deploy.serve: warning: {trouble}", file=sys.stderr)
        if args.replicas and current_build(db_pointer()) is None:
            return refuse(f"no database build at {db_pointer()}: run `python -m etl` first (`make serve` does); "
                          "replicas never build it")
        busy = in_use(args.replica_address, ports) + (in_use(args.host, [args.port]) if nginx else [])
        if busy:
            return refuse(f"port {', '.join(map(str, busy))} in use: choose --first-port / --port")
    run_dir, listen = args.run_dir.absolute(), hostport(args.host, args.port)
    conf, nginx_file = run_dir / "supervisord.conf", run_dir / "nginx.conf"
    run_dir.mkdir(parents=True, exist_ok=True)
    if nginx:
        upstreams = [hostport(args.replica_address, p) for p in ports] + args.upstream
        nginx_file.write_text(nginx_conf(run_dir, listen, upstreams, args.access_log), encoding="utf-8")
        test = subprocess.run([nginx, "-t", "-q", "-p", str(run_dir), "-c", str(nginx_file)], capture_output=True)
        if test.returncode:
            return refuse(f"nginx refuses {nginx_file}:\n{test.stderr.decode(errors='replace')}")
    conf.write_text(supervisord_conf(args.replicas, args.first_port, args.replica_address, nginx, streamlit_args),
                    encoding="utf-8")
    print(f"deploy.serve: wrote {conf}" + (f" and {nginx_file}" if nginx else "") + ("" if args.render_only else
          f"; serving {f'http://{listen}' if nginx else 'no proxy'}; Ctrl-C stops everything"), flush=True)
    if args.render_only:
        return 0
    # One cookie secret for every replica: a viewer moved to another one keeps a valid XSRF cookie.
    os.environ.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_urlsafe(32))
    if nginx:  # the replicas' only client is this nginx: the Update page's throttle believes its X-Forwarded-For
        os.environ.setdefault("DASHBOARD_TRUSTED_PROXIES", "127.0.0.1,::1")  # (app/login.py)
    os.execv(supervisord, [supervisord, "-n", "-c", str(conf)])


if __name__ == "__main__":
    sys.exit(main())
