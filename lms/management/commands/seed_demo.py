"""Load the demo: locales, home pages, agencies, regions, units and demo accounts. Safe to re-run."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from content.seed.loader import home_texts
from courses.services import home_pages_ensure
from lms.people.seed import demo_people_load, reference_data_load
from lms.people.services import roles_sync

DEFAULT_DEMO_PASSWORD = "tot-demo-2026"


class Command(BaseCommand):
    help = "Create or update the demo site, reference data and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="Only locales, home pages, roles, agencies, regions and units (allowed in production).",
        )

    def handle(self, *args, reference_only=False, **options):
        if not reference_only and not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo accounts are not created under production settings. "
                "Use --reference-only to load agencies, regions and the home pages."
            )
        roles_sync()
        home_pages_ensure(texts=home_texts(), site_name=str(settings.WAGTAIL_SITE_NAME))
        reference_data_load()
        self.stdout.write("Locales, home pages, roles, agencies, regions and units are in place.")
        if reference_only:
            return
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        accounts = demo_people_load(password=password)
        call_command("update_index", verbosity=0)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {password}):"))
        for account in accounts:
            roles = ", ".join(account.get("roles") or ["superuser"])
            agency = account.get("agency", "")
            self.stdout.write(f"  {account['username']:<17} {roles:<22} {agency}")
