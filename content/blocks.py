"""StreamField blocks of lesson pages. Templates live under templates/blocks/.

Every piece of rich text is sanitised with bleach when it is saved and when it is rendered: rich text in
a StreamField is a ``SafeRichTextBlock`` (never Wagtail's plain ``RichTextBlock``), whose value renders
through ``content.sanitize.render_richtext`` like the ``safe_richtext`` filter.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

from .sanitize import render_richtext, sanitize_stored_richtext

RICH_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class SafeRichText(RichText):
    """Rich text whose rendering is sanitised after Wagtail expands links and embeds."""

    def __html__(self):
        return render_richtext(self)

    def __str__(self):
        return render_richtext(self)


class SafeRichTextBlock(blocks.RichTextBlock):
    """A rich text block that sanitises on save and on render."""

    def get_prep_value(self, value):
        return sanitize_stored_richtext(super().get_prep_value(value))

    def to_python(self, value):
        return SafeRichText(sanitize_stored_richtext(value))

    def bulk_to_python(self, values):
        return [self.to_python(value) for value in values]

    def normalize(self, value):
        # a value assigned in code, or rebuilt from the editor's form for a preview, renders safely too
        if isinstance(value, SafeRichText):
            return value
        return SafeRichText(value.source if isinstance(value, RichText) else (value or ""))

    def value_from_form(self, value):
        return SafeRichText(value)

    def render_basic(self, value, context=None):
        return render_richtext(value)

    def get_default(self):
        default = self.meta.default or ""
        return SafeRichText(sanitize_stored_richtext(default) if default else "")


class TextBlock(SafeRichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "blocks/text.html"
        label = _("Text")


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False)
    points = blocks.ListBlock(blocks.CharBlock(label=_("point")), label=_("points"))

    class Meta:
        icon = "tick-inverse"
        template = "blocks/key_points.html"
        label = _("Key points")
        description = _("The few things a learner must remember from the lesson.")
        preview_value = {"title": "Remember", "points": ["Consent is irrelevant once a means is used."]}


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    scenario = SafeRichTextBlock(label=_("scenario"), features=RICH_FEATURES)
    questions = blocks.ListBlock(blocks.TextBlock(label=_("question")), label=_("discussion questions"))
    trainer_notes = SafeRichTextBlock(
        label=_("notes for trainers"),
        required=False,
        features=RICH_FEATURES,
        help_text=_("Shown only to trainers, coordinators and programme managers."),
    )

    class Meta:
        icon = "folder-open-inverse"
        template = "blocks/case_study.html"
        label = _("Case study")
        description = _("A fictional case with discussion questions.")


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    do = blocks.ListBlock(blocks.CharBlock(label=_("item")), label=_("do"))
    dont = blocks.ListBlock(blocks.CharBlock(label=_("item")), label=_("do not"), default=[])

    class Meta:
        icon = "list-ul"
        template = "blocks/checklist.html"
        label = _("Checklist")


class GlossaryTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("term"))
    definition = blocks.TextBlock(label=_("definition"))

    class Meta:
        icon = "openquote"
        template = "blocks/glossary_term.html"
        label = _("Glossary term")


class LegalProvisionBlock(blocks.StructBlock):
    provision = SnippetChooserBlock("content.LegalProvision", label=_("legal provision"))
    commentary = SafeRichTextBlock(label=_("commentary"), required=False, features=RICH_FEATURES)

    class Meta:
        icon = "doc-full-inverse"
        template = "blocks/legal_provision.html"
        label = _("Legal provision")


class SubtitleBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=[("tk", "Türkmençe"), ("ru", "Русский"), ("en", "English")], label=_("language")
    )
    track = DocumentChooserBlock(label=_("WebVTT file"))

    class Meta:
        icon = "doc-empty"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    description = blocks.TextBlock(label=_("description"), required=False)
    film = blocks.CharBlock(
        label=_("film key"), required=False, help_text=_("Identifies the film across lessons, e.g. victims-not-villains.")
    )
    video = DocumentChooserBlock(label=_("video file (MP4 or WebM)"), required=False)
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    subtitles = blocks.ListBlock(SubtitleBlock(), label=_("subtitles"), default=[])

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = _("Video")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "download"
        template = "blocks/document.html"
        label = _("Document download")


QUESTION_KEY_PATTERN = r"^[-a-zA-Z0-9_]{1,80}$"


class QuestionKeyBlock(blocks.RegexBlock):
    """The identifier (``Question.key``) of a bank question: the same in every language."""

    def __init__(self, **kwargs):
        super().__init__(
            regex=QUESTION_KEY_PATTERN,
            error_messages={"invalid": _("Use the identifier of a question, e.g. m1-elements-adult.")},
            **kwargs,
        )


class KnowledgeCheckBlock(blocks.StructBlock):
    """A short formative check at the end of a lesson, with questions from the bank.

    Design (the layers: content <- courses <- assessments): this block lives in ``content`` and holds only
    plain, language-independent settings: the identifiers of chosen questions, or a module number and/or
    learning objective to draw ``count`` questions from. It imports nothing from ``assessments``. Its
    template calls the ``knowledge_check`` tag of ``assessments`` (a template tag library, no Python
    import), which finds the questions in the page's language, renders the form and the learner's last
    feedback; answers are posted to ``assessments`` and scored there. None of these fields is a string
    wagtail-localize offers for translation (identifiers, numbers and choices are copied to the
    translated pages as they are), so a Russian or Turkmen lesson asks the same questions.
    """

    class Completion:
        ANSWER = "answer"
        PASS = "pass"
        NONE = "none"

    title = blocks.CharBlock(label=_("title"))
    instructions = blocks.TextBlock(label=_("instructions"), required=False)
    questions = blocks.ListBlock(
        QuestionKeyBlock(label=_("question identifier")),
        label=_("questions"),
        default=[],
        help_text=_(
            "Identifiers of questions from Assessments → Questions, in the order to ask them. "
            "Leave empty to draw questions by module or learning objective."
        ),
    )
    module = blocks.IntegerBlock(
        label=_("module"), required=False, min_value=1, max_value=99,
        help_text=_("Draw questions of this module (when no questions are listed)."),
    )
    objective = blocks.RegexBlock(
        regex=r"^[-a-z0-9_]{1,80}$",
        label=_("learning objective"),
        required=False,
        error_messages={"invalid": _("Use the objective tag of the questions, e.g. m4-elements.")},
        help_text=_("Draw questions with this learning-objective tag (when no questions are listed)."),
    )
    count = blocks.IntegerBlock(
        label=_("number of questions drawn"), default=4, min_value=1, max_value=20,
    )
    completion = blocks.ChoiceBlock(
        label=_("completes the lesson"),
        choices=[
            (Completion.ANSWER, _("When every question is answered")),
            (Completion.PASS, _("When the pass mark is reached")),
            (Completion.NONE, _("No: the check is optional")),
        ],
        default=Completion.ANSWER,
        help_text=_("A lesson with a check that completes it cannot be marked as done by hand."),
    )
    pass_mark = blocks.IntegerBlock(label=_("pass mark (%)"), default=80, min_value=1, max_value=100)

    class Meta:
        icon = "help"
        template = "blocks/knowledge_check.html"
        label = _("Knowledge check")
        description = _("Questions from the bank, scored at once with feedback; they may complete the lesson.")

    # A check that names no questions (and no module or objective to draw them from) may be saved: lessons
    # saved before checks had questions hold such blocks, and their editors must still be able to save and
    # preview them. Such a check shows nothing to learners and never blocks a lesson (knowledge_check_required).


def knowledge_check_required(raw_value) -> bool:
    """Does a knowledge check (its raw JSON value) have to be satisfied before its lesson is done?

    Only a check that names questions (or where to draw them) and whose completion rule is not "optional"
    does; a check saved before these settings existed has neither, so it never blocks a lesson.
    """
    if not isinstance(raw_value, dict):
        return False
    completion = raw_value.get("completion") or KnowledgeCheckBlock.Completion.ANSWER
    if completion == KnowledgeCheckBlock.Completion.NONE:
        return False
    return bool(raw_value.get("questions") or raw_value.get("module") or raw_value.get("objective"))


class H5PActivityBlock(blocks.StructBlock):
    """An interactive H5P activity; completing it marks the lesson as done (see ``content.h5p``)."""

    package = SnippetChooserBlock("content.H5PPackage", label=_("H5P activity"))
    introduction = blocks.TextBlock(label=_("introduction"), required=False)

    class Meta:
        icon = "pick"
        template = "blocks/h5p_activity.html"
        label = _("H5P activity")
        description = _("An interactive exercise; finishing it marks the lesson as done.")


class ScormActivityBlock(blocks.StructBlock):
    """A SCORM 1.2 or 2004 package; completing or passing all its SCOs marks the lesson as done
    (see ``content.scorm``)."""

    package = SnippetChooserBlock("content.ScormPackage", label=_("SCORM package"))
    introduction = blocks.TextBlock(label=_("introduction"), required=False)

    class Meta:
        icon = "media"
        template = "blocks/scorm_activity.html"
        label = _("SCORM package")
        description = _("A course module from an authoring tool; completing it marks the lesson as done.")


class TrainerNotesBlock(blocks.StructBlock):
    """Facilitation guidance for trainers who deliver the lesson in a cascade session."""

    timing = blocks.CharBlock(label=_("timing"), required=False)
    steps = blocks.ListBlock(blocks.TextBlock(label=_("step")), label=_("activity steps"))
    materials = blocks.ListBlock(blocks.CharBlock(label=_("material")), label=_("materials"), default=[])

    class Meta:
        icon = "user"
        template = "blocks/trainer_notes.html"
        label = _("Trainer notes")
        description = _("Shown only to trainers, coordinators and programme managers.")


class LessonStreamBlock(blocks.StreamBlock):
    text = TextBlock(features=RICH_FEATURES)
    key_points = KeyPointsBlock()
    case_study = CaseStudyBlock()
    checklist = ChecklistBlock()
    glossary = GlossaryTermBlock()
    legal_provision = LegalProvisionBlock()
    video = VideoBlock()
    document = DocumentBlock()
    knowledge_check = KnowledgeCheckBlock()
    h5p = H5PActivityBlock()
    scorm = ScormActivityBlock()
    trainer_notes = TrainerNotesBlock()

    def get_prep_value(self, value):
        # A StreamValue saves the blocks it never converted as their raw data again. Sanitise the rich
        # text inside that raw data rather than converting the blocks: a conversion looks up the
        # provisions, documents and packages that blocks reference and turns a reference whose row is
        # not there (yet, as while a fixture or a serialized database loads) into None for good.
        return [
            {**item, "value": sanitize_raw_value(self.child_blocks[item["type"]], item["value"])}
            if item.get("type") in self.child_blocks
            else item
            for item in super().get_prep_value(value)
        ]


def sanitize_raw_value(block: blocks.Block, raw):
    """The raw (JSON) value of ``block`` with every rich text in it sanitised; everything else as it was."""
    if isinstance(block, blocks.RichTextBlock):
        return sanitize_stored_richtext(raw) if isinstance(raw, str) else raw
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        return {
            name: sanitize_raw_value(block.child_blocks[name], item) if name in block.child_blocks else item
            for name, item in raw.items()
        }
    if isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        # items are stored as {"type": "item", "value": …, "id": …}; older data as bare values
        return [
            {**item, "value": sanitize_raw_value(block.child_block, item.get("value"))}
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item
            else sanitize_raw_value(block.child_block, item)
            for item in raw
        ]
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        return [
            {**item, "value": sanitize_raw_value(block.child_blocks[item["type"]], item.get("value"))}
            if isinstance(item, dict) and item.get("type") in block.child_blocks
            else item
            for item in raw
        ]
    return raw
