"""What the commands print on a terminal: colors and widths (`style`), the progress bar,
and the terminal renderings of findings, gaps and teeth reports (rich)."""
