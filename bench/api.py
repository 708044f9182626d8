"""Throughput of the real web endpoints against a bare Quart twin, in the same run.

Serves the application (`reception serve`, its own Hypercorn settings) on a seeded database and
a bare Quart app answering `/hello` with JSON under the same Hypercorn settings, then loads each
endpoint with wrk (Debian's `wrk`: `apt-get install wrk`) from this machine, interleaving the
endpoints over repetitions and keeping medians. The load generator shares the cores with the
servers, so every figure is read as a share of the bare twin measured the same way. Two more
rows measure the application's own floor (its hooks, and the session check) on routes that
answer a constant: no DB-backed endpoint can be cheaper than the signed-in floor.

    .venv/bin/python -m bench.api                       # 64 connections, 3 × 8 s per endpoint
    .venv/bin/python -m bench.api --connections 64 --seconds 10 --repeat 3 --cases 2000

Prints req/s, p50 and p95 per endpoint and, as its last line,
`DB-backed endpoints vs bare Quart: list R1, detail R2` (ratios of req/s).
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import bench_database  # noqa: E402

PASSWORD = "bench-password-2026"
VAULT_KEY = "A" * 43  # 32 bytes, base64url: a fixed bench key (the bench holds no real identity)
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.requests))
end
"""


@dataclass(frozen=True)
class Figure:
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def twin(port: int) -> None:
    """Child: the bare Quart app under the Hypercorn settings `reception serve` uses."""
    from hypercorn.asyncio import serve
    from quart import Quart

    app = Quart("bare")

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    asyncio.run(serve(app, hypercorn_config(port)))


def hypercorn_config(port: int) -> Any:
    """The Hypercorn settings `reception serve` uses (reception/cli.py)."""
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = None
    config.graceful_timeout = 5
    return config


def floor(port: int) -> None:
    """Child: the application itself (same settings, hooks and session store) with two routes
    that answer a constant: what any endpoint of ours costs before its own work — anonymous,
    and signed in (the session check only)."""
    from hypercorn.asyncio import serve

    from reception.app import create_app
    from reception.logging_setup import configure_logging
    from reception.settings import Settings
    from reception.web.security.access import staff_required

    settings = Settings.from_mapping(os.environ)
    configure_logging(settings.log_level, json=settings.log_json)

    async def go() -> None:
        app = create_app(settings, os.environ["DATABASE_URL"])

        @app.get("/bench/floor")
        async def anonymous() -> dict[str, str]:
            return {"hello": "world"}

        @app.get("/bench/floor-signed-in")
        @staff_required()
        async def signed_in() -> dict[str, str]:
            return {"hello": "world"}

        await serve(app, hypercorn_config(port))

    asyncio.run(go())


async def seed(url: str, cases: int) -> tuple[str, str]:
    """An agency, a case manager and `cases` registered case files; (login, one case id)."""
    from reception.bootstrap.container import Container
    from reception.domain.cases.case import ProcessKind
    from reception.domain.cases.case_file import CaseFilter, Channel, PartyRole
    from reception.domain.organisation import AgencyLevel, StaffRole
    from reception.services.cases.workflow import NewCase, NewParty
    from reception.services.staff import NewAgency, NewStaff
    from reception.settings import Settings

    with tempfile.TemporaryDirectory() as data:
        settings = Settings.from_mapping({"DATABASE_URL": url, "DATA_DIR": data,
                                          "SECRET_KEY": "bench", "VAULT_KEY": VAULT_KEY})
        container = Container(settings, url)
        try:
            staff = {m.login: m for m in await container.staff.list_staff()}
            if "benchmgr" not in staff:
                agency = await container.staff.create_agency(
                    None, NewAgency("BENCH", "Thanh tra tỉnh (bench)", AgencyLevel.PROVINCE))
                await container.staff.create_staff(None, NewStaff(
                    agency.id, "benchmgr", "Trần Thị Quản Lý", PASSWORD,
                    frozenset({StaffRole.CASE_MANAGER, StaffRole.RECEPTIONIST})))
                staff = {m.login: m for m in await container.staff.list_staff()}
            manager = staff["benchmgr"]
            existing = await container.cases.reports.search(manager, CaseFilter(), limit=cases)
            for i in range(len(existing), cases):
                await container.cases.workflow.register(manager, NewCase(
                    ProcessKind.PETITION, Channel.POST,
                    f"Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất số {i}",
                    (NewParty(PartyRole.PETITIONER, f"Nguyễn Văn {i}",
                              address="Số 1 Hàng Bông, Hà Nội", id_type="CCCD",
                              id_number="001090000001", contact="0912345678"),),
                    received_on=date.today()))
            found = await container.cases.reports.search(manager, CaseFilter(), limit=1)
            return manager.login, str(found[0].id)
        finally:
            await container.close()


def log_in(base: str, login: str) -> str:
    """A Cookie header of a logged-in case manager."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert token, "no CSRF token on /login"
    body = urllib.parse.urlencode({"login": login, "password": PASSWORD,
                                   "csrf_token": token.group(1)}).encode()
    opener.open(urllib.request.Request(f"{base}/login", data=body))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def status_of(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        return int(urllib.request.urlopen(request, timeout=30).status)
    except urllib.error.HTTPError as error:
        return error.code


def wrk(url: str, connections: int, seconds: int, script: Path, cookie: str | None) -> Figure:
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
            "-s", str(script), url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)", out)
    assert match, out
    rps, p50, p95, errors, _ = match.groups()
    return Figure(float(rps), float(p50), float(p95), int(errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1, help="web processes of the app")
    parser.add_argument("--only", default="", help="comma-separated words: load only the "
                        "endpoints whose name has one (the bare twin always; e.g. `list` while "
                        "py-spy records the server)")
    parser.add_argument("--twin", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.twin:
        twin(args.twin)
        return
    if args.floor:
        floor(args.floor)
        return
    if shutil.which("wrk") is None:
        sys.exit("bench/api.py needs wrk: apt-get install wrk")

    async def prepare() -> None:
        async with bench_database() as url:
            login, case_id = await seed(url, args.cases)
            await asyncio.to_thread(run, url, login, case_id, args)

    asyncio.run(prepare())


def run(url: str, login: str, case_id: str, args: argparse.Namespace) -> None:
    app_port, twin_port, floor_port = free_port(), free_port(), free_port()
    data = tempfile.mkdtemp(prefix="bench-api-")
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": data, "PORT": str(app_port),
           "HOST": "127.0.0.1", "COOKIE_SECURE": "false", "WORKER_IN_PROCESS": "false",
           "VAULT_KEY": VAULT_KEY, "SECRET_KEY": "bench"}
    serve = [str(Path(sys.executable).parent / "reception"), "serve"]
    if args.workers > 1:
        serve += ["--workers", str(args.workers)]
    app = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bare = subprocess.Popen([sys.executable, "-m", "bench.api", "--twin", str(twin_port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    floor = subprocess.Popen([sys.executable, "-m", "bench.api", "--floor", str(floor_port)],
                             cwd=ROOT, env={**env, "MEDIA_EMBEDDED": "false"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    script = Path(data) / "report.lua"
    script.write_text(LUA)
    try:
        app_base, twin_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{twin_port}"
        floor_base = f"http://127.0.0.1:{floor_port}"
        wait_up(f"{app_base}/healthz")
        wait_up(f"{twin_base}/hello")
        wait_up(f"{floor_base}/healthz")
        cookie = log_in(app_base, login)
        endpoints = {
            "bare Quart /hello": (f"{twin_base}/hello", None),
            "app 404, no database": (f"{app_base}/no-such-page", None),
            "app floor, anonymous": (f"{floor_base}/bench/floor", None),
            "app floor, signed in": (f"{floor_base}/bench/floor-signed-in", cookie),
            "/healthz": (f"{app_base}/healthz", None),
            "/api/v1/cases (list)": (f"{app_base}/api/v1/cases", cookie),
            "/api/v1/cases/<id> (detail)": (f"{app_base}/api/v1/cases/{case_id}", cookie),
        }
        wanted = [w for w in args.only.split(",") if w]
        endpoints = {name: e for name, e in endpoints.items()
                     if not wanted or "bare" in name or any(w in name for w in wanted)}
        for name, (target, auth) in endpoints.items():  # each answers as expected first
            expected = 404 if "404" in name else 200
            got = status_of(target, auth)
            assert got == expected, f"{name}: HTTP {got}, expected {expected}"
        runs: dict[str, list[Figure]] = {name: [] for name in endpoints}
        for _ in range(args.repeat):  # interleaved: a busy moment hurts every endpoint alike
            for name, (target, auth) in endpoints.items():
                runs[name].append(wrk(target, args.connections, args.seconds, script, auth))
        report(runs, args)
    finally:
        for process in (app, bare, floor):
            process.send_signal(signal.SIGTERM)
        for process in (app, bare, floor):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(data, ignore_errors=True)


def report(runs: dict[str, list[Figure]], args: argparse.Namespace) -> None:
    medians = {name: Figure(statistics.median(f.rps for f in figures),
                            statistics.median(f.p50_ms for f in figures),
                            statistics.median(f.p95_ms for f in figures),
                            sum(f.errors for f in figures)) for name, figures in runs.items()}
    bare = medians["bare Quart /hello"].rps
    print(f"\nwrk -c{args.connections}, {args.repeat} × {args.seconds} s per endpoint, medians; "
          f"app web processes: {args.workers}; {os.cpu_count()} cores shared with wrk")
    print(f"{'endpoint':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'share':>6} {'non-2xx':>8}")
    for name, figure in medians.items():
        print(f"{name:32} {figure.rps:8.0f} {figure.p50_ms:8.1f} {figure.p95_ms:8.1f} "
              f"{figure.rps / bare:6.2f} {figure.errors:8d}")
    shares = {key: medians[name].rps / bare for key, name in (
        ("list", "/api/v1/cases (list)"), ("detail", "/api/v1/cases/<id> (detail)"))
        if name in medians}
    signed = medians.get("app floor, signed in")
    if signed is not None:  # the share of what a signed-in endpoint of ours costs at least
        print("DB-backed endpoints vs the app's signed-in floor: " + ", ".join(
            f"{key} {share * bare / signed.rps:.2f}" for key, share in shares.items()))
    print("DB-backed endpoints vs bare Quart: "
          + ", ".join(f"{key} {share:.2f}" for key, share in shares.items()))


if __name__ == "__main__":
    main()
