"""The web app's commands: ``serve``, ``worker``, ``migrate``, ``createuser``, ``staff``,
``housekeeping``."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

SETTINGS = "kaleidoscope.web.settings"
KEEP_ALIVE_S = 75  # above nginx's and browsers' usual 60 s idle keep-alive


def setup_django() -> None:
    """Configure Django (settings read the environment), or exit 2 with a clear message."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    try:
        django.setup()
    except Exception as exc:  # bad DATABASE_URL, unreadable data dir, ...
        typer.echo(f"error: cannot configure the web app: {exc}", err=True)
        raise typer.Exit(2) from None


def _embedded_sqlite() -> bool:
    return not os.environ.get("DATABASE_URL", "").strip()


def prepare(migrate: bool = True) -> str:
    """Load the scenario library and (unless told not to) migrate the database; return a
    description of the database. ``serve`` migrates only the embedded SQLite: a shared
    PostgreSQL is migrated once, by ``kaleidoscope migrate``, before workers start."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from kaleidoscope.learn.library import LibraryError, bundled_library

    try:
        library = bundled_library()
    except LibraryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    try:
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        else:
            _refuse_unmigrated()
    except typer.Exit:
        raise
    except Exception as exc:
        typer.echo(f"error: cannot prepare the database: {exc}", err=True)
        raise typer.Exit(2) from None
    settings = connection.settings_dict
    where = (
        f"SQLite (WAL) at {settings['NAME']}"
        if connection.vendor == "sqlite"
        else f"PostgreSQL database {settings['NAME']!r} on {settings.get('HOST') or 'localhost'}"
    )
    connection.close()  # back to the pool: the serving threads use their own (ADR 0017)
    return f"{len(library)} scenarios; {where}"


def _refuse_unmigrated() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        typer.echo(
            "error: the database needs migrating: run `kaleidoscope migrate` first", err=True
        )
        raise typer.Exit(2)


def _check_port_free(host: str, port: int) -> None:
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            typer.echo(f"error: cannot listen on {host}:{port}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _require_allowed_hosts(host: str) -> None:
    """Listening beyond loopback needs the site's own names in KALEIDOSCOPE_ALLOWED_HOSTS:
    a request for any other Host gets a 400. ``--host 0.0.0.0`` never means "any name"."""
    if host in LOOPBACK:
        return
    if host not in ("0.0.0.0", "::"):
        extra = os.environ.get("KALEIDOSCOPE_ALLOWED_HOSTS", "")
        os.environ["KALEIDOSCOPE_ALLOWED_HOSTS"] = ",".join(filter(None, [extra, host]))
        return
    names = [h.strip() for h in os.environ.get("KALEIDOSCOPE_ALLOWED_HOSTS", "").split(",")]
    if not any(names):
        typer.echo(
            f"error: --host {host} listens on every interface, so set "
            "KALEIDOSCOPE_ALLOWED_HOSTS to the names people use to reach this server "
            "(comma separated, e.g. kaleidoscope.example.org); requests for any other "
            "host name are refused. See docs/deploy.md.",
            err=True,
        )
        raise typer.Exit(2)


def register(app: typer.Typer, scenarios_app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on", min=0, max=65535)] = 8000,
        workers: Annotated[
            int, typer.Option(help="Server processes (more than 1 needs REDIS_URL)", min=1)
        ] = 1,
        scan_worker: Annotated[
            bool | None,
            typer.Option(
                "--scan-worker/--no-scan-worker",
                help="Also run archive scans in this process (default: on the embedded "
                "SQLite, or without REDIS_URL; otherwise run `kaleidoscope worker` beside it)",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Run the web app under uvicorn (migrates an embedded SQLite on first run)."""
        redis = bool(os.environ.get("REDIS_URL", "").strip())
        if workers > 1 and not redis:
            typer.echo(
                "error: --workers above 1 needs REDIS_URL: the processes share sign-in "
                "limits, group sessions and scan progress through it",
                err=True,
            )
            raise typer.Exit(2)
        _require_allowed_hosts(host)
        _check_port_free(host, port)
        summary = prepare(migrate=_embedded_sqlite())
        import uvicorn

        from kaleidoscope.web.core import housekeeping

        housekeeping.start_thread()  # forget what has expired, now and every 6 hours
        if scan_worker is None:  # a separate worker needs Redis to report progress
            scan_worker = _embedded_sqlite() or not redis
        if scan_worker:
            from kaleidoscope.web.check import jobs, tasks

            if not redis:
                # Job status lives in this process's memory: nothing of an earlier run can
                # still be scanning, so every archive left waiting goes now.
                jobs.sweep_leftovers(startup=True)
            tasks.start_thread()  # one archive scan at a time, beside the pages
        elif not redis:
            typer.echo(
                "note: archive scans need a worker in this process without REDIS_URL; "
                "with --no-scan-worker, uploaded archives wait and are never checked",
                err=True,
            )
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"Kaleidoscope: {summary}")
        typer.echo(f"Serving on http://{shown}:{port}/  (Ctrl+C to stop)")
        sys.stdout.flush()
        uvicorn.run(
            "kaleidoscope.web.asgi:application",
            host=host,
            port=port,
            workers=workers,
            # Keep idle connections longer than a browser or proxy does (they close first,
            # so a request never races the server closing its connection: that race was
            # the httpx.ReadError under 300 participants in bench/group_session.py).
            timeout_keep_alive=KEEP_ALIVE_S,
            access_log=False,
            log_level="warning",
            lifespan="off",
            server_header=False,
        )

    @app.command("worker")
    def worker(
        interval: Annotated[
            float, typer.Option(help="Seconds between looks at the queue when idle", min=0.1)
        ] = 1.0,
        batch: Annotated[
            bool, typer.Option("--batch", help="Run what is waiting, then exit")
        ] = False,
    ) -> None:
        """Run archive scans (and other background tasks) queued on this machine.

        Start one on every machine that runs `serve` against a shared database: uploaded
        archives stay on the machine that received them, so each machine's worker takes
        its own queue (named after the host; KALEIDOSCOPE_TASK_QUEUE overrides it). Needs
        REDIS_URL, through which it reports progress to the web processes."""
        if not os.environ.get("REDIS_URL", "").strip():
            typer.echo(
                "error: `kaleidoscope worker` needs REDIS_URL: scan progress and reports "
                "reach the web processes through it. With the embedded SQLite and no "
                "Redis, `kaleidoscope serve` runs the scans itself.",
                err=True,
            )
            raise typer.Exit(2)
        where = prepare(migrate=False)
        from django.conf import settings
        from django.core.management import call_command

        from kaleidoscope.web.check import jobs, tasks

        jobs.sweep_leftovers()
        database = where.split("; ")[-1]
        typer.echo(f"Kaleidoscope worker: {database}; this machine's queue: {settings.TASK_QUEUE}")
        sys.stdout.flush()
        call_command(
            "db_worker",
            queue_name=",".join(tasks.worker_queues()),
            interval=interval,
            batch=batch,
            reload=False,
            verbosity=0,
        )

    @app.command("migrate")
    def migrate_command() -> None:
        """Create or update the database tables (run once per release, before `serve`)."""
        typer.echo(f"migrated: {prepare(migrate=True)}")

    @app.command("createuser")
    def createuser(
        username: Annotated[str, typer.Argument(help="The new account's username")],
        staff: Annotated[bool, typer.Option("--staff", help="Also give staff access")] = False,
    ) -> None:
        """Create an account; asks for its password twice (or reads
        KALEIDOSCOPE_NEW_PASSWORD), and says which database it used."""
        where = prepare()
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        password = os.environ.get("KALEIDOSCOPE_NEW_PASSWORD") or typer.prompt(
            "Password", hide_input=True, confirmation_prompt=True
        )
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            typer.echo(f"error: an account named {username!r} already exists", err=True)
            raise typer.Exit(2)
        candidate = users(username=username)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            typer.echo("error: " + " ".join(exc.messages), err=True)
            raise typer.Exit(2) from None
        users.objects.create_user(username=username, password=password, is_staff=staff)
        typer.echo(f"created {username!r}{' (staff)' if staff else ''} in {where.split('; ')[-1]}")

    @app.command("housekeeping")
    def housekeeping_command() -> None:
        """Delete what has expired: sign-in sessions, anonymous plays nobody can reach,
        group sessions past their keeping time (`serve` also does this every 6 hours)."""
        prepare()
        from kaleidoscope.web.core import housekeeping

        typer.echo(f"housekeeping: {housekeeping.sweep()}")

    @app.command("staff")
    def staff(
        username: Annotated[str, typer.Argument(help="An existing account's username")],
        remove: Annotated[bool, typer.Option("--remove", help="Take staff access away")] = False,
    ) -> None:
        """Let an account see the anonymous statistics pages (or stop it)."""
        prepare()
        from django.contrib.auth import get_user_model

        count = get_user_model().objects.filter(username=username).update(is_staff=not remove)
        if not count:
            typer.echo(f"error: no account named {username!r}", err=True)
            raise typer.Exit(2)
        typer.echo(f"{username}: staff access {'removed' if remove else 'granted'}")
