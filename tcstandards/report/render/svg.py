"""Inline SVG bar charts: no script, no network, readable on screen and on paper.

Three kinds, as a figure table's ``chart`` asks: ``bar`` (one series),
``stacked`` (series on top of each other) and ``stacked_pct`` (shares of
100 %).  Every bar has a ``<title>`` with its value, for screen readers and
tooltips.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 64
CHAR_WIDTH = 7.0  # of an 11 px label, generously
MAX_LABEL = 22
MAX_NAMED = 40
PALETTE = ("#1f4e79", "#e07b39", "#5b9f4a", "#c0392b", "#8e6bb8", "#8c564b", "#d4a017", "#2aa1a8")


def _nice(top: float, whole: bool = False) -> float:
    """An axis maximum whose quarters are round numbers (whole numbers for counts)."""
    if top <= 0:
        return 4.0 if whole else 1.0
    power = 10 ** math.floor(math.log10(top))
    for step in (1, 2, 4, 5, 8, 10):
        if top <= step * power and (not whole or (step * power) % 4 == 0 or step * power >= 40):
            return float(step * power)
    return float(10 * power)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    kind: str,
    value_text: Callable[[float], str],
    axis_text: Callable[[float], str],
    title: str,
    unit: str = "",
    whole: bool = False,
) -> str:
    """An SVG bar chart; ``series`` are (label, values per category)."""
    n = max(len(categories), 1)
    legend = _legend([label for label, _ in series]) if len(series) > 1 else []
    height = HEIGHT + (14 * (max(len(legend), 1) - 1) if legend else -20)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = [[0.0 if v is None else float(v) for v in vs] for _, vs in series]
    stacked = kind in ("stacked", "stacked_pct")
    if kind == "stacked_pct":
        top = 100.0
    elif stacked:
        top = _nice(max((sum(col) for col in zip(*values, strict=True)), default=0), whole)
    else:
        top = _nice(max((v for vs in values for v in vs), default=0), whole)
    slot = plot_w / n
    every = max(1, math.ceil(n / MAX_NAMED))
    longest = max((min(len(str(c)), MAX_LABEL) for c in categories), default=0)
    rotate = longest * CHAR_WIDTH > slot * every * 0.9
    bar_w = slot * (0.7 if stacked or len(series) == 1 else 0.8 / len(series))
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">'
    ]
    if unit:
        parts.append(f'<text x="4" y="{TOP - 2}" class="axis">{escape(unit)}</text>')
    for k in range(5):  # grid and axis labels
        y = TOP + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        label = escape(axis_text(top * k / 4))
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{label}</text>')
    for i, category in enumerate(categories):
        x0 = LEFT + slot * i + (slot - (bar_w if stacked or len(series) == 1 else bar_w * len(series))) / 2
        base = 0.0
        for s, (label, _) in enumerate(series):
            v = values[s][i]
            h = plot_h * (v / top) if top else 0
            x = x0 if stacked or len(series) == 1 else x0 + s * bar_w
            y = TOP + plot_h - (plot_h * base / top if stacked and top else 0) - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 0):.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(str(category))} · {escape(label)}: '
                f"{escape(value_text(v))}</title></rect>"
            )
            if stacked:
                base += v
        if i % every:
            continue  # too many bars to name each: every n-th is named, the others have their <title>
        cx = LEFT + slot * i + slot / 2
        angle = f' transform="rotate(-35 {cx:.1f} {HEIGHT - BOTTOM + 14:.1f})"' if rotate else ""
        anchor = "end" if rotate else "middle"
        shown = str(category) if len(str(category)) <= MAX_LABEL else str(category)[: MAX_LABEL - 1] + "…"
        parts.append(
            f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="{anchor}" class="axis"{angle}>'
            f"{escape(shown)}</text>"
        )
    for line, entries in enumerate(legend):
        y = HEIGHT - 14 + 14 * line
        for s, label, x in entries:
            colour = PALETTE[s % len(PALETTE)]
            parts.append(f'<rect x="{x:.0f}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
            parts.append(f'<text x="{x + 14:.0f}" y="{y}" class="legend">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _legend(labels: Sequence[str]) -> list[list[tuple[int, str, float]]]:
    """Legend entries (series number, label, x) in lines that fit the width."""
    lines: list[list[tuple[int, str, float]]] = [[]]
    x = float(LEFT)
    for s, label in enumerate(labels):
        width = 24 + CHAR_WIDTH * len(label)
        if lines[-1] and x + width > WIDTH - RIGHT:
            lines.append([])
            x = float(LEFT)
        lines[-1].append((s, label, x))
        x += width
    return lines


def chart_for(
    table: dict[str, Any],
    label: Callable[[str], str],
    fmt: Callable[[Any, str], str],
    cat: Callable[[Any], str],
    axis: Callable[[float, str], str],
    unit: Callable[[str], str],
) -> str:
    """The chart a figure table asks for (``table["chart"]``), or "" when it has no rows."""
    spec = table.get("chart") or {}
    if not spec or not table["rows"]:
        return ""
    ids = [c["id"] for c in table["columns"]]
    kinds = {c["id"]: c["kind"] for c in table["columns"]}
    x = ids.index(spec["x"])
    categories = [cat(row[x]) for row in table["rows"]]
    series = [(label(s), [row[ids.index(s)] for row in table["rows"]]) for s in spec["series"]]
    kind = kinds[spec["series"][0]]
    return bar_chart(
        categories,
        series,
        kind=spec["type"],
        value_text=lambda v: fmt(v, kind),
        axis_text=lambda v: axis(v, kind),
        title=label(table["id"]),
        unit=unit(kind),
        whole=kind == "count",
    )
