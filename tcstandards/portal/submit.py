"""An upload becomes a submission exactly as ``consolidate`` would record it, and back into files.

The uploaded files are written under names the portal makes from theirs
(letters, digits, ``. _ -`` only, no folder part) into a private temporary
folder that is removed afterwards: what the user called a file never becomes
a path.  The office and quarter still come from the name (``DAKAR_1997-Q3``)
and the Cover, as for ``validate``.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from tcstandards.hq.accounts import OFFICE
from tcstandards.hq.consolidate import Outcome, Sender, consolidate_sources
from tcstandards.hq.store.base import Account, Store
from tcstandards.portal.security import Refused
from tcstandards.reading.sources import Source, discover
from tcstandards.validation.findings import ReturnResult, kept_finding

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 120
MAX_FILES = 20  # the Cover and record files of a CSV return, with room to spare
WORKBOOKS = (".xlsx", ".xlsm")


def safe_name(given: str | None, number: int) -> str:
    """A file name made from the user's: its last part only, unusual characters as ``_``."""
    last = (given or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = UNSAFE.sub("_", last).strip("._").rpartition(".")
    stem = stem.strip("._")
    name = f"{stem[: MAX_NAME - len(suffix) - 1]}.{suffix}" if dot and stem else (stem or suffix)[:MAX_NAME]
    return name or f"upload-{number}"


def save(files: Sequence[tuple[str | None, BinaryIO]], folder: Path) -> list[Path]:
    """Write the uploaded files into ``folder`` under safe names (two alike get a number)."""
    if not files:
        raise Refused(400, "error.no-file")
    if len(files) > MAX_FILES:
        raise Refused(400, "error.too-many-files", {"count": MAX_FILES})
    paths: list[Path] = []
    for number, (given, content) in enumerate(files, start=1):
        name = safe_name(given, number)
        path = folder / name
        if path.exists():
            path = folder / f"{number}-{name}"
        with open(path, "xb") as handle:
            shutil.copyfileobj(content, handle)
        paths.append(path)
    return paths


def submit(
    store: Store, files: Sequence[tuple[str | None, BinaryIO]], account: Account, lang: str
) -> Outcome:
    """Validate the upload against the store and record it (merged or quarantined), by ``account``."""
    with tempfile.TemporaryDirectory(prefix="tcstandards-upload-") as folder:
        sources = discover(save(files, Path(folder)))
        if len(sources) != 1:
            raise Refused(400, "error.one-return", {"count": len(sources)})
        named = [_named(source) for source in sources]
        sender = Sender(account.name, account.office if account.role == OFFICE else None)
        run = consolidate_sources(named, store, lang=lang, sender=sender)
    return run.outcomes[0]


def _named(source: Source) -> Source:
    """The source with its files shown by their own names, not the temporary folder's path."""
    return dataclasses.replace(source, files=tuple((path, path.name) for path, _ in source.files))


def stored_result(store: Store, submission_id: int) -> ReturnResult:
    """A submission's findings as the store keeps them, ready to place on the workbook's cells."""
    submission = store.submission(submission_id)
    assert submission is not None, submission_id
    findings = tuple(kept_finding(f, submission.file_name) for f in store.findings(submission_id))
    return ReturnResult(
        submission.files, submission.office, submission.period, submission.standard_version, findings
    )


def annotated_copy(store: Store, submission_id: int, lang: str) -> tuple[str, bytes] | None:
    """The uploaded workbook with every stored finding on its cell; None when there is no workbook."""
    from tcstandards.office.annotate import annotate

    uploads = store.uploads(submission_id)
    if len(uploads) != 1 or not uploads[0][0].lower().endswith(WORKBOOKS):
        return None
    name, content = uploads[0]
    with tempfile.TemporaryDirectory(prefix="tcstandards-annotate-") as folder:
        source = Path(folder) / safe_name(name, 1)
        source.write_bytes(content)
        target = Path(folder) / f"{source.stem}-annotated.xlsx"
        annotate(source, stored_result(store, submission_id), target, lang)
        return target.name, target.read_bytes()
