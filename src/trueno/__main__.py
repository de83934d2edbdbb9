"""`python -m trueno`: print trueno.show_config() (versions, libraries, SIMD targets)."""
from trueno import show_config

show_config()
