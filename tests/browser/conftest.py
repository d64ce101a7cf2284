"""Browser tests: Debian's Chromium driven by Playwright against live_server, with axe-core."""

import json
import os
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from django.core.management import call_command

from wagtail.models import Site

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# Every page reports what its Content-Security-Policy refused as a console error, in words the guard below
# collects: an inline style or script, an event handler attribute, a file from another host. Chromium's own
# "Refused to ..." message is not always passed to Playwright's console event (a report from a style
# attribute parsed by innerHTML, a worker's fetch); the DOM event always fires, in the document that refused.
CSP_VIOLATION_JS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `Content-Security-Policy violation: ${event.effectiveDirective}`
    + ` refused ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}:${event.columnNumber}`
    + (event.sample ? ` (${event.sample})` : "")
  );
});
"""


class ConsoleErrors:
    """The errors the pages of one test report: `console.error` messages, uncaught exceptions and what the
    Content-Security-Policy refused (a strict policy is on in the tests as in production: settings/base.py).

    A script that throws or logs an error is broken for the visitor even when the assertions of the test still
    pass (a map half drawn, a button that does nothing), so any of them fails the test. Nothing is allowed by
    default: an entry of ALLOWED is a narrow, commented exception for noise we cannot fix.
    """

    # (substring of the message, why it is harmless). Empty: every error found so far was ours and was fixed.
    ALLOWED: tuple[tuple[str, str], ...] = ()

    def __init__(self):
        self.errors = []
        self._contexts = set()

    def watch(self, context):
        """Collects the errors of every page of `context`, popups and pages opened later included."""
        if id(context) in self._contexts:
            return context
        self._contexts.add(id(context))
        context.add_init_script(CSP_VIOLATION_JS)
        context.on("console", self._on_console)
        context.on("weberror", self._on_weberror)
        return context

    def _on_console(self, message):
        if message.type != "error":
            return
        location = message.location or {}
        where = location.get("url") or (message.page.url if message.page else "")
        if location.get("lineNumber"):
            where += f":{location['lineNumber']}:{location.get('columnNumber', 0)}"
        self._add(f"console.error at {where}: {message.text}")

    def _on_weberror(self, web_error):
        url = web_error.page.url if web_error.page else ""
        error = web_error.error
        self._add(f"uncaught {error.name} on {url}: {error.message}\n{error.stack or ''}".rstrip())

    def _add(self, text):
        if not any(allowed in text for allowed, _why in self.ALLOWED):
            self.errors.append(text)

    def check(self):
        """Fails with every error collected so far, then forgets them."""
        errors, self.errors = self.errors, []
        if errors:
            pytest.fail(
                f"{len(errors)} JavaScript error(s) in the browser:\n" + "\n".join(f"- {e}" for e in errors),
                pytrace=False,
            )


@pytest.fixture(autouse=True)
def console_errors(browser: Browser, monkeypatch):
    """Watches every context the test creates (the `page` and `context` fixtures go through
    `browser.new_context` too) and fails the test at teardown when a page logged an error."""
    collector = ConsoleErrors()
    new_context, new_page = browser.new_context, browser.new_page

    def watched_new_context(*args, **kwargs):
        return collector.watch(new_context(*args, **kwargs))

    def watched_new_page(*args, **kwargs):
        # Browser.new_page makes its own context without going through new_context; the page is still blank.
        page = new_page(*args, **kwargs)
        collector.watch(page.context)
        return page

    monkeypatch.setattr(browser, "new_context", watched_new_context)
    monkeypatch.setattr(browser, "new_page", watched_new_page)
    yield collector
    collector.check()


@pytest.fixture
def site_url(live_server):
    return live_server.url


def axe_violations(page, impacts=("serious", "critical")):
    """Runs axe-core on the page and returns the violations of the given impacts, readable in a failure."""
    # From the page's own origin, as a file: the pages' Content-Security-Policy refuses the inline script that
    # add_script_tag(path=...) would write.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    url = f"{origin}/__browser-tests__/axe.min.js"
    page.route(url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=url)
    page.unroute(url)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


@pytest.fixture(autouse=True)
def migrated_content(transactional_db):
    """What the migrations put in the database, put back after a transactional test has flushed it.

    Browser tests need committed data (live_server reads it from another thread), so they run in transactional
    mode, which empties the tables after each test. Serialized rollback proved unreliable once other tests had
    touched the page tree in the same process; rebuilding this small base is simple and predictable.
    """
    from importlib import import_module

    from django.apps import apps

    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="fr")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", content_type=None))
    if not apps.get_model("atlas", "Country").objects.exists():
        import_module("atlas.migrations.0003_countries_and_themes").load(apps, None)
        import_module("atlas.migrations.0018_theme_names_in_english").fill(apps, None)


# Boxes of `main`'s visible descendants that reach into the footer's box (page coordinates, rounded).
OVERLAPS_FOOTER_JS = """
() => {
  const footer = document.querySelector('footer');
  const main = document.querySelector('main');
  if (!footer || !main) return [];
  const f = footer.getBoundingClientRect();
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const overlaps = [];
  for (const el of [main, ...main.querySelectorAll('*')]) {
    const style = getComputedStyle(el);
    // Hidden things and overlays (dialogs, menus opened on demand) take no room in the layout.
    if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    if (r.bottom > f.top + 1 && r.top < f.bottom && r.right > f.left && r.left < f.right) {
      overlaps.push({
        element: describe(el),
        bottom: Math.round(r.bottom - f.top),
        text: (el.innerText || '').slice(0, 60),
      });
    }
  }
  return overlaps;
}
"""


def footer_overlaps(page):
    """The elements of the page's main content whose box runs over its footer: [{element, bottom, text}],
    `bottom` being how many pixels below the footer's top edge the element ends."""
    return page.evaluate(OVERLAPS_FOOTER_JS)


def assert_nothing_overlaps_footer(page):
    overlaps = footer_overlaps(page)
    assert not overlaps, json.dumps(overlaps[:10], indent=2, ensure_ascii=False)


MAP_TIMEOUT_MS = 120_000


def wait_for_map(page):
    """Waits until a map of the page is drawn, or one of them says why it could not be: a map that failed
    fails the test with its reason (atlas-map.js writes it in data-error) instead of a bare time-out."""
    # A state, not a time: drawing the world basemap takes seconds when the machine is busy (CI runs two
    # workers on two cores), hence a generous bound before the wait gives up.
    page.wait_for_function(
        """() => [...document.querySelectorAll(".atlas-map[data-map]")].some(
            (map) => map.dataset.error || (map.dataset.ready === "true" && !map.hidden))""",
        timeout=MAP_TIMEOUT_MS,
    )
    errors = page.eval_on_selector_all(".atlas-map[data-error]", "maps => maps.map((m) => m.dataset.error)")
    assert errors == []


@pytest.fixture
def demo_site(transactional_db):
    """The demo site's home page, built for each test: the live server reads committed data, which
    `transactional_db` empties after the test (tests/conftest.py's module-wide demo is a transaction)."""
    call_command("demo", quiet=True)
    return Site.objects.get(is_default_site=True).root_page.specific


def run_probe(test_file, probe_name, switch):
    """Runs one probe test of `test_file` in a subprocess with the environment variable `switch` set (probes
    are skipped otherwise) and returns the result: how a guard of this conftest is shown to fail a test."""
    result = subprocess.run(  # noqa: S603 - our own interpreter on our own test file
        [sys.executable, "-m", "pytest", f"{test_file}::{probe_name}", "-q", "-p", "no:xdist"],
        cwd=ROOT,
        env={**os.environ, switch: "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"ERROR at teardown of {probe_name}" in result.stdout, result.stdout
    return result
