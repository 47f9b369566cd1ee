"""Languages: which one to use, and the user-interface message catalogue.

Rule messages live in the rule catalogue of the standard
(``schemas/<version>/rules.json``); the few sentences of the tool itself
(summaries, reasons a file cannot be read) live in ``locale/ui.json``.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from importlib import resources
from string import Formatter
from typing import Any

LANGUAGES = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the user's locale if it is one we speak, else English.

    ``TCSTANDARDS_LANG`` wins over the POSIX locale variables.
    """
    env = os.environ if environ is None else environ
    for name in ("TCSTANDARDS_LANG", *_LOCALE_VARIABLES):
        value = env.get(name, "")
        for part in value.split(":"):
            code = part.strip()[:2].lower()
            if code in LANGUAGES:
                return code
            if code and name != "LANGUAGE" and code not in ("c", "po"):
                break
    return DEFAULT_LANGUAGE


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, params: Mapping[str, Any]) -> str:
    """``str.format_map`` that leaves unknown placeholders as they are."""
    parts = _parts(template)
    if parts is None:  # a placeholder with a format, a conversion or an index: the general way
        try:
            return Formatter().vformat(template, (), _Lenient(params))
        except (ValueError, IndexError):
            return template
    return "".join(
        text if name is None else text + (format(params[name], "") if name in params else "{" + name + "}")
        for text, name in parts
    )


@functools.lru_cache(maxsize=4096)
def _parts(template: str) -> tuple[tuple[str, str | None], ...] | None:
    """A template parsed once: (text, placeholder) pairs, or None when one is more than a plain name."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError:
        return None
    if any(
        name is not None and (spec or conversion or not name.isidentifier())
        for _, name, spec, conversion in parsed
    ):
        return None
    return tuple((text, name) for text, name, _, _ in parsed)


@functools.cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = resources.files("tcstandards").joinpath("locale", "ui.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)["messages"]
    return data


def ui(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """A user-interface sentence in ``lang`` (English when missing)."""
    entry = _catalogue().get(key)
    if entry is None:
        return key
    return render(entry.get(lang) or entry[DEFAULT_LANGUAGE], params)


def ui_keys() -> frozenset[str]:
    return frozenset(_catalogue())
