"""Admin wiring for the question bank, tests and blueprints (menus and viewsets only)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_forms import QuestionAdminForm
from .models import Assessment, Blueprint, Question
from .views import question_import


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["title", "kind", "module", "objective", "difficulty", "forms", "active"]
    list_filter = ["locale", "kind", "module", "difficulty", "active"]
    search_fields = ["title", "prompt"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("key"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("points"), FieldPanel("difficulty")]),
            FieldRowPanel([FieldPanel("module"), FieldPanel("objective"), FieldPanel("forms")]),
            FieldPanel("prompt"),
            FieldPanel("data"),
            FieldPanel("feedback"),
            FieldPanel("active"),
            FieldPanel("editor_note"),
        ],
        base_form_class=QuestionAdminForm,
    )


class BlueprintViewSet(SnippetViewSet):
    model = Blueprint
    icon = "list-ol"
    menu_label = _("Blueprints")
    panels = [FieldPanel("name"), InlinePanel("rules", label=_("rules"), min_num=1)]


class AssessmentViewSet(SnippetViewSet):
    model = Assessment
    icon = "tasks"
    menu_label = _("Tests")
    list_display = ["slug", "title", "purpose", "form", "published", "closes_at"]
    list_filter = ["purpose", "published"]
    search_fields = ["slug", "title_en", "title_ru", "title_tk"]
    panels = [
        FieldPanel("slug"),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("title_ru"), FieldPanel("title_tk")], heading=_("title")),
        FieldRowPanel([FieldPanel("purpose"), FieldPanel("blueprint"), FieldPanel("form")]),
        InlinePanel("items", label=_("fixed items (when there is no blueprint)")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("shuffle_items"), FieldPanel("shuffle_options")]),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("max_attempts"), FieldPanel("pass_mark")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("review"),
            ],
            heading=_("rules"),
        ),
        FieldPanel("published"),
    ]


class AssessmentGroup(SnippetViewSetGroup):
    menu_label = _("Assessments")
    menu_icon = "tasks"
    menu_order = 220
    items = (QuestionViewSet, AssessmentViewSet, BlueprintViewSet)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            MenuItem(
                _("Import and export questions"),
                reverse("assessments_question_import"),
                icon_name="download",
                order=900,
                name="question-import",
            )
        )
        return items


register_snippet(AssessmentGroup)


@hooks.register("register_admin_urls")
def register_question_import_urls():
    return [
        path("assessments/questions/import/", question_import.question_import, name="assessments_question_import"),
        path("assessments/questions/export/", question_import.question_export, name="assessments_question_export"),
    ]
