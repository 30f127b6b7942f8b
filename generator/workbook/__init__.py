"""What is written back for people: the starter workbook (`gen init`) and the annotated copy
of a checked workbook (`gen check --report`)."""
