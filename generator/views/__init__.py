"""Views of a checked cohort for people: the terminal table (`terminal`), the dashboard page
and the deadlines calendar. The JSON object is `Report.as_json`; the annotated copy of the
workbook is `workbook.annotate` (it writes into the team's workbook)."""
