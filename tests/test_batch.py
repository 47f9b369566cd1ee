"""Returns checked together (validate on a folder) give exactly the findings each gives alone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from support import TODAY, base, write_csv, write_json, write_xlsx

from tcstandards.reading.base import RawReturn
from tcstandards.reading.sources import discover
from tcstandards.validation import batch
from tcstandards.validation.checking import type_return
from tcstandards.validation.engine import check_source, read_return, validate_paths

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "returns" / "1997-Q3"


def _varied(folder: Path) -> Path:
    """Returns of several periods, formats and column sets, with mistakes that rules with dates catch."""
    folder.mkdir()
    for name in SAMPLES.iterdir():
        shutil.copy(name, folder / name.name)
    for office, period, prepared in (("ABIDJAN", "1996-Q4", "1996-12-01"), ("LIMA", "1997-Q1", "1997-04-10")):
        data = base()
        data["cover"].update(
            {"office_code": office, "period": period, "prepared_on": dt.date.fromisoformat(prepared)}
        )
        for record in (*data["finance"], *data["results"]):
            record["period"] = period
        data["finance"][0]["period"] = "1997-Q3"  # period-mismatch, against its own return's period
        data["projects"][0]["start_date"] = dt.date(1998, 1, 1)  # implementation-not-started, by period end
        if office == "LIMA":
            for record in data["projects"]:
                record.pop("country_objective", None)  # another column set: another batch
            write_csv(data, folder / "lima")
        else:
            write_xlsx(data, folder / f"{office}_{period}.xlsx")
    late = base()
    late["cover"]["period"] = "1997-Q2"
    late["finance"][1]["expenditure_usd"] = -5  # negative-expenditure
    write_json(late, folder / "DAKAR_1997-Q2.json")
    return folder


def test_a_folder_checked_together_gives_what_each_return_gives_alone(tmp_path: Path) -> None:
    folder = _varied(tmp_path / "returns")
    together = validate_paths([folder], today=TODAY)
    alone = [check_source(s, today=TODAY)[0] for s in discover([folder])]
    assert len(together.returns) == len(alone) == 9
    assert list(together.returns) == alone
    rules = {f.rule for r in together.returns for f in r.findings}
    assert {"period-mismatch", "implementation-not-started", "negative-expenditure"} <= rules


def test_returns_of_different_periods_share_a_batch_and_keep_their_own_dates(tmp_path: Path) -> None:
    folder = _varied(tmp_path / "returns")
    raws = [read_return(source) for source in discover([folder])]
    typed = [type_return(raw) for raw in raws if isinstance(raw, RawReturn)]
    finance = [b for b in batch.batches(typed) if b.name == "finance"]
    shared = max(finance, key=lambda b: len(b.parts))
    assert len({p.typed.period for p in shared.parts}) >= 2  # one pandera run and one rule run for them all
    mismatch = {
        (r.period, f.location) for r in validate_paths([folder], today=TODAY).returns for f in r.findings
        if f.rule == "period-mismatch"
    }  # fmt: skip
    assert ("1996-Q4", "Finance!B2") in mismatch and ("1997-Q1", "2:2") in mismatch
