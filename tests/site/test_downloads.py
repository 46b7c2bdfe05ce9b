"""The built site offers the package's wheel on the Researchers page, and the file is there."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import twomountains as tm


def test_researchers_page_links_the_wheel_and_the_wheel_is_in_the_site(site_dir: Path):
    page = (site_dir / "researchers" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(\.\./downloads/twomountains-[^"]+\.whl)"', page)
    assert len(links) == 1, "no wheel link on the Researchers page"
    wheel = (site_dir / "researchers" / links[0]).resolve()
    assert wheel.name == f"twomountains-{tm.__version__}-py3-none-any.whl"
    assert wheel.is_file() and wheel.stat().st_size > 10_000
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "twomountains/__init__.py" in names and "twomountains/presets/default.toml" in names
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # code blocks are split into tokens
    assert f'pip install "./{wheel.name}[research]"' in text


def test_views_reference_page_lists_the_fields(site_dir: Path):
    page = (site_dir / "reference" / "views.html").read_text(encoding="utf-8")
    for field in ("weeks_to_deadline", "exhaustion", "pressure", "explored_hours"):
        assert field in page
