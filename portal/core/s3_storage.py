"""Public media in an S3-compatible object store (MEDIA_STORAGE=s3 in production), private names kept on the
private storage (portal.core.private_files.PrivateNamesMixin). Imported only when chosen: django-storages
and boto3 are production extras (`pip install ".[production]" boto3`)."""

from storages.backends.s3 import S3Storage

from portal.core.private_files import PrivateNamesMixin


class S3MediaStorage(PrivateNamesMixin, S3Storage):
    pass
