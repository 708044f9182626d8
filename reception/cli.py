"""The `reception` command: serve, worker, migrate, create-user, seed-demo, docs."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from reception.adapters.db.resolve import ResolvedDatabase, resolve_database
from reception.logging_setup import configure_logging
from reception.settings import Settings

if TYPE_CHECKING:  # the command imports it when it runs (the CLI starts fast)
    from reception.services.integrity.checks import Baseline

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as error:  # pydantic's message names the variable and the bad value
        raise click.ClickException(f"Invalid configuration: {error}") from None


def _with_database(work: Callable[[Settings, ResolvedDatabase], Awaitable[T]]) -> T:
    """Run `work` with the resolved database; stop the embedded server afterwards."""
    settings = _settings()
    configure_logging(settings.log_level, json=settings.log_json)

    async def run() -> T:
        configured = settings.database_url.get_secret_value() if settings.database_url else None
        db = await resolve_database(configured, settings.data_dir)
        try:
            return await work(settings, db)
        finally:
            db.stop()

    return asyncio.run(run())


@click.group()
def main() -> None:
    """Tiếp dân trực tuyến — online citizen reception server."""


@main.command()
def migrate() -> None:
    """Apply database migrations (Alembic) up to the newest."""
    from reception.adapters.db.migrate import upgrade
    from reception.bootstrap.container import Container

    async def work(settings: Settings, db: ResolvedDatabase) -> None:
        await upgrade(db.url)
        container = Container(settings, db.url)
        try:  # what a migration cannot do without VAULT_KEY
            sealed = await container.seal_earlier_bookings()
        finally:
            await container.close()
        if sealed:
            click.echo(f"{sealed} denunciation booking(s) made before sealing: now sealed.")
        click.echo("Database is up to date.")

    _with_database(work)


@main.command()
@click.option("--host", default=None, help="Address to listen on (default from HOST).")
@click.option("--port", type=int, default=None, help="Port (default from PORT).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Web processes sharing the address (state lives in PostgreSQL).")
@click.option("--media", "media", type=click.IntRange(0, 64), default=0, show_default=True,
              help="Media node processes to start beside the web (0: the web process holds "
                   "the hearings' media itself unless MEDIA_EMBEDDED=false).")
@click.option("--listen-fd", type=int, default=None, hidden=True)
@click.option("--parent-pid", type=int, default=None, hidden=True)
def serve(host: str | None, port: int | None, workers: int, media: int,
          listen_fd: int | None, parent_pid: int | None) -> None:
    """Serve the web application with Hypercorn."""
    import socket

    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config

    from reception.app import create_app
    from reception.supervisor import Children, watch_parent

    async def work(settings: Settings, db: ResolvedDatabase) -> None:
        # The address served is the one links default to (PUBLIC_URL unset).
        updates: dict[str, object] = {"host": host or settings.host, "port": port or settings.port}
        if media:
            updates["media_embedded"] = False  # the media processes hold the hearings
        settings = settings.model_copy(update=updates)
        if settings.signing_p12 is None and parent_pid is None:  # the demo CA, made once, now
            from reception.bootstrap.signing import demo_pki

            demo_pki(settings).ensure()
        fd = listen_fd
        if fd is None:  # one listening socket for every web process; the kernel spreads the
            # connections between the processes accepting on it
            listener = socket.create_server((settings.host, settings.port), backlog=1024)
            fd = listener.detach()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        children = Children(
            [["serve", "--listen-fd", str(fd), "--host", settings.host,
              "--port", str(settings.port)]] * (workers - 1) + [["media"]] * media,
            pass_fds=(fd,), env={} if settings.media_embedded else {"MEDIA_EMBEDDED": "false"})
        watching = None
        if parent_pid is None:
            children.start()
        else:
            watching = asyncio.create_task(watch_parent(parent_pid, stop))
        app = create_app(settings, db.url)
        config = Config()
        config.bind = [f"fd://{fd}"]
        config.accesslog = None
        config.graceful_timeout = 5
        if parent_pid is None:
            click.echo(f"Serving on http://{settings.host}:{settings.port} ({workers} web, "
                       f"{media or 'embedded'} media)", err=True)
        try:
            await hypercorn_serve(app, config, shutdown_trigger=stop.wait)
        finally:
            await children.stop()
            if watching is not None:
                watching.cancel()

    _with_database(work)


@main.command()
@click.option("--parent-pid", type=int, default=None, hidden=True)
def media(parent_pid: int | None) -> None:
    """Run a media node: the rooms of the hearings pinned to it (any number, any machine that
    web processes reach on MEDIA_NODE_HOST)."""
    from reception.bootstrap.container import Container
    from reception.bootstrap.media_node import start_media_node
    from reception.supervisor import watch_parent

    async def work(settings: Settings, db: ResolvedDatabase) -> None:
        container = Container(settings, db.url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        watching = (asyncio.create_task(watch_parent(parent_pid, stop))
                    if parent_pid is not None else None)
        node = await start_media_node(container)
        click.echo(f"Media node {node.service.name} on {node.url}", err=True)
        try:
            await stop.wait()
        finally:
            await node.stop()
            await container.close()
            if watching is not None:
                watching.cancel()

    _with_database(work)


@main.command()
@click.option("--name", default=None, help="Worker name in logs (default: host-pid).")
def worker(name: str | None) -> None:
    """Run transcription jobs from the queue until SIGINT/SIGTERM (any number, any machine)."""
    from reception.bootstrap.container import Container
    from reception.bootstrap.transcription import run_transcription_worker

    async def work(settings: Settings, db: ResolvedDatabase) -> None:
        container = Container(settings, db.url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        click.echo("Transcription worker running.", err=True)
        try:
            await run_transcription_worker(settings, container.jobs, container.transcription,
                                           stop, name,
                                           check_integrity=container.periodic_integrity_check)
        finally:
            await container.close()

    _with_database(work)


@main.command("seed-demo")
def seed_demo() -> None:
    """Load the demo agencies and accounts (safe to run again)."""
    from reception.bootstrap.container import Container
    from reception.services.demo.calendar import seed_demo_calendar
    from reception.services.demo.cases import seed_demo_cases
    from reception.services.demo.data import DEMO_PASSWORD
    from reception.services.demo.data import seed_demo as seed

    async def work(settings: Settings, db: ResolvedDatabase) -> None:
        container = Container(settings, db.url)
        try:
            created = await seed(container.staff)
            today = container.clock.now().date()
            created += await seed_demo_calendar(  # free slots for the booking page
                container.staff, container.booking.calendar, today)
            created += await seed_demo_cases(container.staff, container.cases, today)
        finally:
            await container.close()
        for line in created:
            click.echo(f"created {line}")
        click.echo(f"Demo data ready. Demo logins: admin, tiepdan, thanhtra, theodoi, thutruong; "
                   f"password: {DEMO_PASSWORD}")

    _with_database(work)


@main.command("create-user")
@click.option("--login", required=True)
@click.option("--full-name", required=True)
@click.option("--agency-code", required=True, help="Code of the user's agency.")
@click.option("--agency-name", help="Create the agency with this name if it does not exist.")
@click.option("--agency-level", default="central", show_default=True,
              type=click.Choice(["central", "province", "department", "commune"]))
@click.option("--role", "roles", multiple=True, default=["administrator"], show_default=True,
              type=click.Choice(["receptionist", "inspector", "case_manager", "head",
                                 "administrator"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(login: str, full_name: str, agency_code: str, agency_name: str | None,
                agency_level: str, roles: tuple[str, ...], password_stdin: bool) -> None:
    """Create a staff account (bootstraps the first administrator)."""
    from reception.bootstrap.container import Container
    from reception.domain.organisation import AgencyLevel, StaffRole
    from reception.services.errors import ServiceError
    from reception.services.staff import NewAgency, NewStaff

    password = (sys.stdin.readline().rstrip("\n") if password_stdin
                else click.prompt("Password", hide_input=True, confirmation_prompt=True))

    async def work(settings: Settings, db: ResolvedDatabase) -> None:
        container = Container(settings, db.url)
        try:
            agencies = {a.code: a for a in await container.staff.list_agencies()}
            agency = agencies.get(agency_code)
            if agency is None:
                if not agency_name:
                    raise click.ClickException(
                        f"No agency with code {agency_code}; pass --agency-name to create it.")
                agency = await container.staff.create_agency(
                    None, NewAgency(agency_code, agency_name, AgencyLevel(agency_level)))
            member = await container.staff.create_staff(None, NewStaff(
                agency.id, login, full_name, password, frozenset(StaffRole(r) for r in roles)))
        except ServiceError as error:
            raise click.ClickException(error.message.format(**error.params)) from None
        finally:
            await container.close()
        click.echo(f"Created {member.login} ({', '.join(sorted(member.roles))}) in {agency.name}.")

    _with_database(work)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def models(ctx: click.Context) -> None:
    """Whisper models: `list`, `assemble [NAMES]`, `verify [NAMES]` (see transcripts/cli.py)."""
    from transcripts.cli import main as models_main

    settings = _settings()
    args = list(ctx.args)
    if "--cache-dir" not in args:
        args = ["--cache-dir", str(settings.data_dir / "models"), *args]
    ctx.exit(models_main(args))


@main.command()
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path.cwd(),
              help="Project folder whose docs/ is written.")
def docs(root: Path) -> None:
    """Regenerate docs/workflow.md (state diagrams and the table of time limits)."""
    from reception.workflow_docs import write_docs

    for path in write_docs(root):
        click.echo(f"wrote {path}")


@main.command("audit-verify")
def audit_verify() -> None:
    """Verify the audit log (HMAC chain and anchors); exit 1 naming every bad row."""
    from reception.bootstrap.container import Container

    async def work(settings: Settings, db: ResolvedDatabase) -> list[str]:
        container = Container(settings, db.url)
        try:
            failures, _ = await container.audit.check()
        finally:
            await container.close()
        return [str(f) for f in failures]

    failures = _with_database(work)
    for line in failures:
        click.echo(line, err=True)
    if failures:
        raise click.ClickException(f"The audit log was altered: {len(failures)} failure(s).")
    click.echo("The audit log is intact.")


@main.command()
@click.option("--attest-existing", is_flag=True,
              help="Once, after upgrading: attest in the audit log the files stored before "
                   "attestation existed, as they are now (docs/evidence.md §3), then check.")
def verify(attest_existing: bool) -> None:
    """Check every recording (chain and hash), every document, every approved transcript
    (against its fingerprint) and the audit log; name each failure (file, chunk, byte offset,
    hearing, row) and exit 1 if there is any."""
    from reception.bootstrap.container import Container
    from reception.domain.integrity import IntegrityReport, Trigger

    async def work(settings: Settings,
                   db: ResolvedDatabase) -> tuple[Baseline | None, IntegrityReport]:
        container = Container(settings, db.url)
        try:
            baseline = (await container.integrity.attest_existing() if attest_existing
                        else None)
            return baseline, await container.integrity.check_all(Trigger.COMMAND)
        finally:
            await container.close()

    baseline, report = _with_database(work)
    if baseline is not None:
        _say_baseline(baseline)
    for finding in report.failures:
        click.echo(f"FAILED {finding}", err=True)
    summary = (f"{report.recordings} recording files, {report.documents} documents, "
               f"{report.transcripts} approved transcripts, {report.audit_rows} audit log rows "
               "checked")
    if report.failures:
        raise click.ClickException(f"{summary}: {len(report.failures)} failure(s).")
    click.echo(f"{summary}: all intact.")


def _say_baseline(baseline: Baseline) -> None:
    if not baseline.now:
        click.echo(f"The files stored before attestation were attested on "
                   f"{baseline.recorded_at:%Y-%m-%d %H:%M} UTC; a baseline is recorded once, "
                   "so nothing was attested now.", err=True)
        return
    for line in baseline.attested:
        click.echo(f"attested {line}")
    for finding in baseline.left:
        click.echo(f"NOT ATTESTED (fails its check now) {finding.subject.value} "
                   f"{finding.where}", err=True)
    click.echo(f"Baseline recorded in the audit log: {len(baseline.attested)} file(s) stored "
               "before attestation, attested as they are now.")


@main.command("verify-signatures")
def verify_signatures() -> None:
    """Check every signed document: stored file unchanged, signature intact and trusted."""
    from reception.bootstrap.container import Container
    from reception.bootstrap.signing import signature_audit

    async def work(settings: Settings, db: ResolvedDatabase) -> tuple[int, int]:
        container = Container(settings, db.url)
        checked = failed = 0
        try:
            audit = signature_audit(settings, container.uow_factory, container.signing)
            async for finding in audit.verify_all():
                checked += 1
                d = finding.document
                line = f"{d.code} {d.reference} {d.kind.value} signed {d.signed_at:%Y-%m-%d %H:%M}"
                if finding.ok:
                    click.echo(f"ok    {line}")
                else:
                    failed += 1
                    click.echo(f"BAD   {line}: {finding.problem}")
        finally:
            await container.close()
        return checked, failed

    checked, failed = _with_database(work)
    if failed:
        raise click.ClickException(f"{failed} of {checked} signed documents failed verification.")
    click.echo(f"All {checked} signed documents verified.")


if __name__ == "__main__":
    main()
