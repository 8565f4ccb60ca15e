"""Session-wide fixtures: Debian's headless Chromium driven by Playwright (no browser download),
and one Dask LocalCluster for the whole suite.

Without /usr/bin/chromium or the playwright package the browser tests are skipped,
except in CI (``CI=true``), where they must run and so fail instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1000, "height": 700}


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} not found: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright not installed: pip install playwright (never 'playwright install')")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A page with everything it reported: console errors, page errors, dialogs, requests."""

    page: object
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    requests: list = field(default_factory=list)


@pytest.fixture
def tab(browser):
    """A fresh page in its own context, recording errors, dialogs and every request."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    t = Tab(page)
    page.on("console", lambda msg: t.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: t.errors.append(f"page error: {exc}"))
    page.on("request", lambda req: t.requests.append(req.url))

    def on_dialog(dialog):
        t.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield t
    context.close()


@pytest.fixture(scope="session")
def dask_cluster():
    """One Dask LocalCluster (2 worker processes, 1 thread each) for the whole suite.

    Starting one, and importing the package in its workers, takes seconds: every test that needs
    a real cluster shares this one (and connects its own Client, or passes the scheduler address).
    The dashboard takes a free port (``dashboard_address=None`` still takes 8787 in this
    distributed; ``":0"`` takes a free one).
    """
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        client.run(_import_in_worker)               # a worker's first task would import all of this
        yield cluster


def _import_in_worker():
    import importlib

    for name in ("dask.dataframe", "pyarrow.parquet", "geo.analysis.batch"):
        importlib.import_module(name)
