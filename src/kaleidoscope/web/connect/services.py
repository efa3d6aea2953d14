"""Connect's shared pieces: messages, the note cipher, audit lines, rate limits and the
live chat events (published through the group-session broker)."""

from __future__ import annotations

import json
import uuid
from functools import cache
from importlib import resources
from typing import Any

import yaml
from cryptography.fernet import MultiFernet
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache as django_cache
from django.db.models import F
from django.template.loader import render_to_string

from kaleidoscope.connect.fieldkey import InvalidToken, cipher
from kaleidoscope.web.groups.broker import get_broker

from .models import AuditEntry, Chat, ChatPost, Person

# The Ask a social worker board's entries in the audit log share one subject.
BOARD = uuid.UUID("6d1b1a2e-5a52-4c1e-9f0e-8a8b7a3c0a5b")
CHANNEL = "connect-chat:{}"


@cache
def _text() -> dict[str, str]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return data


def msg(key: str, **values: Any) -> str:
    return " ".join(_text()[key].format(**values).split())


# --- notes, encrypted at rest -------------------------------------------------------------
@cache
def _cipher(configured: str, folder: str) -> MultiFernet:
    from pathlib import Path

    return cipher(configured, Path(folder))


def note_cipher() -> MultiFernet:
    return _cipher(getattr(settings, "KALEIDOSCOPE_FIELD_KEY", ""), str(settings.DATA_DIR))


def seal(note: str) -> bytes:
    return note_cipher().encrypt(note.encode("utf-8")) if note else b""


def unseal(token: bytes | memoryview) -> str:
    raw = bytes(token)
    if not raw:
        return ""
    try:
        return note_cipher().decrypt(raw).decode("utf-8")
    except InvalidToken:
        return "[This note cannot be read with the current key.]"


# --- people and the audit log ---------------------------------------------------------------
def person_ref(user: AbstractBaseUser) -> uuid.UUID:
    person, _ = Person.objects.get_or_create(user=user)
    return person.ref


def actor(user: AbstractBaseUser | AnonymousUser | None) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    return str(user.get_username())


def audit(
    subject: uuid.UUID,
    area: str,
    who: AbstractBaseUser | AnonymousUser | str,
    action: str,
    *,
    allowed: bool = True,
) -> None:
    AuditEntry.objects.create(
        subject=subject,
        area=area,
        actor=actor(who) if not isinstance(who, str) else who,
        action=action[:80],
        allowed=allowed,
    )


# --- rate limits (django.core.cache) ---------------------------------------------------------
def hit(key: str, limit: int, window: int) -> bool:
    """Count one event; False once more than ``limit`` fell in the current window."""
    full = "connect:rate:" + key
    django_cache.add(full, 0, window)
    try:
        count = django_cache.incr(full)
    except ValueError:  # expired between add and incr
        django_cache.set(full, 1, window)
        count = 1
    return int(count) <= limit


# --- live chat events ------------------------------------------------------------------------
def channel(chat_id: uuid.UUID) -> str:
    return CHANNEL.format(chat_id)


def bump(chat: Chat) -> int:
    Chat.objects.filter(pk=chat.pk).update(revision=F("revision") + 1)
    chat.revision = Chat.objects.values_list("revision", flat=True).get(pk=chat.pk)
    return chat.revision


def publish_post(chat: Chat, post: ChatPost) -> None:
    """Tell every open chat page about a newly published post (A<n> under Q<n>)."""
    rev = bump(chat)
    html = render_to_string("connect/_post.html", {"post": post, "chat": chat, "live": True})
    payload = {"type": "post", "rev": rev, "id": post.pk, "q": post.question, "html": html}
    get_broker().publish(channel(chat.pk), json.dumps(payload))


def publish_change(chat: Chat) -> None:
    """Something other than a new post changed (a post hidden, a question asked, the
    end): open pages fetch the thread again."""
    rev = bump(chat)
    get_broker().publish(channel(chat.pk), json.dumps({"type": "change", "rev": rev}))


def sync_payload(chat_id: uuid.UUID) -> str:
    rev = Chat.objects.values_list("revision", flat=True).filter(pk=chat_id).first() or 0
    return json.dumps({"type": "sync", "rev": rev})
