"""`manage.py check_terms`: list every use of a deprecated term; exit non-zero when there is one."""

from django.core.management.base import BaseCommand, CommandError

from assessments.terminology import SOURCES, terminology_findings


class Command(BaseCommand):
    help = (
        "List the lessons, questions, legal provisions, H5P activity texts and ru/tk catalogue strings that use "
        "a deprecated variant of the termbase, with the preferred term. Exits with status 1 when it finds any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=SOURCES, action="append", help="Check only this kind of source (repeatable).")

    def handle(self, *args, only=None, **options):
        findings = terminology_findings(kinds=only or SOURCES)
        for finding in findings:
            self.stdout.write(
                f"{finding.kind} [{finding.language}] {finding.location}: «{finding.variant}» → «{finding.preferred}» "
                f"({finding.concept})\n    {finding.excerpt}"
            )
        if findings:
            raise CommandError(f"{len(findings)} deprecated term(s) found.", returncode=1)
        self.stdout.write(self.style.SUCCESS("No deprecated terms found."))
