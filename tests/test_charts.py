"""The report's charts (render/svg.py): drawn by matplotlib, nothing cut or overlapping, inline-ready SVG."""

from __future__ import annotations

import math
import re
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from lxml import etree
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from tcstandards.report.render import svg
from tcstandards.report.render.labels import axis, column_label, name, number, text

SVG = "{http://www.w3.org/2000/svg}"
YEARS = list(range(1990, 1997))


def table(
    table_id: str, x: tuple[str, str], series: list[str], kind: str, rows: list[list[Any]], chart: str
) -> dict[str, Any]:
    """A figure table in the report's JSON shape (docs/report.md)."""
    return {
        "id": table_id,
        "columns": [{"id": x[0], "kind": x[1]}] + [{"id": s, "kind": kind} for s in series],
        "rows": rows,
        "chart": {"type": chart, "x": x[0], "series": series},
    }


SHARES = table(
    "expenditure_by_source",
    ("year", "year"),
    ["undp_pct", "unfpa_pct", "trust_funds_pct", "rbtc_pct"],
    "pct",
    [[y, 45.9 - 3 * i, 7.6, 37.8 + 3 * i, 8.7] for i, y in enumerate(YEARS)],
    "stacked_pct",
)
SPENT = table(
    "expenditure_by_year",
    ("year", "year"),
    ["expenditure_usd"],
    "usd",
    [[y, v * 1e6] for y, v in zip(YEARS, (155.0, 169.5, 161.2, 147.6, 131.3, 114.8, 98.2), strict=True)],
    "bar",
)
COUNTRIES = table(
    "results_by_country",
    ("country", "code"),
    ["on_target_pct"],
    "pct",
    [[f"C{i:03d}", float(i * 37 % 101)] for i in range(150)],
    "bar",
)
OFFICES = table(
    "quality_by_office",
    ("office", "code"),
    ["on_time", "late", "quarantined", "missing"],
    "count",
    [[f"ILO Country Office for the Republic of Place number {i}", 20, i % 5, 1, 2] for i in range(72)],
    "stacked",
)
QUARTERS = table(
    "quality_by_quarter",
    ("period", "period"),
    ["completeness_pct", "timeliness_pct"],
    "pct",
    [[f"{1990 + i // 4}-Q{i % 4 + 1}", 100.0, 80.0 - i] for i in range(28)],
    "bar",
)
PARTNERS = table(
    "pipeline_by_partner_status",
    ("partner_type", "code"),
    ["concept", "submitted", "approved"],
    "count",
    [
        [partner, 3, 5, 7 * i]
        for i, partner in enumerate(
            (
                "European Community / European Union",
                "Foundation",
                "Multi-bilateral donor (government)",
                "Regional development bank",
                "United Nations system organization",
                "World Bank",
            )
        )
    ],
    "stacked",
)
TABLES = [SHARES, SPENT, COUNTRIES, OFFICES, QUARTERS, PARTNERS]


def callbacks(source: dict[str, Any], lang: str = "en") -> tuple[Any, ...]:
    """chart_for's arguments, built as html.py builds them."""

    def label(key: str) -> str:
        return text(f"table.{key}", lang) if key == source["id"] else column_label(key, lang)

    return (
        source,
        label,
        lambda v, kind: number(v, kind, lang),
        lambda v: name(v, lang) if not isinstance(v, int) else str(v),
        lambda v, kind: axis(v, kind, lang),
        lambda kind: text("report.axis.usd", lang) if kind == "usd" else "%" if kind == "pct" else "",
    )


def figure(source: dict[str, Any], **options: Any) -> Figure:
    chart = svg.chart_of(*callbacks(source))
    assert chart is not None
    drawn = svg.figure_for(chart, **options)
    FigureCanvasAgg(drawn).draw()  # the layout is made when the figure is drawn
    return drawn


def root(source: dict[str, Any]) -> Any:
    return etree.fromstring(svg.chart_for(*callbacks(source)).encode("utf-8"))


# --- nothing overlaps, nothing is cut -----------------------------------------------------------


Box = tuple[str, float, float, float, float, float]  # group, centre x, y, half width, height, angle


def rectangles(fig: Figure) -> list[Box]:
    """Every text of the chart (the legend as one), as rotated rectangles in pixels."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    found: list[Box] = []

    def add(group: str, artist: Any) -> None:
        box = artist.get_window_extent(renderer)
        angle = artist.get_rotation() if isinstance(artist, Text) else 0.0
        if angle:  # the box of the level text, turned about the centre of the rotated one's box
            artist.set_rotation(0)
            level = artist.get_window_extent(renderer)
            artist.set_rotation(angle)
            half = (level.width / 2, level.height / 2)
        else:
            half = (box.width / 2, box.height / 2)
        found.append((group, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, *half, math.radians(angle)))

    for group, texts in (("x", ax.get_xticklabels()), ("y", ax.get_yticklabels())):
        for label in texts:
            if label.get_visible() and label.get_text():
                add(group, label)
    for label in (ax.xaxis.label, ax.yaxis.label):
        if label.get_text():
            add("axis title", label)
    for legend in fig.legends:
        add("legend", legend)
    if fig._suptitle is not None:  # type: ignore[attr-defined]
        add("title", fig._suptitle)  # type: ignore[attr-defined]
    return found


def overlap(a: Box, b: Box, slack: float = 0.5) -> bool:
    """Whether two rotated rectangles overlap by more than ``slack`` pixels (separating axes)."""
    dx, dy = b[1] - a[1], b[2] - a[2]
    for angle in (a[5], a[5] + math.pi / 2, b[5], b[5] + math.pi / 2):
        ux, uy = math.cos(angle), math.sin(angle)

        def reach(r: Box, ux: float = ux, uy: float = uy) -> float:
            c, s = math.cos(r[5]), math.sin(r[5])
            return r[3] * abs(c * ux + s * uy) + r[4] * abs(-s * ux + c * uy)

        if abs(dx * ux + dy * uy) >= reach(a) + reach(b) - slack:
            return False
    return True


@pytest.mark.parametrize("source", TABLES, ids=[t["id"] for t in TABLES])
def test_no_text_overlaps_another_or_leaves_the_figure(source: dict[str, Any]) -> None:
    fig = figure(source, title=True)
    boxes = rectangles(fig)
    assert {"x", "y"} <= {b[0] for b in boxes}
    inside = fig.bbox.padded(1)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for artist in [*fig.axes[0].get_xticklabels(), *fig.axes[0].get_yticklabels(), *fig.legends]:
        if artist.get_visible():
            box = artist.get_window_extent(renderer)
            assert inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1), artist
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]
    assert clashes == []


def test_overlap_sees_a_clash() -> None:
    """The check above can fail: two level boxes, then two rotated ones, side by side and apart."""
    assert overlap(("x", 0, 0, 10, 5, 0), ("x", 15, 0, 10, 5, 0))
    assert not overlap(("x", 0, 0, 10, 5, 0), ("x", 25, 0, 10, 5, 0))
    turned = math.radians(45)
    assert overlap(("x", 0, 0, 30, 5, turned), ("x", 8, 0, 30, 5, turned))  # the boxes' overlap is real
    assert not overlap(("x", 0, 0, 30, 5, turned), ("x", 16, 0, 30, 5, turned))  # boxes overlap, texts not


def test_unit_is_the_value_axis_title_and_ticks_are_the_readers_numbers() -> None:
    fig = figure(SPENT)
    ax = fig.axes[0]
    assert ax.get_ylabel() == text("report.axis.usd", "en")
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks[0] == 0 and ticks[-1] >= 169.5e6 and all(t % 100_000 == 0 for t in ticks)
    assert [t.get_text() for t in ax.get_yticklabels()] == [axis(t, "usd", "en") for t in ticks]
    page = root(SPENT)
    words = [t.text for t in page.iter(f"{SVG}text")]
    assert text("report.axis.usd", "en") in words
    assert {axis(t, "usd", "en") for t in ticks} <= set(words)
    assert [str(y) for y in YEARS] == [w for w in words if w and w.isdigit() and len(w) == 4]


def test_small_amounts_have_distinct_ticks() -> None:
    """``axis`` writes millions with one decimal: ticks are multiples of 100,000 so none repeat."""
    small = table(
        "expenditure_by_year", ("year", "year"), ["expenditure_usd"], "usd", [[1990, 180_000]], "bar"
    )
    labels = [t.get_text() for t in figure(small).axes[0].get_yticklabels()]
    assert len(labels) >= 2 and len(set(labels)) == len(labels)


def test_stacked_shares_draw_a_bar_a_value_in_the_palette_colours() -> None:
    fig = figure(SHARES)
    assert fig.axes[0].get_ylim() == (0.0, 100.0)
    page = root(SHARES)
    paths = list(page.iter(f"{SVG}path"))
    series = SHARES["chart"]["series"]
    for s, _ in enumerate(series):
        fill = f"fill: {svg.PALETTE[s]}"
        bars = [p for p in paths if fill in p.get("style", "") and p.get("clip-path")]
        swatches = [p for p in paths if fill in p.get("style", "") and not p.get("clip-path")]
        assert (len(bars), len(swatches)) == (len(YEARS), 1), s  # one a year, and its legend swatch
    assert svg.PALETTE[0] == "#1f4e79"  # the first bar colour, which the Chromium test looks for
    titles = [t.text for t in page.iter(f"{SVG}title")]
    assert len(titles) == len(YEARS) * len(series)
    assert titles[0] == f"1990 · {column_label('undp_pct', 'en')}: {number(45.9, 'pct', 'en')} %"


def test_legend_is_under_the_plot() -> None:
    fig = figure(SHARES)
    (legend,) = fig.legends
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    below = min(t.get_window_extent(renderer).y0 for t in fig.axes[0].get_xticklabels())
    assert legend.get_window_extent(renderer).y1 <= below
    assert [t.get_text() for t in legend.get_texts()] == [
        column_label(s, "en") for s in SHARES["chart"]["series"]
    ]


def test_150_countries_make_a_horizontal_chart_naming_each() -> None:
    fig = figure(COUNTRIES)
    ax = fig.axes[0]
    codes = [row[0] for row in COUNTRIES["rows"]]
    assert [t.get_text() for t in ax.get_yticklabels()] == codes  # in the table's order, first on top
    assert ax.get_ylim()[0] > ax.get_ylim()[1]
    assert fig.get_size_inches()[1] >= 150 * 0.18
    assert ax.get_xlabel() == "%"
    words = {t.text for t in root(COUNTRIES).iter(f"{SVG}text")}
    assert set(codes) <= words


def test_long_names_go_on_two_lines_and_rotate_under_few_bars() -> None:
    fig = figure(PARTNERS)
    labels = fig.axes[0].get_xticklabels()
    assert [t.get_rotation() for t in labels] == [45.0] * 6
    assert {t.get_horizontalalignment() for t in labels} == {"right"}
    assert labels[0].get_text() == "European Community /\nEuropean Union"
    offices = figure(OFFICES).axes[0].get_yticklabels()
    assert len(offices) == 72
    assert offices[0].get_text() == "ILO Country Office for the\nRepublic of Place number 0"
    assert all(len(line) <= 28 for t in offices for line in t.get_text().split("\n"))
    wrapped = svg._label("A name of more than twenty-eight characters, and then of a third line")
    assert wrapped.count("\n") == 1 and wrapped.endswith("…")


def test_quarters_stay_level_one_named_a_year() -> None:
    labels = [t for t in figure(QUARTERS).axes[0].get_xticklabels() if t.get_text()]
    assert [t.get_text() for t in labels] == [f"{y}-Q1" for y in range(1990, 1997)]
    assert {t.get_rotation() for t in labels} == {0.0}


def test_every_text_has_one_size() -> None:
    fig = figure(PARTNERS, title=True)
    sizes = {
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text() and t is not fig._suptitle  # type: ignore[attr-defined]
    }
    assert sizes == {svg.FONT} == {9.0}
    assert fig._suptitle.get_fontsize() == svg.TITLE_FONT == 10.0  # type: ignore[attr-defined]
    page = svg.chart_for(*callbacks(PARTNERS))
    assert set(re.findall(r"font(?:-size)?: ([\d.]+)px", page)) == {"9"}  # "font: 9px" before 3.9


def test_the_svg_is_ready_to_inline() -> None:
    page = svg.chart_for(*callbacks(SPENT))
    assert page.startswith("<svg ") and page.endswith("</svg>")
    assert "<?xml" not in page and "DOCTYPE" not in page and "<metadata" not in page
    element = etree.fromstring(page.encode("utf-8"))
    assert element.get("class") == "chart" and element.get("role") == "img"
    assert element.get("aria-label") == text("table.expenditure_by_year", "en")
    assert element.get("width") == "100%" and element.get("height") is None
    assert len(element.get("viewBox").split()) == 4
    other = root(SHARES)
    ids = {e.get("id") for e in element.iter() if e.get("id")}
    assert ids and all(i.startswith("chart-expenditure_by_year-") for i in ids)
    assert not ids & {e.get("id") for e in other.iter() if e.get("id")}  # two charts in one page
    referred = set(re.findall(r"url\(#([^)]+)\)", page))
    assert referred and referred <= ids
    assert "svg.chart *{" in page and "\n*{" not in page  # its <style> applies to the charts only


def test_text_with_a_dollar_is_drawn_as_written() -> None:
    """matplotlib reads ``$...$`` as mathematics."""
    dollars = table("pipeline_success_rate", ("partner_type", "code"), ["success_pct"], "pct", [], "bar")
    dollars["rows"] = [["US$ fund", 50.0], ["$2$ fund", 75.0]]
    words = {t.text for t in root(dollars).iter(f"{SVG}text")}
    assert {"US$ fund", "$2$ fund"} <= words


def test_output_is_deterministic_and_threads_do_not_mix() -> None:
    """The same bytes on every call (no date, a fixed hash salt), and from four threads at once."""
    first = [svg.chart_for(*callbacks(t)) for t in TABLES]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda t: svg.chart_for(*callbacks(t)), TABLES)) == first


def test_png_has_the_figure_size() -> None:
    for source, dpi in ((SHARES, 200), (COUNTRIES, 50)):
        data = svg.chart_png(*callbacks(source), dpi=dpi)
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
        width, height = struct.unpack(">II", data[16:24])
        inches = figure(source).get_size_inches()
        assert abs(width - inches[0] * dpi) < 1 and abs(height - inches[1] * dpi) < 1
    assert width == 5.2 * 50


def test_no_rows_no_chart() -> None:
    empty = {**SPENT, "rows": []}
    assert svg.chart_for(*callbacks(empty)) == ""
    assert svg.chart_png(*callbacks(empty)) == b""
    assert svg.chart_of(*callbacks({**SPENT, "chart": None})) is None


def test_negative_values_stack_under_zero() -> None:
    refunds = table("approvals_by_source", ("year", "year"), ["undp_usd", "unfpa_usd"], "usd", [], "stacked")
    refunds["rows"] = [[1990, 3e6, -1e6], [1991, 2e6, 1e6]]
    ax = figure(refunds).axes[0]
    assert ax.get_ylim()[0] <= -1e6 and ax.get_ylim()[1] >= 3e6
    heights = sorted((p.get_y(), p.get_height()) for p in ax.patches if isinstance(p, Rectangle))
    assert (0.0, -1e6) in heights and (2e6, 1e6) in heights  # the refund from 0 down, the gift on top


def test_the_command_line_does_not_import_matplotlib() -> None:
    """matplotlib is imported when a report is drawn, not by every command."""
    code = "import sys, tcstandards.cli; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_chart_draws_in_the_readers_language(lang: str) -> None:
    for source in TABLES:
        page = svg.chart_for(*callbacks(source, lang))
        assert page.count("<title>") == len(source["rows"]) * len(source["chart"]["series"])
