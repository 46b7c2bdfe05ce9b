"""The tournament's outputs for the room: terminal table, ``leaderboard.csv``, ``leaderboard.html``.

The HTML page is one self-contained file (inline CSS, plots as inline SVG drawn by matplotlib, no
scripts, fonts or requests), so it works offline on a projector. Text is near-black on white
(contrast above 15:1), the plots carry alt text computed from the data, and everything a student
wrote (``NAME``, ``AUTHOR``) is escaped. Files are byte-identical when the results are (no dates,
fixed SVG ids).
"""

from __future__ import annotations

import html
import io
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twomountains.tournament.scoring import SUMMARY_COLUMNS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from twomountains.tournament import TournamentResult

#: Columns of ``leaderboard.csv``, in order; then ``clearly_ahead``, ``score_<scenario>`` per scenario
#: and ``notes``.
CSV_BASE_COLUMNS = (
    "entry",
    "name",
    "author",
    "status",
    "reason",
    *SUMMARY_COLUMNS,
    "rank",
    "tied_with",
)


def write_all(result: TournamentResult, out: str | Path) -> dict[str, Path]:
    """Write ``leaderboard.csv`` and ``leaderboard.html`` into ``out`` (created if needed)."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"csv": folder / "leaderboard.csv", "html": folder / "leaderboard.html"}
    write_csv(result, paths["csv"])
    paths["html"].write_text(html_page(result), encoding="utf-8")
    return paths


def write_csv(result: TournamentResult, path: str | Path) -> None:
    """The leaderboard as CSV (numbers to 6 significant digits; text cells safe for spreadsheets)."""
    board = result.leaderboard.copy()
    for column in ("name", "author", "reason", "notes"):
        board[column] = board[column].map(_spreadsheet_safe)
    board.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")


def _spreadsheet_safe(text: Any) -> Any:
    # a cell starting with = + - @ is a formula to spreadsheet programs; students write these cells
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def terminal_table(result: TournamentResult) -> str:
    """The leaderboard as plain text: ranked participants, then disqualified ones with reasons."""
    board = result.leaderboard
    ranked = board[board["status"] == "ranked"]
    header = ["rank", "entry", "name", "author", "score [95% CI]", "value", "at risk", "ahead"]
    header.append("tied with")
    rows = []
    for _, r in ranked.iterrows():
        tied = str(r["tied_with"]).split(";") if r["tied_with"] else []
        rows.append(
            [
                _rank_label(r, ranked),
                _clip(r["entry"], 26),
                _clip(r["name"], 24),
                _clip(r["author"], 18),
                f"{r['score']:.3f} [{r['score_low']:.3f}, {r['score_high']:.3f}]",
                f"{r['value_delivered']:.0f}",
                f"{r['at_risk_share']:.1%}",
                str(r["clearly_ahead"]),
                f"{len(tied)} ({_clip(', '.join(tied), 30)})" if tied else "-",
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    lines = [
        f"Tournament: {len(board)} participants, scenarios {', '.join(result.scenarios)}, "
        f"{result.reps} replications (seeds {result.seed}..{result.seed + result.reps - 1})",
        result.rule.describe(),
        "",
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    out = board[board["status"] != "ranked"]
    if len(out):
        lines += ["", f"Disqualified ({len(out)}):"]
        lines += [
            f"  {r['entry']} ({_clip(r['author'], 30)}): {r['reason']}" for _, r in out.iterrows()
        ]
    lines += [
        "",
        "= marks a rank shared with the entry above (paired 95% interval contains 0);",
        "ahead counts the entries clearly ahead (paired 95% interval wholly above 0).",
    ]
    if result.advice:
        lines += ["", f"Warning: {result.advice}"]
    return "\n".join(line.rstrip() for line in lines)


def _rank_label(row: Any, ranked: Any) -> str:
    shared = (ranked["rank"] == row["rank"]).sum() > 1
    return f"={row['rank']}" if shared else str(row["rank"])


def _clip(text: Any, width: int) -> str:
    s = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return s if len(s) <= width else s[: width - 1] + "…"


# ----------------------------------------------------------------------------------------------------
# HTML
# ----------------------------------------------------------------------------------------------------
_CSS = """
body { font-family: system-ui, sans-serif; font-size: 1.15rem; line-height: 1.45; color: #111;
       background: #fff; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; }
h1, h2 { line-height: 1.2; }
table { border-collapse: collapse; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding-bottom: .4rem; }
th, td { border-bottom: 1px solid #767676; padding: .35rem .6rem; text-align: left;
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(odd) { background: #f2f2f2; }
.muted { color: #444; }
.warning { border-left: 0.35rem solid #8a4b00; padding: .4rem .8rem; background: #fff4e5; }
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #333; max-width: 60rem; }
"""


def html_page(result: TournamentResult) -> str:
    """The self-contained leaderboard page."""
    board = result.leaderboard
    ranked = board[board["status"] == "ranked"].reset_index(drop=True)
    disq = board[board["status"] != "ranked"]
    e = html.escape
    refs = ", ".join(
        f"{e(s)}: {e(pid.removeprefix('builtin:'))} ({value:.0f})"
        for s, (pid, value) in result.references.items()
    )
    lim = result.limits
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Two Mountains tournament: leaderboard</title>",
        '<link rel="icon" href="data:,">',  # no favicon request, even offline
        f"<style>{_CSS}</style></head><body><main>",
        "<h1>Two Mountains tournament</h1>",
        f"<p>{len(ranked)} ranked, {len(disq)} disqualified. Scenarios: "
        f"{e(', '.join(result.scenarios))}; {result.reps} replications each (seeds "
        f"{result.seed} to {result.seed + result.reps - 1}), the same for every participant.</p>",
        f"<p>{e(result.rule.describe())}. Best built-in (mean value) per scenario: {refs}.</p>",
        "<p>Ranks: an entry shares the rank of the one above (marked =) when the paired 95% "
        "interval of their score difference, replication by replication, contains zero. "
        "<em>Clearly ahead</em> counts the entries whose paired interval with it lies wholly "
        "above zero.</p>",
    ]
    if result.advice:
        parts.append(f'<p class="warning"><strong>Warning:</strong> {e(result.advice)}</p>')
    parts += [_leaderboard_table(ranked)]
    if len(ranked):
        fig, alt = value_burnout_figure(ranked)
        parts.append(
            _figure(
                fig,
                alt,
                "Value against burnout risk. Each number is a rank-table row; "
                "bars are 95% intervals. Up and to the left is better.",
            )
        )
        fig, alt = score_figure(ranked)
        parts.append(_figure(fig, alt, "Scores with 95% intervals, best at the top."))
        parts.append(_scenario_table(ranked, result.scenarios))
    if len(disq):
        parts.append(_disqualified_table(disq))
    notes = board[board["notes"].fillna("") != ""]
    if len(notes):
        items = "".join(
            f"<li>{e(str(r['entry']))}: {e(str(r['notes']))}</li>" for _, r in notes.iterrows()
        )
        parts.append(
            "<h2>Worth reading before announcing</h2><p>These entries import modules or use "
            f"Python internals outside the usual toolkit (not a disqualification):</p><ul>{items}</ul>"
        )
    isolation = "a separate network namespace" if result.network_isolated else "audit hooks only"
    parts.append(
        f'<p class="muted">Limits per entry: {lim.cpu_seconds:g} CPU seconds, '
        f"{lim.wall:g} s wall time, {lim.memory_mb} MB memory; network blocked by {isolation}.</p>"
    )
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _leaderboard_table(ranked: Any) -> str:
    e = html.escape
    rows = []
    for i, r in ranked.iterrows():
        rows.append(
            "<tr>"
            f'<td class="num">{e(_rank_label(r, ranked))}</td>'
            f'<td class="num">{i + 1}</td>'
            f'<td>{e(str(r["name"]))}<br><span class="muted">{e(str(r["entry"]))}</span></td>'
            f"<td>{e(str(r['author']))}</td>"
            f'<td class="num">{r["score"]:.3f}<br><span class="muted">'
            f"[{r['score_low']:.3f}, {r['score_high']:.3f}]</span></td>"
            f'<td class="num">{r["value_delivered"]:.0f}<br><span class="muted">'
            f"[{r['value_low']:.0f}, {r['value_high']:.0f}]</span></td>"
            f'<td class="num">{r["at_risk_share"]:.1%}<br><span class="muted">'
            f"[{r['at_risk_low']:.1%}, {r['at_risk_high']:.1%}]</span></td>"
            f"<td>{e(_tie_summary(str(r['tied_with'])))}</td>"
            f'<td class="num">{r["clearly_ahead"]}</td>'
            "</tr>"
        )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "Rank",
            "Row",
            "Entry",
            "Author",
            "Score [95% CI]",
            "Value delivered",
            "Person-weeks at burnout risk",
            "Tied with",
            "Clearly ahead",
        )
    )
    return (
        "<table><caption>Leaderboard</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _tie_summary(tied_with: str, shown: int = 3) -> str:
    """A few tied entries by id, then a count (the full list is in leaderboard.csv)."""
    ids = [t for t in tied_with.split(";") if t]
    if not ids:
        return "-"
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" and {more} more" if more > 0 else "")


def _scenario_table(ranked: Any, scenarios: list[str]) -> str:
    e = html.escape
    head = "".join(f'<th scope="col">{e(s)}</th>' for s in scenarios)
    rows = "".join(
        f"<tr><td>{e(str(r['name']))}</td>"
        + "".join(f'<td class="num">{r[f"score_{s}"]:.3f}</td>' for s in scenarios)
        + "</tr>"
        for _, r in ranked.iterrows()
    )
    return (
        "<table><caption>Mean score per scenario: who wins where?</caption>"
        f'<thead><tr><th scope="col">Entry</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _disqualified_table(disq: Any) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(str(r['entry']))}</td><td>{e(str(r['author']))}</td>"
        f"<td>{e(str(r['reason']))}</td></tr>"
        for _, r in disq.iterrows()
    )
    return (
        "<table><caption>Disqualified</caption><thead><tr>"
        '<th scope="col">Entry</th><th scope="col">Author</th><th scope="col">Reason</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _figure(fig: Figure, alt: str, caption: str) -> str:
    import matplotlib

    buffer = io.StringIO()
    # fixed ids and no date: the page is identical when the results are
    with matplotlib.rc_context({"svg.hashsalt": "twomountains-tournament", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)  # drop RDF boilerplate
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{html.escape(alt)}"', 1)
    return (
        f"<figure>{svg}<figcaption>{html.escape(caption)} {html.escape(alt)}</figcaption></figure>"
    )


def _axes(height: float) -> tuple[Figure, Any]:
    from matplotlib.figure import Figure

    from twomountains.plots import THEMES

    c = THEMES["light"]
    fig = Figure(figsize=(8.0, height), layout="constrained", facecolor=c["background"])
    ax = fig.subplots()
    ax.set_facecolor(c["background"])
    ax.tick_params(colors=c["ink"], labelcolor=c["ink"], labelsize=11)
    for spine in ax.spines.values():
        spine.set_color(c["muted"])
    ax.grid(True, color=c["grid"], linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def value_burnout_figure(ranked: Any) -> tuple[Figure, str]:
    """Value delivered against at-risk share per participant, numbered by table row; alt text."""
    from twomountains.plots import PALETTE

    fig, ax = _axes(5.2)
    x = ranked["at_risk_share"].to_numpy() * 100
    y = ranked["value_delivered"].to_numpy()
    xerr = [x - ranked["at_risk_low"].to_numpy() * 100, ranked["at_risk_high"].to_numpy() * 100 - x]
    yerr = [y - ranked["value_low"].to_numpy(), ranked["value_high"].to_numpy() - y]
    ax.errorbar(
        x,
        y,
        xerr=[abs(v) for v in xerr],
        yerr=[abs(v) for v in yerr],
        fmt="o",
        color=PALETTE[0],
        ecolor="#767676",
        elinewidth=1,
        markersize=7,
    )
    for i, (xi, yi) in enumerate(zip(x, y, strict=True)):
        ax.annotate(str(i + 1), (xi, yi), xytext=(6, 4), textcoords="offset points", fontsize=10)
    ax.set_xlabel("person-weeks at burnout risk (%)", fontsize=12)
    ax.set_ylabel("value delivered (mean over scenarios)", fontsize=12)
    top_value = ranked.loc[ranked["value_delivered"].idxmax()]
    low_risk = ranked.loc[ranked["at_risk_share"].idxmin()]
    alt = (
        f"Scatter of {len(ranked)} participants. Most value: {top_value['name']} "
        f"({top_value['value_delivered']:.0f}, {top_value['at_risk_share']:.1%} at risk). "
        f"Least burnout risk: {low_risk['name']} ({low_risk['at_risk_share']:.1%}, value "
        f"{low_risk['value_delivered']:.0f})."
    )
    return fig, alt


def score_figure(ranked: Any) -> tuple[Figure, str]:
    """Horizontal 95% intervals of the score, best at the top; alt text."""
    from twomountains.plots import PALETTE

    n = len(ranked)
    fig, ax = _axes(max(2.5, 0.32 * n + 1.2))
    ys = list(range(n))[::-1]
    score = ranked["score"].to_numpy()
    err = [score - ranked["score_low"].to_numpy(), ranked["score_high"].to_numpy() - score]
    ax.errorbar(score, ys, xerr=err, fmt="o", color=PALETTE[1], ecolor=PALETTE[1], capsize=3)
    # a "$" in a student's NAME would start matplotlib mathtext
    labels = [
        f"{i + 1}. {_clip(name, 28)}".replace("$", r"\$") for i, name in enumerate(ranked["name"])
    ]
    ax.set_yticks(ys, labels)
    ax.set_xlabel("score (1.0 = value of the best built-in, minus burnout penalty)", fontsize=12)
    best = ranked.iloc[0]
    tied = int((ranked["rank"] == best["rank"]).sum())
    alt = (
        f"Score intervals of {n} participants. Top: {best['name']} with {best['score']:.3f} "
        f"(95% interval {best['score_low']:.3f} to {best['score_high']:.3f}); "
        f"{tied} participant{'s share' if tied > 1 else ' holds'} rank 1."
    )
    return fig, alt
