"""Renditions of members' photos whose name Wagtail cut to fit a long filter spec ("contribution-4f9fcdc9f.
2e16d0ba.format-jpeg.fill-400x225.jpg") did not match the private-name pattern and were written to the public
media. The pattern now admits them (portal/settings/base.py): move those files to the private folder, as 0005
did for the first ones."""

import importlib

from django.db import migrations

move_members_photos = importlib.import_module(
    "tourism.migrations.0005_members_photos_private"
).move_members_photos


class Migration(migrations.Migration):
    dependencies = [("tourism", "0005_members_photos_private")]

    operations = [migrations.RunPython(move_members_photos, migrations.RunPython.noop)]
