"""On-the-job training (OJT) of agency training units: annual plans, OJT records, their import and exports,
and the plan-against-actual dashboard in which delivered cascade sessions count automatically.

- ``models``: ``TrainingPlan`` and ``OJTRecord`` (tables ``cascade_*``: they moved here from ``lms.cascade``
  with every row, see ``migrations/0001_initial.py``).
- ``selectors``: who sees which agency's plans and records (``ojt_agencies``, ``record_list``, ``plan_get`` …).
- ``services``: the rules of saving plans and records; ``exceptions``: their messages.
- ``imports`` (the XLSX import and its template), ``exports`` (the records sheet), ``progress`` (plan against
  actual: sessions, staff trained and hours by month and topic), ``forms``, ``views``, ``seed`` (demo data).

Sits above ``lms.cascade`` (it reads delivered sessions and attendance) and below ``lms.reports``; it and
``lms.grading`` do not import each other (import-linter). Its pages keep their addresses under
``/training/ojt/`` (``ojt:`` URL names).
"""
