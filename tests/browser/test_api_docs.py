from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.atlas.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_documentation_runs_a_request_and_asks_nothing_of_another_host(page, live_server):
    ProjectFactory(title="Adduction d’eau à Koudougou")
    own_host = urlsplit(live_server.url).netloc
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(live_server.url + "/donnees/api/")
    operation = page.locator("#operations-projets-projects_list")
    expect(operation).to_be_visible()
    expect(page.locator("#operations-projets-projects_retrieve")).to_be_visible()
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".response-col_description .microlight").first).to_contain_text(
        "Adduction d’eau à Koudougou"
    )
    # data: URIs (Swagger UI's icons) have no host; everything else comes from this site.
    assert hosts - {""} == {own_host}
