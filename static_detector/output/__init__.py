"""The static detector's machine formats: SARIF (code scanning), GitHub annotations, and the
report view they share (normalized JSON, counts, stable ordering). Terminal renderings live in
the application layer (`blocking_io.cli.console`)."""
