"""MkDocs hook: the generated parts of the model description (docs/researchers/model.md).

Whole-line directives, expanded before hooks/directives.py (which rejects directive lines it does not
know):

``{{ process_diagram() }}``
    The process-flow diagram ``docs/assets/process-flow.svg`` (drawn by hand, real text) in the
    light palette and, for Material's dark palette, a variant this hook derives at build time by
    swapping the colours of its style sheet (:data:`DARK_COLOURS`). The alt text is the SVG's own
    ``<desc>``, also shown in words below the figure, so the picture and its description are one
    file.
``{{ software_versions() }}``
    Python, SimPy, the package and the research libraries, as installed in the building
    environment (never typed by hand).
``{{ random_streams() }}``
    The named random streams, read from the model's source (every ``stream(seed, "name")`` call).
``{{ model_constants() }}``
    The constants of ``twomountains.mechanisms`` and ``twomountains.model`` with their comments:
    the caps and floors that are assumptions of the code rather than scenario parameters.
``{{ hours_rules() }}``
    The named hours rules (``twomountains.policies.HOURS_RULES``) and which built-in policies use
    each by default.
``{{ replications_table() }}``
    Where the site's stated results come from and how many replications and which intervals stand
    behind each (the claims ledger file, ``twomountains.claims``, ``twomountains.calibration``).

Inline, anywhere in a page: ``{{ constant("MAX_DAY_HOURS") }}`` expands to the constant's value and
``{{ clock("START_HOUR") }}`` to an hour-of-day constant as a time (09:00).
"""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import json
import platform
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

# Sibling module: MkDocs puts this folder on sys.path only while it imports the hook.
import whole_line  # isort: skip

ROOT = Path(__file__).resolve().parent.parent
DIAGRAM = "assets/process-flow.svg"
DIAGRAM_DARK = "assets/process-flow-dark.svg"
LEDGER_FILE = ROOT / "docs" / "research" / "claims-ledger.json"
# The diagram's light colours and their dark-palette twins (the course's dark figure colours,
# hooks/figure_registry.py THEMES["dark"]); every colour of the SVG's style sheet must be listed.
DARK_COLOURS = {
    "#ffffff": "#1e2129",  # page
    "#f6f8fa": "#262a33",  # box
    "#1f2328": "#e3e6eb",  # text and arrows
    "#0072b2": "#56b4e9",  # processes
    "#d55e00": "#ff9e4a",  # the incident chain
    "#5a5a5a": "#aaaaaa",  # the team state
}
# (distribution name, what it is for) in the order the table shows them
SOFTWARE = (
    ("simpy", "SimPy: the discrete-event engine (the core's only dependency)"),
    ("twomountains", "The model package"),
    ("numpy", "Research layer: arrays, bootstrap intervals"),
    ("scipy", "Research layer: t quantiles"),
    ("pandas", "Research layer: results tables"),
    ("SALib", "Research layer: sensitivity analysis and the assumption audit"),
    ("matplotlib", "This site's figures"),
)
WHOLE_LINE = whole_line.WHOLE_LINE
INLINE_CONSTANT = re.compile(
    r"\{\{\s*(?P<kind>constant|clock)\(\s*\"(?P<name>[A-Z_]+)\"\s*\)\s*\}\}"
)
STREAM_CALL = re.compile(r"stream\((?:self\.)?seed,\s*(f?)\"([^\"]+)\"\)")


# --- the diagram -------------------------------------------------------------------------------


def dark_variant(svg: str) -> str:
    """The diagram with its colours swapped for the dark palette; fails on an unlisted colour."""
    style = re.search(r"<style>(.*?)</style>", svg, re.DOTALL)
    if style is None:
        raise PluginError(f"{DIAGRAM}: no <style> element to recolour")
    colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", style[1])}
    unknown = colours - DARK_COLOURS.keys()
    if unknown:
        raise PluginError(
            f"{DIAGRAM}: colours {sorted(unknown)} have no dark twin; add them to "
            "hooks/model_page.py DARK_COLOURS"
        )
    stray = set(re.findall(r"(?:fill|stroke)=\"(#[0-9a-fA-F]{3,6})\"", svg))
    if stray:
        raise PluginError(f"{DIAGRAM}: colour attributes {sorted(stray)}; use the style sheet")
    return re.sub(
        r"#[0-9a-fA-F]{6}\b", lambda m: DARK_COLOURS.get(m[0].lower(), m[0]), svg, flags=re.I
    )


def diagram_text(svg: str) -> tuple[str, str]:
    """The diagram's ``<title>`` and ``<desc>`` (its alt text), whitespace collapsed."""
    found = {}
    for tag in ("title", "desc"):
        match = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", svg, re.DOTALL)
        if match is None or not match[1].strip():
            raise PluginError(f"{DIAGRAM}: needs a non-empty <{tag}>")
        found[tag] = " ".join(match[1].split())
    return found["title"], found["desc"]


def _source_svg() -> str:
    return (ROOT / "docs" / DIAGRAM).read_text(encoding="utf-8")


def process_diagram(page: Page) -> str:
    title, desc = diagram_text(_source_svg())
    base = posixpath.dirname(page.file.src_uri) or "."
    light, dark = (posixpath.relpath(uri, base) for uri in (DIAGRAM, DIAGRAM_DARK))
    alt = desc.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return (
        '<figure class="tm-figure tm-diagram" markdown="span">\n'
        f"  ![{alt}]({light}#only-light){{ loading=lazy }}\n"
        f"  ![{alt}]({dark}#only-dark){{ loading=lazy }}\n"
        f"  <figcaption>{title}: processes (solid blue), the incident chain (orange) and the "
        "state they share (dashed). Drawn by hand; the boxes name the processes of section "
        f'2.1. <a href="{light}">Open the diagram at full size</a>.</figcaption>\n'
        "</figure>\n\n"
        '??? abstract "The diagram in words"\n\n'
        f"    {desc}\n"
    )


# --- versions, streams, constants --------------------------------------------------------------


def installed_versions() -> list[tuple[str, str, str]]:
    """(name, version, role) of Python and the packages the model and this site use."""
    rows = [("Python", platform.python_version(), "The language (CPython)")]
    for dist, role in SOFTWARE:
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "not installed"
        rows.append((dist, version, role))
    return rows


def software_versions() -> str:
    lines = ["| Software | Version | Role |", "|---|---|---|"]
    lines += [f"| {name} | {version} | {role} |" for name, version, role in installed_versions()]
    return "\n".join(lines) + "\n"


def stream_names() -> list[str]:
    """Names of the model's random streams, in the order the source creates them."""
    from twomountains import model

    names = []
    for formatted, name in STREAM_CALL.findall(inspect.getsource(model)):
        shown = re.sub(r"\{(\w+)\}", r"<\1>", name) if formatted else name
        if shown not in names:
            names.append(shown)
    if not names:
        raise PluginError("random_streams(): found no stream(seed, name) call in the model")
    return names


def random_streams() -> str:
    return ", ".join(f"`{name}`" for name in stream_names()) + "\n"


def _constants(module: Any) -> dict[str, tuple[Any, str]]:
    """Module-level UPPER_CASE number constants with the comment on their line."""
    source = inspect.getsource(module)
    lines = source.splitlines()
    found = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name) or not target.id.isupper():
            continue
        value = getattr(module, target.id)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        line = lines[node.lineno - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line else ""
        found[target.id] = (value, comment)
    return found


def all_constants() -> dict[str, tuple[str, Any, str]]:
    """name -> (module, value, comment) for the model's and the mechanisms' constants."""
    from twomountains import mechanisms, model

    out = {}
    for module in (mechanisms, model):
        for name, (value, comment) in _constants(module).items():
            out[name] = (module.__name__, value, comment)
    return out


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def model_constants() -> str:
    lines = ["| Constant | Value | Meaning (from the code) |", "|---|---|---|"]
    for name, (module, value, comment) in all_constants().items():
        lines.append(f"| `{module}.{name}` | {_number(value)} | {comment or 'no comment'} |")
    return "\n".join(lines) + "\n"


def constant(name: str, where: str) -> str:
    found = all_constants()
    if name not in found:
        raise PluginError(f"{where}: constant({name!r}) unknown; known: {', '.join(found)}")
    return _number(found[name][1])


def hours_rules() -> str:
    """The named hours rules and the built-in policies that default to each."""
    import math

    from twomountains import policies

    defaults: dict[str, list[str]] = {}
    for spec in policies.BUILTIN_SPECS:
        policy = policies.from_spec(spec)
        defaults.setdefault(policy.hours.name, []).append(f"`{spec}`")

    def level(x: float) -> str:
        return "nobody" if x == math.inf else f"exhaustion {x:g} or more"

    lines = [
        "| Hours rule | Weekly cap | Held to contracted hours | Held to the rest week "
        "| Default of |",
        "|---|---|---|---|---|",
    ]
    for name, rule in policies.HOURS_RULES.items():
        rest = (
            "nobody"
            if rule.rest_from == math.inf
            else (f"{level(rule.rest_from)}: {rule.rest_hours:g} h")
        )
        lines.append(
            f"| `{name}` | {rule.max_weekly_hours:g} h | {level(rule.protect_from)} | {rest} "
            f"| {', '.join(defaults.get(name, [])) or 'no built-in policy'} |"
        )
    return "\n".join(lines) + "\n"


def clock(name: str, where: str) -> str:
    """An hour-of-day constant as a time of day (``START_HOUR`` -> ``09:00``)."""
    hours = float(constant(name, where))
    return f"{int(hours):02d}:{round((hours % 1) * 60):02d}"


# --- replications behind stated results --------------------------------------------------------


def _ledger_reps() -> str:
    if not LEDGER_FILE.exists():
        return "not yet generated"
    return str(json.loads(LEDGER_FILE.read_text(encoding="utf-8")).get("reps", "not recorded"))


def replications_table() -> str:
    from twomountains import calibration, claims

    resamples = f"{claims.BOOTSTRAP_RESAMPLES:,}"
    rows = [
        "| Result | Where | Replications | Interval |",
        "|---|---|---|---|",
        f"| Verdicts of the six claims | [Claims ledger](../research/claims.md), from the "
        f"committed `claims-ledger.json` | {_ledger_reps()} paired replications per arm "
        f"(default of `twomountains claims`: {claims.DEFAULT_REPS}), seeds 0 to N-1 shared "
        "by every arm | 95% t interval of the paired difference; claim 6's worst-case regret: "
        f"paired percentile bootstrap over seeds ({resamples} resamples, fixed generator seed) |",
        f"| Model against each calibration target | [Calibration](../research/calibration.md), "
        f"run at build time | {calibration.DEFAULT_REPS} replications (seeds 0 to "
        f"{calibration.DEFAULT_REPS - 1}) per preset and policy | 95% t interval of the mean; "
        "shares pooled over runs with a percentile bootstrap interval |",
        "| Which parameters each claim depends on | [Assumption audit](../research/claims-audit.md),"
        " from its stored audit file (regenerated by one command, not by the build) | stated on that page (Morris trajectories times "
        "replications) | elementary effects, not intervals |",
        "| Figures in the modules and on this site | each figure's caption, run at build time | "
        "stated in the caption (seeds 0 to N-1) | 95% t interval where a band or bar is drawn |",
    ]
    return "\n".join(rows) + "\n"


# --- hook events -------------------------------------------------------------------------------

PAGE_DIRECTIVES: dict[str, Callable[[Page], str]] = {"process_diagram": process_diagram}
TEXT_DIRECTIVES: dict[str, Callable[[], str]] = {
    "software_versions": software_versions,
    "random_streams": random_streams,
    "model_constants": model_constants,
    "hours_rules": hours_rules,
    "replications_table": replications_table,
}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the dark variant of the process diagram to the site."""
    files.append(File.generated(config, DIAGRAM_DARK, content=dark_variant(_source_svg())))
    return files


# Before hooks/directives.py (priority 0), which rejects directive lines it does not know.
@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    where = page.file.src_uri

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name in PAGE_DIRECTIVES:
            return PAGE_DIRECTIVES[name](page)
        if name in TEXT_DIRECTIVES:
            return TEXT_DIRECTIVES[name]()
        return match[0]  # another hook's directive

    markdown = WHOLE_LINE.sub(replace, markdown)
    return INLINE_CONSTANT.sub(
        lambda m: (clock if m["kind"] == "clock" else constant)(m["name"], where), markdown
    )
