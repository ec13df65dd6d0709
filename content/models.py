"""Legal provisions: articles of legal instruments as translatable, versioned content."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import RevisionMixin, TranslatableMixin
from wagtail.search import index

from .sanitize import sanitize_stored_richtext


class ProvisionItemBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("label"), max_length=10, help_text=_("Exactly as the law writes it, e.g. a, b, ç, d, e, ä."))
    text = blocks.TextBlock(label=_("text"))

    class Meta:
        icon = "list-ul"


class ProvisionPartBlock(blocks.StructBlock):
    """A part (or paragraph) of an article with its penalty and lettered items."""

    label = blocks.CharBlock(label=_("part"), max_length=10)
    text = blocks.TextBlock(label=_("text"))
    penalty = blocks.TextBlock(label=_("penalty"), required=False)
    items = blocks.ListBlock(ProvisionItemBlock(), label=_("items (aggravating circumstances)"), default=[])

    class Meta:
        icon = "doc-full"


class LegalProvision(TranslatableMixin, RevisionMixin, index.Indexed, models.Model):
    """An article of a legal instrument in one edition.

    A new edition is a new record that ``supersedes`` the old one, so lessons keep pointing at the text
    they were written for until an editor reviews them (see ``content.selectors``). The parts are a
    StreamField of documented shape (``ProvisionPartBlock``); their block ids are stable across languages
    and editions of the same record, so questions can refer to a part or an item.
    """

    code = models.SlugField(
        _("code"), max_length=60, help_text=_("Stable identifier, e.g. cc-129-1-2010.")
    )
    instrument = models.CharField(_("legal instrument"), max_length=300)
    article = models.CharField(_("article"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    edition = models.CharField(_("edition"), max_length=200)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("replaces the edition"),
    )
    text = RichTextField(_("summary"), blank=True, features=["bold", "italic", "ol", "ul"])
    parts = StreamField([("part", ProvisionPartBlock())], blank=True, verbose_name=_("parts"))
    notes = RichTextField(_("notes"), blank=True, features=["bold", "italic", "ol", "ul"])
    verified = models.BooleanField(
        _("wording verified"),
        default=False,
        help_text=_("Tick only when the wording was checked against the official text in force."),
    )
    editor_note = models.TextField(_("note for editors"), blank=True)

    search_fields = [
        index.SearchField("title"),
        index.SearchField("article"),
        index.SearchField("instrument"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        ordering = ["instrument", "article", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "locale"], name="content_provision_code_locale"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="content_provision_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article}, {self.instrument} ({self.edition})"

    def save(self, *args, **kwargs):
        self.text = sanitize_stored_richtext(self.text)
        self.notes = sanitize_stored_richtext(self.notes)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.effective_to is None


def _translatable_fields():
    from wagtail_localize.fields import SynchronizedField, TranslatableField

    return [
        SynchronizedField("code"),
        TranslatableField("instrument"),
        TranslatableField("article"),
        TranslatableField("title"),
        TranslatableField("edition"),
        SynchronizedField("effective_from"),
        SynchronizedField("effective_to"),
        SynchronizedField("supersedes"),
        TranslatableField("text"),
        TranslatableField("parts"),
        TranslatableField("notes"),
        SynchronizedField("verified"),
        TranslatableField("editor_note"),
    ]


LegalProvision.translatable_fields = _translatable_fields()
