"""Hypothesis settings for the whole test suite.

In CI (CI=true) examples are derandomized, so a run's outcome depends on the
commit alone; at a desk they are random, so every run explores new inputs.
"""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
