"""Admin wiring: agencies, regions and training units as snippets for programme managers."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Agency, Region, TrainingUnit


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "group"
    list_display = ["code", "name_en", "name_ru", "name_tk", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_en", "name_ru", "name_tk"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["code", "name_en", "name_ru", "name_tk"]


class TrainingUnitViewSet(SnippetViewSet):
    model = TrainingUnit
    icon = "home"
    list_display = ["agency", "code", "name_en", "region"]
    list_filter = ["agency", "region"]
    search_fields = ["code", "name_en", "name_ru", "name_tk"]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (AgencyViewSet, RegionViewSet, TrainingUnitViewSet)
    menu_icon = "group"
    menu_label = _("Organisations")
    menu_name = "organisations"


register_snippet(PeopleViewSetGroup)
