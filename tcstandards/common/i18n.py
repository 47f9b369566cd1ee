"""Languages: which one to use, and the user-interface message catalogue.

Rule messages live in the rule catalogue of the standard
(``schemas/<version>/rules.json``); the few sentences of the tool itself
(summaries, reasons a file cannot be read) live in ``locale/ui.json``.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
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


def render(template: str, params: Mapping[str, Any], lang: str | None = None) -> str:
    """``str.format_map`` that leaves unknown placeholders as they are. With ``lang``, numbers are
    written as the language writes them (CLDR, through Babel: 1,234.5 / 1 234,5 / 1.234,5), and
    ``{name, plural, one {# cell} other {# cells}}`` takes the language's plural form."""
    if lang is None:
        shown: Mapping[str, Any] = {k: _plain(v) if isinstance(v, float) else v for k, v in params.items()}
    else:
        if ", plural," in template:
            template = _plurals(template, params, lang)
        shown = {
            k: _number(v, lang) if k not in RAW_NUMBERS and _is_number(v) else v for k, v in params.items()
        }
    parts = _parts(template)
    if parts is None:  # a placeholder with a format, a conversion or an index: the general way
        try:
            return Formatter().vformat(template, (), _Lenient(shown))
        except (ValueError, IndexError):
            return template
    return "".join(
        text if name is None else text + (format(shown[name], "") if name in shown else "{" + name + "}")
        for text, name in parts
    )


# numbers that are names, not quantities: ids, rows and columns, an option's value
RAW_NUMBERS = frozenset(
    {
        "id",
        "row",
        "line",
        "column",
        "limit",
        "current",
        "replaced",
        "submission",
        "other_submission",
        "days",
        "port",
    }
)
PLURAL = re.compile(r"\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}")
BRANCH = re.compile(r"(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}")


def _plain(value: float) -> str:
    """A number without a language: no spurious ``.0``."""
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: float, lang: str) -> str:
    """``value`` (to the cent) with the language's CLDR group and decimal symbols, as Babel's
    ``format_decimal`` writes it; the symbols are looked up once, since a run may write 100,000 numbers
    and the general pattern engine costs 30 µs each."""
    group, decimal = _symbols(lang)
    if isinstance(value, float) and not value.is_integer():
        text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(value):,}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


@functools.lru_cache(maxsize=8)
def _symbols(lang: str) -> tuple[str, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return str(get_group_symbol(lang)), str(get_decimal_symbol(lang))


def _plurals(template: str, params: Mapping[str, Any], lang: str) -> str:
    def choose(match: re.Match[str]) -> str:
        branches = dict(BRANCH.findall(match[2]))
        value = params.get(match[1])
        if not isinstance(value, int | float) or not _is_number(value):
            return branches.get("other", "").replace("#", "{" + match[1] + "}")
        exact = f"={value}"
        text = branches.get(exact) or branches.get(_category(value, lang)) or branches.get("other", "")
        return text.replace("#", _number(value, lang).replace("{", "{{").replace("}", "}}"))

    return PLURAL.sub(choose, template)


@functools.lru_cache(maxsize=256)
def _category(value: float, lang: str) -> str:
    from babel import Locale

    return str(Locale.parse(lang).plural_form(value))


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
def catalogue(name: str) -> dict[str, Any]:
    """A catalogue of ``locale/`` (``ui``, ``report``, ``paper``), read once: its ``messages`` and the
    rest of the document."""
    text = resources.files("tcstandards").joinpath("locale", f"{name}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _catalogue() -> dict[str, dict[str, str]]:
    messages: dict[str, dict[str, str]] = catalogue("ui")["messages"]
    return messages


def ui(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """A user-interface sentence in ``lang`` (English when missing)."""
    entry = _catalogue().get(key)
    if entry is None:
        return key
    return render(entry.get(lang) or entry[DEFAULT_LANGUAGE], params, lang)


def _placeholders_of(text: str) -> set[str]:
    """The names a sentence of the catalogue fills in (plural blocks included)."""
    names = {block[1] for block in PLURAL.finditer(text)}
    return names | {name for _, name, _, _ in Formatter().parse(PLURAL.sub("", text)) if name}


def ui_keys() -> frozenset[str]:
    return frozenset(_catalogue())
