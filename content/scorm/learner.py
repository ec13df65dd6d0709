"""Who the SCO is told the learner is: ``cmi.core.student_id`` / ``cmi.learner_id`` and
``cmi.core.student_name`` / ``cmi.learner_name``.

The name is given in full, as SCORM writes it, "Last, First" (the data model's own example): authoring
tools print it on the completion certificate inside the package and greet the learner with it, and a
SCO runs sandboxed and can send it nowhere but to our own commit address. It follows the site's one rule
for names (``lms.people.names.display_name``: the name, else the username), in SCORM's order: with only
one of the two names, that one; with neither, the username the learner signs in with.

The id is opaque and stable: an HMAC of the user's id under the site's ``SECRET_KEY``, the same for
every package, launch and attempt, which reveals neither the database id nor the username (a SCO that
reports to a third party has nothing to look the learner up by). It changes only if ``SECRET_KEY`` does.
H5P content, which is not expected to know who is playing, gets a pseudonym instead (``content.h5p.xapi``).
"""

from django.utils.crypto import salted_hmac

SALT = "content.scorm.learner-id"
MAX_NAME = 250  # SCORM 1.2 CMIString255; 2004 characterstring SPM 250


def learner_id(user) -> str:
    return "learner-" + salted_hmac(SALT, str(user.pk), algorithm="sha256").hexdigest()[:24]


def learner_name(user) -> str:
    last = (getattr(user, "last_name", "") or "").strip()
    first = (getattr(user, "first_name", "") or "").strip()
    name = ", ".join(part for part in (last, first) if part) or user.get_username()
    return name[:MAX_NAME]
