"""The ``tcstandards`` command line: parse arguments, call the library, map errors to exit codes.

Heavy libraries (pandas, pandera, openpyxl) are imported inside the commands
that need them, so ``tcstandards --help`` and the pre-commit hook start fast.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable

import click

from tcstandards import __version__
from tcstandards.cli import click_words
from tcstandards.common.errors import EXIT_INTERNAL, EXIT_USAGE, TcstandardsError
from tcstandards.common.i18n import LANGUAGES, detect_language, ui, ui_keys

FORMATS = ("text", "json")
# validate's formats: the keys of tcstandards.reporters.REPORTERS (not imported here: it imports pandas)
VALIDATE_FORMATS = ("text", "json", "github", "sarif", "junit")
STORE_HELP = (
    "The HQ store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST/DATABASE. "
    "Default: TCSTANDARDS_STORE, else tcstandards.sqlite here."
)


UNFILLED = re.compile(r"\{[a-z_]+\}")  # a placeholder left as it was


def word(error: TcstandardsError, lang: str) -> str:
    """An error as the command line says it: the catalogue's ``error.<code>`` sentence (which names the
    option concerned) in ``lang``, else the library's own plain message."""
    key = f"error.{error.code}"
    if key not in ui_keys():
        return str(error)
    worded = ui(key, lang, **error.params)
    return str(error) if UNFILLED.search(worded) else worded  # a value the raise did not give: its own words


def _guard(function: Callable[[], int], lang: str | None = None) -> None:
    """Run a command; its return value, or the class of its error, is the exit code."""
    for stream in (sys.stdout, sys.stderr):  # a console that cannot show a character gets "?", not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        code = function()
    except TcstandardsError as error:
        said = lang or detect_language()
        click.echo(ui("error.prefix", said) + word(error, said), err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("tcstandards: interrupted", err=True)
        sys.exit(130)
    except OSError as error:  # the system refused (disk full, permission denied): not a bug, exit 2
        where = f"{error.filename}: " if error.filename else ""
        click.echo(
            ui("error.prefix", lang or detect_language()) + f"{where}{error.strerror or error}", err=True
        )
        sys.exit(EXIT_USAGE)
    except BaseException as error:  # pragma: no cover - a bug (also a native panic): no bare traceback
        if isinstance(error, SystemExit | GeneratorExit):
            raise
        click.echo(f"tcstandards: internal error: {type(error).__name__}: {error}", err=True)
        click.echo("This is a bug in tcstandards; please report it with the file that caused it.", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tcstandards")
def main() -> None:
    """Validate, consolidate and report technical-cooperation (TC) data
    against the TC Data Standard (TCDS).

    \b
    Exit codes: 0 no errors (warnings allowed), 1 errors found,
                2 usage error or unreadable input, 3 internal error.
    """
    click_words.forget()  # a new command: its own --lang, else the environment, words click's sentences


def run() -> None:
    """The console script (``tcstandards``, ``python -m tcstandards``): the command, then a quick exit.

    With pandas loaded, freeing every object as the interpreter shuts down costs
    about 0.1 s, which the pre-commit hook pays on every commit for nothing: the
    command has written its outputs atomically and closed its store by then.
    So, as mypy does, the output streams are flushed and the process ends at
    once (``os._exit``).  Without pandas the normal exit is as quick.
    """
    try:
        main(prog_name="tcstandards")
        code: int | str | None = 0
    except SystemExit as done:
        code = done.code
    if "pandas" not in sys.modules:
        sys.exit(code)
    if isinstance(code, str):  # sys.exit("message"): what Python would print, and exit status 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError):  # the reader left early (`| head`): it had what it wanted
            stream.flush()
    os._exit(code or 0)


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    is_eager=True,  # read first: click's own sentences about the other options are in this language
    callback=click_words.remember,
    help="Language of the messages: en, fr or es. Default: TCSTANDARDS_LANG or the locale (LANG), else en.",
)
