"""Partner, country and programme views: the same paper from one donor's, country's or programme's lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from test_paper import numbers_in

from tcstandards.cli import main
from tcstandards.common.errors import UsageError
from tcstandards.hq.consolidated import current_records, latest_projects
from tcstandards.hq.store import open_store
from tcstandards.report.figures import compute
from tcstandards.report.render.html import render_html
from tcstandards.report.views import view_of

pytestmark = pytest.mark.slow
PERIODS = [f"{year}-Q{q}" for year in range(1990, 1997) for q in range(1, 5)]


def paper(store_path: Path, role: str, code: str, lang: str = "en") -> dict[str, Any]:
    with open_store(str(store_path)) as opened:
        return compute(opened, PERIODS, lang, view=view_of(opened.standard, role, code))


def lines_of(store_path: Path) -> pd.DataFrame:
    """Every Finance line of the range with its project's donor and programme, read from the store."""
    with open_store(str(store_path)) as opened:
        r = opened.standard.roles
        projects = latest_projects(current_records(opened, "projects"), r)[[r.project, r.donor, r.programme]]
        finance = current_records(opened, "finance")
        finance = finance[finance[r.period].isin(PERIODS)].merge(projects, on=r.project, how="left")
        return finance.assign(year=finance[r.period].str[:4].astype(int)).rename(
            columns={r.donor: "donor", r.programme: "programme", r.country: "country", r.spent_usd: "spent"}
        )


def by_year(document: dict[str, Any], table_id: str, column: str) -> dict[int, float]:
    table = next(t for t in document["tables"] if t["id"] == table_id)
    j = [c["id"] for c in table["columns"]].index(column)
    return {row[0]: row[j] for row in table["rows"]}


@pytest.mark.parametrize(("role", "code"), [("donor", "NOR"), ("country", "SEN"), ("programme", "IPEC")])
def test_a_view_adds_up_the_records_of_its_donor_country_or_programme(
    store: Path,
    role: str,
    code: str,
) -> None:
    document = paper(store, role, code)
    lines = lines_of(store)
    mine = lines[lines[role] == code]
    expected = mine.groupby("year")["spent"].sum().round(2).to_dict()
    shown = by_year(document, "expenditure_by_year", "expenditure_usd")
    assert {y: v for y, v in shown.items() if v} == pytest.approx(expected)
    assert sum(expected.values()) > 0  # the sample has lines for each of these
    codelists = {"donor": "donors", "country": "countries", "programme": "global_programmes"}
    assert document["view"] == {"role": role, "code": code, "codelist": codelists[role]}


def test_each_view_leaves_out_its_own_breakdown_and_data_quality(store: Path) -> None:
    tables = {role: [t["id"] for t in paper(store, role, code)["tables"]]
              for role, code in [("donor", "NOR"), ("country", "SEN"), ("programme", "IPEC")]}  # fmt: skip
    everywhere = {"expenditure_by_year", "approvals_by_source", "delivery_rate", "results_by_indicator"}
    for ids in tables.values():
        assert everywhere <= set(ids)
        assert "quality_by_quarter" not in ids and "quality_by_office" not in ids
    assert "multi_bilateral_donors" not in tables["donor"] and "expenditure_by_source" not in tables["donor"]
    assert "beneficiary_countries" not in tables["country"] and "results_by_country" not in tables["country"]
    assert "pipeline_success_rate" in tables["donor"] and "approvals_by_programme" not in tables["programme"]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_view_has_its_paragraphs_and_every_number_is_a_figure(store: Path, lang: str) -> None:
    document = paper(store, "donor", "NOR", lang)
    assert len(document["paragraphs"]) >= 4
    for paragraph in document["paragraphs"]:
        shown = {float(c["shown"]) for c in paragraph["cites"]}
        allowed = shown | {float(y) for y in document["range"]["years"]}
        allowed |= {float(t["number"]) for t in document["tables"] if not t["annex"]}
        assert all(n in allowed for n in numbers_in(paragraph["text"], lang)), paragraph["text"]
    page = render_html(document, lang)
    title = {"en": "Norway: ILO technical cooperation", "fr": "Norvège : la coopération technique de l'OIT",
             "es": "Noruega: la cooperación técnica de la OIT"}[lang]  # fmt: skip
    assert f"<h1>{title}</h1>".replace("'", "&#39;") in page


def test_a_programme_is_described_from_the_year_it_began(store: Path) -> None:
    text = paper(store, "programme", "IPEC")["paragraphs"][0]["text"]
    assert "from US$19.9 million in 1992" in text and "US$0 million" not in text


def test_an_unknown_code_is_a_usage_error_that_names_the_nearest(store: Path) -> None:
    with open_store(str(store)) as opened, pytest.raises(UsageError) as raised:
        view_of(opened.standard, "donor", "NRW")
    assert raised.value.code == "unknown-view-code"
    assert raised.value.params["nearest"].split(", ")[0] == "NOR"
    with open_store(str(store)) as opened:
        assert view_of(opened.standard, "country", " sen ").code == "SEN"
        assert view_of(opened.standard, "country", "sn").code == "SEN"  # the ISO alpha-2 code too
        with pytest.raises(UsageError) as far:
            view_of(opened.standard, "programme", "XYZQW")
    assert far.value.code == "unknown-view-code-far" and far.value.params["nearest"] == ""


@pytest.mark.parametrize(
    ("args", "fmt", "lang", "title"),
    [
        (["--donor", "nor"], "html", "fr", "Norvège : la coopération technique de l'OIT"),
        (["--country", "SEN"], "docx", "es", "Senegal: la cooperación técnica de la OIT"),
        (["--programme", "IPEC"], "xlsx", "en", None),
    ],
)
def test_the_command_writes_a_view_in_every_format(
    store: Path, tmp_path: Path, args: list[str], fmt: str, lang: str, title: str | None
) -> None:
    target = tmp_path / f"view.{fmt}"
    done = CliRunner().invoke(
        main, ["report", "--store", str(store), "--from", "1990", "--to", "1996", *args, "--lang", lang,
               "-o", str(target)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert target.stat().st_size > 10_000
    if fmt == "html":
        assert f"<h1>{title}</h1>".replace("'", "&#39;") in target.read_text(encoding="utf-8")
    elif fmt == "docx":
        from docx import Document

        assert Document(str(target)).paragraphs[0].text == title
    else:
        from openpyxl import load_workbook

        assert load_workbook(target).sheetnames[0] == "Expenditure by year"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--donor", "NRW"], "--donor NRW: not a code of the donors codelist (nearest: NOR"),
        (["--donor", "NOR", "--country", "SEN"], "--donor, --country: give one of --donor, --country and"),
    ],
)
def test_a_bad_view_is_a_usage_error(store: Path, tmp_path: Path, args: list[str], said: str) -> None:
    done = CliRunner().invoke(
        main, ["report", "--store", str(store), "--from", "1990", "--to", "1996", *args, "--lang", "en",
               "-o", str(tmp_path / "x.html")],
    )  # fmt: skip
    assert done.exit_code == 2
    assert said in done.output and "Traceback" not in done.output
    assert not (tmp_path / "x.html").exists()
