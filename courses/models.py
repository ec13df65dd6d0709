"""The Wagtail page tree: home → course index → course → module → lesson; enrolment and progress.

Enrolment and progress are keyed by the page's ``translation_key`` (one identity for the English page
and its Russian and Turkmen translations), so a learner who switches language keeps their progress.
"""



from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.url_routing import RouteResult
from wagtail.search import index

from content.blocks import LessonStreamBlock
from content.h5p.services import permissions_policy
from content.panels import TranslationStatePanel
from content.sanitize import sanitize_stored_richtext


class CachedRestrictionsMixin:
    """Answer "which view restrictions apply here" from a cached table (two queries fewer per page)."""

    def get_view_restrictions(self):
        # not at the top: a real cycle, routing imports selectors, which import these models
        from .routing import view_restrictions_for

        restrictions = view_restrictions_for(self)
        return super().get_view_restrictions() if restrictions is None else restrictions


class HomePage(CachedRestrictionsMixin, Page):
    """The root of each language's site: a welcome and the way in."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find a page by its path in one query; fall back to the source language's tree.

        Each language has its own tree under its home page. When the requested language has no
        (live) translation of a page, the English page at the same path is served and the request is
        marked, so the template can tell the learner that they are reading the source.
        """
        if not path_components:
            return super().route(request, path_components)
        try:
            return self._route_by_path(path_components)
        except Http404:
            source_home = self._source_home()
            if source_home is None:
                raise
            result = source_home._route_by_path(path_components)
            request.lms_language_fallback = True
            return result

    def _route_by_path(self, path_components):
        url_path = self.url_path + "/".join(path_components) + "/"
        page = Page.objects.filter(url_path=url_path, live=True).first()
        if page is None:
            raise Http404
        return RouteResult(page.specific)

    def _source_home(self):
        from wagtail.models import Locale

        if self.locale_id == Locale.get_default().pk:
            return None
        home = self.get_translation_or_none(Locale.get_default())
        return home.specific if home is not None and home.live else None


class CourseIndexPage(CachedRestrictionsMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request, *args, **kwargs):
        # not at the top: a real cycle, selectors import these models
        from .selectors import course_cards

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_cards(index_page=self, user=request.user)
        return context


class CoursePage(CachedRestrictionsMixin, Page):
    summary = models.TextField(_("summary"))
    audience = models.TextField(_("audience"), blank=True)
    duration = models.CharField(_("duration"), max_length=300, blank=True)
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line.")
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    self_enrolment = models.BooleanField(
        _("learners may enrol themselves"), default=True
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("duration"), FieldPanel("prerequisites")],
            heading=_("For whom"),
        ),
        FieldPanel("learning_outcomes"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("self_enrolment")]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        # not at the top: a real cycle, selectors import these models
        from .selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(course=self, user=request.user)
        return context


class ModulePage(CachedRestrictionsMixin, Page):
    number = models.PositiveSmallIntegerField(_("module number"))
    objectives = models.TextField(_("objectives"), help_text=_("One objective per line."))
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=60)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "ol", "ul"])
    editor_note = models.TextField(_("note for editors"), blank=True)

    search_fields = Page.search_fields + [index.SearchField("objectives"), index.SearchField("intro")]
    content_panels = Page.content_panels + [
        FieldPanel("number"),
        FieldPanel("objectives"),
        FieldPanel("estimated_minutes"),
        FieldPanel("intro"),
        InlinePanel(
            "lesson_links",
            label=_("Lessons reused from other courses"),
            help_text=_("Reuse a lesson instead of copying it: learners' progress is shared."),
        ),
        FieldPanel("editor_note"),
        TranslationStatePanel(),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    def save(self, *args, **kwargs):
        self.intro = sanitize_stored_richtext(self.intro)
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # not at the top: a real cycle, selectors import these models
        from .selectors import module_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = module_outline(module=self, user=request.user)
        return context


class ModuleLessonLink(Orderable):
    """A lesson of another course that a module reuses (not a copy)."""

    module = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="lesson_links")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("lesson")
    )

    panels = [PageChooserPanel("lesson", "courses.LessonPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("reused lesson")


class LessonPage(CachedRestrictionsMixin, Page):
    summary = models.TextField(_("summary"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=30)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    editor_note = models.TextField(_("note for editors"), blank=True)

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        FieldPanel("editor_note"),
        TranslationStatePanel(),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        permissions = [("view_trainer_notes", _("Can see trainer notes in lessons"))]

    def get_context(self, request, *args, **kwargs):
        # not at the top: a real cycle, selectors import these models
        from .selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(lesson=self, request=request))
        nav = context.get("nav")
        if nav is not None and request.user.is_authenticated and not getattr(request, "is_preview", False):
            # not at the top: a real cycle, services import these models (and selectors, which import them)
            from .services import last_visit_record

            last_visit_record(user=request.user, course_key=nav.key, lesson_key=self.translation_key)
        return context

    def serve(self, request, *args, **kwargs):
        """The lesson page, which may delegate the microphone to an H5P activity an editor allowed it."""
        response = super().serve(request, *args, **kwargs)
        h5p = (getattr(response, "context_data", None) or {}).get("h5p")
        if h5p and h5p.get("microphone"):
            response["Permissions-Policy"] = permissions_policy(microphone=True)
        return response


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolment")
        COORDINATOR = "coordinator", _("Enrolled by a coordinator")
        TRAINER = "trainer", _("Enrolled by a trainer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course_key = models.UUIDField(_("course"), db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.SELF)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="courses_one_enrolment_per_course")
        ]


class LessonProgress(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Marked as done")
        ACTIVITY = "activity", _("Completed an activity")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson_key = models.UUIDField(_("lesson"), db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="courses_one_progress_per_lesson")
        ]


class LastVisit(models.Model):
    """The lesson a learner opened last in a course, for "continue where you left off"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_key = models.UUIDField()
    lesson_key = models.UUIDField()
    visited_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="courses_one_last_visit_per_course")
        ]


class CourseCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions")
    course_key = models.UUIDField(_("course"), db_index=True)
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course completion")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="courses_one_completion_per_course")
        ]


