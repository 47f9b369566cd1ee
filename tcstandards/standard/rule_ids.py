"""The rules the engine itself reports (kind ``engine`` in ``rules.json``): one constant each.

Reading, typing, field checks and HQ name the rules they report through these
constants, never by a string of their own. Loading a version of the standard
checks that each of its ``engine`` rules is here and that each constant here is a rule of the
newest version (:mod:`tcstandards.standard.selfcheck`).
"""

from __future__ import annotations

FILE_UNREADABLE = "file-unreadable"
FILE_UNSUPPORTED = "file-unsupported"
COVER_MISSING = "cover-missing"
COVER_INCOMPLETE = "cover-incomplete"
COVER_MISMATCH = "cover-mismatch"
CSV_NAME = "csv-name"
RETURN_TWICE = "return-twice"
ANNOTATED_COPY = "annotated-copy"
CSV_ENCODING = "csv-encoding"
STANDARD_VERSION_UNKNOWN = "standard-version-unknown"
SHEET_UNKNOWN = "sheet-unknown"
SHEET_HIDDEN = "sheet-hidden"
ROWS_HIDDEN = "rows-hidden"
COLUMNS_HIDDEN = "columns-hidden"
CELLS_MERGED = "cells-merged"
FORMULA_NO_VALUE = "formula-no-value"
JSON_STRUCTURE = "json-structure"
JSON_SCHEMA = "json-schema"
COLUMN_MISSING = "column-missing"
COLUMN_UNKNOWN = "column-unknown"
COLUMN_RENAMED = "column-renamed"
COLUMN_DUPLICATE = "column-duplicate"
HEADER_BELOW_TITLE = "header-below-title"
TOTALS_ROW = "totals-row"
COLUMN_UNNAMED = "column-unnamed"
REQUIRED = "required"
REQUIRED_IF = "required-if"
REQUIRED_UNLESS = "required-unless"
REQUIRED_WITH = "required-with"
INVALID_DATE = "invalid-date"
AMBIGUOUS_DATE = "ambiguous-date"
INVALID_NUMBER = "invalid-number"
INVALID_INTEGER = "invalid-integer"
NUMBER_TEXT = "number-text"
DATE_TEXT = "date-text"
PATTERN = "pattern"
CODELIST = "codelist"
CODE_CASE = "code-case"
CODE_WITHDRAWN = "code-withdrawn"
LENGTH = "length"
RANGE = "range"
EMAIL = "email"
DUPLICATE_KEY = "duplicate-key"
KEY_CONFLICT = "key-conflict"
RESUBMISSION_INCOMPLETE = "resubmission-incomplete"
WAIVER_EXPIRED = "waiver-expired"

ENGINE_RULES = frozenset(
    {
        FILE_UNREADABLE,
        FILE_UNSUPPORTED,
        COVER_MISSING,
        COVER_INCOMPLETE,
        COVER_MISMATCH,
        CSV_NAME,
        RETURN_TWICE,
        ANNOTATED_COPY,
        CSV_ENCODING,
        STANDARD_VERSION_UNKNOWN,
        SHEET_UNKNOWN,
        SHEET_HIDDEN,
        ROWS_HIDDEN,
        COLUMNS_HIDDEN,
        CELLS_MERGED,
        FORMULA_NO_VALUE,
        JSON_STRUCTURE,
        JSON_SCHEMA,
        COLUMN_MISSING,
        COLUMN_UNKNOWN,
        COLUMN_RENAMED,
        COLUMN_DUPLICATE,
        HEADER_BELOW_TITLE,
        TOTALS_ROW,
        COLUMN_UNNAMED,
        REQUIRED,
        REQUIRED_IF,
        REQUIRED_UNLESS,
        REQUIRED_WITH,
        INVALID_DATE,
        AMBIGUOUS_DATE,
        INVALID_NUMBER,
        INVALID_INTEGER,
        NUMBER_TEXT,
        DATE_TEXT,
        PATTERN,
        CODELIST,
        CODE_CASE,
        CODE_WITHDRAWN,
        LENGTH,
        RANGE,
        EMAIL,
        DUPLICATE_KEY,
        KEY_CONFLICT,
        RESUBMISSION_INCOMPLETE,
        WAIVER_EXPIRED,
    }
)
