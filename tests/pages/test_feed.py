from django.core.cache import cache


def test_rubric_feed_lists_the_features(client, rubric, features):
    response = client.get(rubric.url + "flux/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert response.text.count("<item>") == 5
    assert "Zoom sur le Maroc" in response.text


def test_every_page_can_announce_the_feed(rf, rubric):
    from django.template import Context, Template

    cache.clear()
    html = Template('{% include "pages/includes/feed_link.html" %}').render(Context({"request": rf.get("/")}))
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert "/rubrique/flux/" in html
