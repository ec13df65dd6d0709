"""HTML sanitising with bleach for every piece of HTML that a user or an upload supplies.

Rich text is cleaned twice: when it is saved (in Wagtail's stored format, which keeps internal links and
embeds as ``<a linktype=…>`` and ``<embed …/>``) and when it is rendered (after Wagtail has expanded
those into real links and images), so that neither a crafted revision nor an old row can inject script.
"""

import re
from functools import lru_cache

import bleach

# bleach strips the tags of script/style but keeps their text; drop the whole element first.
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
# Wagtail finds stored embeds only in their self-closing form.
EMBED = re.compile(r"<embed(\b[^>]*?)\s*/?>")

TEXT_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "b", "em", "i", "u",
    "sub", "sup", "blockquote", "code", "pre", "span", "div", "table", "thead", "tbody", "tr", "th", "td",
}
PROTOCOLS = {"http", "https", "mailto", "tel"}

STORED_TAGS = TEXT_TAGS | {"a", "embed"}
STORED_ATTRIBUTES = {
    "a": ["href", "linktype", "id", "title"],
    "embed": ["embedtype", "id", "format", "alt", "url"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
}
RENDERED_TAGS = TEXT_TAGS | {"a", "img", "figure", "figcaption"}
RENDERED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "width", "height", "class", "loading"],
    "figure": ["class"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
}


def _clean(html: str, *, tags, attributes) -> str:
    html = SCRIPT_OR_STYLE.sub("", html or "")
    return bleach.clean(
        html, tags=tags, attributes=attributes, protocols=PROTOCOLS, strip=True, strip_comments=True
    )


# Both functions are pure: pages render the same texts again and again, so keep recent results.
@lru_cache(maxsize=4096)
def sanitize_stored_richtext(html: str) -> str:
    """Return rich text in Wagtail's stored format with anything unsafe removed."""
    return EMBED.sub(r"<embed\1/>", _clean(html, tags=STORED_TAGS, attributes=STORED_ATTRIBUTES))


@lru_cache(maxsize=4096)
def sanitize_rendered_html(html: str) -> str:
    """Return rendered HTML with scripts, event handlers, styles and unsafe URLs removed."""
    return _clean(html, tags=RENDERED_TAGS, attributes=RENDERED_ATTRIBUTES)


def plain_text(text: str) -> str:
    """Return text with every tag removed (for fields that must hold no markup)."""
    return bleach.clean(SCRIPT_OR_STYLE.sub("", text or ""), tags=set(), strip=True)
