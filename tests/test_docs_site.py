"""The documentation site as a reader sees it: the site is built from docs/
(warnings as errors, as tools/build-docs.sh does), served on the loopback
address and every page is loaded in a real browser (Debian's chromium, driven
by Selenium through chromedriver). A page fails on

- a broken internal link: an href to a file the site lacks, or to an anchor
  (``#id``) that the target page does not have;
- a missing image: one that did not load (``naturalWidth`` 0);
- a console error: any SEVERE entry of the browser's log (a failed request
  for a stylesheet or script shows there too).

Screenshots of the entry page, an API page and the benchmark page go to
$TRUENO_DOCS_SHOTS (default /tmp/docs-shots), to be looked at.

Without chromium, chromedriver, Selenium or Sphinx the test skips, saying
what is missing; CI (.ci/run) installs them and sets
TRUENO_REQUIRE_DOCS_SITE=1, which turns that skip into a failure.
"""
from __future__ import annotations

import functools
import html.parser
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

import trueno

ROOT = Path(__file__).resolve().parent.parent
CHROMEDRIVER = "/usr/bin/chromedriver"
SHOTS = Path(os.environ.get("TRUENO_DOCS_SHOTS", "/tmp/docs-shots"))
# (file name, page) of the screenshots the issue asks to look at; the API page is
# the first page that api/index.html links to (_first_api_page)
SCREENSHOTS = [("index.png", "index.html"), ("api.png", None), ("benchmark.png", "guide/benchmark.html")]


def _missing() -> list[str]:
    missing = []
    if not (shutil.which("chromium") or os.path.exists("/usr/bin/chromium")):
        missing.append("chromium (apt-get install chromium)")
    if not os.path.exists(CHROMEDRIVER):
        missing.append(f"{CHROMEDRIVER} (apt-get install chromium-driver)")
    for module, package in (("selenium", "selenium"), ("sphinx", "sphinx"),
                            ("pydata_sphinx_theme", "pydata-sphinx-theme"), ("numpydoc", "numpydoc")):
        if importlib.util.find_spec(module) is None:
            missing.append(f"{package} (pip install \".[docs]\")")
    return missing


def _require_tools() -> None:
    """Skips, naming what is missing; fails instead where CI asks for the check."""
    missing = _missing()
    if missing:
        message = "the site's browser check needs " + ", ".join(missing)
        if os.environ.get("TRUENO_REQUIRE_DOCS_SITE") == "1":
            pytest.fail(message + " (TRUENO_REQUIRE_DOCS_SITE=1)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    _require_tools()
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ)
    # the trueno under test, also where it is a development build on sys.path
    package_parent = str(Path(trueno.__file__).parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                           "-d", str(out / "doctrees"), str(ROOT / "docs"), str(out / "html")],
                          capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, "the site does not build without warnings:\n" + done.stderr[-8000:]
    return out / "html"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--hide-scrollbars"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


class _Anchors(html.parser.HTMLParser):
    """The ids (and old-style <a name>) a page defines."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _anchors(path: Path) -> frozenset[str]:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def _target_file(site: Path, url_path: str) -> Path:
    path = site / urllib.parse.unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


_PAGE_FACTS = """
return {
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  broken_images: Array.from(document.images)
      .filter(img => !img.complete || img.naturalWidth === 0)
      .map(img => img.currentSrc || img.src),
  images: document.images.length,
  title: document.title,
};
"""


def _check_page(driver, site: Path, base: str, page: str) -> tuple[list[str], int]:
    """Loads `page`; returns its problems and its number of images."""
    driver.get(base + page)
    facts = driver.execute_script(_PAGE_FACTS)
    problems = []
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            problems.append(f"console error: {entry.get('message')}")
    for src in facts["broken_images"]:
        problems.append(f"image did not load: {src}")
    for href in facts["links"]:
        url = urllib.parse.urlsplit(href)
        if f"{url.scheme}://{url.netloc}/" != base:
            continue                                      # external: not reachable offline
        target = _target_file(site, url.path)
        if not target.is_file():
            problems.append(f"broken link: {href} (no {target.relative_to(site)})")
        elif url.fragment and target.suffix == ".html" and \
                urllib.parse.unquote(url.fragment) not in _anchors(target):
            problems.append(f"broken anchor: {href} (no id {url.fragment!r} in "
                            f"{target.relative_to(site)})")
    if not facts["title"].strip():
        problems.append("page has no title")
    return problems, facts["images"]


def test_every_page_loads_in_a_browser_without_errors(site, server, browser):
    # the pages a reader can reach; _static/ holds the theme's template fragments
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.relative_to(site).parts[0] != "_static")
    assert "index.html" in pages and len(pages) >= 10, pages
    report, images = {}, 0
    for page in pages:
        problems, count = _check_page(browser, site, server, page)
        images += count
        if problems:
            report[page] = problems
    assert not report, "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in report.items())
    assert images >= 1, "no page shows an image: the benchmark plot is missing"
    print(f"{len(pages)} pages loaded in chromium, {images} images, no broken link or console error")


def _first_api_page(site: Path) -> str:
    """The first page of the API reference's table of contents, relative to the site."""
    parser = _Links()
    parser.feed((site / "api" / "index.html").read_text(encoding="utf-8"))
    for href in parser.hrefs:
        path = urllib.parse.urlsplit(href).path
        if path.endswith(".html") and "/" not in path and path != "index.html":
            return "api/" + path
    raise AssertionError("api/index.html links to no API page")


class _Links(html.parser.HTMLParser):
    """The hrefs of a page's main article (the toctree), in order."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self._in_article = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self._in_article += 1
        elif tag == "a" and self._in_article and attrs.get("href"):
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article -= 1


def test_screenshots_of_the_entry_api_and_benchmark_pages(site, server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in SCREENSHOTS:
        page = page or _first_api_page(site)
        assert (site / page).is_file(), page
        browser.set_window_size(1280, 900)
        browser.get(server + page)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, min(max(int(height), 900), 6000))
        assert browser.save_screenshot(str(SHOTS / name)), name
        assert (SHOTS / name).stat().st_size > 10_000, f"{name} looks empty"
    browser.set_window_size(1280, 900)


@pytest.mark.parametrize("required", ["", "1"])
def test_without_a_browser_the_check_skips_unless_ci_requires_it(monkeypatch, required):
    monkeypatch.setattr(sys.modules[__name__], "_missing", lambda: ["chromium (apt-get install chromium)"])
    monkeypatch.setenv("TRUENO_REQUIRE_DOCS_SITE", required)
    expected = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(expected, match="needs chromium"):
        _require_tools()
