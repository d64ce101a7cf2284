"""Members' photos: checked for what they really are, then stored as Wagtail images without any metadata.

A photo is refused when it weighs more than TOURISM_PHOTO_MAX_BYTES or when Pillow does not read it as a
JPEG, PNG or WebP image (the name and the content type the browser sends prove nothing). A stored photo is
turned upright, scaled down to TOURISM_PHOTO_MAX_SIDE pixels and encoded again, so that its EXIF data (the
GPS position of a member's home, the camera's serial number) never reaches the site.
"""

import io
import uuid
import warnings

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wagtail.images import get_image_model
from wagtail.models import Collection

COLLECTION_NAME = "Contributions tourisme"
FORMATS = {"JPEG", "PNG", "WEBP"}
# Beyond this the file is a decompression bomb rather than a photo (a 200-megapixel camera is rare).
MAX_PIXELS = 120_000_000
JPEG_QUALITY = 85


def max_bytes():
    return getattr(settings, "TOURISM_PHOTO_MAX_BYTES", 8 * 1024 * 1024)


def max_side():
    return getattr(settings, "TOURISM_PHOTO_MAX_SIDE", 1920)


def check_photo(uploaded_file):
    """Raises ValidationError unless the file is a readable JPEG, PNG or WebP image of acceptable weight."""
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, io.SEEK_END)
        size = uploaded_file.tell()
    if size > max_bytes():
        raise ValidationError(
            _("This photo weighs %(size)s; a photo may weigh at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
            code="too_heavy",
        )
    not_an_image = ValidationError(
        _("This file is not a JPEG, PNG or WebP photo."),
        code="not_an_image",
    )
    try:
        uploaded_file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(uploaded_file) as image:
                if image.format not in FORMATS:
                    raise not_an_image
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise not_an_image
                image.verify()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        PILImage.DecompressionBombError,
        PILImage.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise not_an_image from error
    finally:
        uploaded_file.seek(0)


def contributions_collection():
    """The collection of members' photos, under the root collection; created the first time."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    return collection or root.add_child(name=COLLECTION_NAME)


def has_transparency(image):
    if image.mode == "P":
        return "transparency" in image.info
    if image.mode in ("RGBA", "LA", "PA"):
        alpha = image.getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def clean_copy(uploaded_file):
    """(bytes, extension) of the photo upright, at most max_side() pixels wide and high, without metadata."""
    uploaded_file.seek(0)
    with PILImage.open(uploaded_file) as original:
        image = ImageOps.exif_transpose(original)
    image.load()
    limit = max_side()
    if max(image.size) > limit:
        image.thumbnail((limit, limit), PILImage.Resampling.LANCZOS)
    output = io.BytesIO()
    if has_transparency(image):
        image = image.convert("RGBA")
        image.info = {}
        image.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        image = image.convert("RGB")
        image.info = {}
        image.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        extension = "jpg"
    uploaded_file.seek(0)
    return output.getvalue(), extension


def store_photo(uploaded_file, user, title):
    """A Wagtail image of the checked photo, in the contributions' collection, uploaded by the member."""
    data, extension = clean_copy(uploaded_file)
    Image = get_image_model()
    image = Image(
        title=(title or _("Photo of an experience"))[:255],
        file=ImageFile(io.BytesIO(data), name=f"contribution-{uuid.uuid4().hex[:16]}.{extension}"),
        collection=contributions_collection(),
        uploaded_by_user=user,
    )
    image._set_image_file_metadata()
    image.save()
    return image


def referenced_image_ids():
    """Every image an experience uses: in its live photos, or in any revision (a draft not yet approved)."""
    from wagtail.models import Revision

    from .models import ExperiencePage, ExperiencePhoto

    ids = set(ExperiencePhoto.objects.values_list("image_id", flat=True))
    revisions = Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk in ExperiencePage.objects.values_list("pk", flat=True)]
    ).values_list("content", flat=True)
    for content in revisions.iterator():
        ids.update(photo.get("image") for photo in content.get("photos", []) if photo.get("image"))
    return ids


def prune_orphan_photos(older_than):
    """Deletes the members' photos no experience uses, once `older_than` has passed since their upload: the
    photos kept while a form had errors and that the member then abandoned. Returns how many were deleted."""
    collection = Collection.objects.filter(name=COLLECTION_NAME).first()
    if collection is None:
        return 0
    Image = get_image_model()
    orphans = (
        Image.objects.filter(collection=collection, created_at__lt=older_than)
        .exclude(pk__in=referenced_image_ids())
        .order_by("pk")
    )
    count = 0
    for image in orphans:  # one by one, so that the files and renditions go with them
        image.delete()
        count += 1
    return count
