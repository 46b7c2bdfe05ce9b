"""MkDocs hook: build-time content generated from the package, written in Markdown as directives.

A directive is a line of its own, in the form ``{{ name(arguments) }}``, with Python literal
arguments. Known directives:

``figure("value_vs_split", caption="...", **options)``
    Calls the figure function registered under that name in ``figure_registry`` once per theme
    (``theme="light"`` and ``theme="dark"``); each returns ``(matplotlib figure, alt text)``. Both
    PNGs become files of the built site and the page shows the one matching the reader's palette
    (Material's ``#only-light`` / ``#only-dark``), with the alt text and a caption.
``parameter_table()``
    The scenario parameters from ``twomountains.Scenario.parameters()``, one table per group.
``cli_reference()``
    Every subcommand's help, from ``twomountains.cli.build_parser()``.
``scenario_table()``
    The scenario presets with their descriptions and what each changes from the default.
``citation()``
    ``CITATION.cff`` as a formatted reference plus the file itself.
``downloads_table()``
    Links to the hand-out, instructor and learner versions of every lab.
``prediction("explore-share-peak")``
    A module opener: the learner commits a guess to the question registered under that name in
    ``predictions``, then reveals what the model, run in the page, says (see predictions.py).
``site_navigation()``
    The site's sections and their pages, from the nav (for the home page, whose sidebar would
    otherwise hold only "Home").
``lab_table()`` / ``lab(n)`` / ``labs_section(n, ...)``
    The labs found in ``labs/`` as a table, a link to lab number ``n``, or a "Lab" section linking
    those of the given labs that exist (so a module page never links a lab not yet written).

Nothing is cached between builds: every build regenerates every figure and table from the code.
An unknown directive, a bad argument or a failing figure function fails the build.
"""

from __future__ import annotations

import ast
import hashlib
import io
import logging
import os
import posixpath
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

# Sibling modules: MkDocs puts this folder on sys.path only while it imports the hook.
import figure_registry  # isort: skip
import predictions  # isort: skip
import site_content  # isort: skip

log = logging.getLogger("mkdocs.hooks.directives")

ROOT = Path(__file__).resolve().parent.parent
DIRECTIVE = re.compile(r"^\{\{\s*(?P<name>\w+)\((?P<args>.*)\)\s*\}\}[ \t]*$", re.MULTILINE)
FIGURE_DIR = "figures"


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.kwargs)


def parse_call(name: str, args: str, where: str) -> Call:
    """Parse ``name(args)`` with literal arguments; fail with the location on anything else."""
    try:
        node = ast.parse(f"f({args})", mode="eval").body
        assert isinstance(node, ast.Call)
        positional = tuple(ast.literal_eval(a) for a in node.args)
        keywords = tuple((k.arg or "", ast.literal_eval(k.value)) for k in node.keywords)
    except (SyntaxError, ValueError) as err:
        raise PluginError(f"{where}: cannot parse directive {name}({args}): {err}") from err
    return Call(name, positional, keywords)


def find_calls(markdown: str, where: str) -> list[tuple[re.Match[str], Call]]:
    return [(m, parse_call(m["name"], m["args"], where)) for m in DIRECTIVE.finditer(markdown)]


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedFigure:
    light_uri: str
    dark_uri: str
    alt: str
    caption: str


_figures: dict[Call, RenderedFigure] = {}


def _figure_key(call: Call) -> tuple[str, str, dict[str, Any]]:
    if len(call.args) != 1 or not isinstance(call.args[0], str):
        raise PluginError(f"figure(): give the figure name as the only positional argument: {call}")
    options = call.options
    caption = str(options.pop("caption", ""))
    return call.args[0], caption, options


def render_figure(call: Call) -> tuple[RenderedFigure, dict[str, bytes]]:
    """Render the light and dark variants of one figure directive to PNG bytes."""
    name, caption, options = _figure_key(call)
    spec = figure_registry.get(name)
    digest = hashlib.sha256(repr(sorted(options.items())).encode()).hexdigest()[:8]
    stem = f"{FIGURE_DIR}/{name}-{digest}"
    images: dict[str, bytes] = {}
    alt = ""
    started = time.perf_counter()
    for theme in ("light", "dark"):
        fig, alt_text = spec.function(theme=theme, **options)
        if not alt_text or not alt_text.strip():
            raise PluginError(f"figure {name!r} returned an empty alt text")
        alt = alt_text.strip()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110, facecolor=fig.get_facecolor())
        figure_registry.close(fig)
        images[f"{stem}-{theme}.png"] = buffer.getvalue()
    log.info("figure %s rendered in %.1f s", name, time.perf_counter() - started)
    rendered = RenderedFigure(
        light_uri=f"{stem}-light.png",
        dark_uri=f"{stem}-dark.png",
        alt=alt,
        caption=caption or spec.caption,
    )
    return rendered, images


def figure_markdown(fig: RenderedFigure, page: Page) -> str:
    base = posixpath.dirname(page.file.src_uri)
    light = posixpath.relpath(fig.light_uri, base or ".")
    dark = posixpath.relpath(fig.dark_uri, base or ".")
    alt = fig.alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return (
        '<figure class="tm-figure" markdown="span">\n'
        f"  ![{alt}]({light}#only-light){{ loading=lazy }}\n"
        f"  ![{alt}]({dark}#only-dark){{ loading=lazy }}\n"
        f"  <figcaption>{fig.caption}</figcaption>\n"
        "</figure>\n\n"
        # The alt text, computed from the plotted numbers, also for sighted readers.
        '??? abstract "The figure in words"\n\n'
        f"    {fig.alt}\n"
    )


# --- tables and references ---------------------------------------------------------------------


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _number(value: float | int | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


CALIBRATED_TO = re.compile(r"Calibrated to target (\w+)")


def basis(p: Any) -> str:
    """Sourced, free choice, or calibrated with the target named in the source."""
    target = CALIBRATED_TO.search(p.source) if p.basis == "calibrated" else None
    return f"calibrated to `{target[1]}`" if target else p.basis


def parameter_table() -> str:
    from twomountains import Scenario

    groups: dict[str, list[Any]] = {}
    for p in Scenario.parameters():
        groups.setdefault(p.group or "other", []).append(p)
    parts = []
    for group, params in groups.items():
        parts.append(f"### {group.replace('_', ' ').capitalize()} parameters\n")
        # six columns at most: Material gives every column at least 5rem, and a seventh would make
        # the table scroll (an unfocusable scrolling region for axe)
        parts.append("| Name | Unit | Default (allowed) | Meaning | Source | Basis |")
        parts.append("|---|---|---|---|---|---|")
        for p in params:
            if p.kind == "bool":
                allowed = ""  # true or false goes without saying
            elif p.low is None and p.high is None:
                allowed = " (any)"
            else:
                allowed = f" ({_number(p.low)} to {_number(p.high)})"
            parts.append(
                # a unit such as capability/hour may break after its slash
                f"| `{p.name}` | {_cell(p.unit).replace('/', '/<wbr>')} "
                f"| {_number(p.default)}{allowed} "
                f"| {_cell(p.meaning)} | {_cell(p.source)} | {basis(p)} |"
            )
        parts.append("")
    return "\n".join(parts)


def scenario_table() -> str:
    import twomountains as tm

    default = tm.Scenario().to_dict()
    rows = ["| Preset | Description | Differs from the default in |", "|---|---|---|"]
    for name in tm.scenarios.names():
        values = tm.scenarios.load(name).to_dict()
        changed = [f"`{k}` = {_number(v)}" for k, v in values.items() if v != default[k]]
        rows.append(
            f"| `{name}` | {_cell(tm.scenarios.describe(name))} | "
            f"{', '.join(changed) or 'nothing: this is the default'} |"
        )
    return "\n".join(rows) + "\n"


def _subcommands(parser: Any) -> dict[str, Any]:
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_reference() -> str:
    from twomountains.cli import build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "96"  # argparse wraps help to the terminal width
    try:
        parser = build_parser()
        parts = ["## `twomountains`\n", "```text", parser.format_help().rstrip(), "```\n"]
        for name, sub in _subcommands(parser).items():
            parts += [f"## `twomountains {name}`\n"]
            if sub.description:
                parts += [sub.description.strip() + "\n"]
            parts += ["```text", sub.format_help().rstrip(), "```\n"]
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    return "\n".join(parts)


def citation() -> str:
    import yaml

    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    cff = yaml.safe_load(text)
    authors = ", ".join(
        a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}".strip(", ")
        for a in cff.get("authors", [])
    )
    year = str(cff.get("date-released", ""))[:4]
    plain = f"{authors} ({year}). *{cff['title']}* (version {cff.get('version', '')}). Software."
    return "\n".join([plain, "", '```yaml title="CITATION.cff"', text.rstrip(), "```", ""])


def _labs() -> list[tuple[int, Path, str]]:
    labs = []
    for nb in site_content.lab_notebooks():
        number = int(re.match(r"\d+", nb.name)[0])  # type: ignore[index]
        labs.append((number, nb, site_content.notebook_title(nb)))
    return labs


def _link(target: str, page: Page) -> str:
    base = posixpath.dirname(page.file.src_uri) or "."
    return posixpath.relpath(target, base)


def lab_link(number: int, page: Page) -> str:
    for n, nb, title in _labs():
        if n == number:
            return f"[Lab {n}: {title}]({_link('labs/' + nb.name, page)})"
    raise PluginError(f"{page.file.src_uri}: lab({number}) but no labs/{number:02d}-*.ipynb exists")


LAB_TIME = re.compile(r"\*\*Time:?\*\*:?\s*(?:about\s*)?(\d+)\s*min")


def lab_minutes(nb: Path) -> int | None:
    """The time estimate a lab states in its introduction (``**Time:** about 45 minutes``)."""
    import json

    for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            found = LAB_TIME.search("".join(cell["source"]))
            if found:
                return int(found[1])
    return None


def lab_table(page: Page) -> str:
    rows = ["| Lab | Title | Time | Notebook |", "|---|---|---|---|"]
    for n, nb, title in _labs():
        link = _link("labs/" + nb.name, page)
        minutes = lab_minutes(nb)
        time_text = f"{minutes} min" if minutes else "not stated"
        # mkdocs-jupyter (include_source) copies the .ipynb next to its page; raw HTML because
        # MkDocs would otherwise rewrite a Markdown link to the notebook into its page.
        raw = posixpath.relpath(f"labs/{nb.name}", posixpath.dirname(page.file.dest_uri) or ".")
        rows.append(
            f'| {n} | [{title}]({link}) | {time_text} | <a href="{raw}" download>{nb.name}</a> |'
        )
    return "\n".join(rows) + "\n"


def downloads_table(page: Page) -> str:
    """Links to every lab's three versions (see tools/labs.py and site_content).

    The learner version is what the lab page shows and its Download button serves; the hand-out
    and the instructor version are generated under ``downloads/``.
    """
    if site_content.lab_tool() is None:
        raise PluginError(f"{page.file.src_uri}: downloads_table() needs tools/labs.py")
    rows = [
        "| Lab | Classroom hand-out<br>(no solutions, no notes) "
        "| Instructor version<br>(solutions and notes) "
        "| Self-paced learner version<br>(solutions collapsed) |",
        "|---|---|---|---|",
    ]
    for n, nb, title in _labs():
        handout = _link(f"downloads/handout/{nb.name}", page)
        instructor = _link(f"downloads/instructor/{nb.name}", page)
        # the page's own copy (mkdocs-jupyter include_source); raw HTML, see lab_table()
        learner = posixpath.relpath(f"labs/{nb.name}", posixpath.dirname(page.file.dest_uri) or ".")
        rows.append(
            f"| {n}. {title} | [hand-out `{nb.name}`]({handout}) "
            f"| [instructor `{nb.name}`]({instructor}) "
            f'| <a href="{learner}" download>learner <code>{nb.name}</code></a> |'
        )
    return "\n".join(rows) + "\n"


def labs_section(*numbers: int, page: Page) -> str:
    """A "Lab" section linking the given labs that exist (none yet: no section)."""
    found = {n: (nb, title) for n, nb, title in _labs()}
    items = []
    for n in numbers:
        if n in found:
            nb, title = found[n]
            minutes = lab_minutes(nb)
            suffix = f" (about {minutes} minutes)" if minutes else ""
            items.append(f"- [{title}]({_link('labs/' + nb.name, page)}){suffix}")
    if not items:
        return ""
    heading = "## Lab" if len(items) == 1 else "## Labs"
    intro = (
        "Read the lab on its page (with the outputs of the site's own run), then download the "
        "notebook from there and run it in Jupyter; it checks your answers as you go."
    )
    return "\n".join([heading, "", intro, "", *items, ""])


def prediction(name: str) -> str:
    """A prediction widget (see predictions.py); a bad name or setting fails the build."""
    try:
        resolved = predictions.resolve(predictions.get(name))
    except predictions.PredictionError as err:
        raise PluginError(str(err)) from err
    # blank lines around: Markdown passes an HTML block through only when it stands alone
    return "\n" + predictions.html(resolved) + "\n"


def _nav_title(item: Any) -> tuple[str, Any]:
    if isinstance(item, dict):
        ((title, value),) = item.items()
        return str(title), value
    return "", item


def site_navigation(page: Page, config: MkDocsConfig) -> str:
    """The nav below Home as lists: a section's overview, then its pages and sub-sections."""

    def first_page(value: Any) -> str | None:
        if isinstance(value, str):
            return value
        for item in value or []:
            found = first_page(_nav_title(item)[1])
            if found:
                return found
        return None

    def items(entries: list[Any], depth: int) -> list[str]:
        lines = []
        for entry in entries:
            title, value = _nav_title(entry)
            indent = "    " * depth
            if isinstance(value, str):
                if title:  # an untitled entry is the section's overview, linked from its title
                    lines.append(f"{indent}- [{title}]({_link(value, page)})")
            else:
                lines.append(f"{indent}- {title}")
                lines += items(value, depth + 1)
        return lines

    parts = []
    for entry in config.nav or []:
        title, value = _nav_title(entry)
        if isinstance(value, str):
            if value != page.file.src_uri:  # not the home page itself
                parts.append(f"- **[{title}]({_link(value, page)})**")
            continue
        overview = first_page(value)
        heading = f"[{title}]({_link(overview, page)})" if overview else title
        parts += [f"- **{heading}**", *items(value, 1)]
    return (
        '<nav class="tm-sitenav" aria-label="The whole site" markdown>\n\n'
        + "\n".join(parts)
        + "\n\n</nav>\n"
    )


# --- hook events -------------------------------------------------------------------------------

TEXT_DIRECTIVES: dict[str, Callable[..., str]] = {
    "parameter_table": parameter_table,
    "cli_reference": cli_reference,
    "citation": citation,
    "scenario_table": scenario_table,
    "prediction": prediction,
}
PAGE_DIRECTIVES: dict[str, Callable[..., str]] = {
    "lab_table": lab_table,
    "lab": lab_link,
    "labs_section": labs_section,
    "downloads_table": downloads_table,
}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Render every figure named by a directive in the docs, and add the PNGs to the site."""
    _figures.clear()
    figure_registry.reset()
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md") or file.abs_src_path is None:
            continue
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        for _, call in find_calls(text, file.src_uri):
            if call.name != "figure" or call in _figures:
                continue
            try:
                rendered, images = render_figure(call)
            except PluginError:
                raise
            except Exception as err:
                raise PluginError(f"{file.src_uri}: figure {call.args!r} failed: {err!r}") from err
            _figures[call] = rendered
            for uri, content in images.items():
                files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".md"):
        return markdown
    where = page.file.src_uri

    def replace(match: re.Match[str]) -> str:
        call = parse_call(match["name"], match["args"], where)
        if call.name == "figure":
            return figure_markdown(_figures[call], page)
        if call.name in TEXT_DIRECTIVES:
            return TEXT_DIRECTIVES[call.name](*call.args, **call.options)
        if call.name == "site_navigation":
            return site_navigation(page, config)
        if call.name in PAGE_DIRECTIVES:
            return PAGE_DIRECTIVES[call.name](*call.args, page=page, **call.options)
        known = ["figure", "site_navigation", *TEXT_DIRECTIVES, *PAGE_DIRECTIVES]
        raise PluginError(f"{where}: unknown directive {call.name!r}; known: {', '.join(known)}")

    return DIRECTIVE.sub(replace, markdown)
