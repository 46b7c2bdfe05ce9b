"""The replicate / sweep / sensitivity / plot subcommands, including every class of bad input."""

from __future__ import annotations

import pytest

from twomountains.cli import main
from twomountains.study import load_provenance, load_results

FAST = ["--set", "horizon_weeks=13", "--quiet"]


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_replicate_prints_intervals_and_writes_results_and_csv(capsys, tmp_path):
    out, csv = tmp_path / "r.parquet", tmp_path / "r.csv"
    code, text, err = run_cli(
        capsys,
        "replicate",
        "--reps",
        "4",
        "--jobs",
        "1",
        "--out",
        str(out),
        "--csv",
        str(csv),
        *FAST,
    )
    assert code == 0, err
    assert "value_delivered" in text and "ci_low" in text and "rel_half_width" in text
    df = load_results(out)
    assert len(df) == 4 and df.attrs["provenance"]["policies"] == ["fixed:0.4"]
    assert csv.read_text().count("\n") == 5


def test_replicate_target_chooses_replications(capsys):
    code, text, _ = run_cli(
        capsys,
        "replicate",
        "--target",
        "0.5",
        "--kpi",
        "hours_worked",
        "--backend",
        "serial",
        *FAST,
    )
    assert code == 0
    assert "hours_worked" in text and "replications" in text


def test_sweep_with_ranges_lists_and_policies(capsys, tmp_path):
    out = tmp_path / "s.parquet"
    code, text, err = run_cli(
        capsys,
        "sweep",
        "--param", "team_size=3:4:1",
        "--param", "deadline_weeks=4,8",
        "--policy", "fixed:0.2",
        "--policy", "crunch",
        "--reps", "2",
        "--backend", "serial",
        "--out", str(out),
        *FAST,
    )  # fmt: skip
    assert code == 0, err
    df = load_results(out)
    prov = df.attrs["provenance"]
    assert len(df) == 2 * 2 * 2 * 2
    assert prov["design"]["grid"] == {"team_size": [3, 4], "deadline_weeks": [4.0, 8.0]}
    assert "burnout_rate_per_person_year" in text
    # the same command again finds the finished study and does not rerun it
    assert run_cli(capsys, "sweep", "--param", "team_size=3:4:1", "--param", "deadline_weeks=4,8",
                   "--policy", "fixed:0.2", "--policy", "crunch", "--reps", "2", "--backend",
                   "serial", "--out", str(out), *FAST)[0] == 0  # fmt: skip
    assert load_provenance(out)["end_time"] == prov["end_time"]


def test_sensitivity_command(capsys, tmp_path):
    code, text, err = run_cli(
        capsys,
        "sensitivity",
        "--param", "team_size=3:6",
        "--param", "deadline_weeks=4:12",
        "--n", "2",
        "--reps", "1",
        "--backend", "serial",
        "--out", str(tmp_path / "m.parquet"),
        *FAST,
    )  # fmt: skip
    assert code == 0, err
    assert "mu_star" in text and "team_size" in text and "deadline_weeks" in text
    fig = tmp_path / "bars.svg"
    code, alt, err = run_cli(
        capsys, "plot", "sensitivity", "--results", str(tmp_path / "m.parquet"), "--out", str(fig)
    )
    assert code == 0, err
    assert alt.startswith("By mu*, ") and "matters most for value delivered" in alt
    assert fig.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["sweep", "--param", "team_sise=2,3"], "unknown parameter 'team_sise'"),
        (["sweep", "--param", "team_size=2:5"], "malformed range '2:5'"),
        (["sweep", "--param", "team_size"], "--param: got 'team_size', allowed: name=value"),
        (["sweep", "--param", "team_size=2,3", "--policy", "sometimes"], "'sometimes'"),
        (["replicate", "--policy", "fixed:2"], "fixed:SHARE"),
        (["replicate", "--scenario", "nowhere"], "scenario: got 'nowhere'"),
        (["replicate", "--set", "team_size=-3"], "team_size"),
        (["replicate", "--reps", "0"], "reps: got 0"),
        (
            ["replicate", "--scheduler", "tcp://127.0.0.1:9", "--out", "r.parquet"],
            "cannot reach Dask scheduler at tcp://127.0.0.1:9",
        ),
        (["replicate", "--out", "/proc/version/r.parquet"], "is a file, not a folder"),
        (["sensitivity", "--param", "team_size=3:6"], "at least two"),
        (["sensitivity", "--param", "team_size=6:3", "--param", "x=1:2"], "malformed bounds"),
        (["plot", "explore", "--out", "f.png"], "--results FILE is required"),
        (["plot", "weekly", "--out", "f.txt"], "allowed: a .png, .svg or .pdf"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_and_leaves_no_file(
    capsys, tmp_path, monkeypatch, args, fragment
):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, *args, *([] if args[0] == "plot" else FAST))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("twomountains: error: ")
    assert fragment in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_different_study_at_same_out_needs_overwrite(capsys, tmp_path):
    out = str(tmp_path / "r.parquet")
    base = ["replicate", "--backend", "serial", "--out", out, *FAST]
    assert run_cli(capsys, *base, "--reps", "2")[0] == 0
    code, _, err = run_cli(capsys, *base, "--reps", "3")
    assert code == 2 and "--overwrite" in err
    assert run_cli(capsys, *base, "--reps", "3", "--overwrite")[0] == 0
    assert len(load_results(out)) == 3


def test_plot_commands_write_figures_and_print_alt_text(capsys, tmp_path):
    results = tmp_path / "s.parquet"
    assert run_cli(capsys, "sweep", "--param", "deadline_weeks=4,8", "--policy", "fixed:0.2",
                   "--policy", "fixed:0.8", "--reps", "2", "--backend", "serial", "--out",
                   str(results), *FAST)[0] == 0  # fmt: skip
    for kind, extra in (
        ("explore", []),
        ("deadline", []),
        ("pareto", []),
        ("heatmap", ["--x", "deadline_weeks", "--y", "rep", "--kpi", "value_delivered"]),
    ):
        fig = tmp_path / f"{kind}.png"
        code, text, err = run_cli(
            capsys,
            "plot",
            kind,
            "--results",
            str(results),
            "--out",
            str(fig),
            "--theme",
            "dark",
            *extra,
        )
        assert code == 0, err
        assert fig.stat().st_size > 1000 and text.strip().endswith(".")
    code, text, err = run_cli(
        capsys, "plot", "weekly", "--out", str(tmp_path / "w.svg"), "--set", "horizon_weeks=13"
    )
    assert code == 0, err
    assert "Over 13 weeks" in text


def test_out_folders_are_created_and_a_resumed_study_says_what_it_reuses(capsys, tmp_path):
    out = tmp_path / "results" / "deadline" / "r.parquet"
    csv = tmp_path / "tables" / "r.csv"
    base = ["replicate", "--backend", "serial", "--set", "horizon_weeks=13", "--reps", "4"]
    code, _, err = run_cli(capsys, *base, "--out", str(out), "--csv", str(csv), "--quiet")
    assert code == 0, err
    assert out.is_file() and csv.is_file()
    from twomountains.study import store

    code, _, err = run_cli(capsys, *base, "--out", str(out))
    assert code == 0 and "already holds this study: loaded its 4 runs" in err
    partial = store.partial_dir(tmp_path / "cut.parquet")
    args = [*base, "--out", str(tmp_path / "cut.parquet"), "--batch-size", "1"]
    assert run_cli(capsys, *args, "--quiet")[0] == 0
    # rebuild an unfinished checkpoint from the finished one: drop its result, keep 3 chunks
    import json

    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "cut.parquet")
    provenance = load_provenance(tmp_path / "cut.parquet")
    (tmp_path / "cut.parquet").unlink()
    partial.mkdir()
    manifest = {"study_hash": provenance["study_hash"], "start_time": provenance["start_time"]}
    (partial / "manifest.json").write_text(json.dumps(manifest))
    for index in range(3):
        pq.write_table(table.slice(index, 1).replace_schema_metadata(None),
                       partial / f"chunk-{index:08d}.parquet")  # fmt: skip
    code, _, err = run_cli(capsys, *args)
    assert code == 0, err
    assert "reusing 3 of 4 runs already done, running 1" in err
    assert load_provenance(tmp_path / "cut.parquet")["resumed_runs"] == 3
