"""Fixtures for the browser tests: a seed store, the dashboard served on a free port, headless Chromium.

Chromium is Debian's (`apt-get install -y chromium`), never one Playwright downloads; tests skip with the
reason when it or the seed corpus is missing.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ holds the shared serve_fixtures module

import serve_fixtures

CHROMIUM = Path(os.environ.get("WARLEDGER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _store(kind: str) -> Path:
    why = serve_fixtures.unavailable(kind)
    if why:
        pytest.skip(why)
    return serve_fixtures.store_path(kind)



class Servers:
    """The dashboard of each store kind, served on loopback on first use, stopped at the end."""

    def __init__(self):
        self.running: dict[str, tuple] = {}

    def url(self, kind: str) -> str:
        if kind not in self.running:
            from warledger.serve import create_app

            try:
                self.running[kind] = serve_fixtures.LiveServer(create_app(_store(kind)))
            except RuntimeError:
                pytest.fail(f"the dashboard of the {kind} store did not start")
        return self.running[kind].url

    def stop(self) -> None:
        for live in self.running.values():
            live.stop(join_s=5)
            live.app.state.ledger.close()


@pytest.fixture(scope="session")
def servers():
    running = Servers()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def store_events():
    """`store_events(kind)`: the events of that store, as `Store.events()` gives them."""
    from warledger.store import Store

    cache: dict[str, list] = {}

    def events(kind: str) -> list:
        if kind not in cache:
            with Store(_store(kind), read_only=True) as store:
                cache[kind] = store.events()
        return cache[kind]

    return events


@pytest.fixture(scope="session")
def reports(tmp_path_factory):
    """`reports(kind)`: the static report of that store, written once."""
    from warledger.serve import write_report

    cache: dict[str, Path] = {}

    def report(kind: str) -> Path:
        if kind not in cache:
            cache[kind] = write_report(_store(kind), tmp_path_factory.mktemp(f"report-{kind}") / "report.html")
        return cache[kind]

    return report


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Console:
    """What the page logged: console errors, uncaught exceptions and dialogs (alert() must never fire)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


class Tab:
    """A fresh browser tab and what it logged."""

    def __init__(self, page):
        self.page = page
        self.console = Console(page)

    def wait_loaded(self, loads: int = 1) -> None:
        """Wait until the dashboard finished its `loads`-th refresh of table, map and timeline."""
        self.page.wait_for_function("n => Number(document.body.dataset.loads || 0) >= n", arg=loads,
                                    timeout=15_000)

    def loads(self) -> int:
        return int(self.page.evaluate("Number(document.body.dataset.loads || 0)"))


@pytest.fixture()
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    yield Tab(context.new_page())
    context.close()
