"""The Wagtail admin under its own Content-Security-Policy (settings CONTENT_SECURITY_POLICY_ADMIN): the
editors, choosers, uploads and the map widget work, and the guard of conftest.py fails the test on anything
the policy refuses (a script or a file of another host, an eval)."""

import pytest
from playwright.sync_api import expect

from pages.models import TestimonyPage
from tests.browser.test_demo_roles import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PAGES = [
    "/admin/",
    "/admin/images/",
    "/admin/images/multiple/add/",
    "/admin/documents/multiple/add/",
    "/admin/snippets/atlas/partnerauthority/add/",
    "/admin/settings/portal/portalsettings/",
    "/admin/users/",
]


def test_the_admin_works_under_its_policy(page, live_server, demo_site):
    base = live_server.url
    log_in(page, base, "demo.delegation.admin")
    for path in ADMIN_PAGES:
        response = page.goto(base + path)
        assert response.ok, path
        policy = response.headers["content-security-policy"]
        assert "object-src 'none'" in policy
        assert "'unsafe-eval'" not in policy
        page.wait_for_load_state("networkidle")

    # The page editor: its choosers set up by inline scripts, and a chooser's modal loaded and drawn.
    testimony = TestimonyPage.objects.live().order_by("path").first()
    page.goto(f"{base}/admin/pages/{testimony.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.locator("#id_portrait-chooser, [data-chooser-action-choose]").first.click()
    expect(page.locator(".modal-dialog")).to_be_visible()
    page.wait_for_load_state("networkidle")
