"""wagtail-localize's "Translate" and "Sync translated snippets" row buttons of a snippet listing, for the
whole page in a fixed number of queries.

wagtail-localize's own ``register_snippet_listing_buttons`` hook asks the database two to four times per row
(is a language missing? is there a translation source, and does it have enabled translations?). A snippet
index view that mixes in ``BatchedLocalizeButtonsMixin`` answers the same questions for all its rows at once
and shows the same buttons, under the same permission, instead of that hook's.
"""

from urllib.parse import urlencode

from django.contrib.admin.utils import quote
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import BaseButton, Button, ButtonWithDropdown
from wagtail.models import Locale, TranslatableMixin


def _localize_hook():
    from wagtail_localize.wagtail_hooks import register_snippet_listing_buttons

    return register_snippet_listing_buttons


def localize_buttons_many(instances, user, next_url=None) -> dict:
    """The buttons wagtail-localize's hook gives each of ``instances`` (snippets of one translatable model),
    by primary key: "Translate" while a language has no version, "Sync translated snippets" when the row is
    the source of enabled translations. Four queries whatever the number of rows (none without the
    permission)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail_localize.models import Translation, TranslationSource

    instances = [instance for instance in instances if instance.pk is not None]
    if not instances or not user.has_perm("wagtail_localize.submit_translation"):
        return {instance.pk: [] for instance in instances}
    model = type(instances[0])
    if not issubclass(model, TranslatableMixin):
        return {instance.pk: [] for instance in instances}
    keys = {instance.translation_key for instance in instances}
    all_locales = set(Locale.objects.values_list("pk", flat=True))
    present = {}
    for key, locale_id in model.objects.filter(translation_key__in=keys).values_list("translation_key", "locale_id"):
        present.setdefault(key, set()).add(locale_id)
    content_type = ContentType.objects.get_for_model(model.get_translation_model())
    sources = {
        (source.object_id, source.locale_id): source
        for source in TranslationSource.objects.filter(object_id__in=keys, object__content_type=content_type)
        .annotate(_synced=Exists(Translation.objects.filter(source=OuterRef("pk"), enabled=True)))
        .only("pk", "object_id", "locale_id")
    }
    meta = model._meta
    buttons = {}
    for instance in instances:
        row = []
        if all_locales - present.get(instance.translation_key, set()):
            row.append(
                Button(
                    _("Translate"),
                    reverse("wagtail_localize:submit_snippet_translation",
                            args=[meta.app_label, meta.model_name, quote(instance.pk)]),
                    attrs={"aria-label": _("Translate '%(title)s'") % {"title": str(instance)}},
                    icon_name="wagtail-localize-language",
                    priority=100,
                )
            )
        source = sources.get((instance.translation_key, instance.locale_id))
        if source is not None and source._synced:
            url = reverse("wagtail_localize:update_translations", args=[source.pk])
            if next_url is not None:
                url += "?" + urlencode({"next": next_url})
            row.append(
                Button(
                    _("Sync translated snippets"),
                    url,
                    attrs={"aria-label": _("Sync translations of '%(title)s'") % {"title": str(instance)}},
                    icon_name="resubmit",
                    priority=106,
                )
            )
        buttons[instance.pk] = row
    return buttons


class BatchedLocalizeButtonsMixin:
    """For a snippet ``IndexView``: wagtail-localize's row buttons from one batch per page (see above)."""

    def get_table(self, object_list):
        rows = list(object_list)
        self._localize_buttons = localize_buttons_many(rows, self.request.user, self.request.path)
        return super().get_table(rows)

    def get_list_buttons(self, instance):
        # Wagtail's ``snippets.IndexView.get_list_buttons``, with the batched buttons in place of
        # wagtail-localize's hook (every other hook runs as before)
        next_url = self.request.path
        localize_hook = _localize_hook()
        batched = getattr(self, "_localize_buttons", {})
        list_buttons = []
        more_buttons = []
        buttons = self.get_list_more_buttons(instance)
        for hook in hooks.get_hooks("register_snippet_listing_buttons"):
            if hook is localize_hook and instance.pk in batched:
                buttons.extend(batched[instance.pk])
            else:
                buttons.extend(hook(instance, self.request.user, next_url))
        for button in buttons:
            if isinstance(button, BaseButton) and not button.allow_in_dropdown:
                list_buttons.append(button)
            elif isinstance(button, MenuItem):
                if button.is_shown(self.request.user):
                    more_buttons.append(Button.from_menu_item(button))
            elif button.show:
                more_buttons.append(button)
        for hook in hooks.get_hooks("construct_snippet_listing_buttons"):
            hook(more_buttons, instance, self.request.user)
        if more_buttons:
            list_buttons.append(
                ButtonWithDropdown(
                    buttons=more_buttons,
                    icon_name="dots-horizontal",
                    attrs={"aria-label": _("More options for '%(title)s'") % {"title": str(instance)}},
                )
            )
        return list_buttons
