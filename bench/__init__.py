"""`make bench`: the labelled corpus scored against ruff and flake8-async, speed on real code
bases, and the cost of the runtime gate. Run as `python -m bench` (see `--help`)."""
