"""Admin wiring for certification programmes and ToT cohorts (viewsets and menus only)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_forms import CohortAdminForm, ProgrammeAdminForm
from .models import CertificationProgramme, ToTCohort


class ProgrammeViewSet(SnippetViewSet):
    model = CertificationProgramme
    icon = "pick"
    menu_label = _("Certification programmes")
    list_display = ["name", "code", "validity_months"]
    edit_handler = ObjectList([
        FieldPanel("code"),
        MultiFieldPanel([FieldPanel("name_en"), FieldPanel("name_ru"), FieldPanel("name_tk")], heading=_("name")),
        FieldPanel("course_key"),
        FieldPanel("modules"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("evaluation_threshold"), FieldPanel("evaluation_minimum")]),
                FieldPanel("requires_co_facilitation"),
                FieldPanel("validity_months"),
            ],
            heading=_("certification"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("recert_sessions"), FieldPanel("recert_min_gain")]),
                FieldPanel("refresher_course_key"),
                FieldPanel("refresher_test"),
            ],
            heading=_("recertification"),
        ),
    ], base_form_class=ProgrammeAdminForm)


class CohortViewSet(SnippetViewSet):
    model = ToTCohort
    icon = "group"
    menu_label = _("ToT cohorts")
    list_display = ["title", "code", "starts_on", "ends_on", "language"]
    list_filter = ["language", "programme"]
    search_fields = ["title", "code", "venue"]
    edit_handler = ObjectList([
        FieldPanel("title"),
        FieldPanel("code"),
        FieldPanel("programme"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel([FieldPanel("venue"), FieldPanel("region"), FieldPanel("language")]),
        FieldPanel("master_trainers"),
        FieldRowPanel([FieldPanel("pre_test"), FieldPanel("post_test")]),
    ], base_form_class=CohortAdminForm)


class TrainersGroup(SnippetViewSetGroup):
    menu_label = _("Trainers")
    menu_icon = "group"
    menu_order = 230
    items = (ProgrammeViewSet, CohortViewSet)


register_snippet(TrainersGroup)
