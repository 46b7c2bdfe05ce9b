"""The machine-readable schema shipped in the package is what the code checks; the docs page
describes every file and column."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandera.pandas as pa

from twomountains.records import validate
from twomountains.records.schema import SCHEMA_DIR, TABLES, TEAM_KEYS, export, pandera_schema

DOCS_PAGE = Path(__file__).parents[2] / "docs" / "researchers" / "team-records.md"


def test_the_shipped_schema_matches_the_code() -> None:
    """If this fails, run: python -m twomountains.records.schema (and commit the files)."""
    shipped = {p.name: p.read_text(encoding="utf-8") for p in SCHEMA_DIR.glob("*.json")}
    assert shipped == export()


def test_the_shipped_schema_reads_back_into_pandera() -> None:
    for name in TABLES:
        text = (SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8")
        schema = pa.DataFrameSchema.from_json(text)
        code = pandera_schema(name)
        assert list(schema.columns) == list(code.columns)
        for column, spec in code.columns.items():
            assert schema.columns[column].nullable == spec.nullable
            assert [c.name for c in schema.columns[column].checks] == [c.name for c in spec.checks]
        assert schema.unique == code.unique


def test_team_keys_are_exported() -> None:
    team = json.loads((SCHEMA_DIR / "team.json").read_text(encoding="utf-8"))
    assert list(team["keys"]) == [k.name for k in TEAM_KEYS]


def test_the_docs_page_names_every_file_column_and_key() -> None:
    page = DOCS_PAGE.read_text(encoding="utf-8")
    for spec in TABLES.values():
        assert f"`{spec.file}`" in page
        for column in spec.columns:
            assert f"`{column.name}`" in page, column.name
            for value in column.allowed:
                assert f"`{value}`" in page, value
    for key in TEAM_KEYS:
        assert f"`{key.name}`" in page


def test_the_docs_pages_examples_are_valid_records(tmp_path: Path) -> None:
    page = DOCS_PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r'```(?:csv|toml) title="([a-z]+\.(?:csv|toml))"\n(.*?)```', page, re.S)
    assert sorted(name for name, _ in blocks) == sorted(
        ["team.toml", *(spec.file for spec in TABLES.values())]
    )
    for name, text in blocks:
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert validate(tmp_path) == []
