"""Fuzzing (issue 7, point 10): random bytes and random mutations of the samples, fed to every reader.

Whatever comes in, ``validate_paths`` returns a report: an unreadable file is
a ``file-unreadable`` finding, never an exception.  The only exceptions that
may come out are the package's own (``TcstandardsError``: "could not run").
Each test is bounded by its number of examples (about 10 s in all on the CI
machine); ``TCSTANDARDS_FUZZ_EXAMPLES`` raises it for a longer campaign.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import TODAY, base, write_csv, write_json, write_xlsx

from tcstandards.common.errors import TcstandardsError
from tcstandards.validation.engine import validate_paths
from tcstandards.validation.findings import Report

EXAMPLES = int(os.environ.get("TCSTANDARDS_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a red CI is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _samples() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbook = write_xlsx(base(), folder / "DAKAR_1997-Q3.xlsx").read_bytes()
        document = write_json(base(), folder / "DAKAR_1997-Q3.json").read_bytes()
        csv = (write_csv(base(), folder / "csv") / "DAKAR_1997-Q3_finance.csv").read_bytes()
    return {"xlsx": workbook, "json": document, "csv": csv}


SAMPLES = _samples()
SUFFIXES = {"xlsx": ".xlsx", "json": ".json", "csv": "_finance.csv", "ods": ".ods", "xlsm": ".xlsm"}


def run(kind: str, data: bytes) -> Report | None:
    """Validate ``data`` as a file of ``kind``; only the package's own errors may escape."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"DAKAR_1997-Q3{SUFFIXES[kind]}"
        path.write_bytes(data)
        try:
            report = validate_paths([str(path)], today=TODAY)
        except TcstandardsError:
            return None
        assert path.read_bytes() == data  # never modified
        return report


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, length to delete, bytes to insert) edits."""
    out = bytearray(data)
    for position, length, insert in edits:
        at = position % (len(out) + 1)
        out[at : at + length] = insert
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.integers(0, 1 << 20), st.integers(0, 64), st.binary(max_size=16)), min_size=1, max_size=6
)


@pytest.mark.parametrize("kind", sorted(SUFFIXES))
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(kind: str, data: bytes) -> None:
    run(kind, data)


@pytest.mark.parametrize("kind", ["json", "csv"])
@FUZZ
@given(edits=EDITS)
def test_mutated_text_samples(kind: str, edits: list[tuple[int, int, bytes]]) -> None:
    run(kind, mutate(SAMPLES[kind], edits))


@FUZZ
@given(edits=EDITS)
def test_mutated_workbook_container(edits: list[tuple[int, int, bytes]]) -> None:
    """Bytes of the zip itself changed: damaged headers, CRCs, sizes."""
    run("xlsx", mutate(SAMPLES["xlsx"], edits))


@FUZZ
@given(part=st.integers(0, 100), edits=EDITS)
def test_mutated_workbook_xml(part: int, edits: list[tuple[int, int, bytes]]) -> None:
    """A valid zip whose XML parts (sheets, shared strings, workbook, styles) are damaged."""
    source = zipfile.ZipFile(io.BytesIO(SAMPLES["xlsx"]))
    xml = [i for i in source.infolist() if i.filename.endswith((".xml", ".rels"))]
    chosen = xml[part % len(xml)].filename
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, mutate(content, edits) if info.filename == chosen else content)
    run("xlsx", buffer.getvalue())
