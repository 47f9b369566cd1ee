"""The office commands of the command line: validate, migrate, template.

They hang on the ``main`` group of :mod:`tcstandards.cli.app` and follow its
rules: parse the arguments, call a command module that returns an exit code,
heavy imports inside.
"""

from __future__ import annotations

import sys

import click

from tcstandards.cli.app import VALIDATE_FORMATS, _guard, lang_option, main
from tcstandards.common.i18n import detect_language


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
    metavar="PATH|URL",
    help="Also resolve projects against HQ's consolidated register in this store (a SQLite file or a "
    "postgresql:// URL), and run the cross-quarter rules against its history (read only).",
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

    from tcstandards.cli.commands import validate as command
    from tcstandards.reading.config import find_config, load_config

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

    _guard(run, lang=lang)


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
    from tcstandards.cli.commands import migrate as command

    _guard(
        lambda: command.run(
            path=path,
            target=target,
            output=output,
            force=force,
            lang=lang or detect_language(),
            out=sys.stdout,
        ),
        lang=lang,
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
    from tcstandards.cli.commands import template as command

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
        ),
        lang=lang,
    )
