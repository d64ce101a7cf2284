"""Demo of the update campaign: last year's campaign, closed (so the Atlas pages show each authority's last
full verification), and this year's, open, with authorities done, partly done and not started everywhere,
Bretagne included (the demo prefecture's territory), the demo authority halfway through.

Idempotent: a campaign of the year that already exists is left as it is. No e-mail is sent: the sendings are
recorded as the mailer would have left them."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from atlas.models import Authority, PartConfirmation
from portal.accounts.models import Membership, Organisation

from .models import CampaignReminder, CampaignSending, UpdateCampaign
from .services import queue_sendings

PARTS = PartConfirmation.Part.values
MESSAGE = (
    "Chaque année, la Délégation pour l’action extérieure des collectivités territoriales met à jour l’Atlas "
    "de la coopération décentralisée. Merci de vérifier les cinq parties de votre fiche avant la clôture."
)


def days(n):
    return datetime.timedelta(days=n)


# Parts verified by the authorities of a département, one pattern repeated over them: some départements
# barely started, others nearly done, so that the map shows contrast.
PATTERNS = [(5, 0, 0, 2, 0, 0), (5, 2, 0, 5, 3, 0), (5, 5, 2, 5, 3, 0), (5, 5, 5, 5, 2, 5)]


def progress_of(index, departement):
    """How many parts the index-th authority of the Atlas verified, given its département."""
    pattern = PATTERNS[sum(map(ord, departement or "region")) % len(PATTERNS)]
    return pattern[index % len(pattern)]


@transaction.atomic
def load_demo(now=None):
    now = now or timezone.now()
    delegation = get_user_model().objects.filter(username="demo.delegation.admin").first()
    authorities = list(Authority.objects.order_by("pk").values_list("pk", "departement"))
    if not authorities:
        return None
    year = timezone.localtime(now).year
    last = load_campaign(year - 1, now - days(365), now - days(320), authorities, delegation, offset=1)
    current = load_campaign(year, now - days(20), now + days(40), authorities, delegation, offset=0)
    if current is not None:
        demo_authority_halfway(current)
        prefecture_reminded_once(current, now)
    return current or last


def load_campaign(year, opens_at, closes_at, authorities, opened_by, offset):
    if UpdateCampaign.objects.filter(year=year).exists():
        return None
    campaign = UpdateCampaign.objects.create(
        year=year,
        opens_at=opens_at,
        closes_at=closes_at,
        message=MESSAGE,
        opened_by=opened_by,
        opened_at=opens_at,
        state=UpdateCampaign.State.CLOSED if closes_at <= timezone.now() else UpdateCampaign.State.OPEN,
    )
    queue_sendings(campaign)
    # As the mailer left them: all sent, one bounce.
    campaign.sendings.update(
        status=CampaignSending.Status.SENT, attempts=1, handed_at=opens_at, sent_at=opens_at
    )
    bounced = campaign.sendings.order_by("pk").first()
    if bounced:
        bounced.status, bounced.sent_at = CampaignSending.Status.FAILED, None
        bounced.last_error = (
            f"SMTPRecipientsRefused: {{'{bounced.address}': (550, b'5.1.1 No such mailbox')}}"
        )
        bounced.save()
    add_progress(campaign, authorities, offset)
    return campaign


def add_progress(campaign, authorities, offset=0):
    """Confirmations inside the campaign's window, for [(authority pk, département)], as PATTERNS says."""
    opens_at = campaign.opens_at
    span = (min(campaign.closes_at, timezone.now()) - opens_at).total_seconds()
    confirmations = []
    for index, (authority_id, departement) in enumerate(authorities):
        for number, part in enumerate(PARTS[: progress_of(index + offset, departement)]):
            moment = opens_at + datetime.timedelta(seconds=span * ((index * 7 + number * 3) % 97 + 1) / 100)
            confirmations.append(PartConfirmation(authority_id=authority_id, part=part, confirmed_at=moment))
    PartConfirmation.objects.bulk_create(confirmations, batch_size=2000)


def load_bench(now=None):
    """The open campaign at whatever scale the Atlas has been seeded (`make bench` after seed_atlas, which
    replaces the demo authorities): made if missing, its sendings and progress filled for every authority."""
    now = now or timezone.now()
    load_demo(now)
    campaign = UpdateCampaign.objects.current(now).first()
    if campaign is None:
        return None
    queue_sendings(campaign)
    if not campaign.window_confirmations().exists():
        add_progress(campaign, list(Authority.objects.order_by("pk").values_list("pk", "departement")))
    return campaign


def demo_authority_halfway(campaign):
    """The demo authority agent's authority has two parts verified and three left: they have work."""
    membership = (
        Membership.objects.approved()
        .filter(user__username="demo.authority.agent", organisation__kind=Organisation.Kind.LOCAL_AUTHORITY)
        .select_related("organisation", "user")
        .first()
    )
    if membership is None:
        return
    authority_id = membership.organisation.authority_id
    campaign.window_confirmations().filter(authority_id=authority_id).delete()
    for number, part in enumerate(PARTS[:2]):
        PartConfirmation.objects.create(
            authority_id=authority_id,
            part=part,
            confirmed_by=membership.user,
            confirmed_at=campaign.opens_at + days(2 + number),
        )


def prefecture_reminded_once(campaign, now):
    """The demo prefecture reminded one late authority of Bretagne four days ago (it may remind it again)."""
    agent = get_user_model().objects.filter(username="demo.prefecture.agent").first()
    late = (
        Authority.objects.filter(region="53")
        .exclude(pk__in=campaign.window_confirmations().values("authority_id"))
        .order_by("name")
        .first()
    )
    if agent and late:
        CampaignReminder.objects.create(
            campaign=campaign, authority=late, sent_by=agent, sent_at=now - days(4), recipients=1
        )
