"""The team around a person: who is involved (contact cards), the person's consent
(who recorded it, when, how; reviewed; withdrawn), invitations, an audit of every view,
and a one-page PDF for a meeting. No case notes, by design."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from fpdf import FPDF

from kaleidoscope.connect.circles import MemberKind
from kaleidoscope.connect.consent import REVIEW_DAYS, CircleConsent, ConsentMethod
from kaleidoscope.web.core import pdf as pdfdoc
from kaleidoscope.web.core.auth import account

from .forms import circle_form, invite_form
from .models import AuditEntry, Circle, CircleMember
from .services import audit, msg
from .views import page, see_other

AREA = "circle"
INVITE_SALT = "kaleidoscope.connect.circle-invite"
INVITE_DAYS = 14
# Refused invitation links that name no real circle are logged under this subject.
INVITES = uuid.UUID("0f8e3c55-2b7d-4c55-8a51-5d3a1f2f6a10")

# A view for a circle's members (given the circle and the member), and the view the
# address reaches (given the circle's id).
MemberView = Callable[[HttpRequest, Circle, CircleMember], HttpResponse]
CircleView = Callable[[HttpRequest, uuid.UUID], HttpResponse]


def consent_of(circle: Circle) -> CircleConsent:
    return CircleConsent(
        recorded_at=circle.consent_recorded_at,
        review_days=circle.review_days,
        withdrawn_at=circle.consent_withdrawn_at,
    )


def _membership(
    request: HttpRequest, circle_id: uuid.UUID, what: str
) -> tuple[Circle, CircleMember]:
    """The circle and the signed-in user's current membership; otherwise a 404 page and
    an audit line (a non-member, a member who left, an unknown circle)."""
    circle = Circle.objects.filter(pk=circle_id).first()
    member = None
    if circle is not None and isinstance(request.user, User):
        member = circle.members.filter(user=request.user, left_at__isnull=True).first()
    if circle is None or member is None:
        audit(
            circle.pk if circle else INVITES,
            AREA,
            request.user,
            f"was refused ({what}): not a member",
            allowed=False,
        )
        raise _NotMember()
    return circle, member


class _NotMember(Exception):
    pass


def _not_member(request: HttpRequest) -> HttpResponse:
    return page(
        request,
        "connect/message.html",
        {
            "title": "Page not found",
            "message": "Check the address. If you were in this circle, you may have left it "
            "or its consent may have been withdrawn.",
        },
        status=404,
    )


def members_only(what: str) -> Callable[[MemberView], CircleView]:
    def wrap(view: MemberView) -> CircleView:
        @functools.wraps(view)
        def inner(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
            try:
                circle, member = _membership(request, circle_id, what)
            except _NotMember:
                return _not_member(request)
            return view(request, circle, member)

        return inner

    return wrap


def _options() -> dict[str, Any]:
    return {
        "methods": [(m.value, m.label) for m in ConsentMethod],
        "review_days": [(d, f"Every {d} days") for d in REVIEW_DAYS],
    }


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    mine = (
        CircleMember.objects.filter(user=account(request), left_at__isnull=True)
        .select_related("circle")
        .order_by("-circle__created_at")
    )
    return page(request, "connect/circles.html", {"memberships": list(mine)})


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return page(
            request,
            "connect/circle_new.html",
            {"values": {"review_days": 90}, "errors": {}, **_options()},
        )
    form = circle_form(request.POST)
    if not form.ok:
        return page(
            request,
            "connect/circle_new.html",
            {"values": form.values, "errors": form.errors, **_options()},
            status=400,
        )
    user = account(request)
    now = timezone.now()
    v = form.values
    circle = Circle.objects.create(
        person_name=v["person_name"],
        created_by=user,
        consent_recorded_by=user.get_username(),
        consent_recorded_at=now,
        consent_method=v["consent_method"],
        review_days=v["review_days"],
    )
    kind = MemberKind(v["my_kind"])
    card = {k: v.get(k, "") for k in ("role", "agency", "contact")}
    CircleMember.objects.create(
        circle=circle,
        user=user,
        kind=kind.value,
        name=v["person_name"] if kind is MemberKind.PERSON else v["name"],
        is_admin=True,
        joined_at=now,
        **(card if kind is MemberKind.PRACTITIONER else {}),
    )
    audit(
        circle.pk,
        AREA,
        user,
        "made the circle and recorded consent "
        f"({ConsentMethod(v['consent_method']).label.lower()})",
    )
    messages.success(request, msg("circle_made"))
    return see_other(reverse("connect:circle", args=[circle.pk]))


@require_GET
@login_required
@members_only("view the circle")
def detail(request: HttpRequest, circle: Circle, member: CircleMember) -> HttpResponse:
    consent = consent_of(circle)
    now = timezone.now()
    visible = consent.members_may_see(now)
    audit(
        circle.pk,
        AREA,
        request.user,
        "viewed the circle" if visible else "opened the circle (details hidden: consent)",
    )
    members = list(circle.members.filter(left_at__isnull=True, joined_at__isnull=False))
    invited = list(circle.members.filter(left_at__isnull=True, joined_at__isnull=True))
    return page(
        request,
        "connect/circle.html",
        {
            "circle": circle,
            "me": member,
            "members": members if visible else [],
            "invited": invited if member.is_admin else [],
            "consent": consent,
            "state": consent.state(now),
            "visible": visible,
            "paused": msg("circle_paused", state=consent.state(now).label.lower()),
            "method": ConsentMethod(circle.consent_method).label,
            **_options(),
        },
    )


def _token(member: CircleMember) -> str:
    return signing.dumps({"c": str(member.circle_id), "m": member.pk}, salt=INVITE_SALT)


@require_http_methods(["GET", "POST"])
@login_required
@members_only("invite")
def invite(request: HttpRequest, circle: Circle, member: CircleMember) -> HttpResponse:
    if not member.is_admin:
        return _not_member(request)
    ctx: dict[str, Any] = {"circle": circle, "values": {}, "errors": {}, "link": None}
    if request.method == "POST":
        form = invite_form(request.POST)
        ctx.update(values=form.values, errors=form.errors)
        if form.ok:
            invited = CircleMember.objects.create(circle=circle, **form.values)
            ctx["link"] = request.build_absolute_uri(
                reverse("connect:circle_join", args=[_token(invited)])
            )
            ctx["invited_name"] = invited.name
            audit(circle.pk, AREA, request.user, f"invited {invited.name}")
            ctx["values"] = {}
    return page(request, "connect/circle_invite.html", ctx, status=400 if ctx["errors"] else 200)


def _invited(token: str) -> CircleMember | None:
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_DAYS * 86400)
    except signing.BadSignature:  # forged, changed or expired
        return None
    if not isinstance(data, dict):
        return None
    member_id, circle_id = data.get("m"), data.get("c")
    if not isinstance(member_id, int) or not isinstance(circle_id, str):
        return None
    return (
        CircleMember.objects.filter(pk=member_id, circle_id=circle_id)
        .select_related("circle")
        .first()
    )


@require_http_methods(["GET", "POST"])
@login_required
def join(request: HttpRequest, token: str) -> HttpResponse:
    invited = _invited(token[:500])
    if invited is None or invited.left_at is not None:
        audit(
            invited.circle_id if invited else INVITES,
            AREA,
            request.user,
            "was refused: invitation link not valid",
            allowed=False,
        )
        return page(
            request,
            "connect/message.html",
            {"title": "Invitation not valid", "message": msg("invite_bad")},
            status=404,
        )
    if invited.user_id is not None:
        if invited.user_id == request.user.pk:
            return see_other(reverse("connect:circle", args=[invited.circle_id]))
        audit(
            invited.circle_id,
            AREA,
            request.user,
            "was refused: invitation already used",
            allowed=False,
        )
        return page(
            request,
            "connect/message.html",
            {"title": "Invitation not valid", "message": msg("invite_used")},
            status=404,
        )
    if request.method == "GET":
        return page(
            request, "connect/circle_join.html", {"member": invited, "circle": invited.circle}
        )
    invited.user = account(request)
    invited.joined_at = timezone.now()
    invited.save(update_fields=["user", "joined_at"])
    audit(invited.circle_id, AREA, request.user, f"accepted the invitation for {invited.name}")
    messages.success(request, msg("joined_circle", name=invited.circle.person_name))
    return see_other(reverse("connect:circle", args=[invited.circle_id]))


@require_POST
@login_required
@members_only("change consent")
def consent(request: HttpRequest, circle: Circle, member: CircleMember) -> HttpResponse:
    if not (member.is_admin or member.kind == MemberKind.PERSON.value):
        return _not_member(request)
    action = str(request.POST.get("action", ""))[:20]
    now = timezone.now()
    if action == "withdraw":
        if circle.consent_withdrawn_at is None:
            circle.consent_withdrawn_at = now
            circle.save(update_fields=["consent_withdrawn_at"])
        audit(circle.pk, AREA, request.user, "recorded that consent is withdrawn")
        messages.success(request, msg("consent_withdrawn_done"))
    elif action == "review":
        method = str(request.POST.get("consent_method", ""))[:30]
        if method not in {m.value for m in ConsentMethod}:
            messages.warning(request, msg("consent_method_missing"))
            return see_other(reverse("connect:circle", args=[circle.pk]))
        circle.consent_recorded_at = now
        circle.consent_recorded_by = request.user.get_username()
        circle.consent_method = method
        circle.consent_withdrawn_at = None
        circle.save()
        audit(
            circle.pk,
            AREA,
            request.user,
            f"reviewed consent ({ConsentMethod(method).label.lower()})",
        )
        review_by = consent_of(circle).review_by
        messages.success(request, msg("consent_reviewed", date=f"{review_by:%-d %B %Y}"))
    return see_other(reverse("connect:circle", args=[circle.pk]))


@require_POST
@login_required
@members_only("leave")
def leave(request: HttpRequest, circle: Circle, member: CircleMember) -> HttpResponse:
    member.left_at = timezone.now()
    member.save(update_fields=["left_at"])
    audit(circle.pk, AREA, request.user, f"left the circle ({member.name})")
    messages.success(request, msg("left_circle"))
    return see_other(reverse("connect:circles"))


@require_GET
@login_required
@members_only("read the audit log")
def log(request: HttpRequest, circle: Circle, member: CircleMember) -> HttpResponse:
    audit(circle.pk, AREA, request.user, "read the circle's audit log")
    return page(
        request,
        "connect/audit.html",
        {
            "entries": list(AuditEntry.objects.filter(subject=circle.pk)[:500]),
            "title": f"Who has looked at the circle around {circle.person_name}",
            "back": reverse("connect:circle", args=[circle.pk]),
            "back_text": "Back to the circle",
        },
    )


def _fit(doc: FPDF, value: str, width: float) -> str:
    if doc.get_string_width(value) <= width:
        return value
    while value and doc.get_string_width(value + "…") > width:
        value = value[:-1]
    return value + "…"


@require_GET
@login_required
@members_only("download the PDF")
def circle_pdf(request: HttpRequest, circle: Circle, member: CircleMember) -> HttpResponse:
    consent = consent_of(circle)
    if not consent.members_may_see(timezone.now()):
        audit(circle.pk, AREA, request.user, "was refused the PDF: consent", allowed=False)
        return page(
            request,
            "connect/message.html",
            {
                "title": "Not available",
                "message": msg("circle_paused", state=consent.state(timezone.now()).label.lower()),
            },
            status=404,
        )
    members = list(circle.members.filter(left_at__isnull=True, joined_at__isnull=False))
    doc = pdfdoc.document(f"The circle around {circle.person_name}")
    doc.set_auto_page_break(auto=False)
    doc.set_font(pdfdoc.FAMILY, "B", 16)
    doc.multi_cell(
        0,
        9,
        pdfdoc.printable(f"The circle around {circle.person_name}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.set_font(pdfdoc.FAMILY, "", 9)
    doc.multi_cell(
        0,
        5,
        pdfdoc.printable(
            f"Consent recorded by {circle.consent_recorded_by} on "
            f"{circle.consent_recorded_at:%-d %B %Y} "
            f"({ConsentMethod(circle.consent_method).label.lower()}); review by "
            f"{consent.review_by:%-d %B %Y}. Printed {timezone.localdate():%-d %B %Y}. "
            "Contact details only: this is not a case record. Keep it safe and destroy "
            "it after the meeting."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.ln(2)
    widths = (45, 40, 45, 60)
    doc.set_font(pdfdoc.FAMILY, "B", 9)
    for width, head in zip(
        widths, ("Name", "Role or relationship", "Agency", "Contact"), strict=True
    ):
        doc.cell(width, 7, head, border=1)
    doc.ln()
    doc.set_font(pdfdoc.FAMILY, "", 8)
    for m in members[:30]:  # one page: a circle larger than this is listed in part
        cells = (m.name, m.role or m.relationship or MemberKind(m.kind).label, m.agency, m.contact)
        for width, value in zip(widths, cells, strict=True):
            doc.cell(width, 7, _fit(doc, pdfdoc.printable(value), width - 2), border=1)
        doc.ln()
    audit(circle.pk, AREA, request.user, "downloaded the circle PDF")
    response = HttpResponse(bytes(doc.output()), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="circle.pdf"'
    return response


@require_POST
@login_required
@members_only("delete the circle")
def delete(request: HttpRequest, circle: Circle, member: CircleMember) -> HttpResponse:
    """The circle and every contact card in it go; its audit log stays (a year)."""
    if not member.is_admin:
        return _not_member(request)
    audit(circle.pk, AREA, request.user, "deleted the circle and every contact card in it")
    circle.delete()
    messages.success(request, msg("circle_deleted"))
    return see_other(reverse("connect:circles"))
