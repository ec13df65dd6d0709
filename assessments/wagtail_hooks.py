"""Admin wiring for the question bank, tests and blueprints (menus and viewsets only)."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem as ListMenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets.button import Button
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from content.localize_buttons import BatchedLocalizeButtonsMixin
from content.side_panels import TranslationStateEditViewMixin
from content.translation_state import translation_states, translation_states_many

from .admin_forms import QuestionAdminForm, QuestionDataPanel
from .models import Assessment, Blueprint, Question
from .question_filters import QuestionFilterSet
from .selectors import module_labels
from .views import question_import, question_preview, question_regrade

REGRADE_LABEL = _("Regrade answers")
PREVIEW_LABEL = _("Preview")


def _regrade_url(question) -> str:
    return reverse("wagtailsnippets_assessments_question:regrade", args=[question.pk])


def _preview_url(question) -> str:
    return reverse("wagtailsnippets_assessments_question:preview_languages", args=[question.pk])


def _languages(question) -> str:
    """The question's languages and their state, e.g. "Türkmençe: up to date · Русский: missing"."""
    states = getattr(question, "_translation_states", None)
    if states is None:
        states = translation_states(question)
    return " · ".join(f"{entry.name}: {entry.label}" for entry in states if entry.state != "source")


def _module(question) -> str:
    """The module's name ("Module 2: Identification of victims"), not its number."""
    if question.module is None:
        return ""
    labels = getattr(question, "_module_labels", None)
    if labels is None:
        labels = module_labels([question.module])
    return labels.get(question.module, str(question.module))


class QuestionIndexView(BatchedLocalizeButtonsMixin, IndexView):
    """One row per question: the source-language version, with its translations' state in a column (a
    language chosen in the locale filter lists that language's versions instead). wagtail-localize's
    "Translate" / "Sync" row buttons come from one batch per page (``BatchedLocalizeButtonsMixin``)."""

    def get_table(self, object_list):
        # the Translations column's states for the whole page at once (a few queries, not a few per row)
        rows = list(object_list)
        states = translation_states_many(rows)
        modules = module_labels(question.module for question in rows)
        for question in rows:
            question._translation_states = states.get(question.pk, [])
            question._module_labels = modules
        return super().get_table(rows)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if not self.request.GET.get("locale"):
            queryset = queryset.filter(locale=Locale.get_default())
        return queryset

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if question_preview.may_preview(self.request.user):
            buttons.append(ListMenuItem(PREVIEW_LABEL, url=_preview_url(instance), icon_name="view", priority=35))
        if question_regrade.may_regrade(self.request.user):
            buttons.append(ListMenuItem(REGRADE_LABEL, url=_regrade_url(instance), icon_name="rotate", priority=40))
        return buttons


class QuestionEditView(TranslationStateEditViewMixin, EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if question_preview.may_preview(self.request.user):
            buttons.append(Button(PREVIEW_LABEL, url=_preview_url(self.object), icon_name="view", priority=35))
        if question_regrade.may_regrade(self.request.user):
            buttons.append(Button(REGRADE_LABEL, url=_regrade_url(self.object), icon_name="rotate", priority=40))
        return buttons


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    menu_label = _("Questions")
    list_display = [
        "title", "kind",
        Column("module", label=capfirst(Question._meta.get_field("module").verbose_name), accessor=_module, sort_key="module"),
        "objective", "difficulty", "forms",
        BooleanColumn("active", label=Question._meta.get_field("active").verbose_name),
        Column("languages", label=_("Translations"), accessor=_languages),
    ]
    filterset_class = QuestionFilterSet  # module, type, form, test, translation state (question_filters.py)
    # no search_fields: the model's index (title and prompt) is searched whole; naming fields here makes the
    # SQLite backend look for a column "prompt" that its FTS5 table does not have (a 500 on every search)
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("key"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("points"), FieldPanel("difficulty")]),
            FieldRowPanel([FieldPanel("module"), FieldPanel("objective"), FieldPanel("forms")]),
            FieldPanel("prompt"),
            QuestionDataPanel(heading=_("answers and key")),
            FieldPanel("feedback"),
            FieldPanel("active"),
            FieldPanel("editor_note"),
        ],
        base_form_class=QuestionAdminForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(f"regrade/<{self.pk_path_converter}:pk>/", question_regrade.question_regrade, name="regrade"),
            path(
                f"preview-languages/<{self.pk_path_converter}:pk>/",
                question_preview.question_preview,
                name="preview_languages",
            ),
        ]


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
                FieldRowPanel([FieldPanel("layout"), FieldPanel("review"), FieldPanel("retake_after_pass")]),
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


# --- terminology: the report of deprecated terms, and a warning when a page with one goes to review -------

from django.contrib import messages  # noqa: E402
from django.utils.translation import gettext  # noqa: E402

from content.terminology import deprecated_terms_in  # noqa: E402

from .views.terminology_report import TerminologyReportView, may_see_report  # noqa: E402


@hooks.register("register_admin_urls")
def register_terminology_report_url():
    return [path("reports/deprecated-terms/", TerminologyReportView.as_view(), name="assessments_terminology_report")]


class TerminologyReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_report(request.user)


@hooks.register("register_reports_menu_item")
def register_terminology_report_menu_item():
    return TerminologyReportMenuItem(
        _("Deprecated terms"), reverse("assessments_terminology_report"), icon_name="openquote", order=910
    )


def page_deprecated_terms(page) -> list[str]:
    """The deprecated variants (with the preferred term) in a page's title, summary and body."""
    values = [page.title, getattr(page, "summary", "") or ""]
    body = getattr(page, "body", None)
    if body is not None:
        values.append(list(body.raw_data))
    findings = deprecated_terms_in(values, page.locale.language_code)
    return sorted({f"«{finding.variant}» → «{finding.preferred}»" for finding in findings})


@hooks.register("after_edit_page")
def warn_about_deprecated_terms_on_submit(request, page):
    """When an editor submits a page for review (or saves it), name the deprecated terms it holds."""
    if request.method != "POST":
        return
    terms = page_deprecated_terms(page.get_latest_revision_as_object())
    if terms:
        messages.warning(
            request,
            gettext("This page uses deprecated terms: %(terms)s. Use the preferred terms of the termbase.")
            % {"terms": "; ".join(terms)},
        )
