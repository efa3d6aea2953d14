"""``kaleidoscope lms``: register LTI platforms, rotate the tool's keys, send the outbox."""

from __future__ import annotations

from typing import Annotated, Any

import typer

lms_app = typer.Typer(help="Learning platforms: LTI 1.3 registration, keys, xAPI outbox.")


def _django() -> None:
    from kaleidoscope.web.core.cli import _embedded_sqlite, prepare

    prepare(migrate=_embedded_sqlite())  # like serve: a shared PostgreSQL is migrated apart


def register_platform(
    *,
    name: str,
    issuer: str,
    client_id: str,
    auth_url: str,
    token_url: str,
    keyset_url: str,
    deployments: list[str],
    grades: bool,
    xapi: bool,
    frame_origins: list[str] | None = None,
) -> Any:
    """Create or update a registration and its deployments (active); return it."""
    from django.db import transaction
    from lti_tool.models import Key, LtiDeployment, LtiRegistration  # type: ignore[import-untyped]

    from .models import PlatformSettings

    with transaction.atomic():
        registration, _ = LtiRegistration.objects.update_or_create(
            issuer=issuer,
            client_id=client_id,
            defaults={
                "name": name,
                "auth_url": auth_url,
                "token_url": token_url,
                "keyset_url": keyset_url,
                "is_active": True,
            },
        )
        for deployment_id in deployments:
            LtiDeployment.objects.update_or_create(
                registration=registration,
                deployment_id=deployment_id,
                defaults={"is_active": True},
            )
        PlatformSettings.objects.update_or_create(
            registration=registration,
            defaults={
                "send_grades": grades,
                "send_xapi": xapi,
                "frame_origins": "\n".join(frame_origins or []),
            },
        )
        if not Key.objects.active().exists():
            Key.objects.generate()
    return registration


@lms_app.command("register")
def register_command(
    name: Annotated[str, typer.Option(help="A name for the platform, e.g. 'Council Moodle'")],
    issuer: Annotated[str, typer.Option(help="The platform's issuer (iss)")],
    client_id: Annotated[str, typer.Option(help="The client id the platform gave this tool")],
    auth_url: Annotated[str, typer.Option(help="The platform's OIDC authorisation URL")],
    token_url: Annotated[str, typer.Option(help="The platform's access token URL")],
    keyset_url: Annotated[str, typer.Option(help="The platform's public key set (JWKS) URL")],
    deployment: Annotated[
        list[str], typer.Option(help="A deployment id to accept (repeat for several)")
    ],
    grades: Annotated[bool, typer.Option(help="Send completion and score (AGS)")] = False,
    xapi: Annotated[bool, typer.Option(help="Send xAPI statements for its launches")] = False,
    frame_origin: Annotated[
        list[str] | None,
        typer.Option(
            help="Another origin (https://host) whose pages frame the LTI pages, besides the "
            "issuer's and the authorisation URL's (repeat for several)"
        ),
    ] = None,
    tool_url: Annotated[
        str, typer.Option(help="This tool's public base URL, for the URLs printed")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Register (or update) an LTI 1.3 platform, then print what to enter in it."""
    _django()
    registration = register_platform(
        name=name,
        issuer=issuer,
        client_id=client_id,
        auth_url=auth_url,
        token_url=token_url,
        keyset_url=keyset_url,
        deployments=deployment,
        grades=grades,
        xapi=xapi,
        frame_origins=frame_origin,
    )
    base = tool_url.rstrip("/")
    typer.echo(f"Registered '{registration.name}' ({registration.issuer}).")
    typer.echo("Enter these in the platform's tool settings:")
    typer.echo(f"  OIDC login URL:         {base}/lti/init/{registration.uuid}/")
    typer.echo(f"  Launch / redirect URL:  {base}/lti/launch/")
    typer.echo(f"  Deep Linking URL:       {base}/lti/launch/")
    typer.echo(f"  Public keyset (JWKS):   {base}/.well-known/jwks.json")
    typer.echo(f"Grades: {'on' if grades else 'off'}; xAPI: {'on' if xapi else 'off'}.")
    from .framing import registration_origins

    typer.echo(
        "Set its links to open in a new window. Its LTI pages (launch, Deep Linking) may be "
        "framed by: " + " ".join(registration_origins(registration))
    )


@lms_app.command("rotate-keys")
def rotate_keys_command(
    deactivate_after: Annotated[
        int, typer.Option(help="Retire keys older than this many days (still published until)")
    ] = 7,
) -> None:
    """Make a new signing key; keys older than --deactivate-after days stop being used
    and leave /.well-known/jwks.json (django-lti's rotate_keys)."""
    _django()
    from django.core.management import call_command

    call_command("rotate_keys", deactivate_after=deactivate_after)


@lms_app.command("send")
def send_command(
    once: Annotated[bool, typer.Option(help="One round, then exit (cron)")] = False,
    interval: Annotated[
        float, typer.Option(help="Seconds between looks at the outbox when idle", min=0.1)
    ] = 1.0,
    parent: Annotated[
        int | None,
        typer.Option(hidden=True, help="Run as this web process's child: exit when it does"),
    ] = None,
) -> None:
    """Deliver the outbox (xAPI statements, AGS scores) in the foreground. A web process
    starts one itself (as its child) unless KALEIDOSCOPE_XAPI_SENDER=off; then run this as
    a service of its own, one per deployment."""
    if parent is not None:
        from kaleidoscope.web.core.cli import setup_django

        setup_django()  # the web process has prepared the database
    else:
        _django()
    import requests

    from . import sender

    if once:
        result = sender.send_round(requests.Session())
        typer.echo(f"sent={result.sent} rejected={result.rejected} failed={result.failed}")
        raise typer.Exit(1 if result.failed else 0)
    sender.run_forever(idle=interval, parent=parent)


@lms_app.command("outbox")
def outbox_command() -> None:
    """How many outbox items are pending, sent and rejected (rejected ones: see /admin/)."""
    _django()
    from django.db.models import Count

    from .models import OutboxItem

    rows = OutboxItem.objects.values("kind", "state").annotate(n=Count("id")).order_by("kind")
    for row in rows:
        typer.echo(f"{row['kind']:6} {row['state']:9} {row['n']}")


def register(app: typer.Typer, scenarios_app: typer.Typer) -> None:
    del scenarios_app
    app.add_typer(lms_app, name="lms")
