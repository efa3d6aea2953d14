"""LTI 1.3 views on django-lti (lti_tool) and pylti1p3: no JWT or OIDC code of our own.

- ``OidcLogin``: third-party login initiation; always redirects the platform back to our
  own launch URL (never to a URL the request names).
- ``Launch``: validates the launch (django-lti / pylti1p3: state, JWT format, nonce,
  registration and audience, signature against the platform's JWKS, expiry,
  deployment), refuses a replayed nonce, then starts a play of the linked scenario (a
  learner) or shows the teacher's page (play it, or start a group session for the course
  from the roster, NRPS). Deep Linking launches show the library picker.
- Refusals are a page with a clear reason and one log line naming the reason and the
  platform's issuer, never a learner.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from functools import cache as memoised
from importlib import resources
from typing import Any

import yaml
from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from lti_tool.models import LtiLaunch  # type: ignore[import-untyped]
from lti_tool.utils import DjangoToolConfig  # type: ignore[import-untyped]
from lti_tool.views import LtiLaunchBaseView, OIDCLoginInitView  # type: ignore[import-untyped]
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.contrib.django.message_launch import DjangoMessageLaunch
from pylti1p3.contrib.django.oidc_login import DjangoOIDCLogin
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.message_launch import MessageLaunch

from kaleidoscope.learn.engine import Playthrough
from kaleidoscope.web.core.views import see_other
from kaleidoscope.web.learn.models import Play
from kaleidoscope.web.learn.services import library, write_transaction

from . import framing, outbox
from .models import LaunchLink, UsedNonce
from .signals import SKIP

log = logging.getLogger("kaleidoscope.lms")

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
GROUP_SESSION = "lms_group_launch"
CONTINUE_KEY = "lms:continue:{}"
CONTINUE_SECONDS = 600
PRESENTATION = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"

# pylti1p3's messages (stable strings in its source) -> our reasons (text.yaml "refused").
_REASONS = (
    ("State not found", "state"),
    ("Missing state", "state"),
    ("Missing id_token", "token"),
    ("JWT must contain 3 parts", "token"),
    ("can't be decoded", "token"),
    ("Signature has expired", "expired"),
    ("Can't decode id_token", "signature"),
    ("Invalid Nonce", "nonce"),
    ('"nonce" is empty', "nonce"),
    ("Registration not found", "registration"),
    ("Client id not registered", "registration"),
    ('"iss" is empty', "registration"),
    ("Unable to find public key", "key"),
    ("JWT KID not found", "key"),
    ("Error during fetch URL", "key"),
    ("Invalid response from", "key"),
    ("Unable to find deployment", "deployment"),
    ("deployment_id is not set", "deployment"),
    ("Launch data not found", "session"),
)


@memoised
def text() -> dict[str, Any]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


class Refused(Exception):
    def __init__(self, reason: str, issuer: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.issuer = issuer


def refuse(request: HttpRequest, reason: str, issuer: str = "", status: int = 403) -> HttpResponse:
    """A page that says why the launch was refused, and one log line without a learner."""
    messages = text()["refused"]
    log.warning("LTI launch refused: %s (issuer %s)", reason, issuer or "unknown")
    return render(
        request,
        "lms/refused.html",
        {"reason": messages.get(reason, messages["other"]), "code": reason, "t": text()},
        status=status,
    )


def reason_for(exc: Exception) -> str:
    message = str(exc)
    for fragment, reason in _REASONS:
        if fragment in message:
            return reason
    return "other"


def _issuer(request: HttpRequest) -> str:
    """The platform named by the (unverified) token, for the log line only."""
    import jwt

    token = request.POST.get("id_token", "")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return ""
    return str(claims.get("iss", ""))[:200]


def _launch_data() -> DjangoCacheDataStorage:
    """Where pylti1p3 keeps launch state between requests (Django's cache)."""
    # pylti1p3's Django classes carry no annotations (its core is typed).
    return DjangoCacheDataStorage()  # type: ignore[no-untyped-call]


# django-lti (lti_tool) has no type information: its views are Any to mypy.
@method_decorator((csrf_exempt, xframe_options_exempt), name="dispatch")
class OidcLogin(OIDCLoginInitView):  # type: ignore[misc]
    """OIDC login initiation. django-lti's view, minus its cookie-check page (an inline
    script our Content-Security-Policy forbids) and with our own launch URL."""

    def get_oidc_response(
        self, request: HttpRequest, registration_uuid: uuid.UUID | None, params: QueryDict
    ) -> HttpResponse:
        if not params.get("iss") or not params.get("login_hint"):
            return refuse(request, "login", status=400)
        oidc_login = DjangoOIDCLogin(  # type: ignore[no-untyped-call]
            request,
            DjangoToolConfig(registration_uuid),
            launch_data_storage=_launch_data(),
        )
        issuer = str(params.get("iss", ""))[:200]
        try:
            response: HttpResponse = oidc_login.redirect(
                request.build_absolute_uri(reverse("lms:launch"))
            )
        except LtiException as exc:
            response = refuse(request, reason_for(exc), issuer)
        return framing.framable_by(request, response, framing.issuer_origins(issuer))


@method_decorator((csrf_exempt, xframe_options_exempt), name="dispatch")
class Launch(LtiLaunchBaseView):  # type: ignore[misc]
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Every answer (a page, a refusal) may be framed by the platform's registered
        origins only (``framing``); the play itself never is."""
        issuer = _issuer(request)
        try:
            response: HttpResponse | None = super().post(request, *args, **kwargs)
        except LtiException as exc:
            response = refuse(request, reason_for(exc), issuer)
        except Refused as exc:
            response = refuse(request, exc.reason, exc.issuer)
        if response is None:
            response = refuse(request, "message", issuer, status=400)
        return framing.framable_by(request, response, framing.issuer_origins(issuer))

    def launch_setup(self, request: HttpRequest, lti_launch: LtiLaunch) -> None:
        """Each launch once: a nonce seen before means a replayed launch. And keep no
        name, email or picture that the platform sent (django-lti copies them)."""
        from lti_tool.models import LtiUser

        LtiUser.objects.filter(
            registration=lti_launch.registration, sub=lti_launch.get_claim("sub")
        ).update(given_name="", family_name="", name="", email="", picture_url="")
        issuer = str(lti_launch.get_claim("iss"))
        nonce = str(lti_launch.get_claim("nonce"))
        try:
            with transaction.atomic():
                UsedNonce.objects.create(issuer=issuer[:255], nonce=nonce[:255])
        except IntegrityError:
            raise Refused("replay", issuer) from None

    def handle_inactive_deployment(
        self, request: HttpRequest, lti_launch: LtiLaunch
    ) -> HttpResponse:
        return refuse(request, "deployment", str(lti_launch.get_claim("iss")))

    def handle_resource_launch(self, request: HttpRequest, lti_launch: LtiLaunch) -> HttpResponse:
        scenario_id = lti_launch.get_custom_claim("scenario") or ""
        scenario = library().get(scenario_id)
        if scenario is None:
            return refuse(request, "scenario", str(lti_launch.get_claim("iss")), status=404)
        user = _user_for(lti_launch)
        roles = lti_launch.roles_claim or []
        ags = lti_launch.ags_claim
        if ags and SCORE_SCOPE not in ags.get("scope", []):
            ags = None
        play = Play(scenario_id=scenario.id, user=user, state=Playthrough(scenario).to_json())
        setattr(play, SKIP, True)  # the link must exist before the first statement
        resource = lti_launch.get_claim("https://purl.imsglobal.org/spec/lti/claim/resource_link")
        with write_transaction():
            play.save(force_insert=True)
            LaunchLink.objects.create(
                play=play,
                deployment=lti_launch.deployment,
                sub=str(lti_launch.get_claim("sub"))[:255],
                resource_link=str((resource or {}).get("id", ""))[:255],
                ags=ags,
            )
            outbox.record_launch(play)
        then = {
            "user": user.pk,
            "play": str(play.id),
            "scenario": scenario.id,
            "teacher": INSTRUCTOR in roles and bool(lti_launch.nrps_claim),
            "launch": lti_launch.get_launch_id(),
        }
        presentation = lti_launch.get_claim(PRESENTATION) or {}
        if framing.in_frame(request, str(presentation.get("document_target", ""))):
            # In the platform's frame: our cookies may not reach us there, and the play is
            # not framed. A one-time link opens it in a new window, signed in there.
            token = secrets.token_urlsafe(32)
            cache.set(CONTINUE_KEY.format(token), then, CONTINUE_SECONDS)
            return render(
                request,
                "lms/new_window.html",
                {
                    "scenario": scenario,
                    "open_url": reverse("lms:continue", args=[token]),
                    "minutes": CONTINUE_SECONDS // 60,
                    "t": text(),
                },
            )
        return _present(request, user, then)

    def handle_deep_linking_launch(
        self, request: HttpRequest, lti_launch: LtiLaunch
    ) -> HttpResponse:
        return _picker(request, lti_launch.get_launch_id())


def _picker(request: HttpRequest, launch_id: str, error: str = "") -> HttpResponse:
    """The Deep Linking picker. The launch id travels in the form (our cookies may not
    reach us inside the platform's frame): it is the secret that lets the form's answer in,
    so the form needs no CSRF cookie."""
    return render(
        request,
        "lms/picker.html",
        {"scenarios": list(library()), "error": error, "launch_id": launch_id, "t": text()},
        status=400 if error else 200,
    )


def _present(request: HttpRequest, user: User, then: dict[str, Any]) -> HttpResponse:
    """Sign the learner in (this is a top-level window) and go to the play, or show a
    teacher their page."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    play_url = reverse("play", args=[then["play"]])
    scenario = library().get(then["scenario"])
    if then["teacher"] and scenario is not None:
        request.session[GROUP_SESSION] = {"launch": then["launch"], "scenario": scenario.id}
        return render(
            request,
            "lms/teacher.html",
            {"scenario": scenario, "play_url": play_url, "t": text()},
        )
    return see_other(play_url)


@require_GET
def continue_in_window(request: HttpRequest, token: str) -> HttpResponse:
    """The new window opened from a framed launch: once, within CONTINUE_SECONDS."""
    key = CONTINUE_KEY.format(token)
    then = cache.get(key)
    if not isinstance(then, dict) or not cache.delete(key):
        return refuse(request, "continue", status=410)
    user = get_user_model().objects.filter(pk=then["user"]).first()
    if user is None:
        return refuse(request, "continue", status=410)
    return _present(request, user, then)


def _user_for(lti_launch: LtiLaunch) -> User:
    """The account a platform's user plays under: a name that is a hash of the platform
    and the user's opaque id at it; no name or email is copied into it."""
    issuer = str(lti_launch.get_claim("iss"))
    sub = str(lti_launch.get_claim("sub"))
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:24]
    model = get_user_model()
    user, created = model.objects.get_or_create(username=f"lti-{digest}")
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    lti_user = lti_launch.user
    if lti_user.auth_user_id != user.pk:
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user"])
    return user


def _restore(request: HttpRequest, launch_id: str) -> MessageLaunch[Any, Any, Any, Any] | None:
    if not launch_id:
        return None
    try:
        restored = DjangoMessageLaunch.from_cache(
            launch_id, request, DjangoToolConfig(), launch_data_storage=_launch_data()
        )
    except LtiException:
        return None
    return restored


@csrf_exempt  # the form carries its launch id, a secret only this launch's page has
@xframe_options_exempt  # shown in the platform's frame: its origins only (framing)
@require_POST
def deep_link_return(request: HttpRequest) -> HttpResponse:
    """The teacher picked scenarios: a signed Deep Linking response back to the course."""
    launch_id = request.POST.get("launch", "")[:200]
    launch = _restore(request, launch_id)
    if launch is None or not launch.is_deep_link_launch():
        return refuse(request, "session", status=400)
    issuer = str(launch.get_launch_data().get("iss", ""))
    origins = framing.issuer_origins(issuer)
    chosen = [s for s in request.POST.getlist("scenario") if s in library()]
    if not chosen:
        page = _picker(request, launch_id, text()["picker"]["choose_one"])
        return framing.framable_by(request, page, origins)
    launch_url = request.build_absolute_uri(reverse("lms:launch"))
    resources_ = []
    titles = []
    for scenario_id in chosen:
        scenario = library().get(scenario_id)
        assert scenario is not None
        titles.append(scenario.title)
        resources_.append(
            NewWindowResource()
            .set_url(launch_url)
            .set_title(scenario.title)
            .set_custom_params({"scenario": scenario.id})
        )
    if not cache.add(f"lms:deep-link-used:{launch_id}", True, 24 * 3600):
        return framing.framable_by(request, refuse(request, "session", issuer, 400), origins)
    deep_link = launch.get_deep_link()
    token = deep_link.get_response_jwt(resources_)
    return_url = launch.get_launch_data()[
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    ]["deep_link_return_url"]
    page = render(
        request,
        "lms/deep_link_return.html",
        {"return_url": return_url, "jwt": token, "titles": titles, "t": text()},
    )
    return framing.may_post_to(request, framing.framable_by(request, page, origins), return_url)


class NewWindowResource(DeepLinkResource):
    """A resource link the platform should open in a new window (LTI Deep Linking's
    ``window`` presentation), not in a frame: the play is never framed."""

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = super().to_dict()
        found["window"] = {"targetName": "_blank"}
        return found


@require_POST
def start_group(request: HttpRequest) -> HttpResponse:
    """A teacher starts a group session for the course: the roster comes from NRPS."""
    from lti_tool.services.nrps import fetch_member_data  # type: ignore[import-untyped]
    from lti_tool.utils import get_launch_from_request

    from kaleidoscope.web.groups.services import create_session

    saved = request.session.get(GROUP_SESSION) or {}
    if not saved or not request.user.is_authenticated:
        return refuse(request, "session", status=400)
    try:
        lti_launch = get_launch_from_request(request, saved["launch"])
    except LtiException:
        return refuse(request, "session", status=400)
    scenario = library().get(saved["scenario"])
    if scenario is None:
        return refuse(request, "scenario", status=404)
    context = lti_launch.context
    if not context.memberships_url:
        nrps = lti_launch.nrps_claim or {}
        context.memberships_url = nrps.get("context_memberships_url", "")
        context.save(update_fields=["memberships_url"])
    try:
        members = fetch_member_data(context)
    except LtiException as exc:
        log.warning("NRPS: roster not available (%s)", reason_for(exc))
        return refuse(request, "roster", str(lti_launch.get_claim("iss")), status=502)
    learners = [
        m
        for m in members
        if any(r == LEARNER or r.endswith("#Learner") for r in m.get("roles", []))
        and m.get("status", "Active") == "Active"
    ]
    session = create_session(request.user, scenario)
    from .models import GroupLink

    GroupLink.objects.create(session=session, deployment=lti_launch.deployment)
    del request.session[GROUP_SESSION]
    return render(
        request,
        "lms/group_started.html",
        {
            "scenario": scenario,
            "code": session.code,
            "learners": len(learners),
            "present_url": reverse("groups:present", args=[session.id]),
            "t": text(),
        },
    )
