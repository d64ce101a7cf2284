"""Private files: stored outside MEDIA_ROOT, so that no address of the web server reaches them, and served
only by views that check who asks.

- A member's kept PDF exports: their model field uses the private storage (STORAGES["private"]), and views
  serve them with `serve_private_file` after checking the owner.
- Members' photos (Wagtail images, whose files always go to the default storage): the default storage,
  `MediaStorage`, keeps the files whose name matches PRIVATE_MEDIA_NAME_PATTERN (originals and their
  renditions) in the private folder too, and gives them an address under PRIVATE_MEDIA_URL, a view that
  checks whether the photo is published or the visitor may see it (tourism/photo_views.py). Every
  `{% image %}` tag, on the site and in the admin, then points there by itself.
"""

import posixpath
import re

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404
from django.utils.encoding import filepath_to_uri


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("A private file has no public address: serve it through a view that checks access.")


def private_storage():
    """The storage of private files (a callable, so that models and migrations name it, not its settings)."""
    return storages["private"]


def is_private_name(name):
    pattern = getattr(settings, "PRIVATE_MEDIA_NAME_PATTERN", "")
    return bool(pattern) and re.match(pattern, posixpath.basename(str(name).replace("\\", "/"))) is not None


class MediaStorage(FileSystemStorage):
    """MEDIA_ROOT at MEDIA_URL, except the files with a private name: in the private storage, addressed
    under PRIVATE_MEDIA_URL. Every operation on a private name goes to the private storage."""

    def _open(self, name, mode="rb"):
        return private_storage()._open(name, mode) if is_private_name(name) else super()._open(name, mode)

    def _save(self, name, content):
        return (
            private_storage()._save(name, content) if is_private_name(name) else super()._save(name, content)
        )

    def delete(self, name):
        return private_storage().delete(name) if is_private_name(name) else super().delete(name)

    def exists(self, name):
        return private_storage().exists(name) if is_private_name(name) else super().exists(name)

    def path(self, name):
        return private_storage().path(name) if is_private_name(name) else super().path(name)

    def size(self, name):
        return private_storage().size(name) if is_private_name(name) else super().size(name)

    def url(self, name):
        if is_private_name(name):
            return settings.PRIVATE_MEDIA_URL + filepath_to_uri(name)
        return super().url(name)

    def get_accessed_time(self, name):
        storage = private_storage() if is_private_name(name) else super()
        return storage.get_accessed_time(name)

    def get_created_time(self, name):
        storage = private_storage() if is_private_name(name) else super()
        return storage.get_created_time(name)

    def get_modified_time(self, name):
        storage = private_storage() if is_private_name(name) else super()
        return storage.get_modified_time(name)


def serve_private_file(field_file, filename, content_type=None):
    """The file as a download, never cached by a shared cache nor indexed; 404 when it is gone."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
