"""The paper in a real browser (headless Chromium): no table wider than the 1280 px screen or the A4 page,
no text under 8 pt in print, and a PDF of a sensible number of pages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("chromium") is None, reason="chromium is not on this machine (apt install chromium)"
    ),
]
A4_TEXT_WIDTH = 680  # px at 96 dpi: 210 mm less the 15 mm margins of the @page rule
EIGHT_POINTS = 8 * 96 / 72  # px
MEASURE = """<script>
window.addEventListener('load', () => {
  const tables = [...document.querySelectorAll('table')].map(t => ({
    id: t.dataset.table, width: t.scrollWidth, room: t.parentElement.clientWidth,
    right: t.getBoundingClientRect().right}));
  let smallest = 1000;
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('svg') || e.tagName === 'SCRIPT' || !e.textContent.trim()) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(e).fontSize));
  }
  const out = document.createElement('pre');
  out.id = 'measure';
  out.textContent = JSON.stringify({tables, smallest, page: document.documentElement.scrollWidth,
                                    view: document.documentElement.clientWidth});
  document.body.appendChild(out);
});
</script>"""


def measure(page: Path, width: int, *, print_rules: bool) -> dict[str, Any]:
    """Open the page at ``width`` px (with the print stylesheet applied on screen when ``print_rules``)
    and read what a script measured there."""
    html = page.read_text(encoding="utf-8")
    if print_rules:
        html = html.replace("@media print {", "@media all {")
    probe = page.with_name(f"probe-{page.stem}-{width}-{print_rules}.html")
    probe.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},1000",
         "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    found = re.search(r'<pre id="measure">([^<]*)</pre>', done.stdout)
    assert found, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(found[1].replace("&quot;", '"'))
    return result


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_table_is_cut_at_1280_px(paper: Callable[[str, str], Path], lang: str) -> None:
    page = paper("html", lang)
    seen = measure(page, 1280, print_rules=False)
    assert len(seen["tables"]) == 16
    cut = [t["id"] for t in seen["tables"] if t["width"] > t["room"] or t["right"] > seen["view"]]
    assert cut == []
    assert seen["page"] <= seen["view"]  # no sideways scrolling of the page itself


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_in_print_every_table_fits_a4_and_no_text_is_under_8_points(
    paper: Callable[[str, str], Path], lang: str
) -> None:
    page = paper("html", lang)
    seen = measure(page, A4_TEXT_WIDTH, print_rules=True)
    cut = [t["id"] for t in seen["tables"] if t["width"] > t["room"]]
    assert cut == []
    assert seen["smallest"] >= EIGHT_POINTS - 0.01


def test_chromium_prints_the_paper_to_a4_pages(paper: Callable[[str, str], Path], tmp_path: Path) -> None:
    page = paper("html", "fr")
    pdf = tmp_path / "paper.pdf"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    data = pdf.read_bytes()
    pages = re.findall(rb"/Type\s*/Page[^s]", data)
    boxes = {
        tuple(round(float(v)) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)
    }
    assert boxes == {(0, 0, 595, 842)}  # A4 portrait, in points
    assert 10 <= len(pages) <= 24  # the overview, 15 figures with their tables, the annex
