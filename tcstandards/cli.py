"""The ``tcstandards`` command line: parse arguments, call the library, map errors to exit codes.

Heavy libraries (pandas, pandera, openpyxl) are imported inside the commands
that need them, so ``tcstandards --help`` and the pre-commit hook start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from . import __version__
from .errors import EXIT_INTERNAL, TcstandardsError
from .i18n import LANGUAGES, detect_language

FORMATS = ("text", "json")


def _guard(function: Callable[[], int]) -> None:
    """Run a command; its return value, or the class of its error, is the exit code."""
    try:
        code = function()
    except TcstandardsError as error:
        click.echo(f"tcstandards: error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("tcstandards: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # pragma: no cover - a bug; say so without a bare traceback
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


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the messages: en, fr or es. Default: TCSTANDARDS_LANG or the locale (LANG), else en.",
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@lang_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: grouped by file and sheet, for people. json: versioned, for programs (docs/json-output.md).",
)
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Show at most N findings (the summary still counts them all).",
)
def validate(paths: tuple[str, ...], lang: str | None, output_format: str, max_findings: int | None) -> None:
    """Check returns against the standard before submitting them.

    PATHS are workbooks (.xlsx, .xlsm, .ods), JSON returns, CSV files named
    OFFICE_PERIOD_KIND.csv, or folders (searched recursively).  Every problem
    is reported with its sheet and cell (Finance!D14), CSV line or JSON
    pointer, a stable rule id (see docs/rules.md) and a message.

    \b
    Examples:
      tcstandards validate DAKAR_1997-Q3.xlsx
      tcstandards validate --lang fr returns/
      tcstandards validate --format json returns/ > findings.json
    """
    from .commands import validate as command

    def run() -> int:
        return command.run(
            paths,
            lang=lang or detect_language(),
            output_format=output_format,
            max_findings=max_findings,
            out=sys.stdout,
            err=sys.stderr,
            color=sys.stdout.isatty(),
        )

    _guard(run)


if __name__ == "__main__":  # pragma: no cover
    main()
