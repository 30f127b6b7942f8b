"""Rows → findings: one module per family of rules, the registry, the derived facts, and the
report that `check` returns (`generator.rules.report.check`)."""
