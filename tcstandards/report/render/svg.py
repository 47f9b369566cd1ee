"""The report's bar charts, drawn by matplotlib: inline SVG for the HTML page, PNG for documents.

Kinds, as a figure table's ``chart`` asks: ``bar`` (one series, or several side
by side), ``stacked``, ``stacked_pct`` (shares of 100 %).  One look for all:
DejaVu Sans 9 pt for every text (a title, only when asked, 10 pt), the palette
below (its first colour the page's blue), white ground, a light grid along the
value axis, no top or right spine, no tick marks.  matplotlib's constrained
layout keeps every text whole and apart: the unit (``millions of USD``) is the
value axis' title beside its ticks; a legend sits under the plot, in as many
columns as fit; the figure grows with what it holds rather than squeezing bars.
It is 5.2 inches wide beside its table, 6.8 over a wide one (more than 6
columns, html.py's rule): the page shows them about 540 and 704 px wide, so
every chart's text shows at one size.

Categories: a name longer than 28 characters takes two lines, the second
shortened with "…" if need be (offices differ at the end of their names; the
table has them in full).  Names are level under their bars when they fit,
otherwise rotated 45°, right-aligned.  Years and quarters stay level under
vertical bars however many: every 2nd, 4th (a year of quarters), 5th… is named
when they do not fit.  Other categories that cannot all be named under vertical
bars (more than 25, or fewer long names) make a horizontal chart, a line or two
for each in the table's order, so that 150 countries are all named and
readable; past 40 the value axis is labelled above the bars too.  Keeping only
the 25 largest was the other way: it hides figures the table beside it shows,
and its title would need words ("25 largest of 150") the catalogue lacks.

The SVG is for inlining: no XML prolog or metadata; ``class="chart"``,
``role="img"``, ``aria-label`` the title, ``width="100%"`` and a viewBox; text
as ``<text>`` (``svg.fonttype`` none), in the page's fonts after DejaVu Sans;
a ``<title>`` on each bar with its value, for screen readers; ids prefixed with
the table id, unique on the page.  Its bytes depend only on the table and the
matplotlib version (no date, fixed hash salt).  Only the object API is used
(``Figure``, never ``pyplot``); the style goes through ``rc_context``, global
while a chart is drawn, so a lock keeps threads from drawing at once.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

PALETTE = ("#1f4e79", "#e07b39", "#5b9f4a", "#c0392b", "#8e6bb8", "#8c564b", "#d4a017", "#2aa1a8")
INK, GRID, SPINE = "#333333", "#e3e7ed", "#9aa5b1"
FONT, TITLE_FONT = 9.0, 10.0  # points
FONTS = ["DejaVu Sans", "Segoe UI", "Helvetica", "Arial"]  # matplotlib measures the first (it ships it)
# Inches. The page shows a chart beside its table about 540 px wide, one over a wide table (more than
# WIDE columns: html.py's rule) 44rem (704 px): these widths make 9 pt about the tables' 13 px in both.
WIDTH, WIDE_WIDTH = 5.2, 6.8
WIDE = 6  # a table of more columns goes under its chart (the HTML page), which is drawn wider
PLOT_HEIGHT = 2.2  # inches of bars of a vertical chart
ROW = 0.18  # inches a category of a horizontal chart
LINE = FONT * 1.3 / 72  # inches a line of text
GAP = 0.06  # inches at least between two level labels
MAX_LABEL, MAX_LEGEND = 28, 48  # characters
MAX_COLUMNS = 25  # more categories (not a time axis), or fewer not named at 45°: a horizontal chart
TALL = 40  # a horizontal chart with more categories has its value axis above the bars too
ROTATION = 45
SIN, COS = math.sin(math.radians(ROTATION)), math.cos(math.radians(ROTATION))
THINNING = (1, 2, 4, 5, 10, 20, 25, 50, 100)
NAMES = ("code", "text")  # kinds of category column that are not a time axis (years, quarters)

STYLE: dict[Any, Any] = {  # rc keys are Literal in matplotlib's stubs
    **dict.fromkeys(
        ("font.size", "axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"), FONT
    ),
    **dict.fromkeys(("axes.titlesize", "figure.titlesize"), TITLE_FONT),
    **dict.fromkeys(
        ("figure.facecolor", "axes.facecolor", "savefig.facecolor", "savefig.edgecolor"), "white"
    ),
    "font.family": "sans-serif",
    "font.sans-serif": FONTS,
    "text.usetex": False,
    "text.color": INK,
    "savefig.transparent": False,
    "savefig.bbox": "standard",
    "svg.fonttype": "none",
    "svg.hashsalt": "tcstandards",
}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Chart:
    """What a figure table's ``chart`` asks for, in the reader's words."""

    key: str  # the table id
    kind: str  # bar, stacked, stacked_pct
    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    value_kind: str  # the column kind of the series: usd, pct, count, number
    value_text: Callable[[float | None], str]
    axis_text: Callable[[float], str]
    unit: str
    timeline: bool  # categories are years or quarters
    width: float  # inches


def chart_of(
    table: dict[str, Any],
    label: Callable[[str], str],
    fmt: Callable[[Any, str], str],
    cat: Callable[[Any], str],
    axis: Callable[[float, str], str],
    unit: Callable[[str], str],
) -> Chart | None:
    """The chart a figure table asks for (``table["chart"]``), or None when it has none or no rows."""
    spec = table.get("chart") or {}
    if not spec or not table["rows"]:
        return None
    ids = [c["id"] for c in table["columns"]]
    kinds = {c["id"]: c["kind"] for c in table["columns"]}
    x = ids.index(spec["x"])
    kind = kinds[spec["series"][0]]
    return Chart(
        key=str(table["id"]),
        kind=spec["type"],
        title=label(table["id"]),
        categories=[cat(row[x]) for row in table["rows"]],
        series=[(label(s), [row[ids.index(s)] for row in table["rows"]]) for s in spec["series"]],
        value_kind=kind,
        value_text=lambda v: fmt(v, kind),
        axis_text=lambda v: axis(v, kind),
        unit=unit(kind),
        timeline=kinds[spec["x"]] not in NAMES,
        width=WIDE_WIDTH if len(ids) > WIDE else WIDTH,
    )


def chart_for(
    table: dict[str, Any],
    label: Callable[[str], str],
    fmt: Callable[[Any, str], str],
    cat: Callable[[Any], str],
    axis: Callable[[float, str], str],
    unit: Callable[[str], str],
) -> str:
    """The chart a figure table asks for as inline SVG, or "" when it has no rows.

    ``label`` names a column or the table, ``fmt(value, kind)`` writes a value
    as the table does, ``cat`` names a category, ``axis(value, kind)`` writes a
    tick of the value axis and ``unit(kind)`` is the value axis' title.
    """
    chart = chart_of(table, label, fmt, cat, axis, unit)
    if chart is None:
        return ""
    buffer = io.StringIO()
    with _LOCK, matplotlib.rc_context({**STYLE, "svg.hashsalt": chart.key}):
        figure(chart).savefig(buffer, format="svg", metadata={"Date": None})
    return inline(buffer.getvalue(), chart)


def chart_png(
    table: dict[str, Any],
    label: Callable[[str], str],
    fmt: Callable[[Any, str], str],
    cat: Callable[[Any], str],
    axis: Callable[[float, str], str],
    unit: Callable[[str], str],
    *,
    dpi: int = 200,
    title: bool = False,
) -> bytes:
    """The chart as a PNG of ``dpi`` (5.2 or 6.8 inches wide), its title above it if asked; b"" if none."""
    chart = chart_of(table, label, fmt, cat, axis, unit)
    if chart is None:
        return b""
    buffer = io.BytesIO()
    with _LOCK, matplotlib.rc_context(STYLE):
        figure(chart, title=title).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def figure_for(chart: Chart, *, title: bool = False) -> Figure:
    """The matplotlib figure of a chart (what ``chart_for`` and ``chart_png`` save), in the charts' style."""
    with _LOCK, matplotlib.rc_context(STYLE):
        return figure(chart, title=title)


@dataclass(frozen=True)
class Layout:
    horizontal: bool  # bars along x, categories down the y axis
    rotate: bool  # category labels at 45°
    every: int  # every k-th category is named
    height: float  # inches
    columns: int  # of the legend


def layout(chart: Chart, labels: Sequence[str], names: Sequence[str], title: bool) -> Layout:
    """How the chart is laid out (see the module's docstring): all in inches, measured with the font."""
    n = len(chart.categories)
    columns, lines = _legend_shape(names, chart.width) if len(names) > 1 else (1, 0)
    extra = (lines * LINE + 0.15 if lines else 0.0) + (LINE + 0.1 if title else 0.0)
    widest = max(_width(text) for text in labels)
    height = max(text.count("\n") + 1 for text in labels) * LINE  # of the tallest label, level
    ticks, _ = _ticks(chart, 5)  # the value axis, left of the plot: its widest tick, its title
    left = max(_width(chart.axis_text(t)) for t in ticks) + (LINE + 0.1 if chart.unit else 0.0) + 0.15
    slot = (chart.width - left - 0.1) / n
    rotated = (chart.width - max(left, _width(labels[0]) * COS - slot / 2) - 0.1) / n  # the first juts out
    if chart.timeline:  # years and quarters stay level: every k-th is named when they do not fit
        every = next((k for k in THINNING if k * slot >= widest + GAP), math.ceil((widest + GAP) / slot))
        return Layout(False, False, every, PLOT_HEIGHT + height + 0.35 + extra, columns)
    if widest + GAP <= slot:
        return Layout(False, False, 1, PLOT_HEIGHT + height + 0.35 + extra, columns)
    if n <= MAX_COLUMNS and rotated * SIN >= height:  # rotated labels apart
        return Layout(False, True, 1, PLOT_HEIGHT + (widest + height) * SIN + 0.35 + extra, columns)
    row = max(ROW, height + 0.05)
    return Layout(True, False, 1, n * row + 0.6 + (0.3 if n > TALL else 0.0) + extra, columns)


def figure(chart: Chart, *, title: bool = False) -> Figure:
    """The chart drawn on a new figure: every size and colour set on its artists, none left to rcParams."""
    n = len(chart.categories)
    labels = [_short(c, MAX_LABEL) if chart.timeline else _label(c) for c in chart.categories]
    names = [_short(name, MAX_LEGEND) for name, _ in chart.series]
    shape = layout(chart, labels, names, title)
    horizontal, rotate, every = shape.horizontal, shape.rotate, shape.every
    fig = Figure(figsize=(chart.width, shape.height), dpi=100, layout="constrained", facecolor="white")
    ax = fig.add_subplot()
    handles = _bars(ax, chart, horizontal)
    positions = list(range(n))[::every]
    shown = [_tex(labels[i]) for i in positions]
    if horizontal:
        ax.set_yticks(positions, shown)
        ax.set_ylim(n - 0.5, -0.5)  # the first row on top, as in the table
    else:
        turned: dict[str, Any] = (
            {"rotation": ROTATION, "ha": "right", "rotation_mode": "anchor"} if rotate else {}
        )
        ax.set_xticks(positions, shown, **turned)
        ax.set_xlim(-0.5, n - 0.5)
    _value_axis(ax, chart, horizontal)
    ax.tick_params(labelsize=FONT, labelcolor=INK, length=0, pad=4)
    ax.tick_params(axis="x", pad=4 if horizontal else FONT * 0.75)  # clear of the half of "0" under the axis
    ax.tick_params(axis="x", labeltop=horizontal and n > TALL)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(SPINE)
    ax.set_axisbelow(True)
    ax.grid(axis="x" if horizontal else "y", color=GRID, linewidth=0.8)
    ax.grid(axis="y" if horizontal else "x", visible=False)
    if len(names) > 1:
        fig.legend(
            handles,
            [_tex(name) for name in names],
            loc="outside lower center",
            ncols=shape.columns,
            frameon=False,
            fontsize=FONT,
            labelcolor=INK,
            handlelength=1.0,
            handleheight=1.0,
            columnspacing=1.4,
        )
    if title:
        fig.suptitle(_tex(chart.title), fontsize=TITLE_FONT, fontweight="bold", color=INK)
    return fig


def _bars(ax: Any, chart: Chart, horizontal: bool) -> list[Rectangle]:
    """Draws the bars, series after series, each one's gid ``bar-<series>-<category>``; one a series."""
    n, count = len(chart.categories), len(chart.series)
    stacked = chart.kind in ("stacked", "stacked_pct")
    width = 0.7 if stacked or count == 1 else 0.8 / count
    up, down = np.zeros(n), np.zeros(n)  # stacks of positive and of negative values
    handles = []
    for s, (_, raw) in enumerate(chart.series):
        values = np.array([0.0 if v is None else float(v) for v in raw])
        at = np.arange(n) + (0.0 if stacked else (s - (count - 1) / 2) * width)
        base = np.where(values >= 0, up, down) if stacked else np.zeros(n)
        colour = PALETTE[s % len(PALETTE)]
        if horizontal:
            bars = ax.barh(at, values, height=width, left=base, color=colour, linewidth=0)
        else:
            bars = ax.bar(at, values, width=width, bottom=base, color=colour, linewidth=0)
        for i, patch in enumerate(bars.patches):
            patch.set_gid(f"bar-{s}-{i}")
        handles.append(bars.patches[0])
        if stacked:
            up += np.maximum(values, 0)
            down += np.minimum(values, 0)
    return handles


def _ticks(chart: Chart, bins: int) -> tuple[list[float], tuple[float, float]]:
    """Round ticks from 0 (multiples of 100,000 for USD, whole for counts) and the axis' limits."""
    columns = list(
        zip(*([0.0 if v is None else float(v) for v in raw] for _, raw in chart.series), strict=True)
    )
    if chart.kind in ("stacked", "stacked_pct"):
        high = max(sum(max(v, 0.0) for v in col) for col in columns)
        low = min(sum(min(v, 0.0) for v in col) for col in columns)
    else:
        high, low = max(max(col) for col in columns), min(min(col) for col in columns)
    high, low = max(high, 0.0), min(low, 0.0)
    if chart.kind == "stacked_pct" and high <= 100.5:
        high = 100.0  # shares summing to 100.01 by rounding
    scale = 100_000.0 if chart.value_kind == "usd" else 1.0  # ``axis`` writes millions with one decimal
    whole = chart.value_kind in ("usd", "count")
    if high == low:
        high = 4 * scale if whole else 1.0
    locator = MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10], integer=whole)
    ticks = [float(t) * scale for t in locator.tick_values(low / scale, high / scale)]
    limits = (min(ticks[0], low), high if chart.kind == "stacked_pct" else max(ticks[-1], high))
    return [t for t in ticks if limits[0] <= t <= limits[1]], limits


def _value_axis(ax: Any, chart: Chart, horizontal: bool) -> None:
    """The value axis: its ticks written by ``axis``, the unit its title."""
    ticks, limits = _ticks(chart, 6 if horizontal else 5)
    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda v, _position: _tex(chart.axis_text(v))))
    (ax.set_xlim if horizontal else ax.set_ylim)(*limits)
    if chart.unit:
        (ax.set_xlabel if horizontal else ax.set_ylabel)(_tex(chart.unit), fontsize=FONT, color=INK)


def _legend_shape(names: Sequence[str], width: float) -> tuple[int, int]:
    """(columns, lines) of a legend that fits the figure's width, its lines as even as can be."""
    column = max(_width(name) for name in names) + 0.5  # the swatch and the space between columns
    columns = max(1, min(len(names), int((width - 0.2) // column)))
    lines = math.ceil(len(names) / columns)
    return math.ceil(len(names) / lines), lines


def _width(text: str) -> float:
    """Inches the widest line of a text takes at the charts' font size (measured with matplotlib's font)."""
    prop = FontProperties(family=FONTS[0], size=FONT)
    widths = [
        text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n")
    ]
    return float(max(widths)) / 72


def _label(text: str) -> str:
    """A category's name on one line, or two when longer than MAX_LABEL (the second one shortened)."""
    if len(text) <= MAX_LABEL:
        return text
    lines = textwrap.wrap(text, MAX_LABEL, break_long_words=True, break_on_hyphens=False)
    return "\n".join([lines[0], _short(" ".join(lines[1:]), MAX_LABEL)])


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tex(text: str) -> str:
    """A text drawn as it is: a ``$`` would start matplotlib's math mode."""
    return text.replace("$", r"\$")


TAG = re.compile(r"<[^>]+>")  # attribute values are escaped: a tag has no ">" inside
BAR = re.compile(r'<g id="bar-(\d+)-(\d+)">')


def inline(svg: str, chart: Chart) -> str:
    """matplotlib's SVG made an element of the page (see the module's docstring)."""
    body = svg[svg.index("<svg") :]
    body = re.sub(r"\s*<metadata>.*?</metadata>", "", body, count=1, flags=re.S)
    view = re.search(r'viewBox="([^"]+)"', body[: body.index(">")])
    root = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{view.group(1) if view else ""}" width="100%" class="chart" role="img" '
        f'aria-label="{escape(chart.title)}">'
    )
    body = root + body[body.index(">") + 1 :]
    family = "font-family: " + ", ".join(f"'{font}'" for font in FONTS) + ", sans-serif; "
    body = body.replace(family, "")  # said once, below (matplotlib < 3.9 writes "font: 9px '...'" instead)
    body = body.replace(  # a <style> is page-wide: this one is for the charts only
        "*{stroke-linejoin", "svg.chart text{" + family.rstrip("; ") + "} svg.chart *{stroke-linejoin", 1
    )

    def bar_title(match: re.Match[str]) -> str:
        s, i = int(match.group(1)), int(match.group(2))
        name, values = chart.series[s]
        said = f"{chart.categories[i]} · {name}: {chart.value_text(values[i])} {chart.unit}".rstrip()
        return f"<g><title>{escape(said, quote=False)}</title>"

    body = BAR.sub(bar_title, body)
    body = re.sub(r'<g id="[^"]*"', "<g", body)  # groups are not referred to: only clip paths are
    body = re.sub(r' transform="rotate\(-0 [^)]*\)"', "", body)
    body = _unwrap(re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", " ", body)))
    prefix = f"chart-{chart.key}-"  # the ids left, unique on the page
    return TAG.sub(
        lambda tag: (
            tag.group(0)
            .replace(' id="', f' id="{prefix}')
            .replace("url(#", f"url(#{prefix}")
            .replace('href="#', f'href="#{prefix}')
        ),
        body,
    ).strip()


def _unwrap(svg: str) -> str:
    """The SVG without its groups of no attribute (matplotlib's structure), but those of a bar's title."""
    kept: list[bool] = []
    parts: list[str] = []
    last = 0
    for match in re.finditer(r"<g/>|<g[ >]|</g>", svg):
        parts.append(svg[last : match.start()])
        last = match.end()
        tag = match.group(0)
        if tag == "</g>":
            parts.append(tag if kept.pop() else "")
        elif tag != "<g/>":
            kept.append(tag != "<g>" or svg.startswith("<title>", last))
            parts.append(tag if kept[-1] else "")
    parts.append(svg[last:])
    return "".join(parts)
