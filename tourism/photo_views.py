"""Members' photos, served through this view only (their files are private: portal/core/private_files.py).

A photo of a published experience is everybody's. Before publication (a draft, a submission, a refused or
withdrawn experience, a photo kept from a form with errors), only its author, the people who may edit the
experiences (the tourism moderators) and the admin users with rights on its collection see it; anybody
else gets a 404, as for a photo that does not exist.
"""

import mimetypes

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy

from portal.core.private_files import is_private_name

from .models import ExperienceIndexPage, ExperiencePhoto


def image_and_file(name):
    """(image, the field file named `name`: the original or one of its renditions), or (None, None)."""
    Image = get_image_model()
    image = Image.objects.filter(file=name).first()
    if image is not None:
        return image, image.file
    rendition = Image.get_rendition_model().objects.select_related("image").filter(file=name).first()
    if rendition is not None:
        return rendition.image, rendition.file
    return None, None


def is_published(image):
    return ExperiencePhoto.objects.filter(image=image, page__live=True).exists()


def may_see_unpublished(user, image):
    if not (user.is_authenticated and user.is_active):
        return False
    if image.uploaded_by_user_id == user.pk:
        return True
    if permission_policy.user_has_any_permission_for_instance(user, ["change", "choose"], image):
        return True
    return any(index.permissions_for_user(user).can_edit() for index in ExperienceIndexPage.objects.all())


@require_safe
def serve_photo(request, name):
    if not is_private_name(name):
        raise Http404
    image, field_file = image_and_file(name)
    if image is None:
        raise Http404
    published = is_published(image)
    if not published and not may_see_unpublished(request.user, image):
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    # A published photo may be cached for a while; an unpublished one only by the browser of who may see it.
    response["Cache-Control"] = "public, max-age=3600" if published else "private, no-cache"
    if not published:
        response["X-Robots-Tag"] = "noindex"
    return response
