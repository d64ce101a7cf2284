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


class PrivateNamesMixin:
    """Sends every operation on a private name to the private storage, whatever storage holds the public
    media: the local disk (MediaStorage) or an object store (S3MediaStorage). Members' photos never land in
    a public bucket because the public media moved there."""

    def _storage_for(self, name):
        return private_storage() if is_private_name(name) else None

    def _open(self, name, mode="rb"):
        private = self._storage_for(name)
        return private._open(name, mode) if private else super()._open(name, mode)

    def _save(self, name, content):
        private = self._storage_for(name)
        return private._save(name, content) if private else super()._save(name, content)

    def delete(self, name):
        private = self._storage_for(name)
        return private.delete(name) if private else super().delete(name)

    def exists(self, name):
        private = self._storage_for(name)
        return private.exists(name) if private else super().exists(name)

    def path(self, name):
        private = self._storage_for(name)
        return private.path(name) if private else super().path(name)

    def size(self, name):
        private = self._storage_for(name)
        return private.size(name) if private else super().size(name)

    def url(self, name):
        if is_private_name(name):
            return settings.PRIVATE_MEDIA_URL + filepath_to_uri(name)
        return super().url(name)

    def get_accessed_time(self, name):
        private = self._storage_for(name)
        return private.get_accessed_time(name) if private else super().get_accessed_time(name)

    def get_created_time(self, name):
        private = self._storage_for(name)
        return private.get_created_time(name) if private else super().get_created_time(name)

    def get_modified_time(self, name):
        private = self._storage_for(name)
        return private.get_modified_time(name) if private else super().get_modified_time(name)


class MediaStorage(PrivateNamesMixin, FileSystemStorage):
    """MEDIA_ROOT at MEDIA_URL, except the files with a private name: in the private storage, addressed
    under PRIVATE_MEDIA_URL."""


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
