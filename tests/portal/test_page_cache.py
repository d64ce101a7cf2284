"""The anonymous page cache (portal/core/page_cache.py), as visitors, members and editors notice it."""

import os
import re
import subprocess
import sys

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from atlas.bourse.models import BoursePage, BourseProject
from atlas.models import AtlasPage, Project
from pages.models import ContactPage, RubricPage, TestimonyPage
from tourism.models import ExperiencePage

pytestmark = pytest.mark.django_db

CACHED = "X-Page-Cache"


def user(username):
    return get_user_model().objects.get(username=username)


def logged_in(username):
    client = Client()
    client.force_login(user(username))
    return client


def atlas():
    return AtlasPage.objects.live().get(locale__language_code="fr")


def authority_with_project():
    project = Project.objects.select_related("cooperation__authority").order_by("pk").first()
    return project.cooperation.authority, project


def public_urls():
    bourse = BoursePage.objects.live().get(locale__language_code="fr")
    authority, _project = authority_with_project()
    return {
        "home": "/",
        "rubric": RubricPage.objects.live().first().url,
        "feature": TestimonyPage.objects.live().first().url,
        "atlas": atlas().url,
        "authority": atlas().url_for("authority", authority.slug),
        "bourse": bourse.url,
        "bourse project": bourse.url_for("project", BourseProject.objects.visible().first().pk),
        "experience": ExperiencePage.objects.live().first().url,
    }


def visit(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def test_a_second_anonymous_visit_of_every_public_page_is_served_from_the_cache(client, demo_site):
    for name, url in public_urls().items():
        first = visit(client, url)
        second = visit(client, url)
        assert first[CACHED] == "miss", name
        assert second[CACHED] == "hit", name
        assert second.content == first.content, name
        assert "public" in second["Cache-Control"]
        assert "s-maxage=" in second["Cache-Control"]
        assert {"cookie", "accept-language"} <= {v.strip().lower() for v in second["Vary"].split(",")}


def test_a_hit_makes_at_most_one_query(client, demo_site, django_assert_max_num_queries):
    urls = public_urls()
    for url in urls.values():
        visit(client, url)
    for name, url in urls.items():
        with django_assert_max_num_queries(1):
            assert visit(client, url)[CACHED] == "hit", name


def test_a_hard_reload_is_answered_afresh_and_fills_nothing(client, demo_site):
    url = atlas().url
    assert visit(client, url, cache_control="no-cache")[CACHED] == "bypass"
    assert visit(client, url)[CACHED] == "miss"
    assert visit(client, url, cache_control="no-cache")[CACHED] == "bypass"


def test_a_member_never_gets_nor_fills_a_cached_page(client, demo_site):
    member = logged_in("demo.member")
    home = visit(member, "/")
    assert home[CACHED] == "bypass"
    assert "private" in home["Cache-Control"]
    assert "Mon espace" in home.text

    anonymous = visit(client, "/")
    assert anonymous[CACHED] == "miss"  # the member's visit filled nothing
    assert "Mon espace" not in anonymous.text
    assert "Se connecter" in anonymous.text
    assert visit(client, "/")[CACHED] == "hit"

    again = visit(member, "/")  # the anonymous page is cached now: the member still gets their own
    assert again[CACHED] == "bypass"
    assert "Mon espace" in again.text


def test_a_published_revision_of_a_feature_shows_at_once(client, demo_site):
    rubric = RubricPage.objects.live().first()
    listed = visit(client, rubric.url).text
    feature = next(page for page in TestimonyPage.objects.live() if page.title in listed)
    for url in (feature.url, rubric.url):
        visit(client, url)
        assert visit(client, url)[CACHED] == "hit"

    feature.title = "Un témoignage réécrit à l instant"
    feature.save_revision().publish()

    assert "Un témoignage réécrit à l instant" in visit(client, feature.url).text
    assert "Un témoignage réécrit à l instant" in visit(client, rubric.url).text  # the rubric lists it


def test_an_unpublished_feature_is_gone_at_once(client, demo_site):
    feature = TestimonyPage.objects.live().first()
    visit(client, feature.url)
    feature.unpublish()
    assert client.get(feature.url).status_code == 404


def test_an_atlas_edit_in_the_admin_shows_on_its_pages_and_leaves_the_rubric_cached(client, demo_site):
    authority, project = authority_with_project()
    authority_url = atlas().url_for("authority", authority.slug)
    rubric_url = RubricPage.objects.live().first().url
    for url in (authority_url, rubric_url):
        visit(client, url)
        assert visit(client, url)[CACHED] == "hit"

    admin = logged_in("demo.delegation.admin")
    response = admin.post(
        reverse("wagtailsnippets_atlas_project:edit", args=[project.pk]),
        {
            "cooperation": project.cooperation_id,
            "title": "Forages solaires renommés",
            "summary": project.summary or "Résumé",
            "description": project.description,
            "status": project.status,
            "start_year": project.start_year,
            "end_year": project.end_year or "",
            "funding_framework": project.funding_framework or "",
            "budget": project.budget or "",
            "themes": list(project.themes.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302, re.findall(r"fr-error-text[^>]*>([^<]*)", response.text)
    project.refresh_from_db()
    assert project.title == "Forages solaires renommés"

    page = visit(client, authority_url)
    assert "Forages solaires renommés" in page.text
    assert visit(client, rubric_url)[CACHED] == "hit"  # precise: the rubric shows no Atlas record


def test_a_bourse_decision_shows_at_once(client, demo_site):
    project = BourseProject.objects.visible().filter(status=BourseProject.Status.OPEN).first()
    bourse = BoursePage.objects.live().get(locale__language_code="fr")
    url = bourse.url_for("project", project.pk)
    for page in (url, bourse.url):
        visit(client, page)
        assert visit(client, page)[CACHED] == "hit"
    assert "En discussion" not in visit(client, url).text

    delegation = user("demo.delegation.admin")
    project.status = BourseProject.Status.IN_DISCUSSION
    project.save_revision(user=delegation).publish(user=delegation)
    assert "En discussion" in visit(client, url).text

    project.status = BourseProject.Status.PARTNERED
    project.save_revision(user=delegation).publish(user=delegation)
    assert client.get(url).status_code == 404  # a partnered project leaves the public Bourse
    assert f'href="{url}"' not in visit(client, bourse.url).text


def test_a_comment_shows_at_once_and_leaves_the_atlas_cached(client, demo_site):
    experience = ExperiencePage.objects.live().first()
    atlas_url = atlas().url
    for url in (experience.url, atlas_url):
        visit(client, url)
        assert visit(client, url)[CACHED] == "hit"

    member = logged_in("demo.member")
    comment = {"body": "Un séjour qui a compté."}
    posted = member.post(reverse("tourism:comment", args=[experience.pk]), comment)
    assert posted.status_code == 302

    assert "Un séjour qui a compté." in visit(client, experience.url).text
    assert visit(client, atlas_url)[CACHED] == "hit"  # precise: the Atlas shows no comment


def test_french_and_english_are_never_mixed(client, demo_site):
    url = atlas().url
    french = visit(client, url)
    english = visit(client, f"/en{url}")
    assert english[CACHED] == "miss"
    assert '<html lang="fr"' in french.text
    assert '<html lang="en"' in english.text
    again = visit(client, url)
    assert again[CACHED] == "hit"
    assert '<html lang="fr"' in again.text
    assert '<html lang="en"' in visit(client, f"/en{url}").text


def test_a_search_is_keyed_on_its_query_string(client, demo_site):
    search = atlas().url_for("search")
    authority, project = authority_with_project()
    words = project.title.split()[0]
    first = visit(client, f"{search}?q={words}&sort=")
    other = visit(client, f"{search}?q=zzzzaucunresultat&sort=")
    assert other[CACHED] == "miss"
    assert project.title in first.text
    assert project.title not in other.text
    # The same parameters in another order are the same search.
    assert visit(client, f"{search}?sort=&q={words}")[CACHED] == "hit"


def test_a_form_page_never_serves_a_visitor_s_csrf_token_to_another(demo_site):
    contact = ContactPage.objects.live().first()
    tokens = []
    for _visitor in range(2):
        response = visit(Client(), contact.url)
        assert response[CACHED] != "hit"
        assert "private" in response["Cache-Control"]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1))
    assert tokens[0] != tokens[1]


def frontend_cache_backends(**environ):
    """The front-end cache backends Wagtail finds with these environment variables (a fresh process: the
    settings read the environment once)."""
    code = (
        "from wagtail.contrib.frontend_cache.utils import get_backends;"
        "print(sorted((name, type(b).__name__, b.cache_scheme, b.cache_netloc)"
        " for name, b in get_backends().items()))"
    )
    env = {key: value for key, value in os.environ.items() if key != "FRONTEND_CACHE_PURGE_URL"}
    env.update(environ)
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_the_reverse_proxy_purge_is_off_unless_its_address_is_given():
    assert frontend_cache_backends() == "[]"
    assert frontend_cache_backends(FRONTEND_CACHE_PURGE_URL="http://127.0.0.1:8081") == (
        "[('default', 'HTTPBackend', 'http', '127.0.0.1:8081')]"
    )
