"""The rules of the catalogue that are code, not expressions (kind ``implementation``).

Each function is registered under the id of its catalogue entry and reads
its fields through the entry's ``roles`` and its settings through the entry's
``parameters``; the catalogue declares both, and loading checks that every
implementation has an entry and every such entry an implementation
(:func:`tcstandards.validation.rules.check_implementations`).  A value that
failed its type is empty in the typed frame, and an empty value never breaks
a rule here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tcstandards.standard import Rule
from tcstandards.standard.roles import ROLE
from tcstandards.standard.rule_ids import CODE_WITHDRAWN, CODELIST
from tcstandards.validation.rule_context import Context, positions
from tcstandards.validation.tables import Hits, Table

UNKNOWN_PROJECT = "unknown-project"  # HQ holds back a return with it until the others of the run are in
Implementation = Callable[[Context, Rule], Iterator[Hits]]
IMPLEMENTATIONS: dict[str, Implementation] = {}
ROLES: dict[str, tuple[str, ...]] = {}  # rule id -> the roles its code reads
PARAMETERS: dict[str, tuple[str, ...]] = {}  # rule id -> the parameters its code reads
ON_RECORDS_ONLY: set[str] = set()  # rules that read their table and its recipients only: run per batch
ON_REGISTER: set[str] = (
    set()
)  # rules that read their table and the register: per batch when registers are own


def implementation(
    rule_id: str,
    *,
    roles: tuple[str, ...] = (),
    parameters: tuple[str, ...] = (),
    records_only: bool = False,
    register_only: bool = False,
) -> Callable[[Implementation], Implementation]:
    """Register ``function`` as the code of catalogue rule ``rule_id``, with the roles and parameters it
    reads. ``records_only``: it reads nothing but its table and the table's recipients (no period, no
    register), so it may run on the tables of many returns end to end (:mod:`.batch`).
    ``register_only``: it reads its table and the register, through the register's methods, so it may
    run so too when each return's register is its own (:mod:`.run_register`)."""

    def register(function: Implementation) -> Implementation:
        IMPLEMENTATIONS[rule_id] = function
        ROLES[rule_id] = roles
        PARAMETERS[rule_id] = parameters
        if records_only:
            ON_RECORDS_ONLY.add(rule_id)
        if register_only:
            ON_REGISTER.add(rule_id)
        return function

    return register


def _projects(ctx: Context, rule: Rule) -> Table | None:
    (record,) = rule.records
    table = ctx.table(record)
    if table is None or not table.has(rule.roles[ROLE.recipients]):
        return None
    return table


RECIPIENT_CODES = "recipient codes"  # the check below, as batch.py keys what it found


def recipient_codes(ctx: Context, table: Table) -> Iterator[Hits]:
    """Each code of a list of codes (``x-codelist-items``) is in its codelist; withdrawn codes are warned."""
    for field in table.record.fields:
        if not field.item_codelist or not table.has(field.name):
            continue
        parts = ctx.recipients
        codelist = ctx.standard.codelist(field.item_codelist)
        unknown = parts[~parts["country"].isin(codelist.codes)]
        if len(unknown):
            bad = unknown.groupby("position")["country"].agg(", ".join)
            params = {CODELIST: field.item_codelist}
            yield Hits(CODELIST, table.name, bad.index.to_numpy(), field.name, params, bad.tolist())
        withdrawn = {c for c, w in codelist.attribute("withdrawn").items() if w}
        old = parts[parts["country"].isin(withdrawn)]
        if len(old):
            dates = codelist.attribute("withdrawn_on")
            first = old.groupby("position").first()
            params = {"date": first["country"].map(dates).astype(str).tolist()}
            yield Hits(
                CODE_WITHDRAWN,
                table.name,
                first.index.to_numpy(),
                field.name,
                params,
                first["country"].tolist(),
            )


@implementation(
    "recipients-sum", roles=(ROLE.recipients,), parameters=("expected", "tolerance"), records_only=True
)
def recipients_sum(ctx: Context, rule: Rule) -> Iterator[Hits]:
    table = _projects(ctx, rule)
    if table is None:
        return
    parts = ctx.recipients
    given = parts[parts["pct"].notna()]
    total = given.groupby("position")["pct"].sum()
    expected, tolerance = rule.parameters["expected"], rule.parameters["tolerance"]
    bad = total[(total - expected).abs() > tolerance]
    field = rule.roles[ROLE.recipients]
    yield Hits(rule.id, table.name, bad.index.to_numpy(), field, {"total": bad.round(2).tolist()})


@implementation(
    "recipient-region",
    roles=(ROLE.recipients, ROLE.region),
    parameters=("exempt_regions",),
    records_only=True,
)
def recipient_region(ctx: Context, rule: Rule) -> Iterator[Hits]:
    table = _projects(ctx, rule)
    if table is None:
        return
    parts = ctx.recipients
    countries = table.record.field(rule.roles[ROLE.recipients]).item_codelist or ""
    region_of = ctx.standard.codelist(countries).attribute(rule.roles[ROLE.region])  # named as the field
    parts = parts.assign(
        country_region=parts["country"].map(region_of),
        project_region=table.col(rule.roles[ROLE.region]).iloc[parts["position"]].to_numpy(),
    )
    bad = parts[
        parts["country_region"].notna()
        & parts["project_region"].notna()
        & ~parts["project_region"].isin(rule.parameters["exempt_regions"])
        & (parts["country_region"] != parts["project_region"])
    ]
    first = bad.groupby("position").first()
    params = {
        "code": first["country"],
        "country_region": first["country_region"],
        "project_region": first["project_region"],
    }
    yield Hits(rule.id, table.name, first.index.to_numpy(), rule.roles[ROLE.recipients], params)


@implementation(
    "donor-suffix", roles=(ROLE.project, ROLE.donor), parameters=("suffix_length",), records_only=True
)
def donor_suffix(ctx: Context, rule: Rule) -> Iterator[Hits]:
    (record,) = rule.records
    table = ctx.table(record)
    if table is None:
        return
    project, donor = rule.roles[ROLE.project], rule.roles[ROLE.donor]
    code, donor_code = table.col(project), table.col(donor)
    pattern = table.record.field(project).pattern or ""
    suffix = code.where(code.str.match(pattern, na=False)).str[-rule.parameters["suffix_length"] :]
    bad = suffix.notna() & donor_code.notna() & (suffix != donor_code)
    params = {"suffix": suffix[bad], "donor": donor_code[bad]}
    yield Hits(rule.id, table.name, positions(bad), project, params)


def _lines(ctx: Context, rule: Rule) -> Iterator[Table]:
    for record in rule.records:
        table = ctx.table(record)
        if table is not None:
            yield table


@implementation(UNKNOWN_PROJECT, roles=(ROLE.project,), register_only=True)
def unknown_project(ctx: Context, rule: Rule) -> Iterator[Hits]:
    note = " / store" if ctx.register.from_store else ""
    for table in _lines(ctx, rule):
        code = table.col(rule.roles[ROLE.project])
        bad = code.notna() & ~ctx.register.known(code)
        yield Hits(rule.id, table.name, positions(bad), rule.roles[ROLE.project], {"store": note})


@implementation("country-not-recipient", roles=(ROLE.project, ROLE.country), register_only=True)
def country_not_recipient(ctx: Context, rule: Rule) -> Iterator[Hits]:
    register = ctx.register
    for table in _lines(ctx, rule):
        code, country = table.col(rule.roles[ROLE.project]), table.col(rule.roles[ROLE.country])
        known = register.with_recipients(code) & country.notna()
        bad = known & ~register.recipient(code, country)
        if not bad.any():
            continue
        params = {"project": code[bad], "recipients": register.recipients_text(code[bad])}
        yield Hits(rule.id, table.name, positions(bad), rule.roles[ROLE.country], params)
