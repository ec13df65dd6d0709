"""The knowledge-gain dashboard: pre → post per group and per item, with CSV and XLSX downloads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from assessments import analytics
from content.spreadsheets import csv_response, frame_sheet, xlsx_response

from .. import lineage, selectors
from ..downloads import records

GROUPINGS = ("agency", "region", "gender", "language", "cohort", "session")
# groups of the cascade: most learners belong to none, so only those in one are tabled
CASCADE_GROUPINGS = ("cohort", "session")
_records = records


def _figures(*, attempts, filters: selectors.Filters) -> dict:
    attempt_frame = selectors.filter_groups(selectors.attempt_frame(attempts=attempts), filters=filters)
    answer_frame = selectors.answer_frame(attempts=attempts)
    if not answer_frame.empty:
        answer_frame = answer_frame[answer_frame["attempt_id"].isin(attempt_frame["attempt_id"])]
    gains = lineage.pairs_within_groups(
        analytics.learner_gains(attempt_frame), attempt_frame, columns=CASCADE_GROUPINGS
    )
    groups = {name: analytics.group_gains(gains, by=[name]) for name in GROUPINGS}
    for name in CASCADE_GROUPINGS:
        groups[name] = groups[name][groups[name][name].fillna("") != ""].reset_index(drop=True)
    post_ids = attempt_frame.loc[attempt_frame["phase"] == "post", "attempt_id"] if not attempt_frame.empty else []
    titles = answer_frame.drop_duplicates("question_key").set_index("question_key")["title"] if not answer_frame.empty else {}
    items = analytics.item_analysis(answer_frame, attempt_frame, phase="post")
    change = analytics.item_change(answer_frame, attempt_frame).reset_index()
    if not items.empty:
        items = items.merge(change, on="question_key", how="left")
        items["title"] = items["question_key"].map(titles)
    languages = analytics.item_by_language(answer_frame[answer_frame["attempt_id"].isin(post_ids)])
    return {
        "gains": gains,
        "overall": analytics.group_gains(gains, by=[]),
        "groups": groups,
        "items": items,
        "objectives": analytics.objective_change(answer_frame, attempt_frame).reset_index(),
        "distractors": analytics.distractor_counts(answer_frame),
        "suspects": languages[languages["suspect"]] if not languages.empty else languages,
    }


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
    attempts = selectors.scoped_attempts(user=request.user, filters=filters)
    figures = _figures(attempts=attempts, filters=filters)
    download = request.GET.get("download")
    if download in ("csv", "xlsx"):
        return _download(figures, download)
    overall = _records(figures["overall"])
    groups = {name: _records(frame) for name, frame in figures["groups"].items()}
    labels = selectors.group_labels(
        cohorts=[row["cohort"] for row in groups["cohort"]], sessions=[row["session"] for row in groups["session"]]
    )
    for name in CASCADE_GROUPINGS:
        for row in groups[name]:
            row["label"] = labels[name].get(row[name], row[name])
    context = {
        "filters": filters,
        "choices": selectors.filter_choices(user=request.user),
        "overall": overall[0] if overall else None,
        "groups": groups,
        "chart": _bars(groups["agency"], "agency"),
        "cohort_chart": _bars(groups["cohort"], "label"),
        "items": _records(figures["items"]),
        "objectives": _records(figures["objectives"]),
        "suspects": _records(figures["suspects"]),
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/knowledge_gain.html", context)


def _download(figures: dict, kind: str):
    sheets = {
        "learners": figures["gains"],
        "overall": figures["overall"],
        **{f"by_{name}": frame for name, frame in figures["groups"].items()},
        "items": figures["items"],
        "objectives": figures["objectives"],
        "distractors": figures["distractors"],
    }
    if kind == "csv":
        # one CSV: the learners' pre/post pairs (the other tables are in the XLSX workbook)
        return csv_response(frame_sheet("learners", figures["gains"]), filename="knowledge-gain-learners.csv")
    return xlsx_response([frame_sheet(name, frame) for name, frame in sheets.items()], filename="knowledge-gain.xlsx")
