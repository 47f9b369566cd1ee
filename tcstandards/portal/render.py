"""Pages: Jinja2 templates with autoescaping on, the language of the request, the form token."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from tcstandards import __version__
from tcstandards.common.i18n import LANGUAGES
from tcstandards.hq.store import open_store
from tcstandards.hq.store.base import Account, Store
from tcstandards.portal.security import LANG, csrf_token, is_hq
from tcstandards.portal.words import best_language, say

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("tcstandards.portal", "templates"),
        autoescape=True,  # nothing a user typed is ever written unescaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = when
    return environment


def when(moment: str | None) -> str:
    """A time of the store (``1997-10-20T09:00:00Z``) as people read it: ``1997-10-20 09:00 UTC``."""
    if not moment:
        return ""
    return f"{moment[:10]} {moment[11:16]} UTC" if len(moment) >= 16 and moment[10] == "T" else moment


def language(request: Request) -> str:
    """``?lang=`` (kept for the session), else the session's, else the browser's first we speak."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        request.session[LANG] = asked
        return str(asked)
    kept = request.session.get(LANG)
    return str(kept) if kept in LANGUAGES else best_language(request.headers.get("accept-language"))


def page(
    request: Request,
    template: str,
    *,
    account: Account | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    lang = language(request)
    context = {
        "lang": lang,
        "say": lambda key, **params: say(key, lang, **params),
        "csrf": csrf_token(request),
        "account": account,
        "hq": account is not None and is_hq(account),
        "path": request.url.path,
        "languages": LANGUAGE_NAMES,
        "language_links": {code: in_language(request, code) for code in LANGUAGE_NAMES},
        "version": __version__,
        **values,
    }
    html = _environment().get_template(template).render(context)
    answer = HTMLResponse(html, status_code=status, headers=headers)
    answer.headers["Cache-Control"] = "no-store"  # a page of findings is not kept by a shared browser
    return answer


def in_language(request: Request, code: str) -> str:
    """This page in another language: ``?lang=`` with the page's other parameters kept (``?next=``)."""
    from urllib.parse import urlencode

    kept = [(name, value) for name, value in request.query_params.multi_items() if name != "lang"]
    return "?" + urlencode([*kept, ("lang", code)])


def opened_store(request: Request) -> Iterator[Store]:
    """A dependency: the store, opened for this request and closed after it."""
    with open_store(request.app.state.settings.store, create=True) as store:
        yield store
