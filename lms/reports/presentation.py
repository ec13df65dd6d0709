"""How the reports read: names for codes, flags as advice, p-values, and downloads in the reader's language.

The figures come from ``assessments.analytics``, ``lineage`` and ``reach`` unchanged; this module only
presents them. Everything here follows the active language (``translation.get_language()``): region and
agency names (``name_en``/``name_ru``/``name_tk``), gender labels (the profile's choices), a language's own
name (``settings.LANGUAGES``), question titles in the reader's language version, objectives as their module.

Downloads: ``download_sheet`` renames the snake_case columns of a frame to translated titles
(``COLUMN_TITLES``), rounds the numbers (2 decimals for means and gains, 3 for p-values and
discrimination) and leaves out the columns a reader does not need; ids are kept in columns of their own
("Learner ID") where a program needs them.
"""

from __future__ import annotations

import math

import pandas as pd
from django.conf import settings
from django.utils import formats
from django.utils.translation import get_language, gettext, gettext_lazy as _, pgettext_lazy

from assessments.models import Question
from content.spreadsheets import Sheet
from courses.models import ModulePage
from lms.people.models import Agency, Profile, Region

P_FLOOR = 0.001

FLAGS = {
    "negative discrimination": _("Negative discrimination: stronger learners miss it more often; check the answer key"),
    "too easy": _("Facility above 0.9: almost everyone gets it right; make it harder or replace it"),
    "too hard": _("Facility below 0.2: almost everyone gets it wrong; check the wording and the key"),
    "poor discrimination": _("Discrimination below 0.2: review this item"),
}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def p_value(value) -> str:
    """A p-value as people read it: "p < 0.001", "p = 0.004", "p = 0.03"; "—" when there is none.

    Two significant decimals from 0.01 up, three below; the decimal separator of the active language."""
    if _missing(value):
        return "—"
    value = float(value)
    if value < P_FLOOR:
        return "p < " + formats.number_format(P_FLOOR, 3, use_l10n=True)
    decimals = 3 if value < 0.01 else 2
    return "p = " + formats.number_format(round(value, decimals), decimals, use_l10n=True)


def flag_text(flag) -> str:
    """The flag of ``analytics.item_analysis`` as what to do about it ("" when there is none)."""
    if _missing(flag) or not flag:
        return ""
    return str(FLAGS.get(flag, flag))


# --- names for codes ------------------------------------------------------------------------------------


def gender_label(value) -> str:
    if _missing(value) or not value:
        return gettext("not recorded")
    return str(dict(Profile.Gender.choices).get(value, value))


def language_label(value) -> str:
    """A language's own name (Türkmençe, Русский, English)."""
    if _missing(value) or not value:
        return "—"
    return dict(settings.LANGUAGES).get(value, value)


def agency_names() -> dict:
    """Agency code → its name in the active language."""
    return {agency.code: agency.name for agency in Agency.objects.all()}


def region_names() -> dict:
    """Region code → its name in the active language."""
    return {region.code: region.name for region in Region.objects.all()}


def module_labels(numbers) -> dict:
    """Module number → "Module N: <title>" in the active language (the first module page with that number
    in the tree, the ToT course's; "Module N" when no page has it)."""
    numbers = sorted({int(number) for number in numbers if not _missing(number)})
    language = (get_language() or "en")[:2]
    titles: dict[int, str] = {}
    pages = ModulePage.objects.filter(number__in=numbers).select_related("locale").order_by("path")
    for page in pages:
        if page.locale.language_code == language:
            titles.setdefault(page.number, page.title)
    for page in pages:  # a module not translated yet: its title in any language (the source first)
        titles.setdefault(page.number, page.title)
    return {
        number: (gettext("Module %(number)s: %(title)s") % {"number": number, "title": titles[number]}
                 if number in titles else gettext("Module %(number)s") % {"number": number})
        for number in numbers
    }


def question_titles(keys) -> dict:
    """Question key → its title in the active language's version, else the English (source) one."""
    language = (get_language() or "en")[:2]
    rows = Question.objects.filter(key__in=list(keys)).values_list("key", "title", "locale__language_code")
    order = {language: 0, "en": 1}
    titles: dict[str, tuple[int, str]] = {}
    for key, title, code in rows:
        rank = order.get(code, 2)
        if title and (key not in titles or rank < titles[key][0]):
            titles[key] = (rank, title)
    return {key: title for key, (rank, title) in titles.items()}


# --- downloads ------------------------------------------------------------------------------------------

# column → (title, decimals or None); titles in the reader's language
COLUMN_TITLES = {
    "learner_id": (_("Learner ID"), None),
    "learner": (_("Learner"), None),
    "pairing": (_("Pre/post pair"), None),
    "pairing_id": (_("Pre/post pair ID"), None),
    "pre_attempt_id": (_("Pre-test attempt ID"), None),
    "post_attempt_id": (_("Post-test attempt ID"), None),
    "pre_form": (_("Pre-test form"), None),
    "post_form": (_("Post-test form"), None),
    "pre_submitted_at": (_("Pre-test submitted"), None),
    "post_submitted_at": (_("Post-test submitted"), None),
    "pre_score": (_("Pre-test points"), 2),
    "pre_max_score": (_("Pre-test maximum"), 2),
    "post_score": (_("Post-test points"), 2),
    "max_score": (_("Post-test maximum"), 2),
    "pre": (_("Before (%)"), 2),
    "post": (_("After (%)"), 2),
    "gain": (_("Gain (points of %)"), 2),
    "normalised_gain": (_("Normalised gain"), 2),
    "improved": (_("Improved"), None),
    "course": (_("Course"), None),
    "agency": (_("Agency"), None),
    "agency_code": (_("Agency code"), None),
    "region": (_("Region"), None),
    "region_code": (_("Region code"), None),
    "gender": (_("Gender"), None),
    "language": (_("Language"), None),
    "cohort": (_("ToT cohort"), None),
    "cohort_code": (_("ToT cohort code"), None),
    "cohort_id": (_("ToT cohort ID"), None),
    "session": (_("Cascade session"), None),
    "session_id": (_("Session ID"), None),
    "n": (pgettext_lazy("count", "Number"), None),
    "mean_pre": (_("Mean before (%)"), 2),
    "mean_post": (_("Mean after (%)"), 2),
    "mean_gain": (_("Mean gain (points of %)"), 2),
    "mean_normalised_gain": (_("Mean normalised gain"), 2),
    "share_improved": (_("Share improved"), 2),
    "wilcoxon_p": (_("p-value (Wilcoxon)"), 3),
    "t_p": (_("p-value (t-test)"), 3),
    "significant": (_("Significant (p < 0.05)"), None),
    "question_key": (_("Item key"), None),
    "title": (_("Title"), None),
    "item": (_("Item"), None),
    "facility": (_("Facility"), 3),
    "discrimination_27": (_("Discrimination (27%)"), 3),
    "point_biserial": (_("Point-biserial correlation"), 3),
    "flag": (_("What to do"), None),
    "n_pre": (_("Answers before"), None),
    "pre_facility": (_("Facility before"), 3),
    "n_post": (_("Answers after"), None),
    "post_facility": (_("Facility after"), 3),
    "change": (_("Change"), 3),
    "module": (_("Module"), None),
    "objective": (_("Objective"), None),
    "objective_code": (_("Objective code"), None),
    "response_key": (_("Answer chosen"), None),
    "count": (_("Times chosen"), None),
    "share": (_("Share"), 3),
    "is_key": (_("Correct answer"), None),
    # reach
    "cohort_title": (_("ToT cohort"), None),
    "trainers_certified": (_("Trainers certified"), None),
    "trainers_active": (_("Certified now"), None),
    "trainers_delivering": (_("Delivered a session"), None),
    "sessions": (_("Sessions"), None),
    "participants": (_("People reached"), None),
    "multiplier": (_("People reached per certified trainer"), 2),
    "hours": (_("Hours"), 2),
    "tot_n": (_("Trainers with pre and post test"), None),
    "tot_mean_pre": (_("Trainers: mean before (%)"), 2),
    "tot_mean_post": (_("Trainers: mean after (%)"), 2),
    "tot_mean_normalised_gain": (_("Trainers: mean normalised gain"), 2),
    "participants_n": (_("Participants with pre and post test"), None),
    "participants_mean_pre": (_("Participants: mean before (%)"), 2),
    "participants_mean_post": (_("Participants: mean after (%)"), 2),
    "participants_mean_normalised_gain": (_("Participants: mean normalised gain"), 2),
    "level": (_("Level"), None),
    "women": (_("Women"), None),
    "men": (_("Men"), None),
    "gender_not_recorded": (_("Gender not recorded"), None),
    "period": (_("Period"), None),
    "trainer_id": (_("Trainer ID"), None),
    "trainer": (_("Trainer"), None),
    "first_day": (_("First day"), None),
    "last_day": (_("Last day"), None),
    "state": (_("State"), None),
    "pairs": (_("Participants with pre and post test"), None),
}


def column_title(column: str) -> str:
    title, _decimals = COLUMN_TITLES.get(column, (None, None))
    return str(title) if title is not None else column.replace("_", " ").capitalize()


def presentable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its numbers rounded as ``COLUMN_TITLES`` says (the figures themselves unchanged)."""
    frame = frame.copy()
    for column in frame.columns:
        decimals = COLUMN_TITLES.get(column, (None, None))[1]
        if decimals is not None and pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = frame[column].astype(float).round(decimals)
    return frame


def download_sheet(title, frame: pd.DataFrame, *, freeze: bool = True) -> Sheet:
    """A frame as a sheet of a download: translated titles, rounded numbers, the frame's column order."""
    frame = presentable(frame)
    return Sheet(
        title=str(title),
        header=[column_title(column) for column in frame.columns],
        rows=frame.itertuples(index=False, name=None),
        widths=[max(12, min(40, len(column_title(column)) + 2)) for column in frame.columns],
        freeze_header=freeze,
    )
