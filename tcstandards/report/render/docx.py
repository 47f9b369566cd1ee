"""The report as an editable Word document, to paste from into the official paper: plain Word only.

The title (Title style), subtitle and generated line; the "Overview" (Heading 1)
and its paragraphs, justified, each starting with the JSON's number and a tab as
text (no list numbering that would renumber on pasting).  Each body table: its
heading (Heading 2, ``Figure 1. ...``), its chart as a PNG (:func:`.svg.chart_png`,
200 dpi, at its drawn size, at most 16 cm wide), a Word table of the shown
columns (:func:`.editorial.shown_columns`), cells as :func:`.labels.cell` writes
them, header row bold and repeated on each page, numbers right-aligned; the unit
and notes under it in 8 pt.  Then the statistical annex (no charts) and the
definitions.  A4, 2 cm margins; a table of more than :data:`WIDE` shown columns
is on landscape pages with its chart, so that every table keeps 9 pt, and the
column widths add up to the text width.  The Normal style carries the reader's
language (en-GB, fr-FR, es-ES); the core properties and the zip entries are
dated by ``generated_at``: the same report gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tcstandards.common.outputs import write_with
from tcstandards.report.editorial import as_shown, shown_columns
from tcstandards.report.paper_base import words
from tcstandards.report.render.labels import LOCALES, NUMERIC, cell, column_label, text
from tcstandards.report.render.page import chart_words, empty_notice, header, heading, span, table_notes
from tcstandards.report.render.svg import chart_png as draw_chart

if TYPE_CHECKING:  # python-docx is imported when a document is written, never with the CLI
    from docx.document import Document
    from docx.section import Section
    from docx.table import Table

WIDE = 7  # tables with more shown columns than this are laid out on landscape pages
BODY_PT, TABLE_PT, NOTE_PT = 10.5, 9.0, 8.0  # never under 8 pt
MARGIN_CM = 2.0
A4_CM = (21.0, 29.7)
CHART_CM = 16.0  # the widest a chart is drawn; narrower charts keep their size (their text at 9 pt)
CHART_DPI = 200
NUMBER_INDENT_CM = 1.0  # the paragraph numbers hang in this room
HEADER_SHADE = "F2F5F9"  # the HTML page's header grey
NOTE_COLOUR = (0x55, 0x55, 0x55)
FONT = "Arial"  # the HTML page's and the charts' sans serif, in every office's Word
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
TWIPS_PER_CM = 1440 / 2.54
NARROW, WIDE_LETTERS = frozenset("fijlrtI.,;:'!|()[]- "), frozenset("MWmw@%")
LONGEST_LINE = 4000  # twips (7 cm): longer cells wrap onto lines
CELL_MARGINS = 2 * 108 + 20  # twips: Word's default cell margins left and right, and a border
WORD = re.compile(r"[\s/]+|(?<=-)")  # a header breaks at spaces, slashes and after hyphens
EMU_PER_TWIP = 635
KEPT_TOGETHER = 25  # rows: a table this short stays on one page with its header


def clean(value: str) -> str:
    """Text Word can hold: control characters (which XML cannot carry) become spaces."""
    return NOT_IN_XML.sub(" ", value)


def cleaned(value: Any) -> Any:
    """The report with every text :func:`clean` (the chart draws its names too)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    return value


def render_docx(report: dict[str, Any], lang: str, target: Path) -> None:
    """Write the paper as a .docx at ``target`` (atomically)."""

    def write(path: Path) -> None:
        path.write_bytes(document_bytes(report, lang))

    write_with(target, write)


def document_bytes(report: dict[str, Any], lang: str) -> bytes:
    """The .docx file of the paper, the same bytes for the same report."""
    import docx

    report = cleaned(report)
    document = docx.Document()
    generated = dt.datetime.strptime(report["generated_at"], "%Y-%m-%dT%H:%M:%SZ")
    _styles(document, lang)
    _properties(document, report, lang, generated)
    _page(document.sections[0], landscape=False)
    _footer(document.sections[0])
    _front(document, report, lang)
    years = span(report, lang)
    tables = [] if report.get("empty") else report["tables"]  # an empty range: the notice says it all
    body = [t for t in tables if not t.get("annex")]
    annex = [t for t in tables if t.get("annex")]
    for table in body:
        _table_section(document, report, table, lang, years)
    if annex:
        _orient(document, landscape=False)
        document.add_heading(clean(words("paper.annex", lang)), level=1)
        for table in annex:
            _table_section(document, report, table, lang, years)
    _orient(document, landscape=False)
    document.add_heading(clean(text("report.definitions", lang)), level=1)
    document.add_paragraph(clean(text("report.definitions.text", lang)), style="Body Text")
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_dates(buffer.getvalue(), generated)


# --- the document's frame: styles, properties, pages ------------------------------------


def _styles(document: Document, lang: str) -> None:
    """Sizes and spacing of the styles used, and the reader's language for the whole document."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles
    defaults = styles.element.findall(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for rpr in [*defaults, styles["Normal"].element.get_or_add_rPr()]:
        _font(rpr, FONT, LOCALES.get(lang, "en_GB").replace("_", "-"))
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2"):  # not the theme's fonts
        _font(styles[name].element.get_or_add_rPr(), FONT)
    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    styles["Body Text"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    numbered = styles.add_style("Numbered Paragraph", WD_STYLE_TYPE.PARAGRAPH)
    numbered.base_style = styles["Body Text"]
    numbered.paragraph_format.left_indent = _cm(NUMBER_INDENT_CM)
    numbered.paragraph_format.first_line_indent = -_cm(NUMBER_INDENT_CM)
    numbered.paragraph_format.tab_stops.add_tab_stop(_cm(NUMBER_INDENT_CM))
    for name, size, align, after in (
        ("Table Text", TABLE_PT, WD_ALIGN_PARAGRAPH.LEFT, 0),
        ("Table Number", TABLE_PT, WD_ALIGN_PARAGRAPH.RIGHT, 0),
        ("Table Note", NOTE_PT, WD_ALIGN_PARAGRAPH.LEFT, 0),
        ("Chart", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 6),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        style.paragraph_format.alignment = align
        style.paragraph_format.space_before = Pt(2 if name == "Table Note" else 0)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.line_spacing = 1.0
    styles["Table Note"].font.color.rgb = RGBColor(*NOTE_COLOUR)
    styles["Heading 2"].paragraph_format.space_before = Pt(14)
    styles["Footer"].font.size = Pt(NOTE_PT + 1)


def _font(rpr: Any, name: str, language: str = "") -> None:
    """A named font in run properties, not the theme's (Cambria and Calibri, which LibreOffice draws in
    wider fonts; Arial has metric twins everywhere); and the language, when given, in place of any."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)
    if language:
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        rpr.append(rpr.makeelement(qn("w:lang"), {qn("w:val"): language}))


def _properties(document: Document, report: dict[str, Any], lang: str, generated: dt.datetime) -> None:
    lines = header(report, lang)
    properties = document.core_properties
    properties.title = clean(lines["title"])
    properties.subject = clean(lines["subtitle"])
    properties.author = properties.last_modified_by = "tcstandards"
    properties.language = LOCALES.get(lang, "en_GB").replace("_", "-")
    properties.created = properties.modified = generated
    properties.revision = 1
    properties.comments = clean(lines["generated"])
    properties.keywords = properties.category = ""


def _cm(value: float) -> Any:
    from docx.shared import Twips

    return Twips(round(value * TWIPS_PER_CM))


def _page(section: Section, *, landscape: bool) -> None:
    """A4 in the orientation asked, 2 cm margins all round."""
    from docx.enum.section import WD_ORIENT

    short, long = _cm(A4_CM[0]), _cm(A4_CM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, _cm(MARGIN_CM))
    section.header_distance = section.footer_distance = _cm(1.0)


def _footer(section: Section) -> None:
    """The page number, centred, as a field Word updates (the later sections follow this footer)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    paragraph._p.append(parse_xml(field))


def _orient(document: Document, *, landscape: bool) -> Section:
    """The current section, or a new one on a new page when the orientation changes."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.sections[-1]
    if (section.orientation == WD_ORIENT.LANDSCAPE) != landscape:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape=landscape)
    return section


def usable_width(section: Section) -> int:
    """The text width of a section, in twips."""
    return int(section.page_width or 0) // EMU_PER_TWIP - 2 * round(MARGIN_CM * TWIPS_PER_CM)


# --- the text -----------------------------------------------------------------------------


def _front(document: Document, report: dict[str, Any], lang: str) -> None:
    """Title, subtitle, the generated line; the overview and its numbered paragraphs."""
    from docx.shared import RGBColor

    lines = header(report, lang)
    document.add_heading(clean(lines["title"]), level=0)
    if lines.get("scope"):  # one donor's, country's or programme's paper
        document.add_paragraph(clean(lines["scope"]), style="Subtitle")
    document.add_paragraph(clean(lines["subtitle"]), style="Subtitle")
    generated = document.add_paragraph(style="Normal").add_run(clean(lines["generated"]))
    generated.font.color.rgb = RGBColor(*NOTE_COLOUR)
    document.add_heading(clean(words("paper.title", lang)), level=1)
    notice = empty_notice(report, lang)
    if notice:
        document.add_paragraph(clean(notice), style="Body Text")
    for paragraph in report.get("paragraphs") or []:
        document.add_paragraph(numbered(paragraph), style="Numbered Paragraph")


def numbered(paragraph: dict[str, Any]) -> str:
    """A paragraph of the paper as the document writes it: its number, a tab, its text."""
    return f"{paragraph['number']}.\t{clean(str(paragraph['text']))}"


# --- the tables ---------------------------------------------------------------------------


def _table_section(
    document: Document, report: dict[str, Any], table: dict[str, Any], lang: str, years: str
) -> None:
    """A table's heading, its chart (none in the annex), the table, its unit and notes."""
    shown = shown_columns(table)
    section = _orient(document, landscape=len(shown) > WIDE)
    document.add_heading(clean(heading(table, lang, years)), level=2)
    if not table["rows"]:
        document.add_paragraph(clean(text("report.empty", lang)), style="Body Text")
    else:
        if not table.get("annex"):
            _picture(document, section, table, lang, years)
        _grid(document, section, table, shown, lang)
        if any(table["columns"][j]["kind"] == "usd" for j in shown):
            document.add_paragraph(clean(text("report.unit.usd", lang)) + " (USD)", style="Table Note")
    for note in table_notes(report, table, lang):
        document.add_paragraph(clean(note), style="Table Note")


def _picture(document: Document, section: Section, table: dict[str, Any], lang: str, years: str) -> None:
    """The chart at its drawn size, narrowed to 16 cm and to the page's height if need be."""
    from docx.shared import Twips

    png = chart_png(table, lang)
    if not png:
        return
    pixels_wide, pixels_high = struct.unpack(">II", png[16:24])  # the PNG's IHDR
    wide = pixels_wide / CHART_DPI * 1440  # twips
    high = pixels_high / CHART_DPI * 1440
    page_high = int(section.page_height or 0) // EMU_PER_TWIP - 2 * round(MARGIN_CM * TWIPS_PER_CM)
    room_high = page_high - 3 * TWIPS_PER_CM  # the heading and a line of the table
    scale = min(1.0, CHART_CM * TWIPS_PER_CM / wide, usable_width(section) / wide, room_high / high)
    paragraph = document.add_paragraph(style="Chart")
    picture = paragraph.add_run().add_picture(io.BytesIO(png), width=Twips(int(wide * scale)))
    picture._inline.docPr.set("descr", clean(heading(table, lang, years)))  # alternative text
    # with the table's first rows, unless a tall chart and the table's header could not share a page
    paragraph.paragraph_format.keep_with_next = high * scale <= page_high / 2


def chart_png(table: dict[str, Any], lang: str) -> bytes:
    """The PNG of a table's chart (its shown series), in the reader's words; b"" when it has none."""
    return draw_chart(as_shown(table), *chart_words(table, lang), dpi=CHART_DPI, title=False)


def column_widths(table: dict[str, Any], shown: list[int], lang: str, room: int) -> list[int]:
    """Widths in twips of the shown columns, adding up to ``room`` (less a twip of rounding).

    Each column gets at least its longest word (a bold header word, a number whole), then as much of
    what it would like (its widest cell on one line, up to 40 characters, its header on two lines) as
    the room allows; room to spare is shared by those wishes.
    """
    least, wished = [], []
    for j in shown:
        column = table["columns"][j]
        label = column_label(column["id"], lang)
        cells = [_cell_text(row[j], column, lang) for row in table["rows"]]
        whole = column["kind"] in NUMERIC  # a number never breaks (nor at its no-break spaces)
        pieces = [piece for value in cells for piece in ([value] if whole else value.split())]
        word = max([*(text_width(w, bold=True) for w in WORD.split(label)), *map(text_width, pieces)])
        line = max(map(text_width, cells), default=0.0)
        least.append(word + CELL_MARGINS)
        wished.append(max(word, min(line, LONGEST_LINE), text_width(label, bold=True) / 2) + CELL_MARGINS)
    if sum(wished) <= room:
        widths = [w * room / sum(wished) for w in wished]
    elif sum(least) <= room:
        share = (room - sum(least)) / (sum(wished) - sum(least))
        widths = [a + (b - a) * share for a, b in zip(least, wished, strict=True)]
    else:  # not even the longest words fit: Word breaks them
        widths = [w * room / sum(least) for w in least]
    return [int(w) for w in widths]


def text_width(value: str, bold: bool = False) -> float:
    """Twips a text takes in the tables' 9 pt Arial, or a little more (widths of its letters, in ems)."""
    ems = sum(
        0.3 if c in NARROW else 0.9 if c in WIDE_LETTERS else 0.72 if c.isupper() else 0.56 for c in value
    )
    return ems * TABLE_PT * 20 * (1.08 if bold else 1.0)


def _cell_text(value: Any, column: dict[str, Any], lang: str) -> str:
    return clean(cell(value, column["kind"], lang, column.get("codelist")))


def _grid(document: Document, section: Section, table: dict[str, Any], shown: list[int], lang: str) -> None:
    """A Word table of the shown columns: the header row repeated on each page, fixed column widths."""
    from docx.oxml.ns import qn
    from docx.shared import Twips

    columns = [table["columns"][j] for j in shown]
    twips = column_widths(table, shown, lang, usable_width(section))
    widths = [Twips(w) for w in twips]
    grid = document.add_table(rows=1, cols=len(columns))
    grid.style = document.styles["Table Grid"]
    grid.autofit = False  # fixed layout: the widths below, whatever the cells hold
    total = grid._tbl.tblPr.find(qn("w:tblW"))
    if total is not None:
        total.set(qn("w:type"), "dxa")
        total.set(qn("w:w"), str(sum(twips)))
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    _fill(grid.rows[0].cells, [column_label(c["id"], lang) for c in columns], columns, widths, bold=True)
    _repeat_header(grid)
    for row in table["rows"]:
        values = [_cell_text(row[j], table["columns"][j], lang) for j in shown]
        _fill(grid.add_row().cells, values, columns, widths, bold=False)
    if len(grid.rows) <= KEPT_TOGETHER:  # a short table is not split, leaving a row alone on a page
        for line in list(grid.rows)[:-1]:
            for cell in line.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True


def _fill(
    cells: Any, values: list[str], columns: list[dict[str, Any]], widths: list[Any], bold: bool
) -> None:
    for target, value, column, width in zip(cells, values, columns, widths, strict=True):
        target.width = width
        paragraph = target.paragraphs[0]
        paragraph.style = "Table Number" if column["kind"] in NUMERIC else "Table Text"
        run = paragraph.add_run(clean(value))
        if bold:
            run.bold = True
            _shade(target)


def _shade(target: Any) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    shading = f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{HEADER_SHADE}"/>'
    target._tc.get_or_add_tcPr().append(parse_xml(shading))


def _repeat_header(grid: Table) -> None:
    """The first row is the table's header: Word repeats it at the top of each page; it never splits."""
    from docx.oxml import OxmlElement

    properties = grid.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        properties.append(OxmlElement(tag))


# --- the same bytes for the same report ---------------------------------------------------


def _fixed_dates(package: bytes, moment: dt.datetime) -> bytes:
    """The .docx with each zip entry dated ``moment`` (python-docx dates them when it saves)."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry.filename))
    return output.getvalue()
