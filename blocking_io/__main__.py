"""`python -m blocking_io`: the `blocking-io` command."""

from blocking_io.cli.app import main

main()
