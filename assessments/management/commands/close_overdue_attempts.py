"""Close the attempts whose time ran out, with the answers saved until then (run every few minutes).

Attempts are also closed when their learner comes back or saves an answer after the deadline; this
command closes the ones nobody returns to, so results and the grading queue are complete.
"""

from django.core.management.base import BaseCommand

from assessments.services import attempts_expire


class Command(BaseCommand):
    help = "Submit every open test attempt whose deadline has passed."

    def handle(self, *args, **options):
        closed = attempts_expire()
        self.stdout.write(f"Closed {closed} overdue attempt(s).")
