"""The map in a real headless Chromium (the distribution's ``chromium`` and ``chromium-driver``,
which ``.ci/run`` installs): the offline file and the service's ``/map`` page load without any
network access, draw their layers, and the compare button shows the corridor rows.

Chromium is installed with apt when missing and the tests run as root (as .ci/run does).
The browser runs with every request sent to a dead proxy (loopback excepted), so anything the
page tried to fetch from outside would fail.  Screenshots go to ``test-artifacts/`` (or
``$CORRIDORS_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from corridors.compare import compare
from corridors.request import RouteRequest
from corridors.routing import Router
from corridors.webmap import map_file

ARTIFACTS = Path(
    os.environ.get("CORRIDORS_TEST_ARTIFACTS")
    or Path(__file__).resolve().parent.parent / "test-artifacts"
)


def _install_chromium() -> None:
    """The distribution's Chromium and driver, when this runs as root with apt (as in CI)."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"]
    if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        subprocess.run(cmd, env=env, capture_output=True)


def _binary(*names: str) -> str:
    if not any(shutil.which(n) for n in names):
        _install_chromium()
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        f"none of {', '.join(names)} found: install the distribution's chromium and "
        "chromium-driver (apt-get install chromium chromium-driver), as .ci/run does"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = _binary("chromium", "chromium-browser")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
        "--proxy-server=127.0.0.1:9",  # no network: all but loopback goes to a dead proxy
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(_binary("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_state(driver: webdriver.Chrome, *states: str, timeout_s: float = 60.0) -> str:
    deadline = time.monotonic() + timeout_s
    state = ""
    while time.monotonic() < deadline:
        state = str(driver.execute_script("return document.body.dataset.state || ''"))
        if state in states:
            return state
        if state == "error":
            message = driver.find_element(By.ID, "message").text
            pytest.fail(f"the page reports an error: {message}")
        time.sleep(0.2)
    pytest.fail(f"page state {state!r} after {timeout_s:g} s, expected one of {states}")


def _count(driver: webdriver.Chrome, selector: str) -> int:
    return int(driver.execute_script(f"return document.querySelectorAll({selector!r}).length"))


def _resources(driver: webdriver.Chrome) -> list[str]:
    found: Any = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [str(x) for x in found]


def _screenshot(driver: webdriver.Chrome, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / name))


def test_offline_map_file_draws_the_comparison(
    browser: webdriver.Chrome, real_router: Router, tmp_path: Path
) -> None:
    req = RouteRequest("Tashkent", "Istanbul", objective="generalized")
    page = tmp_path / "tashkent_istanbul.html"
    page.write_text(map_file(real_router, req), encoding="utf-8")
    browser.get(page.as_uri())
    assert _wait_state(browser, "compared") == "compared"
    assert _resources(browser) == []  # everything is inside the file
    rows = browser.find_elements(By.CSS_SELECTOR, "#compare-rows tbody tr")
    ranked = [r for r in rows if "row-ranked" in (r.get_attribute("class") or "")]
    assert ranked and _best_corridor(real_router) in ranked[0].text
    assert _count(browser, ".leaflet-overlay-pane path") > 100  # outlines, network, routes
    assert _count(browser, "#chart svg") == 1
    assert _count(browser, ".legend i") == 5
    _screenshot(browser, "map_file_tashkent_istanbul.png")


def _best_corridor(router: Router) -> str:
    """The library's own winner for Tashkent-Istanbul (the page must show the same)."""
    req = RouteRequest("Tashkent", "Istanbul", objective="generalized")
    return next(x.corridor.name for x in compare(router, req).results if x.route)


def test_service_map_page_compares_on_click(
    browser: webdriver.Chrome, base_url: str, real_router: Router
) -> None:
    browser.get(f"{base_url}/map")
    assert _wait_state(browser, "ready") == "ready"
    outside = [u for u in _resources(browser) if not u.startswith(base_url)]
    assert not outside, outside
    drawn_before = _count(browser, ".leaflet-overlay-pane path")
    assert drawn_before > 100  # country outlines and the network
    form = browser.find_element(By.ID, "query")
    for field, value in (("origin", "Tashkent"), ("destination", "Istanbul")):
        box = form.find_element(By.NAME, field)
        box.clear()
        box.send_keys(value)
    browser.find_element(By.ID, "compare-button").click()
    assert _wait_state(browser, "compared", timeout_s=90) == "compared"
    rows = browser.find_elements(By.CSS_SELECTOR, "#compare-rows tbody tr")
    assert len(rows) >= 2 and _best_corridor(real_router) in rows[0].text
    assert _count(browser, ".leaflet-overlay-pane path") > drawn_before  # the routes
    assert _count(browser, "#chart svg") == 1
    rows[1].click()  # a row shows its route's legs
    assert "rail" in browser.find_element(By.ID, "steps").text
    # a route for a regional shipper: its priced risks and sanctions exposure, as their own rows
    for field, value in (("destination", "Mumbai"),):
        box = form.find_element(By.NAME, field)
        box.clear()
        box.send_keys(value)
    browser.execute_script(
        "document.querySelector('select[name=risk_profile]').value = 'regional-shipper'"
    )
    browser.find_element(By.ID, "route-button").click()
    assert _wait_state(browser, "routed", timeout_s=60) == "routed"
    assert _count(browser, "#steps tr.risk-row") >= 1
    assert "war risk hull (ormuz)" in browser.find_element(By.ID, "steps").text
    assert _count(browser, "#steps tr.exposure-row") >= 1
    assert _count(browser, "#compare-rows tbody tr") == 0  # the earlier comparison is cleared
    outside = [u for u in _resources(browser) if not u.startswith(base_url)]
    assert not outside, outside
    _screenshot(browser, "map_service_tashkent_istanbul.png")
