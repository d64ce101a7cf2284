"""Members' photos: only real JPEG, PNG and WebP images of an acceptable weight are taken; what is stored is
upright, no larger than the maximum side, and keeps no metadata (a phone's GPS position above all)."""

import io

import pytest
from PIL import ExifTags
from PIL import Image as PILImage

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from wagtail.models import Collection

from tourism.photos import COLLECTION_NAME, check_photo, store_photo


def photo_bytes(
    size=(800, 600), image_format="JPEG", color=(200, 120, 40), gps=False, orientation=None, mode="RGB"
):
    """A real image made in memory; with gps=True it carries a phone's EXIF position (and its make)."""
    image = PILImage.new(mode, size, color)
    if mode == "RGB":
        # Two halves of different colours, to tell after a rotation which side is up.
        image.paste((20, 40, 160), (0, 0, size[0] // 2, size[1]))
    exif = image.getexif()
    if gps or orientation:
        exif[ExifTags.Base.Make] = "Téléphone"
        if orientation:
            exif[ExifTags.Base.Orientation] = orientation
        if gps:
            position = exif.get_ifd(ExifTags.IFD.GPSInfo)
            position[ExifTags.GPS.GPSLatitudeRef] = "N"
            position[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
            position[ExifTags.GPS.GPSLongitudeRef] = "E"
            position[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 7.0)
    output = io.BytesIO()
    options = {"exif": exif} if (gps or orientation) else {}
    image.save(output, format=image_format, **options)
    return output.getvalue()


def upload(name="photo.jpg", content=None, content_type="image/jpeg", **kwargs):
    return SimpleUploadedFile(name, content if content is not None else photo_bytes(**kwargs), content_type)


def stored(image):
    with image.open_file() as f:
        return PILImage.open(io.BytesIO(f.read()))


@pytest.mark.parametrize(
    ("name", "image_format", "content_type"),
    [("a.jpg", "JPEG", "image/jpeg"), ("b.png", "PNG", "image/png"), ("c.webp", "WEBP", "image/webp")],
)
def test_real_photos_pass(name, image_format, content_type):
    check_photo(upload(name, photo_bytes(image_format=image_format), content_type))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("vacances.jpg", b"Ceci est un texte, pas une photo.\n" * 20, "image/jpeg"),
        ("vacances.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "image/png"),
        ("animation.gif", None, "image/gif"),
        ("tronquee.jpg", None, "image/jpeg"),
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused_whatever_its_name(name, content, content_type):
    if name == "animation.gif":
        content = photo_bytes(image_format="GIF", mode="P", color=1)
    if name == "tronquee.jpg":
        content = photo_bytes()[:300]
    with pytest.raises(ValidationError) as error:
        check_photo(upload(name, content, content_type))
    assert error.value.code == "not_an_image"


def test_a_photo_too_heavy_is_refused_before_it_is_read(settings):
    settings.TOURISM_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        check_photo(upload(content=b"x" * 1001))
    assert error.value.code == "too_heavy"
    assert filesizeformat(1000) in error.value.messages[0]


def test_the_stored_photo_is_upright_smaller_and_without_metadata(db, settings, member):
    settings.TOURISM_PHOTO_MAX_SIDE = 1920
    image = store_photo(upload(size=(4000, 3000), gps=True), member, "Le marché")
    assert (image.width, image.height) == (1920, 1440)
    assert image.title == "Le marché"
    assert image.uploaded_by_user == member
    assert image.collection.name == COLLECTION_NAME
    assert image.collection.get_parent() == Collection.get_first_root_node()
    assert image.file_size
    assert image.file_hash
    assert image.file.name.endswith(".jpg")
    assert "photo" not in image.file.name
    result = stored(image)
    assert result.format == "JPEG"
    assert max(result.size) <= 1920
    assert not dict(result.getexif())
    assert "exif" not in result.info
    assert "icc_profile" not in result.info
    with image.open_file() as f:
        raw = f.read()
    assert b"Exif" not in raw
    assert "Téléphone".encode() not in raw


def test_the_camera_orientation_is_applied(db, member):
    # Orientation 6: the camera was turned; the 800x600 picture is shown 600 wide and 800 high.
    image = store_photo(upload(size=(800, 600), orientation=6), member, "Portrait")
    assert (image.width, image.height) == (600, 800)
    assert not dict(stored(image).getexif())


def test_a_transparent_png_stays_a_png_and_others_become_jpeg(db, member):
    transparent = store_photo(
        upload("logo.png", photo_bytes(image_format="PNG", mode="RGBA", color=(0, 0, 0, 0)), "image/png"),
        member,
        "Logo",
    )
    assert transparent.file.name.endswith(".png")
    assert stored(transparent).mode == "RGBA"
    opaque = store_photo(upload("carte.png", photo_bytes(image_format="PNG"), "image/png"), member, "Carte")
    assert opaque.file.name.endswith(".jpg")
    webp = store_photo(upload("vue.webp", photo_bytes(image_format="WEBP"), "image/webp"), member, "Vue")
    assert stored(webp).format == "JPEG"


def test_one_collection_for_every_contribution(db, member, other_member):
    first = store_photo(upload(), member, "Un")
    second = store_photo(upload(), other_member, "Deux")
    assert first.collection_id == second.collection_id
    assert Collection.objects.filter(name=COLLECTION_NAME).count() == 1
