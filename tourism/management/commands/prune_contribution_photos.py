from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from tourism.photos import prune_orphan_photos


class Command(BaseCommand):
    help = "Deletes the members' photos no experience uses (abandoned forms), after a delay. Run it daily."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="Keep orphans younger than this (default 2).")

    def handle(self, *args, days, **options):
        count = prune_orphan_photos(timezone.now() - timedelta(days=days))
        self.stdout.write(f"{count} orphan photo(s) deleted.")
