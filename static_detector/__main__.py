"""`python -m static_detector` = the `blocking-io` command."""

from .cli import main

main()
