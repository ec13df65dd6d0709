"""HTML sanitising with bleach for every piece of HTML that a user or an upload supplies.

Rich text is cleaned twice: when it is saved (in Wagtail's stored format, which keeps internal links and
embeds as ``<a linktype=…>`` and ``<embed …/>``) and when it is rendered (after Wagtail has expanded
those into real links and images), so that neither a crafted revision nor an old row can inject script.

Rendering has one path: ``render_richtext`` (the ``safe_richtext`` template filter, and ``SafeRichText``
of the StreamField blocks). Rows written past ``save()`` (``QuerySet.update()``, ``loaddata``, a crafted
page revision) are therefore inert too. Templates never use Wagtail's ``|richtext`` or ``|safe`` on stored
text; ``tests/content/test_richtext_paths.py`` walks the templates and the code to keep it so.

Saving also puts the markup in a shape that the rich-text editor (Draftail) can open: its converter
fails on an ``<li>`` outside a list, on a ``<br>`` that is not self-closed inside a paragraph, and on a
paragraph inside bold or a link. Imported questions bring such markup (``assessments.interchange``).
"""

import re
from functools import lru_cache

import bleach
from bs4 import BeautifulSoup, NavigableString
from bs4.formatter import HTMLFormatter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# bleach strips the tags of script/style but keeps their text; drop the whole element first.
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)

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

# Elements the editor's converter keeps as inline styles or entities, and elements that start a block.
INLINE_TAGS = {"a", "b", "strong", "i", "em", "u", "code", "sub", "sup", "span"}
BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr", "embed",
    "table", "thead", "tbody", "tr", "th", "td",
}
LIST_TAGS = {"ul", "ol"}


class _KeepOrder(HTMLFormatter):
    """Minimal escaping, attributes in their order (BeautifulSoup sorts them by default)."""

    def attributes(self, tag):
        return list(tag.attrs.items())


KEEP_ORDER = _KeepOrder(
    entity_substitution=HTMLFormatter.REGISTRY["minimal"].entity_substitution, void_element_close_prefix="/"
)


def _clean(html: str, *, tags, attributes) -> str:
    html = SCRIPT_OR_STYLE.sub("", html or "")
    return bleach.clean(
        html, tags=tags, attributes=attributes, protocols=PROTOCOLS, strip=True, strip_comments=True
    )


def normalise_richtext(html: str) -> str:
    """Return ``html`` in a shape the rich-text editor can open, keeping its text and formatting.

    An inline element (bold, a link …) that holds a block loses its tag, consecutive ``<li>`` outside a
    list go into a ``<ul>``, and empty elements are written self-closed (``<br/>``) as Wagtail writes them.
    This reshapes markup; it does not make it safe (``sanitize_stored_richtext`` does both).
    """
    if not html or "<" not in html:
        return html or ""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(INLINE_TAGS):
        if tag.find(BLOCK_TAGS) is not None:
            tag.unwrap()
    for item in soup.find_all("li"):
        if item.parent is None or item.find_parent(LIST_TAGS) is not None:
            continue
        wrapper = soup.new_tag("ul")
        item.insert_before(wrapper)
        # take this item and the orphan items (and the blank text between them) that follow it
        node = item
        while node is not None:
            following = node.next_sibling
            wrapper.append(node.extract())
            blanks = []
            while isinstance(following, NavigableString) and not following.strip():
                blanks.append(following)
                following = following.next_sibling
            if getattr(following, "name", None) != "li":
                break
            for blank in blanks:
                wrapper.append(blank.extract())
            node = following
    return soup.decode(formatter=KEEP_ORDER)


# Both functions are pure: pages render the same texts again and again, so keep recent results.
@lru_cache(maxsize=4096)
def sanitize_stored_richtext(html: str) -> str:
    """Return rich text in Wagtail's stored format with anything unsafe removed, ready for the editor."""
    return normalise_richtext(_clean(html, tags=STORED_TAGS, attributes=STORED_ATTRIBUTES))


@lru_cache(maxsize=4096)
def sanitize_rendered_html(html: str) -> str:
    """Return rendered HTML with scripts, event handlers, styles and unsafe URLs removed."""
    return _clean(html, tags=RENDERED_TAGS, attributes=RENDERED_ATTRIBUTES)


def render_richtext(value) -> SafeString:
    """Return stored rich text (a string in Wagtail's format, or a ``RichText``) as HTML to put in a page.

    The one way stored rich text reaches a page: Wagtail expands internal links and embeds, then bleach
    keeps only the project's allow-list. The only ``mark_safe`` on stored text in the project is here.
    """
    from wagtail.rich_text import RichText, expand_db_html

    source = value.source if isinstance(value, RichText) else ("" if value is None else str(value))
    if not source:
        return mark_safe("")
    return mark_safe(sanitize_rendered_html(expand_db_html(source)))  # noqa: S308 - bleach just cleaned it


def plain_text(text: str) -> str:
    """Return text with every tag removed (for fields that must hold no markup)."""
    return bleach.clean(SCRIPT_OR_STYLE.sub("", text or ""), tags=set(), strip=True)


def plain_paragraphs(html: str) -> str:
    """Return the text of ``html`` as escaped paragraphs, one per line: markup that nothing else can open."""
    text = BeautifulSoup(html or "", "html.parser").get_text("\n")
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
