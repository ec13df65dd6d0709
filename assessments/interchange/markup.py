"""Marked-up texts of question files: Markdown rendered, HTML sanitised, before anything else reads them.

GIFT ``[markdown]`` and Moodle XML ``format="markdown"`` texts are rendered by markdown-it-py in its
CommonMark preset with raw HTML off (a ``<b>`` in Markdown stays literal text, as Moodle shows it), then,
like every ``[html]`` text, go through ``content.sanitize.sanitize_stored_richtext``: what the file says is
what is stored, and the preview shows the same.
"""

from __future__ import annotations

import re
from functools import lru_cache

from content.sanitize import sanitize_stored_richtext

IMG = re.compile(r"<img\b", re.I)


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def markdown_to_html(text: str) -> str:
    """Sanitised HTML of a Markdown text."""
    return sanitized_html(_markdown().render(text or "").strip())


def sanitized_html(text: str) -> str:
    """HTML kept only as far as the bank's rich text allows (``content.sanitize``), reshaped for the editor."""
    return sanitize_stored_richtext((text or "").strip()).strip()


def image_count(text: str) -> int:
    """How many ``<img>`` tags an HTML text holds (the sanitiser removes them)."""
    return len(IMG.findall(text or ""))
