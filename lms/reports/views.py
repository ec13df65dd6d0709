"""The knowledge-gain dashboard: pre → post per group and per item, with CSV and XLSX downloads."""

import io
import math

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from assessments import analytics

from . import selectors

GROUPINGS = ("agency", "region", "gender", "language")


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows for a template, with NaN as None (shown as a dash)."""
    return [
        {key: (None if isinstance(value, float) and math.isnan(value) else value) for key, value in row.items()}
        for row in frame.to_dict("records")
    ]


def _figures(*, attempts) -> dict:
    attempt_frame = selectors.attempt_frame(attempts=attempts)
    answer_frame = selectors.answer_frame(attempts=attempts)
    gains = analytics.learner_gains(attempt_frame)
    groups = {name: analytics.group_gains(gains, by=[name]) for name in GROUPINGS}
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


def _bars(frame: pd.DataFrame, label: str) -> list[dict]:
    """Pre and post means per group as bar widths (percent of the chart) for the server-drawn SVG."""
    return [
        {"label": row[label] or "—", "pre": row["mean_pre"], "post": row["mean_post"], "n": row["n"]}
        for row in _records(frame)
        if row["mean_pre"] is not None and row["mean_post"] is not None
    ]


@login_required
def knowledge_gain(request):
    if not selectors.reports_allowed(user=request.user):
        raise PermissionDenied
    filters = selectors.Filters.from_query(request.GET)
    attempts = selectors.scoped_attempts(user=request.user, filters=filters)
    figures = _figures(attempts=attempts)
    download = request.GET.get("download")
    if download in ("csv", "xlsx"):
        return _download(figures, download)
    overall = _records(figures["overall"])
    context = {
        "filters": filters,
        "choices": selectors.filter_choices(user=request.user),
        "overall": overall[0] if overall else None,
        "groups": {name: _records(frame) for name, frame in figures["groups"].items()},
        "chart": _bars(figures["groups"]["agency"], "agency"),
        "items": _records(figures["items"]),
        "objectives": _records(figures["objectives"]),
        "suspects": _records(figures["suspects"]),
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/knowledge_gain.html", context)


def _download(figures: dict, kind: str) -> HttpResponse:
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
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="knowledge-gain-learners.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 (Turkmen and Russian letters) with the BOM
        figures["gains"].to_csv(response, index=False)
        return response
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = frame.copy()
            for column in frame.columns:
                if pd.api.types.is_datetime64_any_dtype(frame[column]) and getattr(frame[column].dt, "tz", None) is not None:
                    frame[column] = frame[column].dt.tz_localize(None)
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="knowledge-gain.xlsx"'
    return response
