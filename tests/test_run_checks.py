"""One return per office and quarter in a run; an annotated copy is named as such."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import TODAY, base, write_json, write_xlsx

from tcstandards.cli import main
from tcstandards.hq.consolidate import consolidate
from tcstandards.hq.store import open_store
from tcstandards.validation.engine import validate_paths

RECEIVED = dt.datetime(1997, 10, 20, tzinfo=dt.UTC)


def original_and_annotated_copy(folder: Path) -> tuple[Path, Path]:
    data = base()
    data["finance"][0]["approvals_usd"] = -5  # a mistake, so that the copy has findings to show
    original = write_xlsx(data, folder / "DAKAR_1997-Q3.xlsx")
    copy = folder / "DAKAR_1997-Q3 annotated.xlsx"
    result = CliRunner().invoke(main, ["validate", str(original), "--annotate", str(copy), "--lang", "fr"])
    assert result.exit_code == 1, result.output
    return original, copy


@pytest.mark.parametrize(
    ("lang", "said", "annotated"),
    [
        ("en", "DAKAR 1997-Q3 is also the return ", "(an annotated copy)"),
        ("fr", "DAKAR 1997-Q3 est aussi le rapport ", "(une copie annotée)"),
        ("es", "DAKAR 1997-Q3 es también el informe ", "(una copia anotada)"),
    ],
)
def test_two_returns_of_one_quarter_are_an_error_naming_each_other(
    tmp_path: Path, lang: str, said: str, annotated: str
) -> None:
    original, copy = original_and_annotated_copy(tmp_path)
    report = validate_paths([tmp_path], lang=lang, today=TODAY)
    by_file = {Path(r.files[0]).name: r for r in report.returns}
    first, second = by_file[original.name], by_file[copy.name]
    (twice,) = [f for f in first.findings if f.rule == "return-twice"]
    assert twice.severity == "error" and twice.message.startswith(f"{said}{copy} {annotated}.")
    (twice,) = [f for f in second.findings if f.rule == "return-twice"]
    assert twice.message.startswith(f"{said}{original}.")
    (note,) = [f for f in second.findings if f.rule == "annotated-copy"]
    assert (note.severity, note.sheet) == ("warning", "Constats")  # the copy was annotated in French
    assert not [f for f in first.findings if f.rule == "annotated-copy"]


def test_returns_of_other_quarters_or_offices_are_not_twice(tmp_path: Path) -> None:
    write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx")
    other = base()
    other["cover"]["office_code"] = "LIMA"
    write_json(other, tmp_path / "LIMA_1997-Q3.json")
    report = validate_paths([tmp_path], today=TODAY)
    assert [f.rule for r in report.returns for f in r.findings if f.rule == "return-twice"] == []


def test_consolidate_quarantines_both_and_merges_neither(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_xlsx(base(), folder / "DAKAR_1997-Q3.xlsx")
    corrected = base()
    corrected["cover"]["revision"] = 2
    write_xlsx(corrected, folder / "DAKAR_1997-Q3 corrected.xlsx")
    with open_store(str(tmp_path / "hq.sqlite"), create=True) as store:
        run = consolidate([str(folder)], store, today=TODAY, received_at=RECEIVED)
        assert [(o.status, o.result.errors) for o in run.outcomes] == [("quarantined", 1), ("quarantined", 1)]
        assert [f.rule for o in run.outcomes for f in o.result.findings] == ["return-twice", "return-twice"]
        assert not len(store.records("projects"))
