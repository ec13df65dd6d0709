"""Question bank, tests, attempts and answers.

A question is translatable (one row per language, one ``translation_key``), so an answer given in
Turkmen and one given in Russian count as answers to the same item. A test's settings are one row for
all languages. An attempt stores, at its start, the items it draws (one ``Answer`` row per item, with
the question version in the learner's language), so a resumed attempt shows the same items in the same
order, and a paper attempt fills the same rows. The shapes of ``Question.data`` and ``Answer.response``
are documented in ``assessments/FORMAT.md``.
"""


from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from content.i18n import localized_value
from content.sanitize import sanitize_stored_richtext

RICH_FEATURES = ["bold", "italic", "ol", "ul", "image", "document-link"]  # images and documents: imported files


class Question(TranslatableMixin, index.Indexed, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple response")
        TRUEFALSE = "truefalse", _("True or false")
        MATCHING = "matching", _("Matching")
        ORDERING = "ordering", _("Ordering")
        SHORT = "short", _("Short answer")
        CASE = "case", _("Case qualification")
        RUBRIC = "rubric", _("Open response (rubric)")
        NUMERICAL = "numerical", _("Numerical")
        CLOZE = "cloze", _("Embedded answers (Cloze)")

    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        HARD = "hard", _("Hard")

    key = models.SlugField(
        _("identifier"), max_length=80, help_text=_("Stable name of the item, the same in every language.")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, help_text=_("A short name for editors and reports."))
    prompt = RichTextField(_("question"), features=RICH_FEATURES)
    feedback = RichTextField(_("general feedback"), blank=True, features=RICH_FEATURES)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0.01)]
    )
    module = models.PositiveSmallIntegerField(_("module"), null=True, blank=True)
    objective = models.SlugField(_("learning objective"), max_length=80, blank=True)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    forms = models.CharField(
        _("parallel forms"),
        max_length=10,
        blank=True,
        help_text=_("Letters of the test forms this item may appear in, e.g. A, B or AB; empty: any form."),
    )
    data = models.JSONField(_("answers and key"), default=dict, help_text=_("Shape: assessments/FORMAT.md."))
    active = models.BooleanField(_("in use"), default=True, help_text=_("Retired items stay in results and analytics."))
    editor_note = models.TextField(_("note for editors"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("title"),
        index.SearchField("prompt"),
        index.FilterField("locale_id"),
        index.FilterField("kind"),
        index.FilterField("module"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["module", "key"]
        constraints = [
            models.UniqueConstraint(fields=["key", "locale"], name="assessments_question_key_per_locale"),
            models.CheckConstraint(condition=Q(points__gt=0), name="assessments_question_points_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # HTML comes from editors, seed files and imported Moodle/GIFT files: sanitise what is stored
        self.prompt = sanitize_stored_richtext(self.prompt)
        self.feedback = sanitize_stored_richtext(self.feedback)
        if isinstance(self.data, dict):
            for name in ("scenario", "model_answer"):
                if isinstance(self.data.get(name), str):
                    self.data[name] = sanitize_stored_richtext(self.data[name])
        super().save(*args, **kwargs)


def _question_translatable_fields():
    """What wagtail-localize translates and what it copies from the source question on sync.

    ``data`` is neither: each language's row keeps its own options, pairs and case elements (their texts
    are in that language), so a sync of the English item never overwrites a translated one. The keys of
    the language versions are compared on the regrade page instead.
    """
    from wagtail_localize.fields import SynchronizedField, TranslatableField

    return [
        SynchronizedField("key"),
        SynchronizedField("kind"),
        TranslatableField("title"),
        TranslatableField("prompt"),
        TranslatableField("feedback"),
        SynchronizedField("points"),
        SynchronizedField("module"),
        SynchronizedField("objective"),
        SynchronizedField("difficulty"),
        SynchronizedField("forms"),
        SynchronizedField("active"),
        TranslatableField("editor_note"),
    ]


Question.translatable_fields = _question_translatable_fields()


class Blueprint(ClusterableModel):
    """Rules to draw items from the bank: N items per module (and objective) from active questions."""

    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blueprint")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BlueprintRule(models.Model):
    blueprint = ParentalKey(Blueprint, on_delete=models.CASCADE, related_name="rules")
    module = models.PositiveSmallIntegerField(_("module"), null=True, blank=True)
    objective = models.SlugField(_("learning objective"), max_length=80, blank=True)
    count = models.PositiveSmallIntegerField(_("number of items"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("blueprint rule")
        ordering = ["module", "objective", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="assessments_rule_count_positive")]


class Assessment(ClusterableModel):
    """A test: pre-test, post-test, knowledge check or certification exam, with its rules."""

    class Purpose(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")
        CHECK = "check", _("Knowledge check")
        EXAM = "exam", _("Certification exam")

    class Review(models.TextChoices):
        SCORE_ONLY = "score", _("Score only")
        AFTER_SUBMIT = "submit", _("Answers after submitting")
        AFTER_CLOSE = "close", _("Answers after the test closes")

    class Layout(models.TextChoices):
        ALL = "all", _("All questions on one page")
        ONE = "one", _("One question per page")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_tk = models.CharField(_("title (Turkmen)"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    course_key = models.UUIDField(_("course"), null=True, blank=True, db_index=True)
    blueprint = models.ForeignKey(
        Blueprint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("blueprint"),
        help_text=_("Draw items by these rules; a pre-test and a post-test that share it are paired."),
    )
    form = models.CharField(
        _("form"), max_length=1, blank=True, help_text=_("Parallel form (A, B): only items of this form are drawn.")
    )
    shuffle_items = models.BooleanField(_("shuffle items"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, help_text=_("0 means no limit.")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.AFTER_SUBMIT)
    layout = models.CharField(
        _("layout"),
        max_length=3,
        choices=Layout.choices,
        default=Layout.ALL,
        help_text=_("One question per page has previous and next buttons; the question list jumps to any question."),
    )
    retake_after_pass = models.BooleanField(
        _("retake after passing"),
        default=True,
        help_text=_("Learners who passed may use their remaining attempts to take the test again."),
    )
    published = models.BooleanField(_("open to learners"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True) | Q(pass_mark__lte=100), name="assessments_pass_mark_percent"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="assessments_window_order",
            ),
        ]

    @property
    def title(self) -> str:
        return localized_value(self, "title")

    def __str__(self) -> str:
        return self.title


class AssessmentItem(models.Model):
    """A fixed item of a test (tests without a blueprint)."""

    assessment = ParentalKey(Assessment, on_delete=models.CASCADE, related_name="items")
    question_key = models.UUIDField(_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question_key"], name="assessments_item_once_per_test")
        ]


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        AWAITING_GRADING = "grading", _("Awaiting grading")
        GRADED = "graded", _("Graded")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.IN_PROGRESS)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    language = models.CharField(_("language"), max_length=8)
    seed = models.CharField(max_length=32, default="", editable=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    closed_by_timer = models.BooleanField(_("closed when time ran out"), default=False)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, default=0)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    form_code = models.CharField(_("form code"), max_length=40, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
        help_text=_("Who typed in or imported the answer sheet of a paper attempt."),
    )

    class Meta:
        verbose_name = _("attempt")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user", "number"], name="assessments_attempt_number"),
            models.UniqueConstraint(
                fields=["assessment", "user"],
                condition=Q(state="open"),
                name="assessments_one_open_attempt",
            ),
        ]
        indexes = [models.Index(fields=["assessment", "state"])]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.user} #{self.number}"


class Answer(models.Model):
    """One item of an attempt: the question drawn, the learner's response and its score."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    question_key = models.UUIDField(db_index=True)
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2)
    parts = models.JSONField(default=dict, blank=True)
    needs_grading = models.BooleanField(default=False)
    # the option a single-choice or true/false response chose ("b", "true"; "" for other kinds or no
    # response), set when the answer is scored: the item analysis counts options without decoding ``response``
    response_key = models.TextField(blank=True, default="")
    flagged = models.BooleanField(
        _("flagged for review"), default=False, help_text=_("The learner marked this question to look at again before submitting.")
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="assessments_answer_position"),
            models.UniqueConstraint(fields=["attempt", "question_key"], name="assessments_answer_once"),
        ]


class RubricScore(models.Model):
    """Points a trainer awarded for one criterion of an open response."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="rubric_scores")
    criterion = models.CharField(max_length=40)
    awarded = models.PositiveSmallIntegerField()
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    graded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "criterion"], name="assessments_rubric_once_per_criterion")
        ]


class ScoreChange(models.Model):
    """Audit trail of every score changed after submission: grading, and regrading after a key changes."""

    class Reason(models.TextChoices):
        GRADED = "graded", _("Graded by a trainer")
        REGRADED = "regraded", _("Regraded after the key was corrected")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="score_changes")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    old_score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]


class PaperForm(models.Model):
    """A printed version of a test: the items drawn once, in one language, under a short code.

    The code is printed on every page and on the answer sheet, so results typed in later are tied to
    exactly the items and order the learners saw. ``keys`` is a JSON list of the questions'
    ``translation_key`` values as strings (UUIDs), in printed order: item 1 first, e.g.
    ``["0b6f…-…", "5e21…-…"]``. Options, items and choices are printed in their stored order and
    lettered A, B, C…, so a letter on the sheet names the same key in every language.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="paper_forms", verbose_name=_("test")
    )
    code = models.CharField(_("form code"), max_length=20, unique=True)
    language = models.CharField(_("language"), max_length=8)
    seed = models.CharField(max_length=32, editable=False)
    keys = models.JSONField(_("items"), default=list, help_text=_("Translation keys of the items, in printed order."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paper form")
        verbose_name_plural = _("paper forms")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code

    @property
    def language_name(self) -> str:
        """The form's language by its own name (Türkmençe, Русский, English), as the language switcher
        names it; never the code."""
        return dict(settings.LANGUAGES).get(self.language, self.language)


class KnowledgeCheckResult(models.Model):
    """A learner's latest answers to one knowledge check of a lesson: formative, retried at will.

    A check is a block of a lesson (``lesson_key`` is the lesson's ``translation_key``, ``block_id`` the
    block's id, the same in every language), so the result follows the learner across languages. Results
    are never read by the knowledge-gain analytics or by certification: those read attempts of tests only.

    ``answers`` maps each question's ``translation_key`` (a string) to what the learner gave and got::

        {"<translation_key>": {"response": <the response, shapes of FORMAT.md>,
                               "score": "0.50", "max": "1.00", "fraction": "0.5",
                               "parts": {"a": "1", "b": "0"}}}

    Scores are decimal strings; ``response`` is null when the question was left unanswered.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_checks")
    lesson_key = models.UUIDField(_("lesson"), db_index=True)
    block_id = models.CharField(_("check"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, default=0)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, default=0)
    answered = models.PositiveSmallIntegerField(_("questions answered"), default=0)
    questions = models.PositiveSmallIntegerField(_("questions"), default=0)
    passed = models.BooleanField(_("satisfied"), default=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    attempts = models.PositiveIntegerField(_("tries"), default=0)
    updated_at = models.DateTimeField(_("last answered"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge check result")
        verbose_name_plural = _("knowledge check results")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key", "block_id"], name="assessments_one_check_result"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=models.F("max_score")), name="assessments_check_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.lesson_key}/{self.block_id}"
