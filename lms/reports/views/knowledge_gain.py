"""The knowledge-gain dashboard: pre → post per group and per item, with CSV and XLSX downloads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment
from content.spreadsheets import csv_response, readme_sheet, xlsx_response

from .. import figures_cache, gain, presentation, selectors
from ..gain import CASCADE_GROUPINGS, GROUPINGS  # noqa: F401
from ..downloads import records

# at national scale there are thousands of sessions: the page tables those with the most learners, the
# workbook all of them
SESSION_ROWS = 50
_records = records
_figures = gain.figures


def _bars(rows: list[dict], label: str) -> list[dict]:
    """Pre and post means per group as bar widths (percent of the chart) for the server-drawn SVG."""
    return [
        {"label": row[label] or "—", "pre": row["mean_pre"], "post": row["mean_post"], "n": row["n"]}
        for row in rows
        if row["mean_pre"] is not None and row["mean_post"] is not None
    ]


@login_required
def knowledge_gain(request):
    if not selectors.reports_allowed(user=request.user):
        raise PermissionDenied
    filters = selectors.Filters.from_query(request.GET)
    download = request.GET.get("download")
    output = download if download in ("csv", "xlsx") else "page"
    if output == "csv":  # the learners' pairs only: cheap, read live
        attempts = selectors.scoped_attempts(user=request.user, filters=filters)
        return _download(_figures(attempts=attempts, filters=filters, output=output), output)
    # heavy at national volume: precomputed, reused until the results change (see figures_cache)
    found = figures_cache.figures_for(user=request.user, filters=filters, output=output)
    figures = found.figures
    if output != "page":
        return _download(figures, output, computed_at=found.computed_at)
    overall = _records(figures["overall"])
    groups = dict(figures["groups"])
    sessions = groups["session"]
    if len(sessions) > SESSION_ROWS:
        # the most learners first (ties: in session order); the table can be re-sorted by any column
        groups["session"] = sessions.sort_values("n", ascending=False, kind="stable").head(SESSION_ROWS)
    groups = {name: _records(frame) for name, frame in groups.items()}
    labels = selectors.group_labels(
        cohorts=[row["cohort"] for row in groups["cohort"]], sessions=[row["session"] for row in groups["session"]]
    )
    for name in CASCADE_GROUPINGS:
        for row in groups[name]:
            row["label"] = labels[name].get(row[name], row[name])
    names = _group_names()
    for name in ("agency", "region", "gender", "language"):
        for row in groups[name]:
            row["label"] = names[name](row[name])
    items = _records(figures["items"])
    titles = presentation.question_titles(row["question_key"] for row in items)
    for item in items:
        item["title"] = titles.get(item["question_key"]) or item.get("title") or item["question_key"]
        item["flag_text"] = presentation.flag_text(item["flag"])
    objectives = _records(figures["objectives"])
    modules = presentation.module_labels(row["module"] for row in objectives)
    for row in objectives:
        row["label"] = modules.get(row["module"]) if row["module"] is not None else None
    suspects = _records(figures["suspects"])
    titles.update(presentation.question_titles(
        row["question_key"] for row in suspects if row["question_key"] not in titles))
    for row in suspects:
        row["title"] = titles.get(row["question_key"], row["question_key"])
        row["language_name"] = presentation.language_label(row["language"])
    context = {
        "filters": filters,
        "choices": selectors.filter_choices(user=request.user, filters=filters),
        "session_total": len(sessions),
        "session_label": labels["session"].get(filters.session, ""),
        "overall": overall[0] if overall else None,
        "groups": groups,
        "chart": _bars(groups["agency"], "label"),
        "cohort_chart": _bars(groups["cohort"], "label"),
        "items": items,
        "objectives": objectives,
        "suspects": suspects,
        "query": request.GET.urlencode(),
        # said whenever the figures come from the cache (they may be older than the last results)
        "computed_at": found.computed_at if found.cached else None,
        "computed_today": timezone.localdate(found.computed_at) == timezone.localdate(),
    }
    return render(request, "reports/knowledge_gain.html", context)


def _group_names() -> dict:
    """Group column → a function from its code to the name a reader knows, in the active language."""
    agencies, regions = presentation.agency_names(), presentation.region_names()
    return {
        "agency": lambda code: agencies.get(code, code) if code else "—",
        "region": lambda code: regions.get(code, code) if code else "—",
        "gender": presentation.gender_label,
        "language": presentation.language_label,
    }


def _named(frame, names: dict):
    """``frame`` with the codes of its group columns replaced by names (cohort and session too)."""
    frame = frame.copy()
    present = [name for name in names if name in frame.columns]
    for name in present:
        frame[name] = [names[name](value) for value in frame[name]]
    return frame


# (sheet, column, definition) for the "Read me" sheet of the workbook
DEFINITIONS = [
    ("learners", (), gettext_lazy(
        "One row per learner and pre/post pair: the first pre-test and the last post-test submitted after it.")),
    ("learners", ("pre", "post"), gettext_lazy("Score of the pre-test and of the post-test, in per cent.")),
    ("learners", ("normalised_gain",), gettext_lazy(
        "(after − before) / (100 − before): the share of what was left to learn that was learned; empty when "
        "the pre-test score was 100%.")),
    ("", ("mean_pre", "mean_post"), gettext_lazy("Mean score before and after, in per cent.")),
    ("", ("wilcoxon_p",), gettext_lazy(
        "p-value of the Wilcoxon signed-rank test; below 0.05 the gain is statistically significant.")),
    ("", ("t_p",), gettext_lazy("p-value of the paired t-test, for readers used to it.")),
    ("items", ("facility",), gettext_lazy("Share of the points obtained on the item (0 to 1): higher is easier.")),
    ("items", ("discrimination_27",), gettext_lazy(
        "Facility among the best 27% of tests minus among the weakest 27%: below 0.2 the item separates "
        "those who know from those who do not poorly.")),
    ("items", ("flag",), gettext_lazy("Advice for items that are too easy, too hard or do not discriminate.")),
    ("objectives", ("objective", "objective_code"), gettext_lazy(
        "The module an objective belongs to; the objective code is the tag of its questions.")),
    ("distractors", (), gettext_lazy("How often each option of a choice question was chosen.")),
]


def _download(figures: dict, kind: str, computed_at=None):
    names = {**_group_names()}
    labels = selectors.group_labels(
        cohorts=set(figures["gains"]["cohort"]) if "cohort" in figures["gains"] else [],
        sessions=set(figures["gains"]["session"]) if "session" in figures["gains"] else [],
    )
    names["cohort"] = lambda code: labels["cohort"].get(code, code) if code else ""
    names["session"] = lambda pk: labels["session"].get(pk, pk) if pk else ""
    gains = _named(figures["gains"], names)
    users = {
        row["pk"]: (f"{row['first_name']} {row['last_name']}".strip() or row["username"])
        for row in get_user_model().objects.filter(pk__in=list(gains["learner_id"])).values(
            "pk", "first_name", "last_name", "username")
    }
    gains.insert(1, "learner", gains["learner_id"].map(users).astype(object).fillna(""))
    pairings = dict(Assessment.objects.filter(blueprint__isnull=False).values_list("blueprint_id", "blueprint__name"))
    gains.insert(3, "pairing_id", gains["pairing"])
    gains["pairing"] = [pairings.get(int(pk), "") if str(pk).isdigit() else "" for pk in gains["pairing"]]
    gains = gains.drop(columns=["course"], errors="ignore")
    if kind == "csv":
        # one CSV: the learners' pre/post pairs (the other tables are in the XLSX workbook)
        sheet = presentation.download_sheet(_("Learners"), gains)
        return csv_response(sheet, filename="knowledge-gain-learners.csv", stream=True)
    items = figures["items"].drop(columns=["index"], errors="ignore")
    titles = presentation.question_titles(items["question_key"]) if not items.empty else {}
    if not items.empty:
        items["title"] = items["question_key"].map(titles).fillna(items["title"])
        items["flag"] = items["flag"].map(presentation.flag_text)
        items = items[["title", *[column for column in items.columns if column != "title"]]]
    objectives = figures["objectives"].drop(columns=["index"], errors="ignore")
    modules = presentation.module_labels(objectives["module"]) if not objectives.empty else {}
    objectives = objectives.rename(columns={"objective": "objective_code"})
    objectives.insert(0, "objective", objectives["module"].map(modules).astype(object).fillna("—"))
    distractors = figures["distractors"].copy()
    if not distractors.empty:
        distractors.insert(1, "title", distractors["question_key"].map(
            presentation.question_titles(distractors["question_key"])).astype(object).fillna(""))
    headings = {
        "agency": _("By agency"), "region": _("By region"), "gender": _("By gender"), "language": _("By language"),
        "cohort": _("By ToT cohort"), "session": _("By cascade session"),
    }
    sheets = [
        (_("Learners"), gains),
        (_("All learners"), figures["overall"]),
        *[(headings[name], _named(frame, names)) for name, frame in figures["groups"].items()],
        (_("Items"), items),
        (_("Objectives"), objectives),
        (_("Answers chosen"), distractors),
    ]
    when = formats.date_format(timezone.localtime(computed_at or timezone.now()), "DATETIME_FORMAT")
    readme = [
        (_("Knowledge gain"),),
        (_("Figures computed on %(when)s.") % {"when": when},),
        (),
        (_("Sheet"), _("Column"), _("Definition")),
        *[(_sheet_title(sheet), ", ".join(presentation.column_title(column) for column in columns), str(text))
          for sheet, columns, text in DEFINITIONS],
    ]
    return xlsx_response(
        [readme_sheet(readme, title=_("Read me")), *[presentation.download_sheet(title, frame) for title, frame in sheets]],
        filename="knowledge-gain.xlsx",
    )


def _sheet_title(sheet: str) -> str:
    return {
        "learners": _("Learners"), "items": _("Items"), "objectives": _("Objectives"), "distractors": _("Answers chosen"),
    }.get(sheet, sheet)
