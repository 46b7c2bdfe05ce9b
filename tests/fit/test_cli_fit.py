"""``twomountains fit``: JSON shape, text report, and one-line errors with exit status 2."""

from __future__ import annotations

import json

import pytest

from twomountains.cli import main
from twomountains.fit import DEFAULT_PARAMS, STATISTICS

FAST = ["--draws", "100", "--backend", "serial", "--quiet"]


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def fitted_json(synthetic_dir, tmp_path_factory):
    """The --json output and the --out file of one small fit with a comparison."""
    out = tmp_path_factory.mktemp("fit-cli") / "new" / "fit.json"
    code = main(
        [
            "fit",
            str(synthetic_dir),
            *FAST,
            "--json",
            "--out",
            str(out),
            "--compare",
            "fixed:0.2",
            "--compare-draws",
            "2",
            "--compare-seeds",
            "1",
        ]
    )
    assert code == 0
    return out


def test_json_has_params_statistics_warnings_provenance_and_counterfactuals(fitted_json):
    data = json.loads(fitted_json.read_text())
    assert list(data["params"]) == list(DEFAULT_PARAMS)
    for p in data["params"].values():
        assert set(p) == {"estimate", "low", "high"} and p["low"] <= p["estimate"] <= p["high"]
    assert list(data["statistics"]) == list(STATISTICS)
    assert isinstance(data["warnings"], list)
    assert data["provenance"]["draws"] == 100 and data["provenance"]["backend"] == "serial"
    assert {row["policy"] for row in data["counterfactuals"]} == {"fixed:0.4", "fixed:0.2"}
    assert not list(fitted_json.parent.glob(".*tmp*"))  # written atomically, nothing left over


def test_text_report_lists_estimates_with_prior_ranges(capsys, synthetic_dir):
    code, out, err = run_cli(capsys, "fit", str(synthetic_dir), *FAST, "--param", "repair_hours")
    assert code == 0, err
    assert "repair_hours" in out and "1 to 24 (log)" in out
    assert "cbi_high_share" in out and "(not fitted)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--param", "nope"], "param: got 'nope'; allowed: project_interval_weeks"),
        (["--draws", "5"], "draws: got 5; allowed: a whole number >= 100"),
        (["--preset", "nope"], "preset: got 'nope'; allowed: default"),
        (["--policy", "nope"], "nope"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, synthetic_dir, args, message):
    code, out, err = run_cli(capsys, "fit", str(synthetic_dir), *FAST, *args)
    assert code == 2 and message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_records_exit_2_naming_file_row_and_column(capsys, team_copy):
    hours = team_copy / "hours.csv"
    lines = hours.read_text().splitlines()
    cells = lines[2].split(",")
    cells[2] = "-3"  # the first activity of the second data row (line 3)
    lines[2] = ",".join(cells)
    hours.write_text("\n".join(lines) + "\n")
    code, out, err = run_cli(capsys, "fit", str(team_copy), *FAST)
    assert code == 2 and "hours.csv:3:" in err and "Traceback" not in err


def test_a_missing_records_folder_exits_2(capsys, tmp_path):
    code, out, err = run_cli(capsys, "fit", str(tmp_path / "absent"), *FAST)
    assert code == 2 and "DIR: got" in err and "Traceback" not in err
