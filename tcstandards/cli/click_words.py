"""Click's own sentences (a missing argument, an unknown option, a bad choice) in the user's language.

Click words its usage errors through ``gettext``, with no French or Spanish
catalogue of its own. The command line gives the click modules a translator
that looks each sentence up here, in the language of ``--lang`` (read before
the other options: :func:`remember`) or of the environment. A sentence not
here stays as click writes it.
"""

from __future__ import annotations

import sys
from typing import Any

from tcstandards.common.i18n import detect_language

WORDS: dict[str, dict[str, str]] = {
    "Error: {message}": {"fr": "Erreur : {message}", "es": "Error: {message}"},
    "Try '{command} {option}' for help.": {
        "fr": "Essayez '{command} {option}' pour l'aide.",
        "es": "Pruebe '{command} {option}' para ver la ayuda.",
    },
    "Invalid value for {param_hint}: {message}": {
        "fr": "Valeur non valable pour {param_hint} : {message}",
        "es": "Valor no válido para {param_hint}: {message}",
    },
    "Invalid value: {message}": {"fr": "Valeur non valable : {message}", "es": "Valor no válido: {message}"},
    "Missing argument": {"fr": "Argument manquant", "es": "Falta el argumento"},
    "Missing option": {"fr": "Option manquante", "es": "Falta la opción"},
    "Missing parameter": {"fr": "Paramètre manquant", "es": "Falta el parámetro"},
    "No such option {name!r}.": {"fr": "Option inconnue {name!r}.", "es": "Opción desconocida {name!r}."},
    "No such command {name!r}.": {"fr": "Commande inconnue {name!r}.", "es": "Comando desconocido {name!r}."},
    "{value!r} is not {choice}.": {"fr": "{value!r} n'est pas {choice}.", "es": "{value!r} no es {choice}."},
    "{value!r} is not one of {choices}.": {
        "fr": "{value!r} n'est pas l'une des valeurs {choices}.",
        "es": "{value!r} no es uno de los valores {choices}.",
    },
    "{value!r} is not a valid {number_type}.": {
        "fr": "{value!r} n'est pas un {number_type} valable.",
        "es": "{value!r} no es un {number_type} válido.",
    },
    "{value} is not in the range {range}.": {
        "fr": "{value} n'est pas dans l'intervalle {range}.",
        "es": "{value} no está en el intervalo {range}.",
    },
    "Usage:": {"fr": "Utilisation :", "es": "Uso:"},
    "Option {name!r} requires an argument.": {
        "fr": "L'option {name!r} demande une valeur.",
        "es": "La opción {name!r} requiere un valor.",
    },
    "Got unexpected extra argument ({args})": {
        "fr": "Argument en trop ({args})",
        "es": "Argumento de más ({args})",
    },
    "Got unexpected extra arguments ({args})": {
        "fr": "Arguments en trop ({args})",
        "es": "Argumentos de más ({args})",
    },
    "Did you mean {possibility}?": {
        "fr": "Vouliez-vous dire {possibility} ?",
        "es": "¿Quiso decir {possibility}?",
    },
    "(Did you mean one of: {possibilities}?)": {
        "fr": "(Vouliez-vous dire l'une de : {possibilities} ?)",
        "es": "(¿Quiso decir una de: {possibilities}?)",
    },
}
MODULES = ("core", "exceptions", "parser", "types", "decorators", "formatting")
_chosen: list[str] = []  # the language of --lang, once click has read it


def translate(message: str) -> str:
    lang = _chosen[-1] if _chosen else _from_arguments() or detect_language()
    return WORDS.get(message, {}).get(lang, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return translate(singular if count == 1 else plural)


def remember(_context: Any, _parameter: Any, value: str | None) -> str | None:
    """``--lang``'s callback (an eager option: read first): click's own sentences use it from then on."""
    if value:
        _chosen.append(value)
    return value


def forget() -> None:
    """A new command line: no --lang read yet."""
    _chosen.clear()


def install() -> None:
    """Give click's modules the translator (idempotent)."""
    import importlib

    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]


def _from_arguments(argv: list[str] | None = None) -> str | None:
    """``--lang fr`` or ``--lang=fr`` on the command line, before click has read it."""
    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


__all__ = ["WORDS", "forget", "install", "remember", "translate"]


install()
