"""Members' photos uploaded before they were private files lay in the public media: move them (originals and
renditions, same names) to the private folder, where the default storage now looks for them."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import migrations

from portal.core.private_files import MediaStorage, is_private_name


def move_members_photos(apps, schema_editor):
    if not isinstance(storages["default"], MediaStorage):
        return  # another storage (object storage) is configured: nothing of ours to move
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    private = storages["private"]
    for model_name in ("Image", "Rendition"):
        model = apps.get_model("wagtailimages", model_name)
        for name in model.objects.filter(file__contains="contribution-").values_list("file", flat=True):
            if not is_private_name(name) or not public.exists(name):
                continue
            if not private.exists(name):
                with public.open(name, "rb") as source:
                    private._save(name, source)  # the very name the database holds
            public.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("tourism", "0004_french_collation"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(move_members_photos, migrations.RunPython.noop)]
