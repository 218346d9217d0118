"""Adoption helpers behind `blocking-io init` and `blocking-io anchor new`: project layout
detection, the `[tool.blocking-io]` table, an ast index of the project's functions, anchor
skeletons, and the generated configuration reference."""
