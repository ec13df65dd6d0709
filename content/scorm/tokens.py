"""Signed, expiring player tokens: the only credential a sandboxed SCO has.

A SCO runs in an iframe without ``allow-same-origin``, so its requests carry no session cookie. The
lesson page issues a token naming the user, the package and the lesson; the SCO's files are served,
and its commits accepted, against that token only (``content.h5p.tokens`` does the same for H5P).
"""

from dataclasses import dataclass

from django.core import signing

SALT = "content.scorm.player"
MAX_AGE = 60 * 60 * 12


@dataclass(frozen=True)
class ScormGrant:
    user_id: int
    package_id: int
    lesson_id: int | None


def scorm_token(*, user_id: int, package_id: int, lesson_id: int | None) -> str:
    return signing.dumps({"u": user_id, "p": package_id, "l": lesson_id}, salt=SALT, compress=True)


def scorm_grant(token: str) -> ScormGrant | None:
    """Return what the token grants, or None when it is forged, damaged or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return ScormGrant(
            user_id=int(data["u"]), package_id=int(data["p"]),
            lesson_id=int(data["l"]) if data.get("l") is not None else None,
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
