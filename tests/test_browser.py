"""The web page in a real browser: Debian's headless Chromium, driven through chromedriver.

A researcher's path: type a query, narrow it by a facet, open a document, follow a citation
to the cited document, open the source at the cited line — what the page shows is asserted at
each step, and a screenshot of each is saved (in $GOVDOCS_SCREENSHOTS if set, else the test's
temporary folder). Nothing is downloaded: the browser and its driver come from Debian's
`chromium` and `chromium-driver` (`.ci/run` installs them).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.test_web import build_web_corpus

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
#: the flags a root, offline machine needs (no sandbox as root; no background connections)
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`govdocs serve`'s application under uvicorn on a free local port."""
    import uvicorn

    from govdocs.web import create_app

    index, _files = build_web_corpus(tmp_path_factory.mktemp("browser"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(create_app(index), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_a_researchers_path_through_the_page(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    shots = Path(os.environ.get("GOVDOCS_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        assert browser.save_screenshot(str(shots / f"{name}.png"))

    def text(css: str) -> str:
        return browser.find_element(By.CSS_SELECTOR, css).text

    # 1. type a query
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("依法行政", Keys.ENTER)
    total = int(text("#total").split()[0])
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "li.hit a.title")]
    assert total >= 2 and "青海省人民政府关于贯彻落实全面推进依法行政实施纲要的意见" in titles
    assert browser.find_elements(By.CSS_SELECTOR, "li.hit mark")[0].text in ("依法行政", "依法", "行政")
    shot("1-search")

    # 2. click a facet: documents only
    facet = browser.find_element(By.CSS_SELECTOR, 'section[data-facet="kind"] a')
    assert facet.text == "document"
    facet.click()
    assert "kind=document" in browser.current_url
    assert [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".chip")] == ["Kind: document ×"]
    kinds = {li.get_attribute("data-kind") for li in browser.find_elements(By.CSS_SELECTOR, "li.hit")}
    assert kinds == {"document"} and int(text("#total").split()[0]) <= total
    shot("2-facet")

    # 3. open the notice
    browser.find_element(By.LINK_TEXT, "青海省人民政府关于贯彻落实全面推进依法行政实施纲要的意见").click()
    assert text("#title") == "青海省人民政府关于贯彻落实全面推进依法行政实施纲要的意见"
    assert "青政〔2004〕30号" in text("#numbers")
    shot("3-document")

    # 4. follow its citation to the cited document, which the corpus holds
    cite = browser.find_element(By.CSS_SELECTOR, "#body a.cite")
    assert cite.text == "《国务院关于印发全面推进依法行政实施纲要的通知》（国发〔2004〕10号）"
    cite.click()
    assert text("#title") == "国务院关于印发全面推进依法行政实施纲要的通知"
    assert "国发〔2004〕10号" in text("#numbers")
    assert "青海省人民政府关于贯彻落实全面推进依法行政实施纲要的意见" in text("#cited-by")
    shot("4-cited-document")

    # 5. open its source at its first line, the document's lines marked
    source = browser.find_element(By.ID, "source-link")
    first_line = int(source.text.split("lines ")[1].split("–")[0])
    source.click()
    row = browser.find_element(By.ID, f"L{first_line}")
    assert "marked" in row.get_attribute("class") and "target" in row.get_attribute("class")
    assert row.find_element(By.CSS_SELECTOR, "td.text").text == "国务院关于印发全面推进依法行政实施纲要的通知"
    shot("5-source")
