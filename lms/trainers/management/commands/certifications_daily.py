"""Expire certifications past their validity and send the 60- and 30-day reminders. Safe to run twice;
run it once a day (cron or a systemd timer), or enqueue ``lms.trainers.tasks.certifications_daily``."""

from datetime import date

from django.core.management.base import BaseCommand

from lms.trainers import services


class Command(BaseCommand):
    help = "Expire certifications past their validity and send expiry reminders (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Run as of this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        result = services.daily_run(today=today)
        self.stdout.write(f"{result['expired']} certifications expired, {result['reminded']} reminders sent.")
