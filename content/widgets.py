"""The rich-text editor of the admin (``WAGTAILADMIN_RICH_TEXT_EDITORS``): Wagtail's Draftail, made to
open every stored text.

Draftail's converter raises on markup it cannot map (an ``<li>`` outside a list, a paragraph inside
bold …), which turned the edit page of such a row into a server error. Saving normalises the markup
(``content.sanitize``); a row stored before that, or written past ``save()``, is normalised here when
the editor opens it, and as a last resort shown as plain paragraphs, so the editor can always correct it.
"""

from wagtail.admin.rich_text import DraftailRichTextArea

from .sanitize import plain_paragraphs, sanitize_stored_richtext


class RichTextEditor(DraftailRichTextArea):
    """Draftail that opens any stored rich text instead of failing."""

    def format_value(self, value):
        try:
            return super().format_value(value)
        except Exception:  # noqa: BLE001 - the converter asserts; any failure means "reshape and retry"
            pass
        text = "" if value is None else str(value)
        try:
            return super().format_value(sanitize_stored_richtext(text))
        except Exception:  # noqa: BLE001
            return super().format_value(plain_paragraphs(text))
