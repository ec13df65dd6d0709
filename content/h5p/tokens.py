"""Signed, expiring player tokens: the only credential a sandboxed H5P player has.

The player runs in an iframe without ``allow-same-origin``, so its requests carry no session
cookie. The page that embeds it (a lesson the learner may see, or an editor's preview) issues a
token naming the user, the package and the lesson; package files are served against that token only.
"""

from dataclasses import dataclass

from django.core import signing

SALT = "content.h5p.player"
MAX_AGE = 60 * 60 * 12


@dataclass(frozen=True)
class PlayerGrant:
    user_id: int
    package_id: int
    lesson_id: int | None
    language: str


def player_token(*, user_id: int, package_id: int, lesson_id: int | None, language: str) -> str:
    return signing.dumps({"u": user_id, "p": package_id, "l": lesson_id, "g": language}, salt=SALT, compress=True)


def player_grant(token: str) -> PlayerGrant | None:
    """Return what the token grants, or None when it is forged, damaged or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return PlayerGrant(
            user_id=int(data["u"]), package_id=int(data["p"]),
            lesson_id=int(data["l"]) if data.get("l") is not None else None, language=str(data["g"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
