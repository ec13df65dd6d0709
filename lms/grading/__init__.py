"""Grading and paper mode: what trainers and coordinators do with the answers of the people they teach.

- ``selectors``: whose answers a user may grade and enter (``gradable_learners``), whether they grade at
  all (``may_grade``), the paper forms they may print and fill in (``paper_form_list``) and when a form's
  sheets count as written (``paper_form_written_at``).
- ``views/queue.py``: the grading queue of open responses, graded against their rubric.
- ``views/paper.py``: printing a test as a paper form and entering its answer sheets (grid or XLSX/CSV).
- ``forms``: the small forms of those pages.

The scoring, the forms' PDF and the import itself are ``assessments`` (``services.rubric_grade``,
``paper``, ``services.paper_results_import``); the sessions whose participants a trainer teaches are
``lms.cascade``. This app sits above ``lms.cascade`` and below ``lms.reports`` (import-linter); it has no
models of its own. Its pages keep their addresses under ``/training/`` (``grading:`` URL names).
"""
