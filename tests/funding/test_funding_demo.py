"""The demo: "Appels à projets" lists an open call, one under instruction and a closed one, each on its page;
Bessancourt's agent finds a draft in the open call and can apply from the open call's page."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.funding.models import Application, Call, CallIndexPage, CallPage


def test_the_demo_calls_their_pages_and_the_agents_draft(client, db):
    call_command("demo", quiet=True)
    index = CallIndexPage.objects.get(locale__language_code="fr", slug="appels-a-projets")
    assert index.url_path.endswith("/appels-a-projets/")
    open_calls, closed = list(Call.objects.open()), list(Call.objects.closed())
    assert len(open_calls) == 1
    assert len(closed) >= 2
    # One page per call in French (the English tree holds their twins).
    assert CallPage.objects.live().filter(locale__language_code="fr").count() == Call.objects.count()

    page = client.get(index.url)
    assert page.status_code == 200
    for call in Call.objects.all():
        assert call.title in page.text

    draft = Application.objects.get(
        call=open_calls[0], organisation__memberships__user__username="demo.authority.agent"
    )
    assert draft.state == Application.State.DRAFT

    call_page = client.get(CallPage.objects.get(call=open_calls[0], locale__language_code="fr").url)
    assert call_page.status_code == 200
    assert f"?call={open_calls[0].pk}" in call_page.text
    client.force_login(get_user_model().objects.get(username="demo.authority.agent"))
    start = client.get(call_page.context["apply_url"])
    assert start.status_code == 200
    assert start.context["form"]["call"].value() == str(open_calls[0].pk)
