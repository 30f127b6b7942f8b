"""Views of a checked cohort for people: the terminal table (`terminal`), the dashboard page
the deadlines calendar and the JSON object (`json_report`); the annotated copy of the
workbook is `workbook.annotate` (it writes into the team's workbook)."""
