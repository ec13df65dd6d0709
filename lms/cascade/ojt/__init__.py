"""On-the-job training of agency training units: annual plans, OJT records, their XLSX import, and the
plan-against-actual figures (``progress``) in which delivered cascade sessions count automatically."""
