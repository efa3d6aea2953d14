"""The Jinja2 environment: our templates first, then the GOV.UK Frontend macros."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

from kaleidoscope.learn.text import render_html, render_inline


def _markdown(text: str | None) -> Markup:
    return Markup(render_html(text or ""))


def _markdown_inline(text: str | None) -> Markup:
    return Markup(render_inline(text or ""))


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader", None)
    options["loader"] = ChoiceLoader(
        [
            *([loader] if loader is not None else []),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options.setdefault("autoescape", True)
    env = Environment(**options)
    env.globals.update(static=static, url=_url, get_messages=get_messages)
    env.filters.update(markdown=_markdown, markdown_inline=_markdown_inline)
    return env
