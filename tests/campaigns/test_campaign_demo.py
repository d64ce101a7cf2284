"""The demo gives every campaign role something to do: the prefecture has late authorities in Bretagne to
remind, the authority agent parts left, the Délégation a bounce to look at; the Atlas home shows last year's
result."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from atlas.campaigns import demo
from atlas.campaigns.models import CampaignSending, UpdateCampaign


def user(username):
    return get_user_model().objects.get(username=username)


def test_the_demo_campaign_gives_each_role_work(client, db):
    call_command("demo", quiet=True)
    campaign = UpdateCampaign.objects.current().get()
    assert UpdateCampaign.objects.closed().exists()
    assert campaign.sendings.filter(status=CampaignSending.Status.FAILED).count() == 1

    client.force_login(user("demo.prefecture.agent"))
    page = client.get(reverse("campaigns:dashboard", args=[campaign.pk])).content.decode()
    assert "Les collectivités de votre territoire." in page
    assert "Finistère" in page
    assert 'name="departement"' in page  # a late authority with its reminder button
    assert "Aucune collectivité n’est en retard." not in page

    client.force_login(user("demo.authority.agent"))
    page = client.get(reverse("campaigns:mine")).content.decode()
    assert "3 parties restent à vérifier." in page

    client.force_login(user("demo.delegation.admin"))
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "No such mailbox" in page

    atlas_home = client.get("/atlas/").content.decode()
    assert "campaign-home" in atlas_home

    # Loading the demo again changes nothing.
    counts = (UpdateCampaign.objects.count(), CampaignSending.objects.count())
    demo.load_demo()
    assert (UpdateCampaign.objects.count(), CampaignSending.objects.count()) == counts
