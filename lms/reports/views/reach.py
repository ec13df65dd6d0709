"""Reach of the cascade: lineage figures, coverage, knowledge gain at each level, charts and downloads.

The view is thin: scope and figures come from ``reach`` (the same function the API calls), drawing is
``downloads.bars`` and the template. Downloads are filtered and scoped like the page.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.spreadsheets import csv_response, readme_sheet, xlsx_response
from lms.cascade import delivery
from lms.cascade.models import CascadeSession
from lms.people.models import Profile

from .. import presentation
from .. import reach as reach_selectors
from ..downloads import bars, records
from ..exceptions import NOT_ALLOWED, ReachNotAllowed

SESSIONS_PER_PAGE = 100

LEVELS = {
    "tot": gettext_lazy("ToT cohorts: the trainers' own pre/post tests"),
    "participants": gettext_lazy("Cascade sessions: the participants' pre/post tests"),
}

SHEETS = {
    "cohorts": gettext_lazy("By ToT cohort"),
    "knowledge_gain": gettext_lazy("Knowledge gain"),
    "by_agency": gettext_lazy("By agency"),
    "by_region": gettext_lazy("By region"),
    "by_gender": gettext_lazy("By gender"),
    "over_time": gettext_lazy("Over time"),
    "trainers": gettext_lazy("Trainers"),
    "sessions": gettext_lazy("Sessions"),
}

# (sheets, columns, definition) for the "Read me" sheet of the workbook; shown with their translated titles
DEFINITIONS = [
    (("cohorts",), ("trainers_certified",), gettext_lazy(
        "Trainers certified from the ToT cohort: certifications granted, whatever their status today.")),
    (("cohorts",), ("trainers_active",), gettext_lazy("Of them, certified and within validity today.")),
    (("cohorts",), ("trainers_delivering",), gettext_lazy("Trainers of the cohort who led at least one session counted.")),
    (("cohorts",), ("sessions",), gettext_lazy(
        "Cascade sessions delivered or reported, led by a trainer of the cohort. Cancelled, planned and "
        "unapproved sessions are not counted. A session belongs to the cohort of its lead trainer's certification.")),
    (("cohorts",), ("participants",), gettext_lazy(
        "Participants reached: distinct people enrolled in those sessions (someone in two sessions counts once).")),
    (("cohorts",), ("multiplier",), gettext_lazy("Participants reached divided by trainers certified.")),
    (("cohorts",), ("hours",), gettext_lazy("Training hours: the sum of the lengths of the sessions' days.")),
    (("cohorts",), ("tot_n", "tot_mean_pre", "tot_mean_post", "tot_mean_normalised_gain"), gettext_lazy(
        "The cohort's own knowledge gain: candidates with both the cohort's pre-test and post-test.")),
    (("cohorts",), ("participants_n", "participants_mean_pre", "participants_mean_post",
                    "participants_mean_normalised_gain"), gettext_lazy(
        "The knowledge gain of the participants of the cohort's trainers' sessions.")),
    (("knowledge_gain",), ("n",), gettext_lazy("Matched pairs: people with a pre-test and a later post-test.")),
    (("knowledge_gain",), ("mean_pre", "mean_post"), gettext_lazy("Mean score before and after, in per cent.")),
    (("knowledge_gain",), ("mean_normalised_gain",), gettext_lazy(
        "Mean normalised gain: (post − pre) / (100 − pre), the share of what was left to learn that was learned.")),
    (("knowledge_gain",), ("wilcoxon_p",), gettext_lazy(
        "p-value of the Wilcoxon signed-rank test; below 0.05 the gain is statistically significant.")),
    (("knowledge_gain",), (), gettext_lazy(
        "A participant's test belongs to a session when it is taken from %(pre)s days before the first day to "
        "the last day (pre-test) or from the first day to %(post)s days after the last day (post-test).")),
    (("by_agency", "by_region", "by_gender"), (), gettext_lazy(
        "Distinct participants by the agency, region and gender on their profile (the session's agency and "
        "region when the profile has none); share: of all participants reached.")),
    (("over_time",), ("period",), gettext_lazy("Month or quarter of the session's first day.")),
    (("trainers",), (), gettext_lazy(
        "Each certified trainer and each lead trainer of a session counted: sessions led, distinct "
        "participants, hours and the participants' mean normalised gain.")),
    (("sessions",), (), gettext_lazy(
        "One row per session counted, the shape to pivot: dates, agency, region (where it was held), lead "
        "trainer, ToT cohort, participants by gender and the participants' knowledge gain.")),
    ((), (), gettext_lazy(
        "Filters: the cohort and the agency narrow the trainers and their sessions; the region (where a "
        "session was held) and the period (its first day) narrow the sessions; the gender narrows the "
        "participants counted.")),
    ((), ("agency_code", "region_code", "cohort_code", "trainer_id", "session_id"), gettext_lazy(
        "Codes and IDs, for programs that join these tables with other data.")),
]


def _gender_label(value: str) -> str:
    return str(dict(Profile.Gender.choices).get(value, "")) or _("not recorded")


def _filters_text(filters, scope, names) -> str:
    """The filters in words: "ToT cohort: …, Agency: General Prosecutor's Office"."""
    form = reach_selectors.ReachFilterForm()
    intervals = dict(reach_selectors.INTERVAL_CHOICES)
    values = {
        "agency": lambda code: names["agency"].get(code, code),
        "region": lambda code: names["region"].get(code, code),
        "gender": _gender_label,
        "interval": lambda value: str(intervals.get(value, value)),
    }
    parts = [
        f"{form.fields[key].label}: {values.get(key, str)(value)}" for key, value in filters.as_query().items()
        if key in form.fields
    ]
    agency = names["agency"].get(scope.agency_code, scope.agency_code)
    view = _("National view") if scope.national else _("Agency view: %(agency)s") % {"agency": agency}
    return f"{view}. {_('Filters')}: {', '.join(parts) if parts else '—'}"


@login_required
def reach(request):
    if not reach_selectors.reach_allowed(user=request.user):
        raise ReachNotAllowed(NOT_ALLOWED)
    filters, errors = reach_selectors.reach_filters_parse(query=request.GET)
    frames = reach_selectors.reach_frames(user=request.user, filters=filters)
    tables = reach_selectors.reach_tables(frames)
    download = request.GET.get("download")
    if download == "csv":
        sheet = presentation.download_sheet(SHEETS["sessions"], _readable(tables["sessions"], frames))
        return csv_response(sheet, filename="cascade-reach-sessions.csv", stream=True)
    if download == "xlsx":
        return _workbook(frames, tables)

    query = request.GET.copy()
    query.pop("page", None)
    coverage = {name: records(frame) for name, frame in tables["coverage"].items()}
    for row in coverage["gender"]:
        row["label"] = _gender_label(row["gender"])
    for name in ("agency", "region"):
        for row in coverage[name]:
            row["label"] = row[f"{name}_name"] or row[name] or _("not recorded")
    agencies = frames.names["agency"]
    titles = dict(zip(frames.cohorts["code"], frames.cohorts["title"]))
    cohorts = records(tables["cohorts"])
    for row in cohorts:
        row["label"] = row["cohort_title"] or row["cohort"] or _("Trainers without a ToT cohort")
    levels = records(tables["levels"])
    for row in levels:
        row["label"] = LEVELS[row["level"]]
    over_time = records(tables["over_time"])
    trainers = records(tables["trainers"])
    # the session list a page at a time (thousands of rows nationally); the downloads hold them all
    page = Paginator(range(len(tables["sessions"])), SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    sessions = records(tables["sessions"].iloc[page.object_list.start : page.object_list.stop])
    for row in trainers + sessions:
        row["agency_label"] = row.get("agency_name") or agencies.get(row["agency"]) or row["agency"] or "—"
        row["cohort_label"] = titles.get(row["cohort"]) or row["cohort"] or "—"
    context = {
        "filters": filters,
        "errors": errors,
        "scope": frames.scope,
        "agency_name": frames.names["agency"].get(frames.scope.agency_code, ""),
        "choices": reach_selectors.reach_filter_choices(user=request.user),
        "genders": Profile.Gender.choices,
        "intervals": reach_selectors.INTERVAL_CHOICES,
        "totals": tables["totals"],
        "cohorts": cohorts,
        "levels": levels,
        "coverage": coverage,
        "over_time": over_time,
        "trainers": trainers,
        "sessions": sessions,
        "sessions_page": page,
        "charts": {
            "agency": bars(coverage["agency"], label="label", value="participants"),
            "region": bars(coverage["region"], label="label", value="participants"),
            "time": bars(over_time, label="period", value="participants"),
            "multiplier": bars(cohorts, label="label", value="multiplier"),
        },
        "query": query.urlencode(),
    }
    return render(request, "reports/reach.html", context)


def _readable(frame, frames):
    """A table of the report for a download: names where there were codes, the codes kept in columns of
    their own, choice values as their labels; the figures unchanged."""
    frame = frame.copy()
    for name in ("agency", "region"):
        if name not in frame.columns:
            continue
        codes = frame[name]
        names = frame.pop(f"{name}_name") if f"{name}_name" in frame.columns else codes.map(frames.names[name])
        position = frame.columns.get_loc(name)
        frame = frame.rename(columns={name: f"{name}_code"})
        frame.insert(position, name, [
            label or code or _("not recorded") for label, code in zip(names.astype(object).fillna(""), codes)])
    if "cohort" in frame.columns:
        titles = dict(zip(frames.cohorts["code"], frames.cohorts["title"]))
        codes = frame["cohort"]
        labels = frame.pop("cohort_title") if "cohort_title" in frame.columns else codes.map(titles)
        position = frame.columns.get_loc("cohort")
        frame = frame.rename(columns={"cohort": "cohort_code"})
        frame.insert(position, "cohort", [
            label or code or _("Trainers without a ToT cohort")
            for label, code in zip(labels.astype(object).fillna(""), codes)])
        frame = frame.drop(columns=["cohort_id"], errors="ignore")
    if "title" in frame.columns:
        frame = frame.rename(columns={"title": "session"})
    if "gender" in frame.columns:
        frame["gender"] = frame["gender"].map(_gender_label)
    if "state" in frame.columns:
        states = dict(CascadeSession.State.choices)
        frame["state"] = frame["state"].map(lambda value: str(states.get(value, value)))
    if "level" in frame.columns:
        frame["level"] = frame["level"].map(lambda value: str(LEVELS.get(value, value)))
    return frame


def _workbook(frames, tables):
    sheets = {
        "cohorts": tables["cohorts"],
        "knowledge_gain": tables["levels"],
        "by_agency": tables["coverage"]["agency"],
        "by_region": tables["coverage"]["region"],
        "by_gender": tables["coverage"]["gender"],
        "over_time": tables["over_time"],
        "trainers": tables["trainers"],
        "sessions": tables["sessions"],
    }
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    windows = {"pre": delivery.PRE_WINDOW.days, "post": delivery.POST_WINDOW.days}
    readme = [
        (_("Reach of the cascade"),),
        (_filters_text(frames.filters, frames.scope, frames.names),),
        (_("Made on %(date)s") % {"date": today},),
        (),
        (_("Sheet"), _("Column"), _("Definition")),
        *[
            (", ".join(str(SHEETS[sheet]) for sheet in names),
             ", ".join(presentation.column_title(column) for column in columns),
             str(text) % windows)
            for names, columns, text in DEFINITIONS
        ],
    ]
    return xlsx_response(
        [readme_sheet(readme, title=_("Read me")),
         *[presentation.download_sheet(SHEETS[name], _readable(frame, frames)) for name, frame in sheets.items()]],
        filename="cascade-reach.xlsx",
    )
