"""Photos kept while a form had errors, then abandoned, are deleted after a delay; no photo an experience uses
(live, or in a draft awaiting moderation) ever is."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.tourism.factories import ExperiencePageFactory
from tests.tourism.test_photos import upload
from tourism.models import ExperiencePhoto
from tourism.photos import store_photo

Image = get_image_model()


def photo(member, title, days_old):
    image = store_photo(upload(), member, title)
    Image.objects.filter(pk=image.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return image


def test_only_old_unused_photos_are_deleted(experiences_index, member):
    abandoned = photo(member, "abandonnée", days_old=3)
    just_uploaded = photo(member, "récente", days_old=0)
    published = photo(member, "publiée", days_old=30)
    in_draft = photo(member, "brouillon", days_old=30)
    live = ExperiencePageFactory(parent=experiences_index, slug="en-ligne", owner=member)
    ExperiencePhoto.objects.create(page=live, image=published, alt_text="Le marché", credit="Awa")
    draft = ExperiencePageFactory(parent=experiences_index, slug="brouillon", owner=member, live=False)
    draft.photos = [ExperiencePhoto(image=in_draft, alt_text="L’école", credit="Awa")]
    draft.save_revision(user=member)  # the photo is in the revision only, not yet in the page's rows
    assert not ExperiencePhoto.objects.filter(image=in_draft).exists()

    call_command("prune_contribution_photos", "--days", "2")

    assert set(Image.objects.values_list("title", flat=True)) == {"récente", "publiée", "brouillon"}
    assert not Image.objects.filter(pk=abandoned.pk).exists()
    assert Image.objects.filter(pk=just_uploaded.pk).exists()


def test_images_outside_the_contributions_collection_are_never_touched(db, member):
    editorial = photo(member, "Une image éditoriale", days_old=30)
    Image.objects.filter(pk=editorial.pk).update(collection=Collection.get_first_root_node())
    call_command("prune_contribution_photos")
    assert Image.objects.filter(pk=editorial.pk).exists()
