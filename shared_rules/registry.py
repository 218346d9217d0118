"""The rule registry: built-in rules from data, project extra rules, select/ignore/severity."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import pickle
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import pydantic
from pydantic import ValidationError

from . import tomlio
from .compiled import compiled_path, read_compiled, write_compiled
from .errors import InputError
from .kb import KbHit, KbLibrary, KbManifest, KnowledgeBase
from .kb import parse as parse_kb
from .knowledge import ApiSpec, FrameworkPack, ImpactKnowledge, MethodHook, TypeKnowledge
from .models import ArgCondition, Rule, RuntimeSpec, Severity, Target
from .validation import describe_validation_error

DATA = resources.files("blocking_io.shared_rules") / "data"
ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


class Match(NamedTuple):  # not a frozen dataclass: an exec per generated method at import
    """A registry target matched by a concrete symbol."""

    rule: Rule
    target: Target
    symbol: str  # the concrete symbol (for wildcards: owner.method)
    # from the knowledge base: a library API (`symbol`) that reaches the rule's primitive
    known: KbHit | None = None

    @property
    def runtime(self) -> RuntimeSpec:
        return self.rule.runtime_for(self.target)

    @property
    def lazy(self) -> bool:
        return self.target.lazy


@dataclass(frozen=True)
class Registry:
    """An immutable set of active rules plus what the toolkit knows about the world: the
    framework packs (offloads, loop callbacks, ...) and the external type tables."""

    rules: tuple[Rule, ...]
    packs: tuple[FrameworkPack, ...] = ()
    types: TypeKnowledge = field(default_factory=TypeKnowledge)
    impact: ImpactKnowledge = field(default_factory=ImpactKnowledge)
    kb: KnowledgeBase = field(default_factory=KnowledgeBase)  # libraries not installed
    all_rules: tuple[Rule, ...] = ()  # including disabled ones, for `blocking-io rules`
    project_offloads: tuple[ApiSpec, ...] = ()  # `offload-functions` of [tool.blocking-io]
    _exact: dict[str, tuple[Rule, Target]] = field(default_factory=dict, repr=False)
    _wild: dict[str, tuple[Rule, Target]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for rule in self.rules:
            for target in rule.targets:
                index = self._wild if target.is_wildcard else self._exact
                index[target.owner if target.is_wildcard else target.symbol] = (rule, target)

    # -- knowledge -----------------------------------------------------------------------
    @functools.cached_property
    def offloads(self) -> tuple[ApiSpec, ...]:
        return tuple(a for p in self.packs for a in p.offload) + self.project_offloads

    @functools.cached_property
    def loop_callbacks(self) -> tuple[ApiSpec, ...]:
        return tuple(a for p in self.packs for a in p.loop_callback)

    @functools.cached_property
    def thread_callbacks(self) -> tuple[ApiSpec, ...]:
        return tuple(a for p in self.packs for a in p.thread_callback)

    @functools.cached_property
    def spawns(self) -> tuple[ApiSpec, ...]:
        return tuple(a for p in self.packs for a in p.spawn)

    @functools.cached_property
    def runners(self) -> tuple[ApiSpec, ...]:
        return tuple(a for p in self.packs for a in p.runner)

    @functools.cached_property
    def by_name_owners(self) -> dict[str, tuple[str, ...]]:
        """API symbol -> the modules whose classes a `by_name` match also covers."""
        return {
            a.symbol: p.imports
            for p in self.packs
            for a in (*p.offload, *p.loop_callback, *p.spawn, *p.runner)
        }

    @functools.cached_property
    def by_name_scope(self) -> dict[str, tuple[str, ...] | None]:
        """API symbol -> the modules a module must import for a `by_name` match on a
        receiver of unknown type to count there (None: anywhere)."""
        return {
            a.symbol: None if p.by_name_anywhere else p.imports
            for p in self.packs
            for a in (*p.offload, *p.loop_callback, *p.spawn, *p.runner)
        }

    @functools.cached_property
    def loop_methods(self) -> tuple[MethodHook, ...]:
        return tuple(h for p in self.packs for h in p.loop_method)

    @functools.cached_property
    def loop_decorators(self) -> frozenset[str]:
        return frozenset(d for p in self.packs for d in p.loop_decorator)

    @functools.cached_property
    def thread_decorators(self) -> frozenset[str]:
        return frozenset(d for p in self.packs for d in p.thread_decorator)

    @functools.cached_property
    def off_loop_if(self) -> dict[str, tuple[ArgCondition, ...]]:
        """Loop callback or decorator -> the arguments under which its callable runs off the
        loop instead (`@get(..., sync_to_thread=True)`)."""
        return {k: v for p in self.packs for k, v in p.off_loop_if.items()}

    @functools.cached_property
    def lifecycle_apis(self) -> frozenset[str]:
        """Loop callbacks and loop decorators that run their callable only at start-up or
        shut-down."""
        return frozenset(d for p in self.packs for d in p.lifecycle)

    @functools.cached_property
    def machinery(self) -> tuple[str, ...]:
        """Packages whose frames sit between an offload call and the work it runs."""
        return tuple(dict.fromkeys(m for p in self.packs for m in p.machinery))

    @functools.cached_property
    def long_running(self) -> frozenset[str]:
        return frozenset(name for p in self.packs for name in p.long_running)

    # -- lookups -------------------------------------------------------------------------
    def get(self, rule_id: str) -> Rule | None:
        for rule in self.all_rules or self.rules:
            if rule.id == rule_id:
                return rule
        return None

    def match(self, symbol: str) -> Match | None:
        """The active rule target for a fully qualified callable, if any."""
        hit = self._exact.get(symbol)
        if hit:
            return Match(hit[0], hit[1], symbol)
        owner, _, method = symbol.rpartition(".")
        hit = self._wild.get(owner)
        if hit and method not in hit[1].except_ and not method.startswith("_"):
            return Match(hit[0], hit[1], symbol)
        return None

    def known(self, symbol: str) -> tuple[Match, ...]:
        """What the knowledge base says calling `symbol`, a library API, reaches: one match
        per active rule (the caller checks that the library is not installed)."""
        out = []
        for hit in self.kb.lookup(symbol):
            rule = self._active.get(hit.rule)
            if rule is not None:
                out.append(Match(rule, Target(symbol=symbol), symbol, known=hit))
        return tuple(out)

    @functools.cached_property
    def _active(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def target_runtime(self, rule_id: str, symbol: str) -> RuntimeSpec | None:
        """How the gate intercepts `symbol` of rule `rule_id` (None: unknown rule)."""
        rule = self.get(rule_id)
        if rule is None:
            return None
        for target in rule.targets:
            if target.symbol == symbol or (
                target.is_wildcard and symbol.rpartition(".")[0] == target.owner
            ):
                return rule.runtime_for(target)
        return rule.runtime

    @property
    def symbols(self) -> frozenset[str]:
        return frozenset(self._exact)

    @functools.cached_property
    def rules_hash(self) -> str:
        payload = {
            "rules": [r.model_dump(mode="json", by_alias=True) for r in self.rules],
            "packs": [p.model_dump(mode="json") for p in self.packs],
            "types": self.types.model_dump(mode="json"),
            "impact": self.impact.model_dump(mode="json"),
            "project_offloads": [a.model_dump(mode="json") for a in self.project_offloads],
            "kb": {name: hashlib.sha256(raw).hexdigest() for name, raw in self.kb.raw.items()},
        }
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    # -- configuration -------------------------------------------------------------------
    def configured(
        self,
        *,
        extra_rules: Sequence[Rule] = (),
        select: Sequence[str] = (),
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        severity: dict[str, Severity] | None = None,
        offload_functions: Sequence[ApiSpec] = (),
        where: str = "[tool.blocking-io]",
    ) -> Registry:
        """A registry with project rules added and select/ignore/severity applied.

        `select` replaces the default set (rules with `default = true`); `extend-select`
        adds to it (for opt-in rules); entries are rule ids, id prefixes (`BIO1`) or `ALL`.
        Unknown ids raise InputError naming `where`.
        """
        if not (extra_rules or select or extend_select or ignore or severity or offload_functions):
            return self  # most projects: keeps the rules_hash computed (and cached) already
        every = list(self.all_rules or self.rules)
        known = {r.id for r in every}
        for rule in extra_rules:
            if rule.id in known:
                raise InputError(f"{where}.extra-rules: rule id {rule.id!r} is already defined")
            every.append(rule)
            known.add(rule.id)
        _check_unique_targets(every, where)

        def matches(selector: str, rule: Rule) -> bool:
            return selector == "ALL" or rule.id.startswith(selector)

        for key, selectors in (
            ("select", select),
            ("extend-select", extend_select),
            ("ignore", ignore),
        ):
            for sel in selectors:
                if not any(matches(sel, r) for r in every):
                    raise InputError(f"{where}.{key}: unknown rule id {sel!r}")
        for rule_id in severity or {}:
            if rule_id not in known:
                raise InputError(f"{where}.severity: unknown rule id {rule_id!r}")

        extra_ids = {r.id for r in extra_rules}
        active: list[Rule] = []
        for rule in every:
            enabled = (
                any(matches(s, rule) for s in select)
                if select
                else (rule.default or rule.id in extra_ids)
            ) or any(matches(s, rule) for s in extend_select)
            if enabled and not any(matches(s, rule) for s in ignore):
                if severity and rule.id in severity:
                    rule = rule.model_copy(update={"severity": severity[rule.id]})
                active.append(rule)
        return Registry(
            rules=tuple(active),
            packs=self.packs,
            types=self.types,
            impact=self.impact,
            kb=self.kb,
            all_rules=tuple(every),
            project_offloads=tuple(offload_functions),
        )


def _check_unique_targets(rules: Iterable[Rule], where: str) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        for target in rule.targets:
            other = seen.get(target.symbol)
            if other and other != rule.id:
                raise InputError(
                    f"{where}: target {target.symbol!r} of {rule.id} is already covered by {other}"
                )
            seen[target.symbol] = rule.id


def _load_table(name: str, raw: bytes) -> dict[str, Any]:
    return tomlio.loads(raw.decode("utf-8"), f"shared_rules/data/{name}")


def _validated(model: type[ModelT], data: Any, where: str) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, where)) from None


def parse_rules(items: Iterable[Any], where: str) -> list[Rule]:
    """Validate rule tables; the first problem raises InputError naming `where` and the key."""
    rules = []
    for index, item in enumerate(items):
        try:
            rules.append(Rule.model_validate(item))
        except ValidationError as exc:
            raise InputError(describe_validation_error(exc, f"{where}[{index}]")) from None
    return rules


def _data_files() -> tuple[str, ...]:
    """The rules, the type tables and every framework pack, in a stable order."""
    packs = sorted(
        f"frameworks/{entry.name}"
        for entry in (DATA / "frameworks").iterdir()
        if entry.name.endswith(".toml")
    )
    kb = sorted(
        f"kb/{entry.name}" for entry in (DATA / "kb").iterdir() if entry.name.endswith(".json")
    )
    return ("rules.toml", "types.toml", "impact.toml", *packs, "kb/libraries.toml", *kb)


@functools.lru_cache(maxsize=1)
def builtin_registry() -> Registry:
    """The built-in rules, validated (a broken data file is an InputError, not a crash).

    Parsing and validating them costs about 60 ms, a seventh of an unchanged re-run of
    `blocking-io detect`; like bytecode, the result is cached beside the data files, keyed
    by their bytes and the code that reads them, and later processes unpickle it."""
    raw = {name: DATA.joinpath(*name.split("/")).read_bytes() for name in _data_files()}
    compiled = _compiled_path(raw)
    payload = None if compiled is None else read_compiled(compiled)
    if payload is not None:
        with contextlib.suppress(Exception):  # corrupt, from other code: rebuild
            cached = pickle.loads(payload)
            if isinstance(cached, Registry):
                return cached
    registry = _validate(raw)
    if compiled is not None and not sys.dont_write_bytecode:
        registry.rules_hash  # noqa: B018 - computed now, so it is pickled with the rest
        write_compiled(compiled, pickle.dumps(registry, protocol=pickle.HIGHEST_PROTOCOL))
    return registry


def _compiled_path(raw: dict[str, bytes]) -> Path | None:
    if not isinstance(DATA, Path):  # installed in a zip: no directory to cache in
        return None
    code = Path(__file__).parent
    key = [pydantic.VERSION.encode()]
    key += [name.encode() + b"\0" + raw[name] for name in sorted(raw)]
    for module in ("models.py", "knowledge.py", "kb.py", "registry.py"):  # what is pickled
        with contextlib.suppress(OSError):
            key.append((code / module).read_bytes())
    return compiled_path(DATA, "registry", "pickle", key)


def _validate(raw: dict[str, bytes]) -> Registry:
    rules = parse_rules(
        _load_table("rules.toml", raw["rules.toml"]).get("rule", []), "rules.toml: rule"
    )
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise InputError("rules.toml: duplicate rule ids")
    _check_unique_targets(rules, "rules.toml")
    types = _validated(TypeKnowledge, _load_table("types.toml", raw["types.toml"]), "types.toml")
    packs = tuple(
        _validated(FrameworkPack, _load_table(name, raw[name]), name)
        for name in sorted(raw)
        if name.startswith("frameworks/")
    )
    impact = _validated(
        ImpactKnowledge, _load_table("impact.toml", raw["impact.toml"]), "impact.toml"
    )
    manifest = _validated(
        KbManifest, _load_table("kb/libraries.toml", raw["kb/libraries.toml"]), "kb/libraries.toml"
    )
    files = {name[3:]: raw[name] for name in sorted(raw) if name.endswith(".json")}
    # a library whose file is missing or made for another version is left out (`make kb`
    # makes it; tests/shared_rules/test_knowledge_base_data.py checks every pinned one is
    # there); so is a corrupt one, with a one-line problem that `blocking-io detect` prints
    # as a warning: checked here, once, rather than in the middle of a scan
    current: list[KbLibrary] = []
    problems: list[str] = []
    for lib in manifest.library:
        try:
            if parse_kb(lib, files.get(lib.file, b"")):
                current.append(lib)
        except InputError as exc:
            problems.append(f"{exc}; the knowledge base for {lib.label} is not used")
    kb = KnowledgeBase(
        tuple(current), {lib.file: files[lib.file] for lib in current}, tuple(problems)
    )
    active = tuple(r for r in rules if r.default)
    return Registry(
        rules=active, packs=packs, types=types, impact=impact, kb=kb, all_rules=tuple(rules)
    )
