"""What `blocking-io init` does: the table in pyproject.toml, the anchor folder with its
README and example anchor, the .gitignore line, the next steps. Imported only by `init`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from string import Template

import typer

from blocking_io.shared_rules import InputError, ProjectConfig, load_config
from blocking_io.shared_rules.config import Settings

from ..scaffold import anchor_source, files, pyproject
from ..scaffold.entrypoints import Function, Index, path_kind
from ..scaffold.layout import Layout, detect_layout
from ..scaffold.style import Style, resolve_style
from . import common


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def init_project(
    root: Path, force: bool, roots: list[str], packages: list[str], style: Style
) -> None:
    path = root / "pyproject.toml"
    shown = _shown(path)
    text = files.read_text(path) if path.exists() else ""
    doc = pyproject.parse(text, path)
    existed = pyproject.has_table(doc)
    if existed and not force and (roots or packages):
        raise InputError(
            "[tool.blocking-io] already exists; nothing changed (blocking-io init --force "
            "replaces the table with the given --source-root / --package)",
            shown,
        )
    changed = False
    if existed and not force:
        # running it again changes nothing: the table is the team's now
        typer.echo(f"kept [tool.blocking-io] in {shown} (exists; --force replaces it)")
        layout = None
    else:
        layout = _layout(root, roots, packages)
        settings = Settings()
        table = pyproject.build_table(layout, settings)
        new_text = pyproject.with_table(text, path, table)
        if new_text != text:
            files.write_text(path, new_text)
            changed = True
        verb = "replaced" if existed else "wrote"
        typer.echo(f"{verb} [tool.blocking-io] in {shown} ({layout.describe()})")
    project = load_config(path)
    if layout is None:
        layout = _configured_layout(project)
    changed |= _anchor_folder(project, layout, style)
    changed |= _gitignore(project)
    if not changed:
        typer.echo("nothing to change")
    _next_steps(project)


def _configured_layout(project: ProjectConfig) -> Layout:
    """The layout an existing table describes (for the anchor folder's README and example)."""
    settings = project.settings
    packages = list(settings.scanned_modules) or detect_layout(project.root).packages
    return Layout(
        source_roots=list(settings.source_roots),
        packages=packages,
        include=list(settings.include),
        kind="configured",
    )


def _layout(root: Path, roots: list[str], packages: list[str]) -> Layout:
    layout = detect_layout(root)
    if roots:
        for given in roots:
            if not (root / given).is_dir():
                raise InputError("--source-root: not a directory", root / given)
        layout.source_roots = [Path(r).as_posix().strip("/") or "." for r in roots]
        layout.include = []
        layout.kind = "given"
    if packages:
        layout.packages = list(dict.fromkeys(packages))
        if not layout.source_roots:
            layout.source_roots = ["."]
        layout.include = [] if roots else [p for p in layout.include if p in packages]
        layout.kind = "given"
    if not layout.packages:
        raise InputError(
            "no Python package or module found (looked in src/, the top level and "
            "sub-projects); name yours with --package NAME (and --source-root DIR)",
            root,
        )
    return layout


# -- the anchor folder --------------------------------------------------------------------


def _template(name: str) -> Template:
    text = (resources.files("blocking_io.cli.scaffold") / "templates" / name).read_text("utf-8")
    return Template(text)


def _anchor_folder(project: ProjectConfig, layout: Layout, style: Style) -> bool:
    """The anchor folder's README and example anchor; True when something was written."""
    folder = project.root / project.settings.anchor_paths[0]
    shown = project.relpath(folder)
    readme = folder / "README.md"
    existing = sorted(p.name for p in folder.glob("test_*.py")) + sorted(
        p.name for p in folder.glob("*_test.py")
    )
    if readme.exists() and existing:  # set up already: not even a scan to choose an example
        typer.echo(f"kept {shown}/README.md and the anchors in {shown}/ (exist)")
        return False
    index = Index(project)
    example = _example(project, index, layout)
    wrote = False
    if readme.exists():
        typer.echo(f"kept {shown}/README.md (exists)")
    else:
        command = (
            f"blocking-io anchor new {example.qualname if example else 'package.module.handler'}"
        )
        text = _template("anchors_README.md").substitute(
            packages=", ".join(f"`{p}`" for p in layout.packages),
            commands="\n".join(_aligned(_steps(project))),
            example_entrypoint=command.rsplit(" ", 1)[-1],
        )
        files.write_text(readme, text, exclusive=True)
        typer.echo(f"wrote {shown}/README.md")
        wrote = True
    if existing:
        typer.echo(f"kept the anchors in {shown}/ ({len(existing)} test file(s); no example added)")
        return wrote
    if example is None:
        target = folder / "test_example.py"
        source = anchor_source.example_skeleton(
            layout.packages, "blocking-io anchor new package.module.async_function"
        )
        files.write_text(target, source, exclusive=True)
        typer.echo(f"wrote {shown}/test_example.py (a skeleton, skipped: no async function found)")
        return True
    chosen, why = resolve_style(style, project.root, [folder])
    command = f"blocking-io anchor new {example.qualname}"
    # A module-level function with every argument chosen runs as generated. A method needs an
    # instance, and a constructor call built from a signature can be wrong (an abstract
    # class, attributes set elsewhere): that example is a skeleton, skipped until checked.
    review = None
    if example.kind != "function":
        owner = ".".join(example.class_path) or example.qualname
        review = (
            f"check how the service builds and calls {owner} (a constructor or call "
            "generated from signatures), then delete this line"
        )
    source = anchor_source.render(
        example, chosen, list(project.settings.scanned_modules), command, review=review
    )
    target = folder / anchor_source.file_name(example)
    files.write_text(target, source, exclusive=True)
    state = (
        "a skeleton, skipped until its todo(...) values are filled in"
        if "todo(" in source
        else "runs as-is"
    )
    typer.echo(
        f"wrote {shown}/{target.name}: an example anchor for {example.qualname} ({state}; {chosen}: {why})"
    )
    return True


def _example(project: ProjectConfig, index: Index, layout: Layout) -> Function | None:
    """The async function the example anchor calls: one that the static detector finds no
    blocking IO under (so the example passes), that does not look like a server loop, and
    that needs the fewest values chosen by hand."""
    candidates = [
        f
        for f in index.async_functions()
        if not f.long_running
        and not f.is_generator
        and f.kind in ("function", "method", "classmethod", "staticmethod")
        and f.module.split(".")[0] in layout.packages
    ]
    if not candidates:
        return None
    blocking = _entrypoints_with_findings(project)

    def cost(f: Function) -> tuple[int, int, int, int, str]:
        params = [p for p in f.params if p.required]
        todo = sum(path_kind(p) is None for p in params)
        if f.kind == "method":
            ctor = f.constructor
            if ctor is None or ctor.params is None:
                todo += 5
            else:
                todo += sum(p.required and path_kind(p) is None for p in ctor.params)
        private = f.name.startswith("_") or any(c.startswith("_") for c in f.class_path)
        return (
            f.qualname in blocking,
            todo + private + (f.kind != "function"),  # a method: a skeleton to review
            f.kind != "function",
            f.statements,
            f.qualname,
        )

    return min(candidates, key=cost)


def _entrypoints_with_findings(project: ProjectConfig) -> set[str]:
    from blocking_io.static_detector.scan import scan

    from ..console.progress import progress_reporter

    try:
        with progress_reporter("scanning to choose the example anchor") as progress:
            result = scan(project, None, use_cache=False, progress=progress)
    except Exception as exc:  # choosing an example must not fail init
        common.warn(f"could not scan to choose the example anchor: {exc}")
        return set()
    out: set[str] = set()
    for finding in result.report.findings:
        out.update(finding.entrypoints)
        out.add(finding.function)
    return out


# -- .gitignore and what to do next ---------------------------------------------------------


def _gitignore(project: ProjectConfig) -> bool:
    path = project.root / ".gitignore"
    report_dir = project.settings.report_dir.strip("/")
    text = files.read_text(path) if path.exists() else ""
    forms = {report_dir, f"{report_dir}/", f"/{report_dir}", f"/{report_dir}/"}
    if any(line.strip() in forms for line in text.splitlines()):
        typer.echo(f".gitignore already ignores {report_dir}/")
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    text += f"# blocking-io reports and cache\n/{report_dir}/\n"
    files.write_text(path, text)
    typer.echo(f"added /{report_dir}/ to .gitignore")
    return True


def _steps(project: ProjectConfig) -> list[tuple[str, str]]:
    anchors = project.settings.anchor_paths[0]
    report = f"{project.settings.report_dir}/anchors.json"
    return [
        ("blocking-io detect", "blocking IO that the event loop can reach"),
        (f"pytest {anchors} --blocking-io-report", f"the anchors, under the gate ({report})"),
        ("blocking-io gaps", "which findings no anchor guards yet"),
    ]


def _aligned(steps: list[tuple[str, str]]) -> list[str]:
    width = max(len(command) for command, _ in steps)
    return [f"{command.ljust(width)}   # {why}" for command, why in steps]


def _next_steps(project: ProjectConfig) -> None:
    typer.echo("")
    typer.echo("Next:")
    for line in _aligned(_steps(project)):
        typer.echo(f"  {line}")
