"""Returns checked together (validate on a folder) give exactly the findings each gives alone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from support import TODAY, base, write_csv, write_json, write_xlsx

from tcstandards.reading.base import RawReturn
from tcstandards.reading.sources import discover
from tcstandards.validation import batch
from tcstandards.validation.checking import type_return
from tcstandards.validation.coerce import coerce, coerce_columns
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
        data["projects"][2]["donor_code"] = data["projects"][2][
            "donor_code"
        ].lower()  # code-case, capitalised
        data["finance"].append(dict(data["finance"][1]))  # duplicate-key, within the return
        data["projects"][0]["recipient_countries"] = "SEN:40;MLI:50"  # recipients-sum (rule in code)
        data["projects"][0]["donor_code"] = "FIN"  # donor-suffix (rule in code)
        data["projects"][1]["recipient_countries"] = "YUG:50;QQQ:50"  # code-withdrawn, codelist
        # rules that read the register: each line against its own return's projects
        data["finance"][0]["cumulative_expenditure_usd"] = 99_000_000  # over-budget
        data["finance"].append({**data["finance"][1], "project_code": "ZZZ/97/001/UND"})  # unknown-project
        data["finance"].append({**data["finance"][1], "country_code": "PER"})  # country-not-recipient
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
    assert {"code-case", "duplicate-key", "recipients-sum", "donor-suffix"} <= rules
    assert {"over-budget", "unknown-project", "country-not-recipient", "code-withdrawn"} <= rules
    keys = [(r.office, f.rule) for r in together.returns for f in r.findings if f.rule == "duplicate-key"]
    assert sorted(keys) == [("ABIDJAN", "duplicate-key"), ("LIMA", "duplicate-key")]  # not across returns


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


VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(
        ["12", "1 234,5", "1,234.50", "abc", " 7 ", "15/07/1997", "03/04/1997", "1997-07-15", "N/A"]
    ),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
)
COLUMNS = st.lists(
    st.tuples(
        st.sampled_from(["string", "code", "date", "int", "money", "pct"]),
        st.lists(VALUES, max_size=6),
        st.booleans(),
        st.booleans(),
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(COLUMNS)
def test_columns_coerced_together_read_as_each_alone(
    columns: list[tuple[str, list[object], bool, bool]],
) -> None:
    together = coerce_columns(columns)
    for (tcds_type, raw, date1904, iso_dates), got in zip(columns, together, strict=True):
        alone = coerce(tcds_type, raw, date1904=date1904, iso_dates=iso_dates)
        got_array, alone_array = np.asarray(got.values), np.asarray(alone.values)  # a cut is an array
        values, expected = (
            pd.Series(got_array, dtype=got_array.dtype),
            pd.Series(alone_array, dtype=alone_array.dtype),
        )
        assert values.tolist() == expected.tolist() or _same_missing(values, expected)
        assert str(values.dtype) == str(expected.dtype)
        assert got.failed.tolist() == alone.failed.tolist()
        assert got.failed_rule == alone.failed_rule
        assert got.notes == alone.notes


def _same_missing(left: pd.Series, right: pd.Series) -> bool:
    """Equal, NaN and NaT included."""
    return bool(((left == right) | (left.isna() & right.isna())).all()) and len(left) == len(right)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="ab {}:!.[]0x", max_size=6),
            st.sampled_from(["{value}", "{missing}", "{count:,}", "{value!r}", "{a.b}", "{0}", "{{", "}}"]),
        ),
        max_size=5,
    ).map("".join),
    st.dictionaries(st.sampled_from(["value", "count", "a"]), st.one_of(st.integers(), st.text(max_size=3))),
)
def test_the_fast_message_renderer_says_what_format_says(template: str, params: dict[str, object]) -> None:
    """Messages of many findings are rendered from a template parsed once, as ``str.format`` would."""
    from string import Formatter

    from tcstandards.common.i18n import _Lenient, render

    if ":{" in template:  # a width from a nested field ({:{value}}): catalogue messages have none, and
        return  # a generated one may ask str.format for a string of 10**12 characters
    try:
        expected = Formatter().vformat(template, (), _Lenient(params))
    except (ValueError, IndexError, AttributeError, KeyError, TypeError):
        return  # the general path answers for those (and keeps its own errors)
    assert render(template, params) == expected


def test_the_json_report_is_exactly_what_json_dumps_writes(tmp_path: Path) -> None:
    """The findings are written by a fast path: the document stays json.dumps(..., indent=2) to the byte."""
    import json

    from tcstandards.reporters.json import JsonReporter

    data = base()
    data["projects"][0]["title"] = (
        'Quote " back\\\\slash \\n newline, é, 😀, \x00 and "\\u0000tcstandards-findings-0"'
    )
    data["projects"][0]["approved_budget_usd"] = -1
    data["cover"]["office_code"] = "\x00tcstandards-findings-0"
    folder = _varied(tmp_path / "returns")
    write_json(data, folder / "DAKAR_1996-Q1.json")  # JSON text may hold a NUL, a cell may not
    for lang in ("en", "fr"):
        text = JsonReporter(lang=lang).render(validate_paths([folder], today=TODAY, lang=lang))
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2)
        assert sum(len(r["findings"]) for r in json.loads(text)["returns"]) > 20
