"""Members' private photos stay on the private storage whatever storage holds the public media."""

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage

from portal.core.private_files import PrivateNamesMixin, private_storage

PRIVATE_NAME = "original_images/contribution-0123456789abcdef.jpg"


class ObjectStoreMedia(PrivateNamesMixin, InMemoryStorage):
    """Stands for an object store (S3MediaStorage mixes the same class into django-storages' S3Storage)."""


def test_a_private_photo_never_lands_in_the_public_object_store(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "private": {**settings.STORAGES["private"]}}
    settings.STORAGES["private"]["OPTIONS"] = {"location": str(tmp_path)}
    public = ObjectStoreMedia()

    private_name = public.save(PRIVATE_NAME, ContentFile(b"members only"))
    public_name = public.save("original_images/harbour.jpg", ContentFile(b"for everyone"))

    assert (tmp_path / private_name).read_bytes() == b"members only"
    assert InMemoryStorage.exists(public, public_name)
    assert not InMemoryStorage.exists(public, private_name)
    assert public.url(private_name).startswith(settings.PRIVATE_MEDIA_URL)
    assert not public.url(public_name).startswith(settings.PRIVATE_MEDIA_URL)
    with public.open(private_name) as handle:
        assert handle.read() == b"members only"
    public.delete(private_name)
    assert not private_storage().exists(private_name)
