"""Fixtures shared by every browser test: a static server on 127.0.0.1 and Debian's Chromium."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

# the synthetic team shared by tests/records and tests/fit (tests/support is on the path)
pytest_plugins = ["team_fixtures"]

CHROMIUM = Path(os.environ.get("TWOMOUNTAINS_CHROMIUM", "/usr/lib/chromium/chromium"))
# Without the background-networking flags Chromium calls home, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class StaticHandler(SimpleHTTPRequestHandler):
    """Static files with the MIME types that ES modules, WebAssembly and notebooks need."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".ipynb": "application/x-ipynb+json",
        ".json": "application/json",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base class name
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Browsers and link checkers drop connections once they have what they need.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (an ephemeral port); yield its base URL with '/'."""
    httpd = QuietServer(("127.0.0.1", 0), functools.partial(StaticHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def serve_static() -> Any:
    """A context manager that serves a folder on 127.0.0.1 and yields its base URL."""
    return serve_folder


# Module scope: Playwright's sync API cannot run two instances at once in one thread, so each
# test module that drives a browser opens and closes its own.
@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
