"""The public page of an authority says which of the five parts its agents confirmed, and when: one confirmed
part does not make the whole page "confirmed"."""

import datetime

from django.utils import dateformat, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from atlas.models import PartConfirmation
from tests.atlas.factories import AtlasPageFactory, AuthorityFactory

MARCH = datetime.datetime(2026, 3, 3, 10, tzinfo=datetime.UTC)


def confirmation_lines(client, atlas, authority):
    html = client.get(f"{atlas.url}collectivites/{authority.slug}/").content.decode()
    block = html.split('class="fr-hint-text atlas-confirmations"', 1)[1].split("</div>", 1)[0]
    return [item.split("</li>", 1)[0].strip() for item in block.split("<li>")[1:]]


def expected(**dates):
    """The five lines, in the screen's language: a part's date, or "not confirmed"."""
    with translation.override("fr"):
        lines = []
        for part, label in PartConfirmation.Part.choices:
            if part in dates:
                day = dateformat.format(timezone.localtime(dates[part]), "j F Y")
                lines.append(_("%(part)s: confirmed on %(date)s") % {"part": capfirst(label), "date": day})
            else:
                lines.append(_("%(part)s: not confirmed") % {"part": capfirst(label)})
        return lines


def test_each_part_shows_its_own_confirmation(client, home):
    atlas = AtlasPageFactory(parent=home, slug="atlas")
    authority = AuthorityFactory()
    assert confirmation_lines(client, atlas, authority) == expected()

    PartConfirmation.objects.create(authority=authority, part="contacts", confirmed_at=MARCH)
    lines = confirmation_lines(client, atlas, authority)
    assert lines == expected(contacts=MARCH)
    assert "3" in lines[0]
    assert "2026" in lines[0]
    assert all("2026" not in line for line in lines[1:])

    # Another part confirmed later dates that part only; a part shows its latest confirmation.
    april = MARCH + datetime.timedelta(days=30)
    PartConfirmation.objects.create(authority=authority, part="aid", confirmed_at=april)
    PartConfirmation.objects.create(
        authority=authority, part="contacts", confirmed_at=MARCH - datetime.timedelta(days=90)
    )
    assert confirmation_lines(client, atlas, authority) == expected(contacts=MARCH, aid=april)
