import pytest

from tests.atlas.factories import ProjectFactory
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_data_page_is_accessible_and_its_csv_link_downloads(page, live_server, home):
    ProjectFactory(title="Adduction d’eau à Koudougou")
    page.goto(live_server.url + "/donnees/")
    assert page.locator("h1").inner_text()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.locator('a[href="/donnees/atlas/projets.csv"]').click()
    download = download_info.value
    assert download.suggested_filename == "atlas-projets.csv"
    content = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert content.startswith("id,title,status,")
    assert "Adduction d’eau à Koudougou" in content
