"""The ``tcstandards`` command line: parse arguments, call the library, map errors to exit codes.

Heavy libraries (pandas, pandera, openpyxl) are imported inside the commands
that need them, so ``tcstandards --help`` and the pre-commit hook start fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable

import click

from . import __version__
from .errors import EXIT_INTERNAL, EXIT_USAGE, TcstandardsError
from .i18n import LANGUAGES, detect_language

FORMATS = ("text", "json")
# validate's formats: the keys of tcstandards.reporters.REPORTERS (not imported here: it imports pandas)
VALIDATE_FORMATS = ("text", "json", "github", "sarif", "junit")
STORE_HELP = "The HQ store: a SQLite file. Default: TCSTANDARDS_STORE, else tcstandards.sqlite here."


def _guard(function: Callable[[], int]) -> None:
    """Run a command; its return value, or the class of its error, is the exit code."""
    for stream in (sys.stdout, sys.stderr):  # a console that cannot show a character gets "?", not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        code = function()
    except TcstandardsError as error:
        click.echo(f"tcstandards: error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("tcstandards: interrupted", err=True)
        sys.exit(130)
    except OSError as error:  # the system refused (disk full, permission denied): not a bug, exit 2
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"tcstandards: error: {where}{error.strerror or error}", err=True)
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
    type=click.Choice(VALIDATE_FORMATS),
    default="text",
    show_default=True,
    help="text: grouped by file and sheet, for people. json: versioned, for programs "
    "(docs/json-output.md). github: workflow annotations. sarif: SARIF 2.1.0. junit: JUnit XML.",
)
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Show at most N findings (the summary still counts them all).",
)
@click.option(
    "--store",
    default=None,
    metavar="PATH",
    help="Also resolve projects against HQ's consolidated register in this store, and run the "
    "cross-quarter rules against its history (read only).",
)
@click.option(
    "--config",
    "config_file",
    default=None,
    metavar="FILE",
    help="A configuration file (.tcstandards.toml or pyproject.toml). Default: the first one found "
    "from the current folder up to the top of the git repository.",
)
@click.option(
    "--waivers",
    "waivers_file",
    default=None,
    metavar="FILE",
    help="Accepted exceptions (TOML, docs/repositories.md). Default: the configuration's 'waivers'.",
)
@click.option(
    "--annotate",
    default=None,
    metavar="OUT.xlsx",
    help="Also write a copy of the workbook with every finding as a comment on its cell, the cell "
    "filled by severity, and a Findings sheet with links (one workbook only; the input is not modified).",
)
def validate(
    paths: tuple[str, ...],
    lang: str | None,
    output_format: str,
    max_findings: int | None,
    store: str | None,
    config_file: str | None,
    waivers_file: str | None,
    annotate: str | None,
) -> None:
    """Check returns against the standard before submitting them.

    PATHS are workbooks (.xlsx, .xlsm, .ods), JSON returns, CSV files named
    OFFICE_PERIOD_KIND.csv, or folders (searched recursively).  Every problem
    is reported with its sheet and cell (Finance!D14), CSV line or JSON
    pointer, a stable rule id (see docs/rules.md) and a message.

    In a data repository, a configuration ([tool.tcstandards] in
    pyproject.toml, or .tcstandards.toml) sets the language, the standard
    version, path patterns and severity overrides, and names a waivers file.

    \b
    Examples:
      tcstandards validate DAKAR_1997-Q3.xlsx
      tcstandards validate --lang fr returns/
      tcstandards validate --format json returns/ > findings.json
      tcstandards validate --format github returns/      # in a GitHub Actions workflow
      tcstandards validate DAKAR_1997-Q3.xlsx --annotate DAKAR_1997-Q3.checked.xlsx
    """
    from pathlib import Path

    from .commands import validate as command
    from .config import find_config, load_config

    def run() -> int:
        config = load_config(Path(config_file) if config_file else find_config())
        return command.run(
            paths,
            lang=lang or config.lang or detect_language(),
            output_format=output_format,
            max_findings=max_findings,
            out=sys.stdout,
            err=sys.stderr,
            color=sys.stdout.isatty(),
            store=store,
            config=config,
            waivers_file=waivers_file,
            annotate=annotate,
        )

    _guard(run)


def _store(value: str | None) -> str:
    from .store import store_location

    return store_location(value)


def _received(text: str | None) -> dt.datetime | str | None:
    if text is None or text == "mtime":
        return text
    try:  # ISO 8601: a date, a date and time, with Z or an offset (UTC when none is given)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date (1997-10-20, 1997-10-20T09:30:00, 1997-10-20T09:30:00Z) or 'mtime'"
        ) from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


store_option = click.option("--store", default=None, metavar="PATH", help=STORE_HELP)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@lang_option
@format_option
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Show at most N findings per return (the totals still count them all).",
)
@click.option(
    "--received-at",
    default=None,
    metavar="DATE[THH:MM:SS]|mtime",
    callback=lambda _ctx, _param, value: _received(value),
    help="When HQ received these returns (UTC), for loading an archive: a date and time, or 'mtime' for "
    "each file's modification time. Default: now.",
)
@click.option(
    "--recheck",
    is_flag=True,
    help="Check again returns already in the ledger as quarantined (e.g. once the projects they "
    "refer to have been merged).",
)
def consolidate(
    paths: tuple[str, ...],
    store: str | None,
    lang: str | None,
    output_format: str,
    max_findings: int | None,
    received_at: dt.datetime | str | None,
    recheck: bool,
) -> None:
    """Validate returns and merge the clean ones into the HQ store.

    PATHS are returns or folders, as for `validate`.  Each return is recorded
    in the ledger (file, sha256, office, period, received time, outcome,
    counts).  A return with errors is quarantined: its findings are stored
    and shown, and nothing of it is merged.  A clean return is merged and
    replaces, as a whole, the office's earlier version for that period (which
    stays in the history).  The same file ingested again changes nothing,
    unless it is an earlier version sent again (it takes over again) or
    --recheck asks to check a quarantined one again.

    Finance and Results lines resolve their project against the consolidated
    register, and the cross-quarter rules (cumulative continuity, expenditure
    outliers) run against the store's history.  A key that another office
    reported for the same period is a conflict: a warning naming both
    submissions; the project's administering office owns the line.

    \b
    Exit codes: 0 every return merged (or already there), 1 a return is
    quarantined, 2 usage error or an unreadable file.

    \b
    Examples:
      tcstandards consolidate returns/1997-Q3
      tcstandards consolidate --store hq.sqlite --format json inbox/ > run.json
      tcstandards consolidate --received-at 1997-10-20 archive/1997-Q3
    """
    from .commands import consolidate as command

    _guard(
        lambda: command.run(
            paths,
            store=_store(store),
            lang=lang or detect_language(),
            output_format=output_format,
            max_findings=max_findings,
            received_at=received_at,
            recheck=recheck,
            out=sys.stdout,
            err=sys.stderr,
            color=sys.stdout.isatty(),
        )
    )


@main.command()
@store_option
@click.option("--office", default=None, metavar="CODE", help="Only this office (e.g. DAKAR).")
@click.option("--period", default=None, metavar="YYYY-Qn", help="Only this quarter (e.g. 1997-Q3).")
@click.option(
    "--id",
    "submission",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Show submission N in full: its stored findings and the conflicts it is part of.",
)
@lang_option
@format_option
def history(
    store: str | None,
    office: str | None,
    period: str | None,
    submission: int | None,
    lang: str | None,
    output_format: str,
) -> None:
    """List every version of every return in the store's ledger.

    A resubmission replaces the earlier version of the same office and period;
    both stay here.  The current version is marked *, a replaced one shows
    the submission that replaced it.

    \b
    Examples:
      tcstandards history --office DAKAR
      tcstandards history --period 1997-Q3 --format json
      tcstandards history --id 6          # why was submission 6 quarantined?
    """
    from .commands import history as command

    _guard(
        lambda: command.run(
            store=_store(store),
            office=office,
            period=period,
            submission=submission,
            lang=lang or detect_language(),
            output_format=output_format,
            out=sys.stdout,
        )
    )


@main.command()
@store_option
@click.option("--period", default=None, metavar="YYYY-Qn", help="One quarter.")
@click.option("--from", "first", default=None, metavar="YYYY-Qn", help="First quarter of a range.")
@click.option("--to", "last", default=None, metavar="YYYY-Qn", help="Last quarter of a range.")
@click.option(
    "--deadline-days",
    type=click.IntRange(min=0),
    metavar="DAYS",
    default=45,
    show_default=True,
    help="A return is on time when it arrives within this many days after the quarter ends.",
)
@click.option(
    "--only-gaps", is_flag=True, help="Text: list only offices with a late, quarantined or missing return."
)
@lang_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json", "csv")),
    default="text",
    show_default=True,
    help="text for people; json or csv (one row per office and quarter) for programs.",
)
def status(
    store: str | None,
    period: str | None,
    first: str | None,
    last: str | None,
    deadline_days: int,
    only_gaps: bool,
    lang: str | None,
    output_format: str,
) -> None:
    """Completeness and timeliness of returns, office x quarter.

    Every active office of the offices codelist is expected every quarter.
    Each cell is on time, late, quarantined (arrived, never merged) or
    missing.  Without --period or --from/--to: every quarter in the ledger.

    \b
    Examples:
      tcstandards status --period 1997-Q3
      tcstandards status --from 1997-Q1 --to 1997-Q4 --format csv > status.csv
    """
    from .commands import status as command

    _guard(
        lambda: command.run(
            store=_store(store),
            period=period,
            first=first,
            last=last,
            deadline_days=deadline_days,
            only_gaps=only_gaps,
            lang=lang or detect_language(),
            output_format=output_format,
            out=sys.stdout,
        )
    )


@main.command()
@click.argument("path", metavar="FILE")
@click.option("--to", "target", required=True, metavar="VERSION", help="The version to move to, e.g. 1.1.")
@click.option(
    "-o", "--output", required=True, metavar="OUT", help="The migrated copy (the input is never changed)."
)
@click.option("--force", is_flag=True, help="Replace OUT if it exists (it is refused otherwise).")
@lang_option
def migrate(path: str, target: str, output: str, force: bool, lang: str | None) -> None:
    """Move a return to a newer version of the standard; values are kept.

    FILE is a workbook (.xlsx, .xlsm) or a JSON return.  The headers of
    renamed fields are renamed (in the language they were written in) and the
    Cover's standard_version is set; what changed is listed.  The versions and
    their migrations are in docs/versions.md.

    \b
    Example:
      tcstandards migrate DAKAR_1997-Q3.xlsx --to 1.1 -o DAKAR_1997-Q3.v1.1.xlsx
      tcstandards validate DAKAR_1997-Q3.v1.1.xlsx
    """
    from .commands import migrate as command

    _guard(
        lambda: command.run(
            path=path,
            target=target,
            output=output,
            force=force,
            lang=lang or detect_language(),
            out=sys.stdout,
        )
    )


@main.command()
@store_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("csv", "xlsx", "json", "iati")),
    required=True,
    help="csv: one file per record type; xlsx: one workbook, a sheet per type; json: one document; "
    "iati: IATI 2.03 activity XML, one activity per project (docs/iati.md).",
)
@click.option(
    "-o",
    "--output",
    "folder",
    default="tcstandards-export",
    show_default=True,
    metavar="DIR",
    help="Folder to write into (created if needed); for iati also a FILE.xml.",
)
@lang_option
def export(store: str | None, output_format: str, folder: str, lang: str | None) -> None:
    """Write the consolidated data, one table per record type.

    Only merged returns, their current versions, one line per key (conflicts
    resolved in favour of the owning office).  Provenance columns come first:
    office, return_period, submission_id, received_at, source_file, location.
    Text that a spreadsheet would run as a formula is neutralised.

    \b
    Examples:
      tcstandards export --format xlsx -o out/
      tcstandards export --format csv
      tcstandards export --format iati -o ilo-activities.xml
    """
    from .commands import export as command

    _guard(
        lambda: command.run(
            store=_store(store),
            output_format=output_format,
            folder=folder,
            lang=lang or detect_language(),
            out=sys.stdout,
        )
    )


@main.command()
@store_option
@click.option(
    "--from", "first", required=True, metavar="YEAR[-Qn]", help="First year or quarter (1990, 1990-Q1)."
)
@click.option(
    "--to", "last", required=True, metavar="YEAR[-Qn]", help="Last year or quarter (1996, 1996-Q4)."
)
@lang_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("html", "xlsx", "json")),
    default=None,
    help="html: one self-contained page with charts, printable on A4; xlsx: a sheet and a native chart "
    "per table; json: every figure, versioned (docs/report.md).  Default: the suffix of -o, else html.",
)
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE",
    help="Where to write it. Default: tcstandards-report.<format> in the current folder.",
)
@click.option(
    "--deadline-days",
    type=click.IntRange(min=0),
    default=45,
    show_default=True,
    metavar="DAYS",
    help="Timeliness in the data-quality annex: days after the quarter's end.",
)
def report(
    store: str | None,
    first: str,
    last: str,
    lang: str | None,
    output_format: str | None,
    output: str | None,
    deadline_days: int,
) -> None:
    """Write the Governing Body report from the store: validated data only.

    Expenditure by year, by source of funds (UNDP, UNFPA, trust funds with
    the multi-bilateral part, RBTC/RBSA) and by ILO region; approvals by
    source and by global programme; beneficiary countries; the four largest
    multi-bilateral donors; the delivery rate; results against targets; the
    resource-mobilization pipeline; and a data-quality annex.  Every table
    has its chart.  HTML and XLSX are drawn from the same figures as the JSON.

    \b
    Examples:
      tcstandards report --from 1990 --to 1996 -o gb-report.html
      tcstandards report --from 1996 --to 1996 --lang fr --format xlsx -o rapport.xlsx
      tcstandards report --from 1997-Q1 --to 1997-Q3 --format json -o figures.json
    """
    from .commands import report as command

    _guard(
        lambda: command.run(
            store=_store(store),
            first=first,
            last=last,
            lang=lang or detect_language(),
            output_format=output_format,
            output=output,
            deadline_days=deadline_days,
            out=sys.stdout,
            err=sys.stderr,
        )
    )


@main.command()
@click.option("--office", required=True, metavar="CODE", help="The office (offices codelist), e.g. DAKAR.")
@click.option("--period", required=True, metavar="YYYY-Qn", help="The quarter, e.g. 1997-Q3.")
@lang_option
@click.option(
    "--kinds",
    default=None,
    metavar="LIST",
    help="Record types to include, comma-separated (projects,finance,results,pipeline). Default: all.",
)
@click.option(
    "--standard",
    "version",
    default=None,
    metavar="VERSION",
    help="Standard version. Default: the latest that is not a draft.",
)
@click.option("-o", "--output", default=None, metavar="FILE.xlsx", help="Default: OFFICE_PERIOD.xlsx here.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (it is refused otherwise).")
def template(
    office: str,
    period: str,
    lang: str | None,
    kinds: str | None,
    version: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Write an Excel workbook to fill in, generated from the standard.

    A Cover with the office, period and version filled in and locked; a
    sheet per record type with headers in the chosen language (required
    columns in orange), a dropdown for every codelist field (from a hidden
    Lists sheet), date, number and length checks with input messages; and an
    Instructions sheet.  A blank template validates with nothing to report.

    \b
    Examples:
      tcstandards template --office DAKAR --period 1997-Q4 --lang fr
      tcstandards template --office LIMA --period 1997-Q4 --lang es --kinds projects,finance -o lima.xlsx
    """
    from .commands import template as command

    _guard(
        lambda: command.run(
            office=office,
            period=period,
            lang=lang or detect_language(),
            kinds=kinds,
            output=output,
            version=version,
            out=sys.stdout,
            force=force,
        )
    )


if __name__ == "__main__":  # pragma: no cover
    main()
