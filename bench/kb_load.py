"""The knowledge base's cost: shipped bytes, and the time to load it.

    python -m bench.kb_load

Prints the size of shared_rules/data/kb/ (and gzip-compressed, as in a wheel), the time to
validate it with the registry (what a first run after an upgrade pays: every data file is
parsed once to check it), the time to unpickle the cached registry (every later run), and
the time to parse every library's entries on a first lookup (a scan pays it per library
it meets that the environment lacks). Each time is the best of several runs."""

from __future__ import annotations

import gzip
import pickle
import time
from collections.abc import Callable

from blocking_io.shared_rules.registry import DATA, _data_files, _validate


def _best(fn: Callable[[], object], repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    kb_dir = DATA / "kb"
    files = sorted(p for p in kb_dir.iterdir() if p.suffix in (".json", ".toml"))
    size = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes())) for p in files)
    raw = {name: DATA.joinpath(*name.split("/")).read_bytes() for name in _data_files()}
    without_kb = {name: raw[name] for name in raw if not name.startswith("kb/")}
    without_kb["kb/libraries.toml"] = b""
    registry = _validate(raw)
    kb = registry.kb
    apis = sum(raw[f"kb/{lib.file}"].count(b"\n") for lib in kb.libraries)
    print(f"libraries: {len(kb.libraries)}, data files: {len(files)}, ~{apis} lines")
    print(f"shipped size: {size / 1024:.0f} KiB ({packed / 1024:.0f} KiB gzip-compressed)")
    full = _best(lambda: _validate(raw))
    bare = _best(lambda: _validate(without_kb))
    print(f"registry validation: {full * 1000:.1f} ms, of which the knowledge base "
          f"{(full - bare) * 1000:.1f} ms (first run after an upgrade)")  # fmt: skip
    blob = pickle.dumps(registry, protocol=pickle.HIGHEST_PROTOCOL)
    warm = _best(lambda: pickle.loads(blob))
    bare_blob = pickle.dumps(_validate(without_kb), protocol=pickle.HIGHEST_PROTOCOL)
    bare_warm = _best(lambda: pickle.loads(bare_blob))
    print(f"cached registry unpickled: {warm * 1000:.1f} ms ({len(blob) / 1024:.0f} KiB pickle); "
          f"without the knowledge base {bare_warm * 1000:.1f} ms "
          f"({len(bare_blob) / 1024:.0f} KiB)")  # fmt: skip

    def parse_all() -> None:
        fresh = pickle.loads(blob).kb
        for lib in fresh.libraries:
            fresh.lookup(lib.modules[0])

    every = _best(parse_all) - warm
    print(f"every library's entries parsed on first lookup: {every * 1000:.1f} ms in all")


if __name__ == "__main__":
    main()
