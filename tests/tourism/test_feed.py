"""The RSS feed of the experiences."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

from django.utils import timezone

from atlas.models import Country
from tests.tourism.factories import ExperiencePageFactory
from tourism.feeds import FEED_LENGTH
from tourism.models import TourismTheme


def add(index, slug, days_ago, **fields):
    page = ExperiencePageFactory(
        parent=index,
        slug=slug,
        title=f"Expérience {slug}",
        first_published_at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )
    return page


def feed(client, index):
    response = client.get(index.url + "flux/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed; raises unless well-formed XML
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    return root.find("channel")


def test_feed_is_valid_rss_with_the_live_experiences_newest_first(client, experiences_index):
    old = add(experiences_index, "ancienne", 10, country=Country.objects.get(code="MA"))
    old.themes.set(TourismTheme.objects.filter(slug__in=["ecotourisme", "patrimoine"]))
    old.save()
    add(experiences_index, "recente", 1)
    add(experiences_index, "moyenne", 5)
    add(experiences_index, "brouillon", 0, live=False)
    channel = feed(client, experiences_index)
    assert channel.findtext("title") == experiences_index.title
    assert channel.findtext("link").endswith("/tourisme-responsable/experiences/")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "Expérience recente",
        "Expérience moyenne",
        "Expérience ancienne",
    ]
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)
    last = items[-1]
    assert last.findtext("link").endswith("/tourisme-responsable/experiences/ancienne/")
    assert last.findtext("description") == old.summary
    categories = [category.text for category in last.findall("category")]
    assert sorted(categories[:2]) == ["Patrimoine", "Écotourisme"]
    assert categories[2] == "Maroc"


def test_feed_keeps_the_latest_twenty(client, experiences_index, django_assert_max_num_queries):
    for n in range(FEED_LENGTH + 3):
        add(experiences_index, f"e{n}", n)
    # Once before counting: the first request of a site creates its settings, which a real site has.
    feed(client, experiences_index)
    # The frame (site, settings, route, view restrictions) and one query per kind of row, not per item.
    with django_assert_max_num_queries(16):
        items = feed(client, experiences_index).findall("item")
    assert len(items) == FEED_LENGTH
    assert items[0].findtext("title") == "Expérience e0"


def test_the_index_announces_its_feed(client, experiences_index):
    text = client.get(experiences_index.url).text
    head = text.split("</head>", 1)[0]
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Expériences" '
        'href="/tourisme-responsable/experiences/flux/">'
    ) in head
    assert 'href="/tourisme-responsable/experiences/flux/"' in text.split("</head>", 1)[1]
