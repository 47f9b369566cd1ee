"""The HQ commands of the command line: consolidate, history, status, export, report.

They hang on the ``main`` group of :mod:`tcstandards.cli` (imported there, at
its end), and follow its rules: parse the arguments, call a command module
that returns an exit code, heavy imports inside.
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from tcstandards.cli.app import FORMATS, STORE_HELP, _guard, lang_option, main
from tcstandards.common.i18n import detect_language


def _store(value: str | None) -> str:
    from tcstandards.hq.store import store_location

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


store_option = click.option("--store", default=None, metavar="PATH|URL", help=STORE_HELP)
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
    Exit codes: 0 nothing new is faulty (every return of this run merged,
    or already in the store, quarantined or not: `status` shows standing
    problems), 1 a return of this run is quarantined, 2 usage error or an
    unreadable file.

    \b
    Examples:
      tcstandards consolidate returns/1997-Q3
      tcstandards consolidate --store hq.sqlite --format json inbox/ > run.json
      tcstandards consolidate --received-at 1997-10-20 archive/1997-Q3
    """
    from tcstandards.cli.commands import consolidate as command

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
        ),
        lang=lang,
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
    from tcstandards.cli.commands import history as command

    _guard(
        lambda: command.run(
            store=_store(store),
            office=office,
            period=period,
            submission=submission,
            lang=lang or detect_language(),
            output_format=output_format,
            out=sys.stdout,
        ),
        lang=lang,
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

    A unit is expected for the quarters of its reporting obligation: from
    reports_from to reports_until in the offices codelist, or as HQ's
    configuration says ([[obligations]] in .tcstandards.toml).  Each cell is
    on time, late, quarantined (arrived, never merged), missing, or blank
    (not expected).  Completeness and timeliness are rates of the expected
    returns.  Without --period or --from/--to: every quarter in the ledger.

    \b
    Examples:
      tcstandards status --period 1997-Q3
      tcstandards status --from 1997-Q1 --to 1997-Q4 --format csv > status.csv
    """
    from tcstandards.cli.commands import status as command

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
        ),
        lang=lang,
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
@click.option(
    "--history",
    is_flag=True,
    help="Projects: one row per project and quarter reported, instead of the register "
    "(one row per project, its latest state).",
)
@lang_option
def export(store: str | None, output_format: str, folder: str, history: bool, lang: str | None) -> None:
    """Write the consolidated data, one table per record type.

    Only merged returns, their current versions, one line per key (conflicts
    resolved in favour of the owning office).  Projects are the register: one
    row per project, as the latest quarter that reported it says (--history:
    every quarter's row; not for iati).  Provenance columns come first: office,
    return_period, submission_id, received_at, source_file, sha256, location
    (the row of the return it came from).  Text that a spreadsheet would run as a
    formula is neutralised.

    \b
    Examples:
      tcstandards export --format xlsx -o out/
      tcstandards export --format csv --history
      tcstandards export --format iati -o ilo-activities.xml
    """
    from tcstandards.cli.commands import export as command

    _guard(
        lambda: command.run(
            store=_store(store),
            output_format=output_format,
            folder=folder,
            history=history,
            lang=lang or detect_language(),
            out=sys.stdout,
        ),
        lang=lang,
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
    type=click.Choice(("html", "xlsx", "docx", "json")),
    default=None,
    help="html: one self-contained page with charts, printable on A4; xlsx: a sheet and a native chart "
    "per table; docx: the paper as an editable Word document (its paragraphs, each chart as a picture "
    "and its table), to paste from; json: every figure, versioned (docs/report.md).  Default: the "
    "suffix of -o, else html.",
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
@click.option(
    "--donor",
    metavar="CODE",
    default=None,
    help="One partner's paper: the projects it funds and the proposals made to it (a donors code: NOR).",
)
@click.option(
    "--country",
    metavar="CODE",
    default=None,
    help="One country's paper: the expenditure and results recorded for it (a countries code: SEN).",
)
@click.option(
    "--programme",
    metavar="CODE",
    default=None,
    help="One global programme's paper: its projects and proposals (a global_programmes code: IPEC).",
)
def report(
    store: str | None,
    first: str,
    last: str,
    lang: str | None,
    output_format: str | None,
    output: str | None,
    deadline_days: int,
    donor: str | None,
    country: str | None,
    programme: str | None,
) -> None:
    """Write the Governing Body report from the store: validated data only.

    Expenditure by year, by source of funds (UNDP, UNFPA, trust funds with
    the multi-bilateral part, the regular budget) and by ILO region; approvals by
    source and by global programme; beneficiary countries; the four largest
    multi-bilateral donors; the delivery rate; results against targets; the
    resource-mobilization pipeline; and data quality.  Each figure has its
    chart beside its table; long tables (150 countries) go to a statistical
    annex.  HTML, XLSX and DOCX are drawn from the same figures as the JSON.

    The paper opens with numbered paragraphs drafted from the figures (the
    trend of expenditure, sources of funds, donors, approvals, countries and
    regions, results, the pipeline, data quality).  --donor, --country or
    --programme writes the same paper for one partner, country or programme
    (one of them at a time).

    \b
    Examples:
      tcstandards report --from 1990 --to 1996 -o gb-report.html
      tcstandards report --from 1996 --to 1996 --lang fr --format xlsx -o rapport.xlsx
      tcstandards report --from 1990 --to 1996 --lang fr -o document.docx
      tcstandards report --from 1990 --to 1996 --donor NOR -o norway.html
      tcstandards report --from 1990 --to 1996 --country SEN --lang fr -o senegal.docx
      tcstandards report --from 1997-Q1 --to 1997-Q3 --format json -o figures.json
    """
    from tcstandards.cli.commands import report as command

    _guard(
        lambda: command.run(
            store=_store(store),
            first=first,
            last=last,
            lang=lang or detect_language(),
            output_format=output_format,
            output=output,
            deadline_days=deadline_days,
            views={"donor": donor, "country": country, "programme": programme},
            out=sys.stdout,
            err=sys.stderr,
        ),
        lang=lang,
    )
