"""Read the seed content files of this folder into plain data (no ORM: content is a leaf)."""

import json
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent
LANGUAGES = ("en", "ru", "tk")


class SeedDataError(ValueError):
    """A seed file is missing a language or a field."""


def home_texts() -> dict[str, dict[str, str]]:
    """Return the home page title, slug and intro for each language."""
    data = json.loads((SEED_DIR / "home.json").read_text(encoding="utf-8"))
    for language in LANGUAGES:
        entry = data.get(language)
        if not entry or not all(entry.get(key) for key in ("title", "slug", "intro")):
            raise SeedDataError(f"home.json: incomplete entry for {language!r}")
    return data
