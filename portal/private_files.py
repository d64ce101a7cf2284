"""Private files (a member's kept PDF exports): stored outside MEDIA_ROOT, so that no address of the web
server reaches them, and served only by views that check who asks, through `serve_private_file`.

The storage is STORAGES["private"]: a folder (PRIVATE_MEDIA_ROOT) by default, an object storage with
private objects in production if PRIVATE_STORAGE_BACKEND says so. Its files have no URL on purpose.
"""

from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("A private file has no public address: serve it through a view that checks access.")


def private_storage():
    """The storage of private files (a callable, so that models and migrations name it, not its settings)."""
    return storages["private"]


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
