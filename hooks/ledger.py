"""MkDocs hook: the claims ledger and the assumption audit on the site, and the check that the
course's statements about the claims agree with the ledger.

The ledger (``docs/research/claims-ledger.json``, made by ``twomountains claims --preset all
--json``) and the audit (``docs/research/claims-audit.json``, made by ``twomountains claims
--audit``) are committed files; this hook renders them and runs nothing.

Two ways for a page to state a claim's result:

``{{ claim(4, "default") }}`` / ``{{ claim(4, "default", test=2) }}``
    Inline, anywhere in a Markdown page: expands to the verdict *from the ledger* (for a test, also
    its effect and 95% interval), marked up as below and linked to the ledger. Preferred: it can
    never disagree with the ledger.
``{{ claim_presets(4) }}``
    Inline: the claim's verdict in every preset, grouped ("holds in default, uncharted; fails in
    ...").
``<span data-claim="4" data-preset="default" data-verdict="fails">prose</span>``
    A marker around prose that paraphrases a verdict (also in the labs' Markdown cells, where
    nothing is expanded). ``data-test="2"`` narrows it to the claim's second test;
    ``data-preset="every"`` means every preset of the ledger and ``"all"`` claim 6's comparison
    across presets; ``data-verdict`` may list verdicts the prose is true for, separated by commas
    (``"fails, cannot tell"``). The build fails when the ledger's verdict is not among them.

Whole-line directives for the ledger and audit pages: ``{{ ledger_matrix() }}``,
``{{ ledger_claims() }}``, ``{{ ledger_provenance() }}``, ``{{ ledger_method() }}``, ``{{ audit_summary() }}``,
``{{ audit_parameters() }}``, ``{{ audit_tables() }}``, ``{{ audit_provenance() }}``; the figures
``claims_ledger`` and ``claims_audit`` are registered with ``figure_registry`` (drawn by
``{{ figure("claims_ledger") }}`` through hooks/directives.py). Text in code (fenced blocks and
inline code) is neither expanded nor checked, so pages can show the syntax.
"""

from __future__ import annotations

import ast
import json
import logging
import math
import posixpath
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Sibling module: MkDocs puts this folder on sys.path only while it imports the hook.
import figure_registry  # isort: skip

log = logging.getLogger("mkdocs.hooks.ledger")

ROOT = Path(__file__).resolve().parent.parent
LEDGER_PATH = ROOT / "docs" / "research" / "claims-ledger.json"
AUDIT_PATH = ROOT / "docs" / "research" / "claims-audit.json"
LABS_DIR = ROOT / "labs"
LEDGER_PAGE = "research/claims.md"
AUDIT_PAGE = "research/claims-audit.md"
REGENERATE = "twomountains claims --preset all --reps 40 --json > docs/research/claims-ledger.json"
REGENERATE_AUDIT = "twomountains claims --audit --out docs/research/claims-audit.json"

HOLDS, FAILS, CANNOT_TELL = "holds", "fails", "cannot tell"
VERDICTS = (HOLDS, FAILS, CANNOT_TELL)
SYMBOL = {HOLDS: "✓", FAILS: "✗", CANNOT_TELL: "?"}
EVERY, ACROSS = "every", "all"

INLINE_NAMES = ("claim", "claim_presets")
PAGE_NAMES = (
    "ledger_matrix",
    "ledger_claims",
    "ledger_provenance",
    "ledger_method",
    "audit_summary",
    "audit_parameters",
    "audit_tables",
    "audit_provenance",
)
CALL = re.compile(
    r"\{\{\s*(?P<name>" + "|".join(INLINE_NAMES + PAGE_NAMES) + r")\((?P<args>[^{}\n]*)\)\s*\}\}"
)
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=indent)(?P=fence)[ \t]*$",
    re.M | re.S,
)
INLINE_CODE = re.compile(r"(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")


class LedgerError(ValueError):
    """A page states a claim's result that the ledger contradicts, or names what it lacks."""


# --- reading the ledger ------------------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    data: Mapping[str, Any]

    @classmethod
    def load(cls, path: Path | None = None) -> Ledger:
        path = path or LEDGER_PATH
        if not path.exists():
            raise LedgerError(f"{path.name} is missing; make it with: {REGENERATE}")
        return cls(json.loads(path.read_text(encoding="utf-8")))

    @property
    def reps(self) -> int:
        return int(self.data["reps"])

    @property
    def presets(self) -> list[str]:
        return list(self.data["presets"])

    def numbers(self) -> list[int]:
        return sorted({int(c["claim"]) for c in self.data["claims"]})

    def entry(self, number: int, preset: str) -> Mapping[str, Any]:
        for claim in self.data["claims"]:
            if claim["claim"] == number and claim["preset"] == preset:
                return claim
        known = sorted({c["preset"] for c in self.data["claims"] if c["claim"] == number})
        if not known:
            raise LedgerError(
                f"claim {number}: not in the ledger; allowed: {', '.join(map(str, self.numbers()))}"
            )
        raise LedgerError(
            f"claim {number}: no result for preset {preset!r}; allowed: {', '.join(known)}"
        )

    def statement(self, number: int) -> str:
        return str(self.entry(number, self.presets[0])["statement"])

    def verdict(self, number: int, preset: str, test: int | None = None) -> str:
        entry = self.entry(number, preset)
        if test is None:
            return str(entry["verdict"])
        return str(_test(entry, test)["verdict"])


def _test(entry: Mapping[str, Any], test: int) -> Mapping[str, Any]:
    tests = entry["tests"]
    if not 1 <= test <= len(tests):
        raise LedgerError(
            f"claim {entry['claim']}: test={test}; allowed: 1 to {len(tests)} "
            f"({'; '.join(t['label'] for t in tests)})"
        )
    return tests[test - 1]


# --- numbers -----------------------------------------------------------------------------------


def decimals(*values: float) -> int:
    """Decimals that show the largest of ``values`` with about three significant figures.

    >>> decimals(325.8, -50.7), decimals(0.08, 0.05), decimals(9.28, 4.1)
    (0, 3, 2)
    """
    scale = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    if scale == 0:
        return 0
    return max(0, 2 - math.floor(math.log10(scale)))


def effect_text(test: Mapping[str, Any]) -> str:
    """``+9.28 [+4.10, +14.46]``: a test's effect and 95% interval, with one precision."""
    d = decimals(test["effect"], test["low"], test["high"])
    return f"{test['effect']:+.{d}f} [{test['low']:+.{d}f}, {test['high']:+.{d}f}]"


# --- code spans are left alone -----------------------------------------------------------------


def _segments(markdown: str) -> list[tuple[bool, str]]:
    """``markdown`` cut into (is_code, text) pieces: fenced blocks and inline code are code."""
    pieces: list[tuple[bool, str]] = []

    def inline(text: str) -> None:
        last = 0
        for span in INLINE_CODE.finditer(text):
            pieces.append((False, text[last : span.start()]))
            pieces.append((True, span.group(0)))
            last = span.end()
        pieces.append((False, text[last:]))

    last = 0
    for block in FENCE.finditer(markdown):
        inline(markdown[last : block.start()])
        pieces.append((True, block.group(0)))
        last = block.end()
    inline(markdown[last:])
    return pieces


def outside_code(markdown: str, edit: Callable[[str], str]) -> str:
    """Apply ``edit`` to the parts of ``markdown`` that are not code (fenced or inline)."""
    return "".join(text if code else edit(text) for code, text in _segments(markdown))


def prose(markdown: str) -> str:
    """``markdown`` with its code blanked out (line breaks kept, so line numbers stay true)."""
    return "".join("\n" * text.count("\n") if code else text for code, text in _segments(markdown))


# --- the marker check --------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    claim: str
    preset: str | None
    verdict: str | None
    test: str | None
    line: int


class _MarkerParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markers: list[Marker] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "data-claim" in found:
            self.markers.append(
                Marker(
                    found["data-claim"] or "",
                    found.get("data-preset"),
                    found.get("data-verdict"),
                    found.get("data-test"),
                    self.getpos()[0],
                )
            )


def markers(markdown: str) -> list[Marker]:
    """Every element with a ``data-claim`` attribute in ``markdown``'s prose (code is skipped)."""
    parser = _MarkerParser()
    parser.feed(prose(markdown))
    parser.close()
    return parser.markers


def check_marker(marker: Marker, ledger: Ledger) -> str | None:
    """None when the marker agrees with the ledger, else what is wrong (one line)."""
    try:
        number = int(marker.claim)
    except ValueError:
        return f"data-claim: got {marker.claim!r}; allowed: a claim number"
    if not marker.preset:
        return f"claim {number}: data-preset is missing; allowed: a preset, 'every' or 'all'"
    if not marker.verdict:
        return f"claim {number}: data-verdict is missing; allowed: {', '.join(VERDICTS)}"
    said = [v.strip() for v in marker.verdict.split(",") if v.strip()]
    wrong = [v for v in said if v not in VERDICTS]
    if wrong:
        return f"claim {number}: data-verdict got {wrong[0]!r}; allowed: {', '.join(VERDICTS)}"
    test = None
    if marker.test is not None:
        try:
            test = int(marker.test)
        except ValueError:
            return f"claim {number}: data-test got {marker.test!r}; allowed: a test number"
    presets = ledger.presets if marker.preset == EVERY else [marker.preset]
    try:
        for preset in presets:
            actual = ledger.verdict(number, preset, test)
            if actual not in said:
                which = f"claim {number}" + (f" test {test}" if test else "")
                return (
                    f"{which} in {preset!r}: the page says {' or '.join(said)}, "
                    f"the ledger says {actual}"
                )
    except LedgerError as err:
        return str(err)
    return None


def check_markdown(markdown: str, ledger: Ledger, where: str) -> list[str]:
    """Every contradiction between ``markdown``'s claim markers and the ledger."""
    problems = []
    for marker in markers(markdown):
        problem = check_marker(marker, ledger)
        if problem:
            problems.append(f"{where}:{marker.line}: {problem}")
    return problems


def check_notebook(path: Path, ledger: Ledger) -> list[str]:
    """The markers of a notebook's Markdown cells (labs cannot use the expanding directives)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", []))
        where = f"{path.name} cell {index}"
        if CALL.search(prose(source)):
            problems.append(
                f"{where}: a {{{{ claim(...) }}}} directive is not expanded in a notebook; "
                'use a marker: <span data-claim="N" data-preset="P" data-verdict="V">...</span>'
            )
        problems += check_markdown(source, ledger, where)
    return problems


# --- the inline directives ---------------------------------------------------------------------


def _parse(name: str, args: str, where: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    try:
        node = ast.parse(f"f({args})", mode="eval").body
        assert isinstance(node, ast.Call)
        positional = tuple(ast.literal_eval(a) for a in node.args)
        keywords = {k.arg or "": ast.literal_eval(k.value) for k in node.keywords}
    except (SyntaxError, ValueError) as err:
        raise LedgerError(f"{where}: cannot parse {name}({args}): {err}") from err
    return positional, keywords


def _link(page_uri: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page_uri) or ".")


def claim_text(
    ledger: Ledger,
    number: int,
    preset: str,
    test: int | None = None,
    *,
    page_uri: str,
    link: bool = True,
) -> str:
    """The inline rendering of ``{{ claim(number, preset[, test=n]) }}`` (HTML and a link)."""
    entry = ledger.entry(number, preset)
    if test is None and len(entry["tests"]) == 1:
        test = 1
    verdict = ledger.verdict(number, preset, test)
    attrs = f'data-claim="{number}" data-preset="{preset}" data-verdict="{verdict}"'
    if test is not None:
        attrs += f' data-test="{test}"'
        shown = f"<strong>{verdict}</strong>: effect {effect_text(_test(entry, test))}"
    else:
        counts = _counts(t["verdict"] for t in entry["tests"])
        shown = f"<strong>{verdict}</strong> (its tests: {counts})"
    span = f'<span class="tm-claim" {attrs}>{shown}</span>'
    if not link:
        return span
    return f"{span} ([ledger]({_link(page_uri, LEDGER_PAGE)}#claim-{number}))"


def _counts(verdicts: Iterable[str]) -> str:
    seen = list(verdicts)
    return ", ".join(f"{seen.count(v)} {v}" for v in VERDICTS if v in seen)


def claim_presets_text(ledger: Ledger, number: int, *, page_uri: str) -> str:
    """The inline rendering of ``{{ claim_presets(number) }}``: verdicts grouped by preset."""
    groups: dict[str, list[str]] = {}
    for preset in ledger.presets:
        groups.setdefault(ledger.verdict(number, preset), []).append(f"`{preset}`")
    parts = [f"<strong>{v}</strong> in {', '.join(groups[v])}" for v in VERDICTS if v in groups]
    link = _link(page_uri, LEDGER_PAGE) + f"#claim-{number}"
    return f"{'; '.join(parts)} ([ledger]({link}))"


def expand(
    markdown: str, ledger: Ledger | None, audit: Mapping[str, Any] | None, page_uri: str
) -> str:
    """Expand this hook's directives in ``markdown``'s prose."""

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        args, kwargs = _parse(name, match["args"], page_uri)
        if name.startswith("audit_"):
            if audit is None:
                raise LedgerError(
                    f"{page_uri}: {name}() needs {AUDIT_PATH.name}; make it with: {REGENERATE_AUDIT}"
                )
            return AUDIT_DIRECTIVES[name](audit, *args, page_uri=page_uri, **kwargs)
        if ledger is None:
            raise LedgerError(
                f"{page_uri}: {name}() needs {LEDGER_PATH.name}; make it with: {REGENERATE}"
            )
        if name == "claim":
            return claim_text(ledger, *args, page_uri=page_uri, **kwargs)
        if name == "claim_presets":
            return claim_presets_text(ledger, *args, page_uri=page_uri, **kwargs)
        return LEDGER_DIRECTIVES[name](ledger, *args, page_uri=page_uri, **kwargs)

    def edit(text: str) -> str:
        try:
            return CALL.sub(replace, text)
        except TypeError as err:  # wrong arguments
            raise LedgerError(f"{page_uri}: {err}") from err

    return outside_code(markdown, edit)


# --- the ledger page ---------------------------------------------------------------------------


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _verdict_cell(verdict: str) -> str:
    return f"{SYMBOL[verdict]} {verdict}"


def ledger_matrix(ledger: Ledger, *, page_uri: str) -> str:
    """The verdict of every claim in every preset, as a table (text and symbol, not colour)."""
    head = "| Claim | " + " | ".join(f"`{p}`" for p in ledger.presets) + " |"
    rows = [head, "|---|" + "---|" * len(ledger.presets)]
    for number in ledger.numbers():
        cells = [_verdict_cell(ledger.verdict(number, p)) for p in ledger.presets]
        rows.append(f"| [{number}](#claim-{number}) | " + " | ".join(cells) + " |")
    text = "\n".join(rows) + "\n"
    across = [c for c in ledger.data["claims"] if c["preset"] == ACROSS]
    for entry in across:
        test = entry["tests"][0]
        text += (
            f"\nClaim {entry['claim']}, {test['label']}: "
            f"**{_verdict_cell(entry['verdict'])}**, effect {effect_text(test)}.\n"
        )
    return text


def _expectations(number: int, preset: str) -> dict[str, str]:
    """What each test of the claim predicts, from the package (by label; empty if unavailable)."""
    try:
        import twomountains as tm
        from twomountains import claims

        scenario = tm.scenarios.load(preset) if preset != ACROSS else tm.Scenario()
        claim = next(c for c in claims.CLAIMS if c.number == number)
        tests = claim.tests(scenario)
    except Exception:  # the ledger page still renders from the JSON alone
        return {}
    words = {"positive": "> 0", "negative": "< 0", "not negative": "not < 0 (no significant cost)"}
    out = {}
    for t in tests:
        out[t.label] = words.get(t.expect, t.expect)
        out["across presets: " + t.label] = words.get(t.expect, t.expect)
    return out


PRESETS_PAGE = "researchers/model.md#23-scenario-logic"
PARAMETERS_PAGE = "researchers/model.md#33-input-parameters"


def preset_link(preset: str, page_uri: str) -> str:
    """A preset's name linked to the presets table (every wide table keeps a focusable cell)."""
    if preset == ACROSS:
        return "all presets"
    return f"[`{preset}`]({_link(page_uri, PRESETS_PAGE)})"


def ledger_claims(ledger: Ledger, *, page_uri: str) -> str:
    """One section per claim: each preset's tests with effect, interval, verdict and detail."""
    parts = []
    for number in ledger.numbers():
        entries = [c for c in ledger.data["claims"] if c["claim"] == number]
        parts.append(f"### Claim {number} {{ #claim-{number} }}\n")
        parts.append(f"> {entries[0]['statement']}\n")
        summary = "; ".join(f"`{c['preset']}`: {c['verdict']}" for c in entries)
        parts.append(f"Verdicts: {summary}.\n")
        parts.append("| Preset | Test | Predicts | Effect [95% interval] | Verdict | Detail |")
        parts.append("|---|---|---|---|---|---|")
        for entry in entries:
            expect = _expectations(number, entry["preset"])
            for test in entry["tests"]:
                parts.append(
                    f"| {preset_link(entry['preset'], page_uri)} | {_cell(test['label'])} | "
                    f"{_cell(expect.get(test['label'], ''))} | {effect_text(test)} | "
                    f"{_verdict_cell(test['verdict'])} | {_cell(test.get('detail', ''))} |"
                )
        parts.append("")
    return "\n".join(parts)


def ledger_provenance(ledger: Ledger, *, page_uri: str) -> str:
    rows = ["| | |", "|---|---|", f"| Paired replications per arm | {ledger.reps} |"]
    rows.append(f"| Presets | {', '.join(f'`{p}`' for p in ledger.presets)} |")
    for key, value in ledger.data.get("provenance", {}).items():
        rows.append(f"| {_cell(key)} | {_cell(value)} |")
    return "\n".join(rows) + "\n"


def ledger_method(ledger: Ledger, *, page_uri: str) -> str:
    """How the claims are tested: ``twomountains.claims``' own docstring, without its doctests."""
    from twomountains import claims

    paragraphs = (claims.__doc__ or "").strip().split("\n\n")
    kept = [p for p in paragraphs if not p.lstrip().startswith(">>>")]
    return "\n\n".join(kept).replace("``", "`") + "\n"


LEDGER_DIRECTIVES: dict[str, Callable[..., str]] = {
    "ledger_matrix": ledger_matrix,
    "ledger_claims": ledger_claims,
    "ledger_provenance": ledger_provenance,
    "ledger_method": ledger_method,
}


# --- the audit page ----------------------------------------------------------------------------


def _num(x: float) -> str:
    return f"{x:.{decimals(x)}f}" if math.isfinite(x) else str(x)


def audit_summary(audit: Mapping[str, Any], *, page_uri: str) -> str:
    """Per claim and test: the parameters its effect depends on (mu* above the seeds alone)."""
    rows = [
        "| Claim | Test | Effect at the default [95% interval] | mu* of the seeds alone "
        "| Depends on (largest mu* first) |",
        "|---|---|---|---|---|",
    ]
    for claim in audit["claims"]:
        for test in claim["tests"]:
            ranked = sorted(test["indices"], key=lambda r: -r["mu_star"])
            depends = [r["parameter"] for r in ranked if r["parameter"] in test["depends_on"]]
            shown = ", ".join(f"`{p}`" for p in depends) or "nothing above the seeds' noise"
            rows.append(
                f"| [{claim['claim']}](#audit-claim-{claim['claim']}) | {_cell(test['label'])} | "
                f"{effect_text(test)} | {_num(test['noise'])} | {shown} |"
            )
    return "\n".join(rows) + "\n"


def audit_parameters(audit: Mapping[str, Any], *, page_uri: str) -> str:
    rows = ["| Parameter | Default | Screened from | to |", "|---|---|---|---|"]
    for p in audit["parameters"]:
        rows.append(f"| `{p['name']}` | {p['default']:g} | {p['low']:g} | {p['high']:g} |")
    left = ", ".join(f"`{n}`" for n in audit.get("not_screened", [])) or "none"
    return "\n".join(rows) + f"\n\nCalibration choices not screened: {left}.\n"


def audit_tables(audit: Mapping[str, Any], *, page_uri: str) -> str:
    parts = []
    for claim in audit["claims"]:
        parts.append(f"### Claim {claim['claim']} {{ #audit-claim-{claim['claim']} }}\n")
        parts.append(f"> {claim['statement']}\n")
        for test in claim["tests"]:
            seen = test["verdicts_seen"]
            parts.append(
                f"**{_cell(test['label'])}**: effect {effect_text(test)} at the default "
                f"({test['verdict']} at {audit['reps']} replications); over the audit's points it "
                f"ranged from {_num(test['effect_range'][0])} to {_num(test['effect_range'][1])} "
                f"({_counts(v for v, n in seen.items() for _ in range(n))}).\n"
            )
            parts.append("| Parameter | mu* | mu* 95% half-width | sigma | mu | Depends on it |")
            parts.append("|---|---|---|---|---|---|")
            rows = [*test["indices"], test["seeds_only"]]
            for row in sorted(rows, key=lambda r: -r["mu_star"]):
                if row is test["seeds_only"]:
                    depends = "(the noise line)"
                else:
                    depends = "yes" if row["parameter"] in test["depends_on"] else "no"
                name = f"`{row['parameter']}`"
                if row is not test["seeds_only"]:
                    name = f"[{name}]({_link(page_uri, PARAMETERS_PAGE)})"
                parts.append(
                    f"| {name} | {_num(row['mu_star'])} | "
                    f"{_num(row['mu_star_conf'])} | {_num(row['sigma'])} | {_num(row['mu'])} | "
                    f"{depends} |"
                )
            parts.append("")
    return "\n".join(parts)


def audit_provenance(audit: Mapping[str, Any], *, page_uri: str) -> str:
    rows = ["| | |", "|---|---|"]
    for key in ("preset", "trajectories", "points", "reps", "runs", "range"):
        rows.append(f"| {key} | {_cell(audit[key])} |")
    for key, value in audit.get("provenance", {}).items():
        rows.append(f"| {_cell(key)} | {_cell(value)} |")
    return "\n".join(rows) + "\n"


AUDIT_DIRECTIVES: dict[str, Callable[..., str]] = {
    "audit_summary": audit_summary,
    "audit_parameters": audit_parameters,
    "audit_tables": audit_tables,
    "audit_provenance": audit_provenance,
}


# --- figures (registered with figure_registry, drawn by {{ figure(...) }}) ----------------------


def _panels(theme: str, count: int, ncols: int, width: float, row_height: float) -> Any:
    import matplotlib.pyplot as plt

    t = figure_registry.THEMES[theme]
    nrows = max(1, math.ceil(count / ncols))
    with plt.rc_context({"font.size": 8, "text.color": t["fg"]}):
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(width, row_height * nrows),
            layout="constrained",
            squeeze=False,
            sharey=True,
        )
    fig.set_facecolor(t["bg"])
    flat = list(axes.flat)
    for ax in flat:
        figure_registry._style(ax, t)
    for ax in flat[count:]:
        ax.set_visible(False)
    return fig, flat, t


VERDICT_STYLE = {  # marker, filled: shape as well as colour tells the verdicts apart
    HOLDS: ("o", True, 2),
    FAILS: ("X", True, 1),
    CANNOT_TELL: ("o", False, 0),
}


@figure_registry.register(
    "claims_ledger",
    "Each test of each claim: the paired effect (arm A minus arm B) and its 95% interval in every "
    "preset, from the committed ledger (no runs at build time). The dashed line is zero; the marker "
    "gives the verdict (filled circle: holds; cross: fails; open circle: cannot tell). Each panel "
    "has its own unit (the test's metric); titles show the default preset's levels (each "
    "preset's own are in the tables below).",
)
def claims_ledger_figure(theme: str) -> tuple[Any, str]:
    ledger = Ledger.load()
    tests: list[tuple[int, int, str, str]] = []  # (claim, test index, label, metric)
    for number in ledger.numbers():
        first = ledger.entry(number, ledger.presets[0])
        tests += [(number, i, t["label"], t["metric"]) for i, t in enumerate(first["tests"])]
    fig, axes, t = _panels(theme, len(tests), 3, 9.5, 2.3)
    presets = ledger.presets
    words = []
    for ax, (number, index, label, metric) in zip(axes, tests, strict=False):
        by_verdict: dict[str, list[str]] = {}
        for row, preset in enumerate(presets):
            test = ledger.entry(number, preset)["tests"][index]
            marker, filled, colour = VERDICT_STYLE[test["verdict"]]
            c = t["colors"][colour]
            ax.errorbar(
                [test["effect"]],
                [row],
                xerr=[[test["effect"] - test["low"]], [test["high"] - test["effect"]]],
                fmt=marker,
                color=c,
                markerfacecolor=c if filled else t["bg"],
                markersize=6,
                capsize=2,
            )
            by_verdict.setdefault(test["verdict"], []).append(preset)
        ax.axvline(0, color=t["fg"], linewidth=0.8, linestyle="--")
        ax.set_yticks(range(len(presets)), presets)
        ax.set_ylim(len(presets) - 0.5, -0.5)
        title = f"Claim {number}, test {index + 1}: {label}"
        ax.set_title("\n".join(textwrap.wrap(title, 40)), fontsize=7.5)
        ax.set_xlabel(metric.replace("_", " "), fontsize=7.5)
        words.append(
            f"Claim {number}, {label}: "
            + "; ".join(f"{v} in {', '.join(by_verdict[v])}" for v in VERDICTS if v in by_verdict)
        )
    handles = [_legend_handle(t, verdict, *VERDICT_STYLE[verdict]) for verdict in VERDICTS]
    legend = fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    for text in legend.get_texts():
        text.set_color(t["fg"])
    alt = (
        f"Grid of {len(tests)} panels, one per test of the claims, each showing the effect with its "
        f"95% interval in the {len(presets)} presets ({ledger.reps} paired replications), with a "
        "dashed line at zero. " + ". ".join(words) + "."
    )
    return fig, alt


def _legend_handle(
    t: Mapping[str, Any], verdict: str, marker: str, filled: bool, colour: int
) -> Any:
    from matplotlib.lines import Line2D

    c = t["colors"][colour]
    return Line2D(
        [],
        [],
        marker=marker,
        linestyle="none",
        color=c,
        markerfacecolor=c if filled else t["bg"],
        label=verdict,
    )


def load_audit(path: Path | None = None) -> dict[str, Any]:
    path = path or AUDIT_PATH
    if not path.exists():
        raise LedgerError(f"{path.name} is missing; make it with: {REGENERATE_AUDIT}")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def relative_mu_star(test: Mapping[str, Any], row: Mapping[str, Any]) -> float:
    """mu* over the seeds-only dummy's mu* (the noise line); inf when that is 0."""
    if test["noise"] > 0:
        return float(row["mu_star"]) / float(test["noise"])
    return math.inf if row["mu_star"] > 0 else 0.0


@figure_registry.register(
    "claims_audit",
    "How far each calibration choice moves each test's effect: Morris mu* (the mean absolute "
    "elementary effect over the parameter's range) divided by the mu* of a dummy parameter that "
    "changes only the seeds. Above 1 (outlined) means moving the parameter moves the effect by "
    "more than replication noise does. From the committed audit (no runs at build time).",
)
def claims_audit_figure(theme: str) -> tuple[Any, str]:
    import matplotlib.pyplot as plt

    audit = load_audit()
    t = figure_registry.THEMES[theme]
    names = [p["name"] for p in audit["parameters"]]
    columns = [(c["claim"], i, test) for c in audit["claims"] for i, test in enumerate(c["tests"])]
    grid = [
        [
            relative_mu_star(test, {r["parameter"]: r for r in test["indices"]}[name])
            for _, _, test in columns
        ]
        for name in names
    ]
    with plt.rc_context({"font.size": 8, "text.color": t["fg"]}):
        fig, ax = plt.subplots(
            figsize=(min(9.5, 1.6 + 0.62 * len(columns)), 0.9 + 0.34 * len(names)),
            layout="constrained",
        )
    fig.set_facecolor(t["bg"])
    figure_registry._style(ax, t)
    ax.grid(False)
    cap = 4.0
    shown = [[min(v, cap) for v in row] for row in grid]
    image = ax.imshow(shown, cmap="viridis", vmin=0, vmax=cap, aspect="auto")
    cmap = image.get_cmap()
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            rgba = cmap(min(value, cap) / cap)
            ink = "#000000" if _luminance(rgba) > 0.35 else "#ffffff"
            text = "inf" if math.isinf(value) else f"{value:.2f}" if value < 10 else f"{value:.0f}"
            ax.text(c, r, text, ha="center", va="center", color=ink, fontsize=7)
            if value > 1:
                ax.add_patch(
                    plt.Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor=t["fg"], lw=1.2)
                )
    ax.set_yticks(range(len(names)), names)
    ax.set_xticks(
        range(len(columns)), [f"C{number}.{i + 1}" for number, i, _ in columns], rotation=0
    )
    ax.set_xlabel("claim.test (see the tables below)")
    bar = fig.colorbar(image, ax=ax, label=f"mu* / mu* of the seeds alone (capped at {cap:g})")
    bar.ax.yaxis.label.set_color(t["fg"])
    bar.ax.tick_params(colors=t["fg"])
    parts = []
    for claim in audit["claims"]:
        test = claim["tests"][claim.get("primary", 0)]
        ranked = sorted(test["indices"], key=lambda r: -r["mu_star"])[:3]
        top = ", ".join(f"{r['parameter']} ({relative_mu_star(test, r):.1f})" for r in ranked)
        above = len(test["depends_on"])
        parts.append(
            f"claim {claim['claim']} ({test['label']}): {above} of {len(names)} parameters above "
            f"the seeds alone; largest {top}"
        )
    alt = (
        f"Heat map of {len(names)} calibration choices (rows) by {len(columns)} claim tests "
        "(columns), each cell the Morris mu* divided by that of a dummy parameter that changes only "
        "the seeds, printed in the cell. For each claim's first test: " + "; ".join(parts) + "."
    )
    return fig, alt


def _luminance(rgba: Sequence[float]) -> float:
    lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in rgba[:3]]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


# --- hook events -------------------------------------------------------------------------------

_state: dict[str, Any] = {}


def _maybe(load: Callable[[], Any]) -> Any:
    try:
        return load()
    except LedgerError:
        return None


def _check_statements(ledger: Ledger) -> list[str]:
    """The ledger's claims against the package's: a changed statement means a stale ledger."""
    try:
        from twomountains import claims
    except ImportError:
        return []
    problems = []
    for claim in claims.CLAIMS:
        try:
            stored = ledger.statement(claim.number)
        except LedgerError:
            problems.append(f"claim {claim.number} is not in the ledger")
            continue
        if stored != claim.statement:
            problems.append(f"claim {claim.number}'s statement differs from twomountains.claims")
    return problems


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Load the ledger and audit; check the labs' Markdown cells against the ledger."""
    ledger = _maybe(Ledger.load)
    _state["ledger"], _state["audit"] = ledger, _maybe(load_audit)
    if ledger is None:
        return files
    for problem in _check_statements(ledger):
        log.warning("%s: %s; regenerate it: %s", LEDGER_PATH.name, problem, REGENERATE)
    problems = []
    for nb in sorted(LABS_DIR.glob("[0-9]*.ipynb")):
        problems += check_notebook(nb, ledger)
    if problems:
        raise PluginError("The labs contradict the claims ledger:\n  " + "\n  ".join(problems))
    return files


# Before hooks/directives.py (priority 0), which rejects directive lines it does not know.
@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    where = page.file.src_uri
    if not where.endswith(".md"):
        return markdown
    ledger = _state.get("ledger")
    try:
        expanded = expand(markdown, ledger, _state.get("audit"), where)
        if ledger is None:
            if markers(expanded):
                raise LedgerError(f"{where}: claim markers need {LEDGER_PATH.name}: {REGENERATE}")
            return expanded
        problems = check_markdown(expanded, ledger, where)
    except LedgerError as err:
        raise PluginError(str(err)) from err
    if problems:
        raise PluginError("A page contradicts the claims ledger:\n  " + "\n  ".join(problems))
    return expanded
