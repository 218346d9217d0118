"""Schema of what the toolkit knows about the world besides the rules, as data:

- framework packs (`data/frameworks/*.toml`): per framework (asyncio, threads, anyio,
  starlette, ...), the calls that run a callable off the loop (offloads), the sync callables
  the loop itself runs (loop callbacks), calls that run a callable in some other thread
  (thread callbacks: neither loop code nor an offload to check), the packages whose frames
  are offload machinery at run time, and the calls a long-running entry point waits in;
- external type knowledge (`data/types.toml`): aliases, bases, result and attribute types, so
  the static detector follows receivers into libraries it does not parse.

Validated by pydantic at load time like the rules; `Registry` carries both.
"""

# No `from __future__ import annotations`: see models.py.
import re
from typing import Annotated, Any, NamedTuple

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from .models import ArgCondition

DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def _dotted(value: str) -> str:
    if not DOTTED.match(value):
        raise ValueError(f"{value!r} is not a dotted name like 'module.Class.method'")
    return value


Dotted = Annotated[str, BeforeValidator(lambda v: _dotted(v) if isinstance(v, str) else v)]


# -- framework packs --------------------------------------------------------------------


class ApiSpec(_Strict):
    """A call that takes a callable and runs it somewhere: which argument is the callable.

    by_name: also match the bare method name when the receiver's type is unknown, or is a
    class of the pack's own modules (`imports`). Only for names unambiguous in practice.
    func_kwarg: the keyword, or a list of keywords, that may carry the callable
    (`FastAPI(on_startup=..., on_shutdown=...)`); a loop callback's callable may also be a
    list or tuple display of callables (`on_startup=[f, g]`): each one runs.
    """

    symbol: Dotted
    func_arg: int | None = None
    func_kwarg: Annotated[
        tuple[str, ...], BeforeValidator(lambda v: (v,) if isinstance(v, str) else v)
    ] = ()
    by_name: bool = False
    # a loop callback the loop runs later, on a timer (`call_later`): background work, not
    # part of the request that registered it
    timer: bool = False

    @property
    def method_name(self) -> str:
        return self.symbol.rsplit(".", 1)[-1]


class MethodHook(_Strict):
    """Methods the framework itself calls on instances of subclasses of `bases`: a project
    class that inherits from one of them and defines (or inherits from a project class) a
    sync method named in `methods` has that method run by the framework.

    methods: names, or `prefix*` patterns (`on_*`, `action_*`).
    async_twin: `{name}` template of an async method the framework calls instead when the
    class defines it (`a{name}`: `abefore_model` wins over `before_model`).
    """

    bases: tuple[Dotted, ...]
    methods: tuple[str, ...]
    async_twin: str | None = None

    @field_validator("methods")
    @classmethod
    def _names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*\*?$", name):
                raise ValueError(f"{name!r} is not a method name or a `prefix*` pattern")
        return value

    def names(self, name: str) -> bool:
        return any(name.startswith(m[:-1]) if m.endswith("*") else name == m for m in self.methods)


class FrameworkPack(_Strict):
    name: str
    # top-level modules that are this framework: by-name matches also cover their classes
    imports: tuple[Dotted, ...] = ()
    # packages whose frames sit between an offload call site and the work it runs
    machinery: tuple[Dotted, ...] = ()
    offload: tuple[ApiSpec, ...] = ()
    loop_callback: tuple[ApiSpec, ...] = ()
    thread_callback: tuple[ApiSpec, ...] = ()
    # calls that run a coroutine in the background on the same loop (`create_task(coro)`):
    # `func_arg` is the coroutine
    spawn: tuple[ApiSpec, ...] = ()
    # calls that run a coroutine on a loop of their own (`asyncio.run(coro)`): not the
    # service's loop
    runner: tuple[ApiSpec, ...] = ()
    # method names an entry point that never returns waits in (`serve_forever`)
    long_running: tuple[str, ...] = ()
    # sync methods of subclasses of a framework class that the framework runs on the loop
    loop_method: tuple[MethodHook, ...] = ()
    # sync functions decorated with one of these (`@callback`, `@on(...)`) run on the loop
    loop_decorator: tuple[Dotted, ...] = ()
    # sync functions decorated with one of these run in a thread, even when a loop_method
    # or loop_decorator names them, and calling one starts the thread (`@work(thread=True)`)
    thread_decorator: tuple[Dotted, ...] = ()
    # by_name matches on a receiver of unknown type count only in modules that import one
    # of `imports`; true: anywhere (asyncio's loops and futures reach modules that never
    # import asyncio)
    by_name_anywhere: bool = False
    # loop_callback symbols and loop_decorator names whose callables the framework runs only
    # at start-up or shut-down (`@app.on_event("startup")`): impact lifecycle
    lifecycle: tuple[Dotted, ...] = ()
    # loop_callback symbols and loop_decorator names whose callable runs off the loop (in a
    # thread, or in a process with no loop running) when the call's or decorator call's
    # arguments match one of these conditions, written as `nonblocking_if` is
    # (`kw:sync_to_thread=True`, `arg0='main_process_start'`)
    off_loop_if: dict[Dotted, tuple[ArgCondition, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _names_known(self) -> "FrameworkPack":
        known = {a.symbol for a in self.loop_callback} | set(self.loop_decorator)
        for name in self.lifecycle:
            if name not in known:
                raise ValueError(f"lifecycle {name!r} is no loop_callback or loop_decorator here")
        for name in self.off_loop_if:
            if name not in known:
                raise ValueError(f"off_loop_if {name!r} is no loop_callback or loop_decorator here")
        return self


class ImpactKnowledge(_Strict):
    """How often the loop runs an entry point, from how it looks (data/impact.toml)."""

    # entry points named like these run at start-up or shut-down (also `on_startup`, ...)
    lifecycle_names: tuple[str, ...] = ()
    # folders whose programs are scripts and tools, not the service
    script_folders: tuple[str, ...] = ()


# -- external types -----------------------------------------------------------------------


class TypeRef(NamedTuple):
    """A type in the type tables: `pathlib.Path`, `iter:pathlib.Path` (an iterable of Path),
    `list:builtins.str` or `set:asyncio.Task` (one of those builtin containers, whose
    methods are a list's or a set's), `(T1, T2)` (a tuple of those),
    `await:asyncio.subprocess.Process` (a coroutine that gives a Process: an async
    function's result), or `self` (the receiver's own type). Parsed once, when the data is
    validated."""

    name: str
    iterable: bool = False
    awaitable: bool = False
    container: str = ""  # "builtins.list" or "builtins.set" (`list:`, `set:`)
    items: tuple["TypeRef", ...] = ()  # a tuple's, by position

    @property
    def is_self(self) -> bool:
        return self.name == "self"

    @classmethod
    def parse(cls, text: str) -> "TypeRef":
        awaitable = text.startswith("await:")
        text = text[6:] if awaitable else text
        if text.startswith("(") and text.endswith(")"):
            items = tuple(cls.parse(item.strip()) for item in text[1:-1].split(","))
            return cls("builtins.tuple", awaitable=awaitable, items=items)
        kind, _, rest = text.partition(":")
        container = _CONTAINERS.get(kind) if rest else None
        iterable = container is not None
        name = rest if iterable else text
        if name != "self":
            _dotted(name)
        return cls(name, iterable, awaitable, container or "")


_CONTAINERS = {"iter": "", "list": "builtins.list", "set": "builtins.set"}


def _typeref(value: Any) -> Any:
    return TypeRef.parse(value) if isinstance(value, str) else value


TypeRefField = Annotated[TypeRef, BeforeValidator(_typeref)]


class TypeVariant(_Strict):
    """A constructor whose argument picks another type: `socket.socket(AF_INET, SOCK_DGRAM)`
    (the argument's source `contains` a marker), or `zipfile.ZipFile(io.BytesIO())` (the
    argument is an in-memory `buffer`: the result is one too, and making it does no IO)."""

    call: Dotted
    arg: int | None = None
    kwarg: str | None = None
    contains: str | None = None
    buffer: bool = False
    type: TypeRefField

    @model_validator(mode="after")
    def _one_test(self) -> "TypeVariant":
        if (self.contains is None) == (not self.buffer):
            raise ValueError(f"variant of {self.call}: set exactly one of `contains` and `buffer`")
        return self


class ClassList(_Strict):
    classes: tuple[Dotted, ...] = ()


class TypingTables(_Strict):
    """How annotations written with `typing` (and builtin generics) describe a value."""

    wrappers: tuple[Dotted, ...] = ()  # Optional[X], Annotated[X, ...], Union[X, None]: X
    iterables: tuple[Dotted, ...] = ()  # List[X], Iterable[X]: an iterable of X
    # methods only a generator has: on an iterable they resume it (`flow.send(x)`)
    generator_methods: tuple[str, ...] = ()
    mappings: tuple[Dotted, ...] = ()  # Dict[K, V], Mapping[K, V]: a dict
    casts: tuple[Dotted, ...] = ()  # cast(T, x): a T
    # external bases that do not make a class something a framework instantiates
    neutral_bases: tuple[Dotted, ...] = ()


class BuiltinTables(_Strict):
    containers: tuple[Dotted, ...] = ()  # builtin classes whose methods never block
    consumers: tuple[str, ...] = ()  # builtins that iterate their argument right away
    element_methods: tuple[str, ...] = ()  # a list's or set's methods that give an item


class DecoratorTables(_Strict):
    # reading the attribute runs the method (names as written, or resolved symbols)
    property: tuple[Dotted, ...] = ()
    # the function runs once (per arguments): its result is cached
    cache: tuple[Dotted, ...] = ()
    # the generator function's call is a context manager that enters to what it yields
    context_manager: tuple[Dotted, ...] = ()


class TypeKnowledge(_Strict):
    aliases: dict[Dotted, Dotted] = Field(default_factory=dict)
    bases: dict[Dotted, tuple[Dotted, ...]] = Field(default_factory=dict)
    returns: dict[Dotted, TypeRefField] = Field(default_factory=dict)
    attributes: dict[str, TypeRefField] = Field(default_factory=dict)
    iterates: dict[Dotted, TypeRefField] = Field(default_factory=dict)
    # default factories, not instances: making an instance here would build its validator
    # on import
    enter_self: ClassList = Field(default_factory=ClassList)
    ambiguous_annotations: ClassList = Field(default_factory=ClassList)
    # in-memory file objects: their IO methods do no IO
    buffers: ClassList = Field(default_factory=ClassList)
    variant: tuple[TypeVariant, ...] = ()
    typing: TypingTables = Field(default_factory=TypingTables)
    builtins: BuiltinTables = Field(default_factory=BuiltinTables)
    decorators: DecoratorTables = Field(default_factory=DecoratorTables)
    _mro: dict[str, tuple[str, ...]] = PrivateAttr(default_factory=dict)
    _variants: dict[str, tuple[TypeVariant, ...]] = PrivateAttr(default_factory=dict)

    @field_validator("attributes")
    @classmethod
    def _attribute_keys(cls, value: dict[str, TypeRef]) -> dict[str, TypeRef]:
        for key in value:  # `Class.attr` or `Class.*` (any attribute not otherwise known)
            _dotted(key[:-2] if key.endswith(".*") else key)
        return value

    def model_post_init(self, context: Any) -> None:
        by_call: dict[str, list[TypeVariant]] = {}
        for item in self.variant:
            by_call.setdefault(item.call, []).append(item)
        self._variants = {k: tuple(v) for k, v in by_call.items()}

    @property
    def ambiguous(self) -> frozenset[str]:
        """Annotations that do not say whether calls block (`BinaryIO` may be a BytesIO)."""
        return frozenset(self.ambiguous_annotations.classes)

    def variants(self, call: str) -> tuple[TypeVariant, ...]:
        return self.__pydantic_private__["_variants"].get(call, ())  # type: ignore[index]

    def canonical(self, symbol: str) -> str:
        """`posixpath.exists` -> `os.path.exists`, `requests.api.get` -> `requests.get`."""
        if symbol in self.aliases:
            return self.aliases[symbol]
        parts = symbol.split(".")
        for cut in range(len(parts) - 1, 0, -1):  # the longest aliased prefix wins
            prefix = ".".join(parts[:cut])
            if prefix in self.aliases:
                return self.aliases[prefix] + "." + ".".join(parts[cut:])
        return symbol

    def mro(self, cls: str) -> tuple[str, ...]:
        """`cls` then its bases, depth first, without repeats."""
        # private attributes read from pydantic's dict of them: `self._mro` is a call of
        # BaseModel.__getattr__ (Python code), most of the cost of mro() on a hot path
        known: dict[str, tuple[str, ...]] = self.__pydantic_private__["_mro"]  # type: ignore[index]
        hit = known.get(cls)
        if hit is not None:
            return hit
        out: list[str] = []
        stack = [cls]
        while stack:
            current = stack.pop(0)
            if current in out:
                continue
            out.append(current)
            stack[0:0] = list(self.bases.get(current, ()))
        known[cls] = tuple(out)
        return known[cls]

    def method_return(self, cls: str, method: str) -> TypeRef | None:
        for klass in self.mro(cls):
            hit = self.returns.get(f"{klass}.{method}")
            if hit:
                return hit
            if method == "__enter__" and klass in self.enter_self.classes:
                return SELF
        return None

    def attribute(self, cls: str, name: str) -> TypeRef | None:
        for klass in self.mro(cls):
            hit = self.attributes.get(f"{klass}.{name}")
            if hit:
                return hit
        for klass in self.mro(cls):
            hit = self.attributes.get(f"{klass}.*")
            if hit and not name.startswith("_"):
                return hit
        return None

    def element(self, cls: str) -> TypeRef | None:
        for klass in self.mro(cls):
            if klass in self.iterates:
                return self.iterates[klass]
        return None

    def known_symbols(self) -> set[str]:
        """Every external name these tables mention (their top-level packages are "known")."""
        known: set[str] = set()
        for table in (self.aliases, self.bases, self.returns, self.attributes, self.iterates):
            known.update(table)
        known.update(self.aliases.values())
        known.update(self.enter_self.classes)
        known.update(self.ambiguous_annotations.classes)
        return known


SELF = TypeRef("self")
