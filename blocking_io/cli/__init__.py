"""The application layer: the `blocking-io` command (typer), its commands, console rendering
and the scaffolding of `init` and `anchor new`. It composes the engines; no engine imports it."""
