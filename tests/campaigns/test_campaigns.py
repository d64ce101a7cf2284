"""The update campaign: opening mails every address once, in resumable batches, failures shown; the dashboards
count what the authorities verified inside the window; reminders are rate-limited; the Atlas pages show the
last full verification once a campaign is closed."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from atlas.campaigns import services
from atlas.campaigns.models import CampaignReminder, CampaignSending, UpdateCampaign
from atlas.campaigns.progress import progress_table
from atlas.models import PartConfirmation
from tests.atlas.factories import AtlasPageFactory, AuthorityFactory, ContactFactory
from tests.campaigns.conftest import days

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
PARTS = PartConfirmation.Part.values


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def open_form(year=None, opens=None, closes=None, message="Vérifiez vos fiches avant l’été."):
    now = timezone.now()
    return {
        "year": year or now.year,
        "opens_at": local(opens or now),
        "closes_at": local(closes or now + days(40)),
        "message": message,
    }


def confirm(authority, parts=PARTS, at=None):
    for part in parts:
        PartConfirmation.objects.create(authority=authority, part=part, confirmed_at=at or timezone.now())


# Opening and mailing --------------------------------------------------------------------------------------


def test_opening_mails_each_address_once_in_french(client, world, mailoutbox):
    client.force_login(world["delegation_admin"])
    response = client.post(reverse("campaigns:open"), open_form())
    campaign = UpdateCampaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("campaigns:detail", args=[campaign.pk])
    expected = {
        world["authority_agent"].email.lower(),
        world["other_authority_agent"].email.lower(),
        world["prefecture_agent"].email.lower(),
        "maire@rennes.fr",
        "relations@brest.fr",
    }
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        {m.to[0] for m in mailoutbox}
    )
    assert {message.to[0].lower() for message in mailoutbox} == expected
    assert len(mailoutbox) == 5
    assert set(campaign.sendings.values_list("status", flat=True)) == {"sent"}
    subject = mailoutbox[0].subject
    assert subject == f"Atlas de la coopération décentralisée : campagne de mise à jour {campaign.year}"
    contact_mail = next(m for m in mailoutbox if m.to == ["maire@rennes.fr"])
    assert "Ville de Rennes" in contact_mail.body
    assert "Vérifiez vos fiches avant l’été." in contact_mail.body
    assert reverse("campaigns:mine") in contact_mail.body
    prefecture_mail = next(
        m for m in mailoutbox if m.to[0].lower() == world["prefecture_agent"].email.lower()
    )
    assert reverse("campaigns:dashboard", args=[campaign.pk]) in prefecture_mail.body
    # The Délégation's page counts them.
    page = client.get(response.url).content.decode()
    assert "<dt>Envoyés</dt><dd>5</dd>" in page.replace("\n", "")


def test_a_rerun_after_a_crash_mails_only_those_left(world, settings, mailoutbox):
    settings.TASKS = DUMMY_TASKS  # the opening only queues: the "worker" below runs the batches
    now = timezone.now()
    campaign = services.open_campaign(
        year=2031, opens_at=now, closes_at=now + days(30), message="Bonjour", user=world["delegation_admin"]
    )
    assert campaign.sendings.count() == 5
    assert mailoutbox == []
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The worker hands two, then dies.
    assert services.send_batch(campaign.pk, size=2) == 2
    assert len(mailoutbox) == 2
    # Run again: only the three left go; a third run finds nothing.
    assert services.send_campaign.call(campaign.pk) == 3
    assert services.send_campaign.call(campaign.pk) == 0
    addresses = [m.to[0].lower() for m in mailoutbox]
    assert len(addresses) == 5 == len(set(addresses))
    # Opening again (a double click) adds nobody: one sending per address and campaign.
    services.queue_sendings(campaign)
    assert campaign.sendings.count() == 5


def test_a_bounce_is_recorded_and_shown_and_the_others_are_sent(client, world, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.campaigns.mail_backends.BouncingBackend"
    ContactFactory(authority=world["brest"], email="bounce@brest.fr")
    client.force_login(world["delegation_admin"])
    client.post(reverse("campaigns:open"), open_form())
    campaign = UpdateCampaign.objects.get()
    failed = campaign.sendings.get(address="bounce@brest.fr")
    assert failed.status == CampaignSending.Status.FAILED
    assert failed.attempts == 1
    assert "SMTPRecipientsRefused" in failed.last_error
    assert campaign.sendings.filter(status="sent").count() == 5
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "bounce@brest.fr" in page
    assert "No such mailbox" in page
    assert "Brest Métropole" in page


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"closes": timezone.now() - days(1)}, "La date de clôture est déjà passée."),
        ({"opens": timezone.now() + days(50)}, "La campagne doit se clore après son ouverture."),
        ({"message": ""}, "Champ requis."),
    ],
)
def test_a_bad_opening_is_refused_in_french_and_keeps_what_was_typed(
    client, world, mailoutbox, change, error
):
    client.force_login(world["delegation_admin"])
    data = open_form(**change)
    response = client.post(reverse("campaigns:open"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert f'value="{data["opens_at"]}"' in page
    assert not UpdateCampaign.objects.exists()
    assert mailoutbox == []


def test_two_campaigns_cannot_run_at_the_same_time(client, world, campaign, mailoutbox):
    client.force_login(world["delegation_admin"])
    response = client.post(reverse("campaigns:open"), open_form(year=campaign.year + 1))
    assert f"La campagne {campaign.year} se déroule déjà à ces dates." in response.content.decode()
    response = client.post(
        reverse("campaigns:open"), open_form(year=campaign.year, opens=campaign.closes_at + days(1))
    )
    assert "Une campagne de cette année existe déjà." in response.content.decode()
    assert UpdateCampaign.objects.count() == 1
    assert mailoutbox == []


# Progress ---------------------------------------------------------------------------------------------------


def test_only_parts_verified_inside_the_window_count(world, campaign):
    confirm(world["rennes"])  # done
    confirm(world["brest"], PARTS[:2])  # partly
    # Before the campaign opened: does not count, Région Bretagne has not started.
    confirm(world["bretagne"], at=campaign.opens_at - days(1))
    france, regions = progress_table(campaign)
    assert (france.total, france.done, france.partly, france.not_started) == (4, 1, 1, 2)
    bretagne, rows = next(entry for entry in regions if entry[0].code == "53")
    assert (bretagne.total, bretagne.done, bretagne.partly) == (3, 1, 1)
    assert [row.code for row in rows] == ["29", "35", ""]
    assert rows[-1].name == "Collectivités de niveau régional"


def test_the_prefecture_sees_its_territory_and_the_ministry_all(client, world, campaign):
    confirm(world["rennes"])
    url = reverse("campaigns:dashboard", args=[campaign.pk])
    client.force_login(world["prefecture_agent"])
    page = client.get(url).content.decode()
    assert "Brest Métropole" in page
    assert "Ville de Lyon" not in page
    assert "Rhône (69) : aucune collectivité dans votre vue" in page
    assert "1 collectivité sur 3 à jour" in page
    assert "Finistère (29) : à jour 0 sur 1 (0 %), en partie 0, pas commencées 1" in page
    csv = b"".join(client.get(reverse("campaigns:dashboard_csv", args=[campaign.pk])).streaming_content)
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith(
        "authority_id,name,kind,code,region_code,region,departement,status,parts_verified"
    )
    assert len(lines) == 4
    assert any(line.split(",")[1] == "Ville de Rennes" and ",done,5," in line for line in lines)
    assert not any("Lyon" in line for line in lines)

    client.force_login(world["ministry_agent"])
    page = client.get(url).content.decode()
    assert "Ville de Lyon" in page
    assert "1 collectivité sur 4 à jour" in page


def test_the_dashboard_query_count_does_not_grow_with_the_authorities(client, world, campaign):
    client.force_login(world["delegation_admin"])
    url = reverse("campaigns:dashboard", args=[campaign.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for n in range(30):
        authority = AuthorityFactory(region="76", departement="31" if n % 2 else "34")
        confirm(authority, PARTS[: n % 6])
        CampaignReminder.objects.create(campaign=campaign, authority=authority)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
    assert len(after) <= 25


# Reminders -------------------------------------------------------------------------------------------------


def remind_url(campaign, authority):
    return reverse("campaigns:remind", args=[campaign.pk, authority.pk])


def test_a_reminder_is_mailed_logged_and_refused_again_within_three_days(client, world, campaign, mailoutbox):
    client.force_login(world["prefecture_agent"])
    response = client.post(remind_url(campaign, world["brest"]), follow=True)
    assert "Brest Métropole est relancée (1 destinataires)." in response.content.decode()
    [message] = mailoutbox
    assert message.to == ["relations@brest.fr"]
    assert (
        message.subject == f"Rappel : campagne de mise à jour {campaign.year} de l’Atlas pour Brest Métropole"
    )
    assert "Préfecture de la région Bretagne" in message.body
    reminder = CampaignReminder.objects.get()
    assert (reminder.authority, reminder.sent_by, reminder.recipients) == (
        world["brest"],
        world["prefecture_agent"],
        1,
    )

    response = client.post(remind_url(campaign, world["brest"]), follow=True)
    page = response.content.decode()
    assert "Brest Métropole a déjà été relancée le" in page
    assert "une nouvelle relance est possible à partir du" in page
    assert len(mailoutbox) == 1
    assert CampaignReminder.objects.count() == 1

    # Three days later it may be reminded again.
    reminder.sent_at -= days(3)
    reminder.save()
    client.post(remind_url(campaign, world["brest"]))
    assert len(mailoutbox) == 2
    assert CampaignReminder.objects.count() == 2


def test_a_done_authority_or_a_closed_campaign_needs_no_reminder(client, world, campaign, mailoutbox):
    confirm(world["rennes"])
    client.force_login(world["prefecture_agent"])
    page = client.post(remind_url(campaign, world["rennes"]), follow=True).content.decode()
    assert "Ville de Rennes a vérifié ses cinq parties : inutile de la relancer." in page
    services.close_campaign(campaign)
    page = client.post(remind_url(campaign, world["brest"]), follow=True).content.decode()
    assert "Cette campagne n’est pas ouverte" in page
    assert mailoutbox == []
    assert not CampaignReminder.objects.exists()


def test_a_prefecture_cannot_remind_outside_its_territory(client, world, campaign, mailoutbox):
    client.force_login(world["prefecture_agent"])
    response = client.post(remind_url(campaign, world["lyon"]))
    # The admin answers a refusal with its dashboard and a message.
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert mailoutbox == []
    assert not CampaignReminder.objects.exists()


# The authority agent ---------------------------------------------------------------------------------------


def test_the_authority_agent_sees_what_is_left_and_verifies_a_part(client, world, campaign):
    campaign.message = "Merci <b>avant</b> l’été."
    campaign.save()
    client.force_login(world["authority_agent"])
    page = client.get(reverse("campaigns:mine")).content.decode()
    assert "Merci &lt;b&gt;avant&lt;/b&gt; l’été." in page  # the Délégation's text, escaped
    assert "Ville de Rennes" in page
    assert "5 parties restent à vérifier." in page
    assert reverse("wagtailsnippets_atlas_contact:list") in page
    response = client.post(reverse("atlas_confirm_part", args=[world["rennes"].pk, "contacts"]), follow=True)
    records = response.content.decode()
    # "Mes fiches Atlas" shows the campaign's panel through the atlas hook.
    assert "4 parties restent à vérifier" in records
    page = client.get(reverse("campaigns:mine")).content.decode()
    assert "4 parties restent à vérifier." in page
    assert "vérifiée le" in page


def test_outside_a_campaign_the_authority_agent_is_told_so(client, world):
    client.force_login(world["authority_agent"])
    page = client.get(reverse("campaigns:mine")).content.decode()
    assert "Aucune campagne de mise à jour n’est ouverte." in page
    records = client.get(reverse("atlas_records")).content.decode()
    assert "campaign-panel" not in records


# After the close: the Atlas pages -------------------------------------------------------------------------


def test_after_the_close_the_atlas_shows_the_last_full_verification(client, home, world, campaign):
    atlas = AtlasPageFactory(parent=home, slug="atlas")
    verified_at = timezone.now() - days(2)
    confirm(world["rennes"], at=verified_at - days(1))
    confirm(world["rennes"], ["networks"], at=verified_at)
    confirm(world["brest"], PARTS[:4])
    rennes_url = f"{atlas.url}collectivites/{world['rennes'].slug}/"
    brest_url = f"{atlas.url}collectivites/{world['brest'].slug}/"
    # While the campaign runs, nothing shows.
    assert "campaign-verification" not in client.get(rennes_url).content.decode()
    assert "campaign-home" not in client.get(atlas.url).content.decode()

    services.close_campaign(campaign)
    day = timezone.localtime(verified_at)
    page = client.get(rennes_url).content.decode()
    assert f"Fiche entièrement vérifiée par la collectivité le {day.day} " in page
    assert f"(campagne de mise à jour {campaign.year})" in page
    page = client.get(brest_url).content.decode()
    assert f"dernière campagne : {campaign.year}" in page
    home_page = client.get(atlas.url).content.decode()
    assert f"Campagne de mise à jour {campaign.year}" in home_page
    assert "1 collectivité a vérifié les cinq parties de sa fiche (sur 4)" in home_page


def test_confirmations_after_the_close_count_for_no_campaign(world, campaign):
    services.close_campaign(campaign)
    confirm(world["rennes"], at=timezone.now() + datetime.timedelta(seconds=1))
    france, _regions = progress_table(campaign)
    assert france.done == 0
