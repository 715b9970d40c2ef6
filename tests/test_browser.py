"""The published site in a real headless Chromium (Debian's chromium and chromedriver, through
Selenium): the index page and the meeting with the most listed participants open from ``file://``
without console errors, the search works offline, the meeting page shows its participants, and a
screenshot of each is written to ``test-output/``.

Fails when Chromium is missing, unless ``BP_GRAPH_SKIP_BROWSER=1`` (then it skips, saying why).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .sitetools import OUTPUT, Published, published

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1280,1600", "--allow-file-access-from-files"]


def _binaries() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    missing = [name for name, path in (("chromium", chromium), ("chromedriver", driver)) if path is None]
    if missing:
        message = (f"{' and '.join(missing)} not found: apt-get install chromium chromium-driver "
                   "(or set BP_GRAPH_SKIP_BROWSER=1 to skip the browser tests)")
        if os.environ.get("BP_GRAPH_SKIP_BROWSER") == "1":
            pytest.skip(f"BP_GRAPH_SKIP_BROWSER=1: {message}")
        pytest.fail(message)
    return chromium, driver  # type: ignore[return-value]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return published(tmp_path_factory)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if os.environ.get("BP_GRAPH_SKIP_BROWSER") == "1":
        pytest.skip("BP_GRAPH_SKIP_BROWSER=1: the browser tests are switched off")
    chromium, driver_path = _binaries()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="bp-graph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver: object) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]  # type: ignore[attr-defined]


def screenshot(driver: object, name: str) -> Path:
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / name
    height = driver.execute_script("return Math.min(document.body.scrollHeight, 8000)")  # type: ignore[attr-defined]
    driver.set_window_size(1280, max(800, int(height)))  # type: ignore[attr-defined]
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    assert path.stat().st_size > 10_000
    return path


def test_index_page_opens_from_file_and_its_search_works(browser: object, site: Published) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((site.out / "index.html").as_uri())  # type: ignore[attr-defined]
    assert "Budapest Process" in browser.title  # type: ignore[attr-defined]
    status = browser.find_element(By.ID, "search-status")  # type: ignore[attr-defined]
    assert "resources and terms to search" in status.text
    for name in ("timeline", "attendance"):
        loaded = browser.execute_script(  # type: ignore[attr-defined]
            f"var i = document.querySelector('img[src=\"figures/{name}.svg\"]'); return i.complete && i.naturalWidth;")
        assert loaded, f"figures/{name}.svg did not load"
    state = site.kg.query("states").as_dicts()[0]
    query = str(state["label"])[:5]
    box = browser.find_element(By.ID, "q")  # type: ignore[attr-defined]
    box.send_keys(query)
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
    links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#search-results a")]  # type: ignore[attr-defined]
    assert any(str(state["label"]) == text for text in links), (query, links)
    box.clear()
    screenshot(browser, "index.png")
    assert console_errors(browser) == []


def test_meeting_page_shows_its_participants(browser: object, site: Published) -> None:
    from selenium.webdriver.common.by import By

    best, states = None, []
    for meeting in site.kg.query("meetings").as_dicts():
        listed = site.kg.query("meeting-states", meeting=str(meeting["meeting"])).as_dicts()
        if len(listed) > len(states):
            best, states = meeting, listed
    if best is None:
        pytest.fail("no meeting of the graph lists its participants yet (data/meetings is empty?)")
    page = site.out / f"{site.site.paths[str(best['meeting'])]}.html"
    browser.get(page.as_uri())  # type: ignore[attr-defined]
    heading = browser.find_element(By.TAG_NAME, "h1").text  # type: ignore[attr-defined]
    assert heading == site.site.label(str(best["meeting"]))
    table = browser.find_element(By.ID, "table-participants")  # type: ignore[attr-defined]
    assert table.is_displayed()
    shown = {a.text for a in table.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child a")}
    assert {site.site.label(str(s["state"])) for s in states} <= shown
    screenshot(browser, "meeting.png")
    assert console_errors(browser) == []


@pytest.mark.parametrize("name", ["timeline", "attendance"])
def test_figures_draw_every_label_inside_the_picture(browser: object, site: Published, name: str) -> None:
    """Matplotlib writes each label as a group of glyph paths: in the browser, every group's box
    lies inside the SVG's own box (a label past the edge would be cut off by a viewer)."""
    browser.get((site.out / "figures" / f"{name}.svg").as_uri())  # type: ignore[attr-defined]
    outside = browser.execute_script("""
        const svg = document.documentElement, box = svg.getBoundingClientRect(), out = [];
        for (const g of svg.querySelectorAll('g[id^="text_"]')) {
            const r = g.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < box.left - 0.5 || r.top < box.top - 0.5 || r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5)
                out.push(g.id + ' ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
        }
        return [svg.querySelectorAll('g[id^="text_"]').length, out];""")
    labels, cut = outside
    assert labels > 10 and cut == [], cut
