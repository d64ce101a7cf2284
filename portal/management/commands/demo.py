from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from atlas import demo as atlas_demo
from atlas.bourse import demo as bourse_demo
from pages import demo as pages_demo
from portal import demo as portal_demo
from tourism import demo as tourism_demo


class Command(BaseCommand):
    help = "Loads the demo content and demo accounts. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo accounts.")

    @transaction.atomic
    def handle(self, *args, quiet=False, **options):
        home = pages_demo.load_home()
        atlas_demo.load(home)
        bourse_demo.load(home)
        pages_demo.load_sections(home)
        accounts = portal_demo.load_accounts()
        acting_for = portal_demo.load_memberships(accounts)
        portal_demo.load_products()
        tourism_demo.load(home)
        pages_demo.load_extranet_page(home)
        # Last: the English tree mirrors every page the demos made, some of them translated.
        pages_demo.load_translations(home)
        # The demo Atlas is bulk-inserted, which bypasses the signals that index records for the site search.
        call_command("update_index", verbosity=0)
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Contenu de démonstration chargé."))
            self.stdout.write(f"Comptes de démonstration (mot de passe : {portal_demo.DEMO_PASSWORD}) :")
            for user, role in accounts:
                organisation = acting_for.get(user.username)
                acts_for = f" – {organisation.name}" if organisation else ""
                self.stdout.write(f"  {user.username:<28} {role.label}{acts_for}")
