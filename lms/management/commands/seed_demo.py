"""Load the demo: locales, home pages, agencies, regions, units, demo accounts, the curriculum, its tests
and the pool of trainers. Safe to re-run."""

import os
from contextlib import contextmanager

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from django.contrib.auth.models import Group
from wagtail.models import Locale

from assessments import seed as assessment_seed
from content.seed.loader import home_texts
from content.services import termbase_seed
from courses import seed as course_seed
from courses.services import editorial_setup, home_pages_ensure
from lms.people.seed import agency_staff_load, demo_people_load, reference_data_load, simulated_cohort_load
from lms.people.roles import Role
from lms.people.services import roles_sync
from lms.cascade.seed import sessions_seed
from lms.ojt.seed import ojt_seed
from lms.trainers.seed import tot_cohorts_seed

DEFAULT_DEMO_PASSWORD = "tot-demo-2026"


class HeldMailBackend(BaseEmailBackend):
    """Keep the notices that seeding triggers (approvals, reports, reviews) instead of sending them."""

    held: list = []

    def send_messages(self, messages):
        type(self).held.extend(messages)
        return len(messages)


@contextmanager
def mail_held():
    """Send no mail while the block runs: a demo's made-up events must not reach anyone's inbox (or
    fill the console of `make demo` with hundreds of lines). Yield the list of the held messages."""
    previous = settings.EMAIL_BACKEND
    HeldMailBackend.held = []
    settings.EMAIL_BACKEND = f"{__name__}.HeldMailBackend"
    try:
        yield HeldMailBackend.held
    finally:
        settings.EMAIL_BACKEND = previous


class Command(BaseCommand):
    help = "Create or update the demo site, reference data and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="Only locales, home pages, roles, agencies, regions and units (allowed in production).",
        )
        parser.add_argument(
            "--without-curriculum",
            action="store_true",
            help="Skip the course content (legal provisions, courses, modules, lessons): faster.",
        )

    def handle(self, *args, reference_only=False, without_curriculum=False, **options):
        with mail_held() as held:
            self._seed(reference_only=reference_only, without_curriculum=without_curriculum)
        if held:
            self.stdout.write(f"{len(held)} notices that the demo's events would have e-mailed were not sent.")

    def _seed(self, *, reference_only, without_curriculum):
        if not reference_only and not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo accounts are not created under production settings. "
                "Use --reference-only to load agencies, regions and the home pages."
            )
        roles_sync()
        home = home_pages_ensure(texts=home_texts(), site_name=str(settings.WAGTAIL_SITE_NAME))
        reference_data_load()
        self.stdout.write("Locales, home pages, roles, agencies, regions and units are in place.")
        if reference_only:
            return
        courses = self._curriculum(home) if not without_curriculum else None
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        accounts = demo_people_load(password=password)
        if courses is not None:
            tot, refresher = courses
            pre, post = self._assessments(tot)
            self._trainers(tot=tot, refresher=refresher, pre=pre, post=post)
            agency_staff_load()
            count = sessions_seed(course_key=tot.translation_key, pre=pre, post=post)
            self.stdout.write(f"Cascade sessions are in place ({count}).")
            plans, records = ojt_seed()
            self.stdout.write(f"On-the-job training of the GPO is in place ({plans} plans, {records} records).")
        call_command("update_index", verbosity=0)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {password}):"))
        for account in accounts:
            roles = ", ".join(account.get("roles") or ["superuser"])
            agency = account.get("agency", "")
            self.stdout.write(f"  {account['username']:<17} {roles:<22} {agency}")

    def _curriculum(self, home):
        self.stdout.write("Loading the curriculum (legal provisions, termbase, courses, modules, lessons in en/ru/tk)…")
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        provisions = course_seed.provisions_seed(locales=locales)
        termbase_seed(locales=locales)
        index = course_seed.course_index_seed(home=home, locales=locales)
        # H5P activities and SCORM packages, by the activity name that lesson blocks use
        packages = {**course_seed.h5p_packages_seed(locales=locales), **course_seed.scorm_packages_seed(locales=locales)}
        tot = course_seed.tot_course_seed(index=index, locales=locales, provisions=provisions, packages=packages)
        refresher = course_seed.refresher_course_seed(index=index, tot=tot, locales=locales)
        editorial_setup(
            index_pages=list(index.get_translations(inclusive=True)),
            editors=Group.objects.get(name=Role.EDITOR),
            reviewers=Group.objects.get(name=Role.MANAGER),
        )
        return tot, refresher

    def _assessments(self, tot):
        from django.contrib.auth import get_user_model

        self.stdout.write("Loading the question bank, the ToT pre/post tests and a simulated cohort's results…")
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        assessment_seed.question_bank_seed(locales=locales)
        pre, post = assessment_seed.pre_post_seed(course_key=tot.translation_key)
        learners = simulated_cohort_load()
        grader = get_user_model().objects.get(username="trainer")
        assessment_seed.cohort_results_seed(learners=learners, pre=pre, post=post, grader=grader)
        return pre, post

    def _trainers(self, *, tot, refresher, pre, post):
        statuses = tot_cohorts_seed(tot=tot, refresher=refresher, pre=pre, post=post)
        summary = ", ".join(f"{count} {status}" for status, count in statuses.items())
        self.stdout.write(f"ToT cohorts and the pool of trainers are in place ({summary}).")
