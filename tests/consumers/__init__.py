"""Small NumPy-style programs written against an array API namespace ``xp``.

They use only the standard's functions, so the same source runs on NumPy and
on trueno; tests/test_consumers.py runs both and compares the results.
"""
