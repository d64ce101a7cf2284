"""Browser tests: Debian's Chromium driven by Playwright against live_server, with axe-core."""

import json
import shutil

import pytest

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


@pytest.fixture
def site_url(live_server):
    return live_server.url


def axe_violations(page, impacts=("serious", "critical")):
    """Runs axe-core on the page and returns the violations of the given impacts, readable in a failure."""
    page.add_script_tag(path=str(AXE))
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


def wait_for_map(page):
    """Waits until a map of the page is drawn, or one of them says why it could not be: a map that failed
    fails the test with its reason (atlas-map.js writes it in data-error) instead of a bare time-out."""
    page.wait_for_function(
        """() => [...document.querySelectorAll(".atlas-map[data-map]")].some(
            (map) => map.dataset.error || (map.dataset.ready === "true" && !map.hidden))"""
    )
    errors = page.eval_on_selector_all(".atlas-map[data-error]", "maps => maps.map((m) => m.dataset.error)")
    assert errors == []
