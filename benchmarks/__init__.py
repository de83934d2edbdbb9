"""The side-by-side benchmark (run.py is the command; ops.py the op table; report.py the reports)."""
