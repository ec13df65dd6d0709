"""Recompute and store the precomputed knowledge-gain figures of the unfiltered page: the national ones
and each agency's (``lms.reports.figures_cache``). Safe to run twice; run it nightly (cron or a systemd
timer) so that the first reader of the morning finds them ready."""

import time

from django.core.management.base import BaseCommand

from lms.reports import figures_cache


class Command(BaseCommand):
    help = "Recompute the stored knowledge-gain figures: national and per agency, unfiltered (idempotent)."

    def handle(self, *args, **options):
        started = time.monotonic()
        scopes = figures_cache.rebuild_all()
        self.stdout.write(
            f"Knowledge-gain figures stored for {len(scopes)} scopes (national and {len(scopes) - 1} agencies) "
            f"in {time.monotonic() - started:.1f} s."
        )
