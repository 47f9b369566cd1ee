"""The portal's sentences (``locale/portal.json``, in English, French and Spanish) and the language
of each request: ``?lang=``, else the one chosen earlier in the session, else the browser's."""

from __future__ import annotations

from typing import Any

from tcstandards.common.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalogue, render


def say(key: str, lang: str, /, **params: Any) -> str:
    """A sentence of the portal in ``lang`` (English when missing; the key itself when unknown)."""
    entry = catalogue("portal")["messages"].get(key)
    if entry is None:
        return key
    return render(entry.get(lang) or entry[DEFAULT_LANGUAGE], params, lang)


def best_language(accept_language: str | None) -> str:
    """The first of the browser's languages (``Accept-Language``, by weight) that the portal speaks."""
    weighted = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            quality = 0.0
        weighted.append((-quality, position, tag.strip()[:2].lower()))
    for _, _, code in sorted(weighted):
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
