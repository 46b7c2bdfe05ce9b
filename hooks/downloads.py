"""MkDocs hook: the ``twomountains`` wheel as a download on the Researchers page.

The package is not on PyPI. The site offers the wheel that ``hooks/explorer.py`` already builds
from this checkout for the in-page explorer (:func:`explorer.own_wheel`, cached by a digest of the
sources), so the download always matches the course it comes with. It is added to the site as
``downloads/twomountains-VERSION-py3-none-any.whl`` and a page marks where the link goes with the
line ``<!-- twomountains-wheel -->``. This runs even with ``TWOMOUNTAINS_EXPLORER=0``: the wheel
is small and quick to build.

When the wheel cannot be built (no network for the build backend, say) the site still builds and
the page says how to build the wheel from a clone instead.
"""

from __future__ import annotations

import logging
import posixpath
from typing import Any

import explorer  # hooks/explorer.py: mkdocs puts the hooks folder on sys.path while loading hooks
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.downloads")

MARKER = "<!-- twomountains-wheel -->"
FOLDER = "downloads"
_wheel: dict[str, Any] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the wheel to the site's files (so links to it are checked like any other)."""
    _wheel.clear()
    try:
        wheel = explorer.own_wheel()
    except explorer.Unavailable as err:
        # Info, not a warning: a site built offline is a supported outcome (strict builds pass).
        log.info("downloads: no wheel to offer: %s", err)
        _wheel["reason"] = str(err)
        return files
    uri = f"{FOLDER}/{wheel.name}"
    files.append(File.generated(config, uri, abs_src_path=str(wheel)))
    _wheel.update(uri=uri, name=wheel.name, kilobytes=round(wheel.stat().st_size / 1024))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace the marker line with the download link and the install command."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, wheel_paragraph(page.file.src_uri))


def wheel_paragraph(page_uri: str) -> str:
    """The Markdown that offers the wheel (or says how to build it) on the page at ``page_uri``."""
    if "uri" not in _wheel:
        return (
            "This copy of the site was built without the wheel "
            f"({_wheel.get('reason', 'not built')}). From a clone, `pip wheel --no-deps -w dist .` "
            "builds it."
        )
    link = posixpath.relpath(_wheel["uri"], posixpath.dirname(page_uri) or ".")
    name = _wheel["name"]
    return (
        f"Download the wheel built with this site: [{name}]({link}) ({_wheel['kilobytes']} kB). "
        "Install it, with the research extra, in a virtual environment:\n\n"
        f'```bash\npython3 -m venv .venv\n.venv/bin/pip install "./{name}[research]"\n```'
    )
