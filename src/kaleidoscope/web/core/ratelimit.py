"""Fixed-window rate limits through Django's cache (shared between processes when the
cache is Redis). ``cache.add`` creates the counter with its window once, ``cache.incr``
counts atomically, so concurrent guesses can never all be let through.

Limits in force (documented in docs/security.md):

| what | key | limit |
| --- | --- | --- |
| sign-in attempts | account + client address | 5 per 15 minutes |
| sign-in attempts | client address, any account | 100 per 15 minutes |
| wrong group join codes | client address | 20 per minute |

A room of people behind one address (a university's wifi) joins a group session from
one address: only wrong codes are counted (``hit``); a right code is let in while the
address is under the limit (``blocked``). Counting every join and giving right ones back
refused a room joining at once: with more than 20 joins in flight the rest got 429.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window_s: int


SIGN_IN_ACCOUNT = Limit("sign-in", 5, 15 * 60)
SIGN_IN_ADDRESS = Limit("sign-in-addr", 100, 15 * 60)
JOIN_CODE = Limit("join", 20, 60)


def client_address(request: HttpRequest) -> str:
    """The client's address as the server sees it (uvicorn puts a trusted proxy's
    X-Forwarded-For there; see docs/deploy.md)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(limit: Limit, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"ratelimit:{limit.name}:{digest[:32]}"  # no address or username in the key


def hit(limit: Limit, *parts: str) -> bool:
    """Count one attempt; True while it is within the limit."""
    key = _key(limit, *parts)
    cache.add(key, 0, limit.window_s)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: start a new window
        cache.add(key, 1, limit.window_s)
        count = 1
    return count <= limit.limit


def blocked(limit: Limit, *parts: str) -> bool:
    """True once ``limit`` attempts have been counted in this window (counts nothing).

    For limits that count only failures (wrong join codes): a success checks ``blocked``
    and a failure counts with ``hit``. Each answer then follows one atomic read or
    increment of the counter, so the answers are those of a strict sequential limit,
    while successes in flight never hold a place in it."""
    count = cache.get(_key(limit, *parts))
    return isinstance(count, int) and count >= limit.limit


def reset(limit: Limit, *parts: str) -> None:
    cache.delete(_key(limit, *parts))
