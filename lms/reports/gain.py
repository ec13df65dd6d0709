"""The knowledge-gain figures: pre → post per learner, group, item and objective (computed from the attempts
the reader may see; the page and the downloads show them, ``figures_cache`` keeps them)."""

from assessments import analytics

from . import lineage, selectors

GROUPINGS = ("agency", "region", "gender", "language", "cohort", "session")
# groups of the cascade: most learners belong to none, so only those in one are tabled
CASCADE_GROUPINGS = ("cohort", "session")


def figures(*, attempts, filters: selectors.Filters, output: str = "page") -> dict:
    """The figures ``output`` shows: "csv" (the learners' pairs only: no answer is read), "page" (the pairs,
    the groups, the items, objectives and translations) or "xlsx" (all of them and the options chosen)."""
    attempt_frame = selectors.filter_groups(selectors.attempt_frame(attempts=attempts), filters=filters)
    gains = lineage.pairs_within_groups(
        analytics.learner_gains(attempt_frame), attempt_frame, columns=CASCADE_GROUPINGS
    )
    if output == "csv":
        return {"gains": gains}
    groups = {name: analytics.group_gains(gains, by=[name]) for name in GROUPINGS}
    for name in CASCADE_GROUPINGS:
        groups[name] = groups[name][groups[name][name].fillna("") != ""].reset_index(drop=True)
    answer_frame = selectors.answer_frame(attempts=attempts)
    if not answer_frame.empty and (filters.cohort or filters.session):
        answer_frame = answer_frame[answer_frame["attempt_id"].isin(attempt_frame["attempt_id"])]
    post_ids = attempt_frame.loc[attempt_frame["phase"] == "post", "attempt_id"] if not attempt_frame.empty else []
    titles = answer_frame.drop_duplicates("question_key").set_index("question_key")["title"] if not answer_frame.empty else {}
    items = analytics.item_analysis(answer_frame, attempt_frame, phase="post")
    change = analytics.item_change(answer_frame, attempt_frame).reset_index()
    if not items.empty:
        items = items.merge(change, on="question_key", how="left")
        items["title"] = items["question_key"].map(titles)
    languages = analytics.item_by_language(answer_frame[answer_frame["attempt_id"].isin(post_ids)])
    figures = {
        "gains": gains,
        "overall": analytics.group_gains(gains, by=[]),
        "groups": groups,
        "items": items,
        "objectives": analytics.objective_change(answer_frame, attempt_frame).reset_index(),
        "suspects": languages[languages["suspect"]] if not languages.empty else languages,
    }
    if output == "xlsx":
        figures["distractors"] = analytics.distractor_counts(answer_frame)
    return figures
