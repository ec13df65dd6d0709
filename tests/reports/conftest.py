"""The report datasets (defined in ``fixtures.py`` so the browser tests of the report pages share them)."""

from tests.reports.fixtures import cascade, pair, results, world  # noqa: F401 (fixtures)
