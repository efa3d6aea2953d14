"""``kaleidoscope serve`` and ``kaleidoscope staff``: the web app's commands."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

SETTINGS = "kaleidoscope.web.settings"


def setup_django() -> None:
    """Configure Django (settings read the environment), or exit 2 with a clear message."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    try:
        django.setup()
    except Exception as exc:  # bad DATABASE_URL, unreadable data dir, ...
        typer.echo(f"error: cannot configure the web app: {exc}", err=True)
        raise typer.Exit(2) from None


def prepare() -> str:
    """Migrate the database and load the scenario library; return a description of the DB."""
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
        call_command("migrate", interactive=False, verbosity=0)
    except Exception as exc:
        typer.echo(f"error: cannot prepare the database: {exc}", err=True)
        raise typer.Exit(2) from None
    settings = connection.settings_dict
    where = (
        f"SQLite (WAL) at {settings['NAME']}"
        if connection.vendor == "sqlite"
        else f"PostgreSQL database {settings['NAME']!r} on {settings.get('HOST') or 'localhost'}"
    )
    return f"{len(library)} scenarios; {where}"


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


def register(app: typer.Typer, scenarios_app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on", min=0, max=65535)] = 8000,
    ) -> None:
        """Run the web app (migrates the database on first run)."""
        if host not in ("127.0.0.1", "localhost", "::1"):
            extra = os.environ.get("KALEIDOSCOPE_ALLOWED_HOSTS", "")
            os.environ["KALEIDOSCOPE_ALLOWED_HOSTS"] = ",".join(
                filter(None, [extra, "*" if host in ("0.0.0.0", "::") else host])
            )
        _check_port_free(host, port)
        summary = prepare()
        import uvicorn

        from kaleidoscope.web.core import housekeeping

        housekeeping.start_thread()  # forget what has expired, now and every 6 hours
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"Kaleidoscope: {summary}")
        typer.echo(f"Serving on http://{shown}:{port}/  (Ctrl+C to stop)")
        sys.stdout.flush()
        uvicorn.run(
            "kaleidoscope.web.asgi:application",
            host=host,
            port=port,
            access_log=False,
            log_level="warning",
            lifespan="off",
            server_header=False,
        )

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
