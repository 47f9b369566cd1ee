"""The paper as a Word document: its paragraphs, pictures and tables are the JSON's, the tables fit the
page, the language is the reader's, and LibreOffice opens it."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from test_report import report

from tcstandards.cli import main
from tcstandards.cli.click_words import forget
from tcstandards.cli.commands.report import report_format
from tcstandards.common.errors import UsageError
from tcstandards.report.editorial import shown_columns
from tcstandards.report.paper_base import words
from tcstandards.report.render.docx import render_docx
from tcstandards.report.render.labels import cell, column_label, text
from tcstandards.report.render.page import heading, span

TWIP = 635  # EMU


def _soffice_has_writer() -> bool:
    found = shutil.which("soffice")
    if found is None:
        return False
    program = Path(found).resolve().parent
    return any(program.glob("libswlo.*")) or not any(program.glob("libsclo.*"))  # another layout: try


WRITER = pytest.mark.skipif(
    not _soffice_has_writer(),
    reason="LibreOffice Writer is not on this machine: apt install libreoffice-writer-nogui",
)


# --- reading a document back ----------------------------------------------------------------


def blocks(document: Document) -> Iterator[tuple[int, Paragraph | Table]]:
    """The body's paragraphs and tables in order, each with the index of the section it is in."""
    section = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield section, Paragraph(child, document)
            if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:  # the last paragraph of a section
                section += 1
        elif child.tag == qn("w:tbl"):
            yield section, Table(child, document)


def has_picture(paragraph: Paragraph) -> bool:
    return bool(paragraph._p.findall(f".//{qn('w:drawing')}"))


def grid_twips(table: Table) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]


def usable_twips(document: Document, index: int) -> int:
    section = document.sections[index]
    return int(section.page_width - section.left_margin - section.right_margin) // TWIP


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def expected_rows(table: dict[str, Any], lang: str) -> list[list[str]]:
    """The header and the rows as the document must show them: labels.cell of the JSON figures."""
    shown = shown_columns(table)
    columns = [table["columns"][j] for j in shown]
    return [[column_label(c["id"], lang) for c in columns]] + [
        [cell(row[j], table["columns"][j]["kind"], lang, table["columns"][j].get("codelist")) for j in shown]
        for row in table["rows"]
    ]


def repeats_header(table: Table) -> bool:
    properties = table.rows[0]._tr.trPr
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def language(document: Document) -> str:
    rpr = document.styles["Normal"].element.rPr
    found = rpr.find(qn("w:lang")) if rpr is not None else None
    return "" if found is None else str(found.get(qn("w:val")))


def all_runs(document: Document) -> Iterator[Any]:
    for _, block in blocks(document):
        if isinstance(block, Paragraph):
            yield from block.runs
        else:
            for row in block.rows:
                for c in row.cells:
                    for paragraph in c.paragraphs:
                        yield from paragraph.runs


def assert_fits_and_reads(document: Document) -> None:
    """Every table within its section's text width; no text under 8 pt."""
    for index, block in blocks(document):
        if isinstance(block, Table):
            room = usable_twips(document, index)
            assert sum(grid_twips(block)) <= room
            for row in block.rows:
                assert sum(int(c.width or 0) // TWIP for c in row.cells) <= room
            assert repeats_header(block)
    sizes = [run.font.size for run in all_runs(document)] + [
        s.font.size
        for s in document.styles
        if s.type == 1  # paragraph styles
    ]
    assert all(size is None or size >= Pt(8) for size in sizes)


# --- the historical paper, in English and French --------------------------------------------


@pytest.fixture(scope="module", params=["en", "fr"])
def paper(
    request: pytest.FixtureRequest,
    store: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, dict[str, Any], Path]:
    """The JSON report and the Word paper of 1990-1996 in a language; the .docx asked by its suffix."""
    lang = str(request.param)
    folder = tmp_path_factory.mktemp(f"docx-{lang}")
    document = json.loads(report(store, folder, "json", lang).read_text(encoding="utf-8"))
    target = folder / "paper.docx"
    result = CliRunner().invoke(
        main,
        ["report", "--store", str(store), "--from", "1990", "--to", "1996", "--lang", lang,
         "-o", str(target)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    forget()  # click's own words back in the locale's language for the tests that follow
    return lang, document, target


@pytest.mark.slow
def test_the_paragraphs_are_the_json_paragraphs_with_their_numbers(
    paper: tuple[str, dict[str, Any], Path],
) -> None:
    lang, document, target = paper
    word = docx.Document(str(target))
    assert target.read_bytes().startswith(b"PK\x03\x04")  # -o paper.docx made a .docx without --format
    paragraphs = [p.text for _, p in blocks(word) if isinstance(p, Paragraph)]
    overview = paragraphs.index(words("paper.title", lang))
    numbered = [f"{p['number']}.\t{p['text']}" for p in document["paragraphs"]]
    assert len(numbered) >= 9
    assert paragraphs[overview + 1 : overview + 1 + len(numbered)] == numbered
    styles = {p.text: p.style.name for _, p in blocks(word) if isinstance(p, Paragraph)}
    assert {styles[n] for n in numbered} == {"Numbered Paragraph"}
    assert word.styles["Body Text"].paragraph_format.alignment == 3  # justified
    assert word.paragraphs[0].style.name == "Title"


@pytest.mark.slow
def test_each_table_is_its_heading_picture_and_cells(paper: tuple[str, dict[str, Any], Path]) -> None:
    lang, document, target = paper
    word = docx.Document(str(target))
    years = span(document, lang)
    sequence = [block for _, block in blocks(word)]
    headings = [i for i, b in enumerate(sequence) if isinstance(b, Paragraph) and b.style.name == "Heading 2"]
    tables = [t for t in document["tables"] if not t["annex"]] + [t for t in document["tables"] if t["annex"]]
    assert [sequence[i].text for i in headings] == [heading(t, lang, years) for t in tables]
    pictures = 0
    for i, table in zip(headings, tables, strict=True):
        after = sequence[i + 1 : i + 3]
        chart = not table.get("annex") and bool(table.get("chart")) and bool(table["rows"])
        if chart:  # the chart's picture, then the table
            assert isinstance(after[0], Paragraph) and has_picture(after[0]), table["id"]
            grid = after[1]
            pictures += 1
        else:
            grid = after[0]
        assert isinstance(grid, Table), table["id"]
        assert texts(grid) == expected_rows(table, lang), table["id"]
        numeric = [
            table["columns"][j]["kind"] in ("usd", "pct", "count", "number") for j in shown_columns(table)
        ]
        for row in grid.rows[1:]:
            assert [c.paragraphs[0].style.name == "Table Number" for c in row.cells] == numeric
        assert all(run.bold for c in grid.rows[0].cells for run in c.paragraphs[0].runs)
    assert pictures == len(word.inline_shapes) == sum(1 for t in tables if not t["annex"] and t["rows"])
    annex = next(
        i for i, b in enumerate(sequence) if isinstance(b, Paragraph) and b.text == words("paper.annex", lang)
    )
    assert all(i > annex for i, t in zip(headings, tables, strict=True) if t["annex"])
    assert all(i < annex for i, t in zip(headings, tables, strict=True) if not t["annex"])


@pytest.mark.slow
def test_the_tables_fit_their_pages_and_the_language_is_the_readers(
    paper: tuple[str, dict[str, Any], Path],
) -> None:
    lang, _, target = paper
    word = docx.Document(str(target))
    assert_fits_and_reads(word)
    sections = word.sections
    assert all(round(min(s.page_width, s.page_height).cm, 1) == 21.0 for s in sections)  # A4
    assert all(round(max(s.page_width, s.page_height).cm, 1) == 29.7 for s in sections)
    assert sections[0].page_width < sections[0].page_height  # portrait, wide tables on landscape pages
    assert any(s.page_width > s.page_height for s in sections)
    assert language(word) == {"en": "en-GB", "fr": "fr-FR"}[lang]
    properties = word.core_properties
    assert (properties.author, properties.language) == ("tcstandards", language(word))
    assert properties.title == text("report.title", lang)


@pytest.mark.slow
@WRITER
def test_libreoffice_opens_the_document(paper: tuple[str, dict[str, Any], Path], tmp_path: Path) -> None:
    _, _, target = paper
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), str(target)],
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "pdf" / "paper.pdf"  # soffice exits 0 even when it cannot load a file
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


# --- small documents, made by hand ----------------------------------------------------------

OFFICE_COLUMNS = [
    ("office", "code", "offices"),
    *((name, "count", None) for name in ("expected", "on_time", "late", "quarantined", "missing")),
    *((name, "count", None) for name in ("submissions", "errors", "warnings")),
    ("top_rules", "text", None),
]
SMALL: dict[str, Any] = {
    "format": "tcstandards-report",
    "tool_version": "0.1.0",
    "standard_version": "1.0",
    "data_standard_versions": ["1.0"],
    "generated_at": "1997-03-01T09:30:00Z",
    "range": {"from": "1996-Q1", "to": "1996-Q4", "years": [1996], "rows": "year"},
    "empty": False,
    "source": {"returns": 1, "offices": 1, "received_until": "1997-02-21"},
    "paragraphs": [{"number": 1, "text": "Bell\x07 and =1+1, -2, @a"}],
    "tables": [
        {
            "id": "expenditure_by_year",
            "number": 1,
            "annex": False,
            "columns": [{"id": "year", "kind": "year"}, {"id": "expenditure_usd", "kind": "usd"}],
            "rows": [[1996, 98_200_000.0]],
            "chart": {"type": "bar", "x": "year", "series": ["expenditure_usd"]},
        },
        {
            "id": "quality_by_office",
            "number": 2,
            "annex": False,
            "columns": [{"id": i, "kind": k, **({"codelist": c} if c else {})} for i, k, c in OFFICE_COLUMNS],
            "rows": [
                ["DAKAR", 4, 4, 0, 0, 0, 4, 0, 1, "=SUM(A1)\x00 (2)"],
                ["NOT\x1fAN-OFFICE", 4, 3, 1, 0, 0, 4, 1, 0, "-x\x0b (1)"],
            ],
            "chart": {"type": "stacked", "x": "office", "series": ["on_time", "late"]},
        },
    ],
}


def test_an_empty_range_says_so_and_has_no_table(tmp_path: Path) -> None:
    empty = copy.deepcopy(SMALL)
    empty.update(empty=True, paragraphs=[], source={"returns": 0, "offices": 0, "received_until": None})
    for table in empty["tables"]:
        table["rows"] = []
    target = tmp_path / "empty.docx"
    render_docx(empty, "es", target)
    word = docx.Document(str(target))
    said = [p.text for p in word.paragraphs]
    assert text("report.empty-range", "es", first="T1 1996", last="T4 1996") in said
    assert text("report.empty", "es") not in said  # no empty figure after the notice
    assert not [p for p in said if p.startswith(text("report.figure", "es"))]
    assert not word.tables and not word.inline_shapes
    assert language(word) == "es-ES"


def test_text_is_kept_as_written_and_control_characters_do_not_break_it(tmp_path: Path) -> None:
    target = tmp_path / "small.docx"
    render_docx(SMALL, "en", target)
    word = docx.Document(str(target))
    assert "1.\tBell  and =1+1, -2, @a" in [p.text for p in word.paragraphs]  # no quote, no formula
    offices = word.tables[1]
    assert [row.cells[0].text for row in offices.rows[1:]] == [
        cell("DAKAR", "code", "en", "offices"),
        "NOT AN-OFFICE",
    ]
    assert [row.cells[-1].text for row in offices.rows[1:]] == ["=SUM(A1)  (2)", "-x  (1)"]
    assert len(word.inline_shapes) == 2
    where = next(
        index for index, block in blocks(word) if isinstance(block, Table) and block._tbl is offices._tbl
    )
    section = word.sections[where]
    assert section.page_width > section.page_height  # ten columns: on a landscape page
    assert_fits_and_reads(word)
    properties = word.core_properties
    assert properties.created == properties.modified
    assert properties.created is not None and properties.created.isoformat().startswith("1997-03-01T09:30:00")


def test_the_same_report_gives_the_same_bytes(tmp_path: Path) -> None:
    render_docx(SMALL, "fr", tmp_path / "a.docx")
    render_docx(SMALL, "fr", tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_docx_is_a_format_of_the_report_command() -> None:
    assert report_format(None, "paper.docx") == report_format("docx", "PAPER.DOCX") == "docx"
    with pytest.raises(UsageError, match=r"\.docx"):
        report_format(None, "paper.doc")
    with pytest.raises(UsageError, match=r"ends in \.docx but --format is html"):
        report_format("html", "paper.docx")
