"""The demo gives the instruction's roles something to do: dossiers in every state in the call under
instruction and the closed call, opinions awaiting the demo embassy (Senegal) and prefecture (Bretagne)."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.funding import instruction_demo
from portal.funding.instruction_models import OpinionRequest
from portal.funding.models import Application

State = Application.State


def test_the_demo_has_dossiers_in_every_state_and_opinions_awaiting(demo_site, client):
    instructing, closed = instruction_demo.demo_calls()
    states = set(Application.objects.filter(call__in=[instructing, closed]).values_list("state", flat=True))
    assert states >= set(State.values) - {State.DRAFT}
    users = get_user_model().objects
    for username in ("demo.embassy.agent", "demo.prefecture.agent"):
        user = users.get(username=username)
        awaiting = OpinionRequest.objects.filter(organisation__memberships__user=user, verdict="")
        assert awaiting.exists(), username
        client.force_login(user)
        body = client.get(reverse("funding_awaiting")).content.decode()
        assert awaiting.first().application.title in body
    # Loading the demo again adds nothing.
    count = Application.objects.count()
    instruction_demo.load_demo()
    assert Application.objects.count() == count
    # The applicant reads the opinion the Délégation released on its dossier.
    client.force_login(users.get(username="demo.authority.agent"))
    released = OpinionRequest.objects.filter(
        released_to_applicant=True,
        application__organisation__memberships__user__username="demo.authority.agent",
    ).first()
    page = client.get(reverse("funding_dossier", args=[released.application_id]))
    assert released.comment in page.content.decode()
