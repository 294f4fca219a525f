"""A real server process on its own database, and Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests import factories
from tests.factories import UserFactory
from tests.live import free_port

CHROMIUM = os.environ.get("WOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(committed_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`wom serve` on a free port against the module's own database."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "WOM_DATABASE_URL": committed_url}
    wom = Path(sys.executable).with_name("wom")
    with log.open("w") as out:
        proc = subprocess.Popen([str(wom), "serve", "--port", str(port)], env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"server did not start:\n{log.read_text()}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until HTMX has finished swapping, so a field is not filled just before a swap."""
    page.wait_for_function(SETTLED)


def log_in(page, server: str, login: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/login" not in url)


@contextmanager
def seeding(url: str) -> Iterator[Session]:
    """A committed session on the server's database, for a module's shop."""
    engine = create_engine(url)
    with Session(engine) as session:
        factories.bind(session)
        yield session
        session.commit()
    engine.dispose()


def staff() -> None:
    """The owner Olena and the cashier Iryna."""
    UserFactory.create(login="olena", role="owner", password="owner-password-1")
    UserFactory.create(login="iryna", role="cashier", password="till-password-1")


def register_customer(page, server: str, first: str, last: str) -> str:  # type: ignore[no-untyped-def]
    """A cashier registers a new customer with a card; returns the card number and stays on
    the customer's card."""
    from playwright.sync_api import expect

    page.goto(f"{server}/customers")
    page.fill("input[name=first_name]", first)
    page.fill("input[name=last_name]", last)
    page.click("form[action='/customers'] button[type=submit]")
    expect(page.locator("[role=status]")).to_contain_text(f"{first} {last} added")
    return str(page.locator("table code").first.inner_text())
