"""Content records that lessons use: legal provisions (translatable, versioned), H5P activities and SCORM packages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, RevisionMixin, TranslatableMixin, WorkflowMixin
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
        # what choosers and lists show: the article with its title and edition, never the code
        return _("%(instrument)s, %(article)s. %(title)s — %(edition)s") % {
            "instrument": self.instrument, "article": self.article, "title": self.title, "edition": self.edition
        }

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


class H5PLibrary(models.Model):
    """An H5P library installed from a package. Its files never change once stored: a newer patch
    version is a new row with its own folder, so packages that use the old one keep working until
    they are replaced."""

    machine_name = models.CharField(_("machine name"), max_length=127)
    major_version = models.PositiveIntegerField(_("major version"))
    minor_version = models.PositiveIntegerField(_("minor version"))
    patch_version = models.PositiveIntegerField(_("patch version"))
    title = models.CharField(_("title"), max_length=255)
    library_json = models.JSONField(_("library.json"), default=dict)
    storage_prefix = models.CharField(_("storage folder"), max_length=200, unique=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    installed_at = models.DateTimeField(_("installed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "-major_version", "-minor_version", "-patch_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version", "patch_version"],
                name="content_h5plibrary_version_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


class H5PPackage(TranslatableMixin, models.Model):
    """An uploaded .h5p activity, validated and extracted (see ``content.h5p``).

    Each language has its own upload (the Turkmen activity is a different package from the English
    one), linked as translations, so a lesson's H5P block points at the package in the lesson's
    language. ``storage_prefix`` holds h5p.json and content/; libraries are shared
    (``libraries``, resolved when the package was accepted).
    """

    title = models.CharField(_("title"), max_length=255)
    main_library = models.CharField(_("main library"), max_length=127)
    main_library_version = models.CharField(_("main library version"), max_length=30)
    h5p_json = models.JSONField(_("h5p.json"), default=dict)
    storage_prefix = models.CharField(_("storage folder"), max_length=200, db_index=True)
    libraries = models.ManyToManyField(H5PLibrary, related_name="packages", verbose_name=_("libraries"), blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    language_note = models.TextField(
        _("language note"), blank=True, help_text=_("Filled in on upload, e.g. libraries without strings in this language.")
    )
    # Off unless an editor turns it on: the player's Permissions-Policy and its iframe's allow attribute
    # grant the microphone to this activity only then (AudioRecorder, SpeakTheWords).
    microphone = models.BooleanField(
        _("may use the microphone"), default=False,
        help_text=_("Turn on for activities that record the learner's voice; the browser still asks the learner."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def size_label(self) -> str:
        from django.template.defaultfilters import filesizeformat

        return filesizeformat(self.size_bytes)

    size_label.short_description = _("size")

    def lessons_label(self) -> int:
        """The number of live lessons that use the package (annotated by the admin listing)."""
        count = getattr(self, "lesson_count", None)
        return self.usages.count() if count is None else count

    lessons_label.short_description = _("lessons")


class H5PUsage(models.Model):
    """Which live page uses which package: kept on publish, so that serving a package's files and
    recording a statement check access with one indexed lookup instead of a search of page bodies."""

    package = models.ForeignKey(H5PPackage, on_delete=models.PROTECT, related_name="usages")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("H5P activity use")
        constraints = [models.UniqueConstraint(fields=["package", "page"], name="content_h5pusage_unique")]


class H5PStatement(models.Model):
    """An xAPI statement reported by the player for a learner (reported by the browser: it may be
    forged, so it can move lesson progress but never a test score or a certification)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(H5PPackage, on_delete=models.CASCADE, related_name="statements")
    lesson_key = models.UUIDField(_("lesson"), db_index=True)
    statement_id = models.UUIDField(_("statement id"))
    verb = models.CharField(_("verb"), max_length=200)
    completed = models.BooleanField(_("completed"), default=False)
    success = models.BooleanField(_("success"), null=True)
    score_scaled = models.FloatField(_("scaled score"), null=True)
    statement = models.JSONField(_("statement"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("H5P statement")
        constraints = [
            models.UniqueConstraint(fields=["user", "statement_id"], name="content_h5pstatement_unique"),
        ]


class H5PUserState(models.Model):
    """Where a learner left an activity (H5P's content user data), to resume it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(H5PPackage, on_delete=models.CASCADE, related_name="states")
    data = models.TextField(_("state"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("H5P activity state")
        constraints = [models.UniqueConstraint(fields=["user", "package"], name="content_h5puserstate_unique")]


def _h5p_translatable_fields():
    from wagtail_localize.fields import SynchronizedField, TranslatableField

    return [TranslatableField("title")] + [
        SynchronizedField(name)
        for name in (
            "main_library", "main_library_version", "h5p_json", "storage_prefix", "libraries",
            "size_bytes", "file_count",
        )
    ]


H5PPackage.translatable_fields = _h5p_translatable_fields()


class ScormPackage(TranslatableMixin, models.Model):
    """An uploaded SCORM 1.2 or 2004 package, validated and extracted (see ``content.scorm``).

    Like an H5P activity, each language has its own upload, linked as translations. ``scos`` is the
    launchable SCOs of the default organization, in order: a list of
    ``{"identifier", "title", "launch", "query", "mastery_score", "launch_data"}`` (``manifest.Sco``).
    """

    class Version(models.TextChoices):
        SCORM_12 = "1.2", "SCORM 1.2"
        SCORM_2004 = "2004", "SCORM 2004"

    title = models.CharField(_("title"), max_length=255)
    version = models.CharField(_("SCORM version"), max_length=4, choices=Version.choices)
    schema_version = models.CharField(_("schema version"), max_length=50, blank=True)
    scos = models.JSONField(_("SCOs"), default=list)
    storage_prefix = models.CharField(_("storage folder"), max_length=200, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def size_label(self) -> str:
        from django.template.defaultfilters import filesizeformat

        return filesizeformat(self.size_bytes)

    size_label.short_description = _("size")

    def sco_count(self) -> int:
        return len(self.scos or [])

    sco_count.short_description = _("SCOs")


class ScormUsage(models.Model):
    """Which live page uses which SCORM package (kept on publish, like ``H5PUsage``)."""

    package = models.ForeignKey(ScormPackage, on_delete=models.PROTECT, related_name="usages")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("SCORM package use")
        constraints = [models.UniqueConstraint(fields=["package", "page"], name="content_scormusage_unique")]


class ScormAttempt(models.Model):
    """One attempt of a learner at one SCO: the CMI data the runtime committed, and its main values as
    columns. Reported by the browser, so it may be forged: it moves lesson progress, never a test score,
    knowledge gain or a certification. ``cmi`` is the last commit, flattened (``{"cmi.core.lesson_status":
    "completed", ...}``, see ``content.scorm.cmi``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(ScormPackage, on_delete=models.CASCADE, related_name="attempts")
    lesson_key = models.UUIDField(_("lesson"), db_index=True)
    sco = models.CharField(_("SCO"), max_length=200)
    number = models.PositiveIntegerField(_("attempt"), default=1)
    cmi = models.JSONField(_("CMI data"), default=dict)
    lesson_status = models.CharField(_("lesson status"), max_length=20, blank=True)  # SCORM 1.2
    completion_status = models.CharField(_("completion status"), max_length=20, blank=True)
    success_status = models.CharField(_("success status"), max_length=20, blank=True)
    score_raw = models.FloatField(_("score"), null=True, blank=True)
    score_min = models.FloatField(_("minimum score"), null=True, blank=True)
    score_max = models.FloatField(_("maximum score"), null=True, blank=True)
    score_scaled = models.FloatField(_("scaled score"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=1000, blank=True)
    suspend_data = models.TextField(_("suspend data"), blank=True)
    session_time = models.CharField(_("last session time"), max_length=40, blank=True)
    total_time = models.CharField(_("total time"), max_length=40, blank=True)
    exit = models.CharField(_("exit"), max_length=20, blank=True)
    finished = models.BooleanField(_("finished"), default=False)
    # commits of one launch may arrive out of order (several app servers): the launch's key and the
    # runtime's sequence number of the last commit kept, so an older one is ignored
    commit_session = models.CharField(max_length=32, blank=True, editable=False)
    commit_sequence = models.PositiveIntegerField(default=0, editable=False)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        ordering = ["user_id", "package_id", "sco", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "package", "sco", "number"], name="content_scormattempt_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sco} #{self.number}"

    @property
    def is_done(self) -> bool:
        """Completed or passed: what moves lesson progress."""
        return self.lesson_status in ("completed", "passed") or self.completion_status == "completed" or (
            self.success_status == "passed"
        )


def _scorm_translatable_fields():
    from wagtail_localize.fields import SynchronizedField, TranslatableField

    return [TranslatableField("title")] + [
        SynchronizedField(name)
        for name in ("version", "schema_version", "scos", "storage_prefix", "size_bytes", "file_count")
    ]


ScormPackage.translatable_fields = _scorm_translatable_fields()


class Term(TranslatableMixin, WorkflowMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """One concept of the course with its preferred term in one language (the termbase).

    Terms go through the editorial workflow like lessons ("Legal and methodology review", set up by
    ``courses.services.editorial_setup``): an editor's change is a draft until a reviewer publishes it, and
    the glossary and the terminology check read the published terms only (``live``).

    The translations of a concept share its ``translation_key``; ``concept`` is the stable key, equal in every
    language. ``deprecated`` lists the variants that must no longer be used, one per line: the terminology
    check (``manage.py check_terms``) finds them in lessons, questions, provisions, H5P texts and catalogues.
    """

    concept = models.SlugField(_("concept"), max_length=80, help_text=_("Stable key, the same in every language, e.g. means."))
    preferred = models.CharField(_("preferred term"), max_length=200)
    deprecated = models.TextField(
        _("deprecated variants"), blank=True,
        help_text=_("Variants that must not be used, one per line. Matched as whole words, ignoring case."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("How to use the term."))
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Where the term comes from."))

    search_fields = [
        index.SearchField("preferred"),
        index.SearchField("deprecated"),
        index.SearchField("concept"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("term")
        verbose_name_plural = _("termbase")
        ordering = ["concept"]
        constraints = [models.UniqueConstraint(fields=["concept", "locale"], name="content_term_concept_locale")]

    def __str__(self) -> str:
        return self.preferred

    @property
    def deprecated_variants(self) -> list[str]:
        return [line.strip() for line in self.deprecated.splitlines() if line.strip()]


def _term_translatable_fields():
    from wagtail_localize.fields import SynchronizedField, TranslatableField

    return [
        SynchronizedField("concept"),
        TranslatableField("preferred"),
        TranslatableField("deprecated"),
        TranslatableField("note"),
        TranslatableField("source"),
    ]


Term.translatable_fields = _term_translatable_fields()
