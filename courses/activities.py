"""The activities of a lesson for one learner: the H5P players and the SCORM packages' SCOs, each with its
address (a signed token for this learner and lesson) and, for SCORM, the learner's state of each SCO.

Read by ``selectors.lesson_context`` for the lesson page and by the SCORM status view.
"""

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from content.h5p.services import h5p_package_ids_in
from content.h5p.tokens import player_token
from content.models import H5PPackage, ScormAttempt, ScormPackage
from content.scorm.services import scorm_package_ids_in
from content.scorm.tokens import scorm_token
from content.services import SOURCE_LANGUAGE

from .models import LessonPage


def h5p_players(*, lesson: LessonPage, user) -> dict | None:
    """Player addresses for the lesson's H5P activities, each with a token for this user, and the
    activities an editor allowed the microphone (from the cache; one query after a content change)."""
    package_ids = h5p_package_ids_in(lesson.body)
    if not package_ids or not user.is_authenticated:
        return None
    from .selectors import NAV_TIMEOUT, nav_version  # selectors imports this module

    language = translation.get_language() or SOURCE_LANGUAGE
    # under the content version, which a saved or deleted package bumps (signal_handlers): no query per view
    key = f"courses:h5p-microphone:{nav_version()}:{','.join(str(pk) for pk in sorted(package_ids))}"
    microphone = cache.get(key)
    if microphone is None:
        microphone = list(H5PPackage.objects.filter(pk__in=package_ids, microphone=True).values_list("pk", flat=True))
        cache.set(key, microphone, NAV_TIMEOUT)
    return {
        "lesson": lesson.pk,
        "microphone": [str(package_id) for package_id in microphone],
        "xapiUrl": reverse("courses:h5p_xapi"),
        "stateUrl": reverse("courses:h5p_state"),
        "players": {
            str(package_id): reverse(
                "h5p_player",
                args=[player_token(user_id=user.pk, package_id=package_id, lesson_id=lesson.pk, language=language)],
            )
            for package_id in package_ids
        },
    }


def _sco_state(attempt) -> str:
    """The state of a SCO for the learner, from their latest attempt (a key the lesson page translates)."""
    if attempt is None:
        return "new"
    if attempt.lesson_status == "passed" or attempt.success_status == "passed":
        return "passed"
    if attempt.lesson_status == "failed" or attempt.success_status == "failed":
        return "failed"
    if attempt.is_done:
        return "completed"
    return "started"


def scorm_sco_states(*, user, packages) -> dict[int, list[str]]:
    """The state of every SCO of these packages for the learner, by package, in one query."""
    latest = {}
    attempts = ScormAttempt.objects.filter(user=user, package__in=[package.pk for package in packages]).only(
        "package_id", "sco", "number", "lesson_status", "completion_status", "success_status"
    )
    for attempt in attempts:
        key = (attempt.package_id, attempt.sco)
        if key not in latest or attempt.number > latest[key].number:
            latest[key] = attempt
    # a SCO done in an earlier attempt stays done while a new attempt is under way
    done = {key for key, attempt in latest.items() if attempt.is_done}
    done |= {(attempt.package_id, attempt.sco) for attempt in attempts if attempt.is_done}
    states = {}
    for package in packages:
        row = []
        for sco in package.scos or []:
            key = (package.pk, sco["identifier"])
            state = _sco_state(latest.get(key))
            row.append("completed" if state in ("new", "started") and key in done else state)
        states[package.pk] = row
    return states


def scorm_players(*, lesson: LessonPage, user) -> dict | None:
    """The SCOs of the lesson's SCORM packages, each with its address (a token for this user) and the
    learner's state of it, in two queries."""
    package_ids = scorm_package_ids_in(lesson.body)
    if not package_ids or not user.is_authenticated:
        return None
    packages = list(ScormPackage.objects.filter(pk__in=package_ids))
    states = scorm_sco_states(user=user, packages=packages)
    result = {"lesson": lesson.pk, "statusUrl": reverse("courses:scorm_status"), "packages": {}}
    for package in packages:
        token = scorm_token(user_id=user.pk, package_id=package.pk, lesson_id=lesson.pk)
        result["packages"][str(package.pk)] = {
            "version": package.version,
            "scos": [
                {
                    "identifier": sco["identifier"],  # the target of a SCORM 2004 "choice" navigation request
                    "title": sco["title"],
                    "state": states[package.pk][index],
                    "url": reverse("scorm_file", args=[token, index, sco["launch"]])
                    + (f"?{sco['query']}" if sco.get("query") else ""),
                }
                for index, sco in enumerate(package.scos or [])
            ],
        }
    return result
