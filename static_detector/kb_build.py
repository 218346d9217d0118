"""Builds the knowledge base (shared_rules/data/kb/) from the released sources of the
libraries that `kb/libraries.toml` pins: `make kb`, or

    python -m blocking_io.static_detector.kb_build [--only NAME] [--archive NAME=PATH]

Per library: `pip download --no-deps --no-binary :all:` fetches the sdist (a wheel when the
sdist cannot be had or will not build its metadata; both are archives, read here without
installing or importing anything), every module of its import packages is summarised, and
the detector's own resolution, classification and reachability run over them as if they
were a project. A public function, a public class's constructor or method that reaches a
rule's primitive whatever its arguments (no guard on its parameters) becomes an entry: the
rule, whether it blocks only on a first call, and the shortest chain. The output is a pure
function of the archive and the rules: same input, byte-identical file.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from blocking_io.shared_rules import Registry, builtin_registry, tomlio
from blocking_io.shared_rules.kb import SCHEMA, KbLibrary, KbManifest, normalize

from .callgraph import Classifier, FunctionFacts
from .guards import Binder
from .locks import LOCK_CATEGORY
from .reach import Reach, Witness
from .resolver import Resolver
from .source import SourceError
from .summarize import summarize
from .summary import FunctionKind, ModuleSummary
from .values import ClassV, FuncV

KB_DIR = Path(__file__).resolve().parent.parent / "shared_rules" / "data" / "kb"
# protocol methods a call site can run without naming them (`with`, `for`, calling)
PROTOCOL = ("__enter__", "__exit__", "__iter__", "__next__", "__call__")
SKIPPED_PARTS = frozenset({"tests", "test", "testing", "conftest", "docs", "examples"})


@dataclass(frozen=True)
class Source:
    """A library's modules as read from its archive."""

    archive: str  # the file name
    sha256: str
    files: dict[str, tuple[bytes, bool]]  # module -> (source, is a package)


def manifest(kb_dir: Path = KB_DIR) -> tuple[KbLibrary, ...]:
    path = kb_dir / "libraries.toml"
    return KbManifest.model_validate(tomlio.load(path)).library


# -- fetching ----------------------------------------------------------------------------


def download(lib: KbLibrary, dest: Path) -> Path:
    """The sdist of the pinned version, else its wheel (pip reuses a file already in dest)."""
    dest.mkdir(parents=True, exist_ok=True)
    pin = f"{lib.distribution}=={lib.version}"
    base = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
    base += ["--disable-pip-version-check", "--dest", str(dest)]
    for how in (["--no-binary", ":all:"], ["--only-binary", ":all:"]):
        found = _archive_in(dest, lib)
        if found is not None:
            return found
        done = subprocess.run([*base, *how, pin], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"  {pin} {' '.join(how)}: {done.stderr.strip().splitlines()[-1:]}")
    found = _archive_in(dest, lib)
    if found is None:
        raise SystemExit(f"{pin}: pip download found neither an sdist nor a wheel")
    return found


def _archive_in(dest: Path, lib: KbLibrary) -> Path | None:
    stem = normalize(f"{lib.distribution}-{lib.version}") + "-"
    for path in sorted(dest.iterdir(), key=lambda p: (p.name.endswith(".whl"), p.name)):
        if normalize(path.name).startswith(stem) and path.name.endswith(
            (".tar.gz", ".zip", ".whl")
        ):
            return path
    return None


def read_archive(path: Path, modules: Sequence[str]) -> Source:
    """The modules of the import packages `modules` in an sdist (tar.gz, zip) or a wheel.

    An sdist may carry a package twice (a vendored copy, `build/lib`): the copy nearest the
    archive's root wins, as the installed layout would."""
    raw = path.read_bytes()
    members: dict[str, bytes] = {}
    if path.name.endswith(".tar.gz"):
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
            for info in tar.getmembers():
                if info.isfile() and info.name.endswith(".py"):
                    extracted = tar.extractfile(info)
                    if extracted is not None:
                        members[info.name] = extracted.read()
    else:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for name in archive.namelist():
                if name.endswith(".py"):
                    members[name] = archive.read(name)
    files: dict[str, tuple[bytes, bool]] = {}
    for top in modules:
        top_path = top.replace(".", "/")
        roots = [
            name[: -len(f"{top_path}/__init__.py")]
            for name in members
            if name == f"{top_path}/__init__.py" or name.endswith(f"/{top_path}/__init__.py")
        ]
        singles = [
            name[: -len(f"{top_path}.py")]
            for name in members
            if name == f"{top_path}.py" or name.endswith(f"/{top_path}.py")
        ]
        if roots:
            root = min(roots, key=lambda r: (r.count("/"), r))
            prefix = f"{root}{top_path}/"
            for name in sorted(members):
                if not name.startswith(prefix):
                    continue
                rel = name[len(prefix) : -len(".py")].split("/")
                if any(part in SKIPPED_PARTS or "-" in part for part in rel):
                    continue
                package = rel[-1] == "__init__"
                parts = rel[:-1] if package else rel
                files[".".join([top, *parts])] = (members[name], package)
        elif singles:
            root = min(singles, key=lambda r: (r.count("/"), r))
            files[top] = (members[f"{root}{top_path}.py"], False)
    return Source(path.name, hashlib.sha256(raw).hexdigest(), files)


# -- analysis ----------------------------------------------------------------------------


def analyse(lib: KbLibrary, source: Source, registry: Registry) -> dict[str, object]:
    """The data file of one library (see shared_rules/kb.py for how it is read)."""
    modules: dict[str, ModuleSummary] = {}
    skipped = 0
    for module in sorted(source.files):
        text, package = source.files[module]
        rel = module.replace(".", "/") + ("/__init__.py" if package else ".py")
        try:
            modules[module] = summarize(text, module, rel, package)
        except (SourceError, RecursionError, ValueError):
            skipped += 1  # Python 2 only, or nested beyond the summariser: left out
    resolver = Resolver(modules, registry.types)
    classifier = Classifier(resolver, registry)
    facts: dict[str, FunctionFacts] = {}
    for qualname, summary, fs in resolver.iter_functions():
        if fs.kind is FunctionKind.MODULE:
            continue
        try:
            facts[qualname] = classifier.facts(qualname, summary, fs)
        except RecursionError:
            continue
    reach = Reach(facts, Binder(resolver))

    aliases: dict[str, str] = {}
    apis: dict[str, list[list[object]]] = {}
    functions, classes = _public(resolver, aliases)
    for qualname in sorted(functions):
        _record(apis, qualname, qualname, reach)
    for cls in sorted(classes):
        members = _members(resolver, cls)
        init = members.get("__init__")
        if init is not None:
            _record(apis, cls, init, reach)
        for name, qualname in sorted(members.items()):
            if name != "__init__":
                _record(apis, f"{cls}.{name}", qualname, reach)
    # an alias is worth keeping only if it leads to an entry
    defined = {api.rpartition(".")[0] for api in apis} | set(apis)
    aliases = {public: real for public, real in aliases.items() if real in defined}
    return {
        "schema": SCHEMA,
        "distribution": lib.distribution,
        "version": lib.version,
        "source": source.archive,
        "sha256": source.sha256,
        "modules": len(modules),
        "unreadable_modules": skipped,
        "aliases": dict(sorted(aliases.items())),
        "apis": dict(sorted(apis.items())),
    }


def _public(resolver: Resolver, aliases: dict[str, str]) -> tuple[set[str], set[str]]:
    """Functions and classes a user of the library can name: module-level names without a
    leading underscore in modules without one, re-exports included (as aliases)."""
    functions: set[str] = set()
    classes: set[str] = set()
    for module in sorted(resolver.modules):
        if any(part.startswith("_") for part in module.split(".")):
            continue
        summary = resolver.modules[module]
        # a package re-exports what it imports; another module's imports are its own use
        names = sorted({*summary.defs, *summary.globals})
        if summary.is_package:
            names = sorted({*names, *summary.imports})
        for name in names:
            if name.startswith("_"):
                continue
            value = resolver.lookup_global(module, name)
            public = f"{module}.{name}"
            if isinstance(value, FuncV) and value.qualname in resolver.functions:
                functions.add(value.qualname)
            elif isinstance(value, ClassV) and value.qualname in resolver.classes:
                classes.add(value.qualname)
            else:
                continue
            if public != value.qualname:
                aliases[public] = value.qualname
    return functions, classes


def _members(resolver: Resolver, cls: str) -> dict[str, str]:
    """Public and protocol methods of a library class, along its MRO (first definer wins)."""
    out: dict[str, str] = {}
    for klass in resolver.mro(cls):
        hit = resolver.classes.get(klass)
        if hit is None:
            continue
        summary, cs = hit
        for name, rel in cs.methods.items():
            if name in out or (name.startswith("_") and name not in (*PROTOCOL, "__init__")):
                continue
            out[name] = f"{summary.module}.{rel}"
    return out


def _record(apis: dict[str, list[list[object]]], api: str, qualname: str, reach: Reach) -> None:
    """The rules `qualname` reaches whatever its arguments, with the best chain each."""
    hits: list[tuple[int, Witness]] = []
    for rule in reach.rules(qualname):
        if reach.table[rule][qualname] and _lock_rule(reach, rule, qualname):
            continue  # a lock is judged by who holds it (locks.py): that needs the library
        conds = [c for c in reach.table[rule][qualname] if not c.guard]
        if not conds:
            continue
        best = min((reach.witness(qualname, rule, c) for c in conds), key=Witness.key)
        hits.append((best.match.rule.severity.rank, best))
    if not hits:
        return
    hits.sort(key=lambda h: (-h[0], len(h[1].steps), h[1].match.rule.id))
    # the chain of the most severe; for the others, what a message names: their primitive
    apis[api] = [
        [w.match.rule.id, w.once is not None, _chain(w) if index == 0 else [w.steps[-1].function]]
        for index, (_, w) in enumerate(hits)
    ]


def _lock_rule(reach: Reach, rule: str, qualname: str) -> bool:
    cond = next(iter(reach.table[rule][qualname]))
    return reach.witness(qualname, rule, cond).match.rule.category == LOCK_CATEGORY


def _chain(witness: Witness) -> list[str]:
    names = [step.function for step in witness.steps]
    return [name for index, name in enumerate(names) if index == 0 or name != names[index - 1]]


# -- output ------------------------------------------------------------------------------


def render(data: dict[str, object]) -> bytes:
    """JSON with one alias or API per line: small, and a regeneration diffs readably."""
    lines = ["{"]
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{json.dumps(key)}: {{")
            items = [
                f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in value.items()
            ]
            lines.append(",\n".join(items))
            lines.append("},")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value)},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return ("\n".join(line for line in lines if line) + "\n").encode()


def build(lib: KbLibrary, archive: Path, registry: Registry | None = None) -> bytes:
    source = read_archive(archive, lib.modules)
    if not source.files:
        raise SystemExit(f"{archive}: no module of {', '.join(lib.modules)} in it")
    return render(analyse(lib, source, without_kb(registry or builtin_registry())))


def without_kb(registry: Registry) -> Registry:
    """The registry with an empty knowledge base: a library's summary must not depend on the
    other summaries (docker calls paramiko), or regenerating them would depend on their
    order and on what was generated before; each is a function of its archive and the rules."""
    return Registry(
        rules=registry.rules,
        packs=registry.packs,
        types=registry.types,
        impact=registry.impact,
        all_rules=registry.all_rules,
        project_offloads=registry.project_offloads,
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blocking_io.static_detector.kb_build")
    parser.add_argument("--kb-dir", type=Path, default=KB_DIR, help="libraries.toml's folder")
    parser.add_argument("--downloads", type=Path, help="keep the archives here (reused)")
    parser.add_argument("--only", action="append", default=[], help="a distribution name")
    parser.add_argument(
        "--archive", action="append", default=[], help="NAME=PATH: use this archive, no download"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    archives = dict(item.split("=", 1) for item in args.archive)
    only = {normalize(name) for name in args.only}
    with tempfile.TemporaryDirectory() as tmp:
        downloads = args.downloads or Path(tmp)
        for lib in manifest(args.kb_dir):
            key = normalize(lib.distribution)
            if only and key not in only:
                continue
            given = next((p for n, p in archives.items() if normalize(n) == key), None)
            archive = Path(given) if given else download(lib, downloads)
            data = build(lib, archive)
            (args.kb_dir / lib.file).write_bytes(data)
            apis = data.count(b"\n") - 1
            print(
                f"{lib.label}: {archive.name} -> kb/{lib.file} ({len(data)} bytes, ~{apis} lines)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
