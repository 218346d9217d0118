"""The typed records of module summaries, on real source: how each call's value is used
(a Use, with the assigned name only in `bound_to`) and the ir nodes for nested classes,
annotated locals and imports inside functions; they survive the cache's pickling."""

from __future__ import annotations

import pickle
import textwrap

from blocking_io.static_detector import ir
from blocking_io.static_detector.summarize import summarize
from blocking_io.static_detector.summary import CallSite, FuncSummary, ModuleSummary, Use


def module(source: str) -> ModuleSummary:
    return summarize(textwrap.dedent(source).encode(), "pkg.m", "pkg/m.py", False)


def site(fs: FuncSummary, callee: str) -> CallSite:
    (found,) = [c for c in fs.calls if ir.render(c.func) == callee and c.protocol is None]
    return found


def test_each_call_says_how_its_value_is_used():
    fs = module(
        """
        async def f(p):
            x = open(p)
            a, b = pair()
            outer(inner(), key=kw())
            make()()
            drop()
            for line in lines():
                pass
            with lock():
                pass
            await fetch()
            return done()
        """
    ).functions["f"]
    assert (site(fs, "open").context, site(fs, "open").bound_to) == (Use.ASSIGN, "x")
    assert (site(fs, "pair").context, site(fs, "pair").bound_to) == (Use.ASSIGN, None)
    outer = fs.calls.index(site(fs, "outer"))
    assert (site(fs, "inner").context, site(fs, "inner").parent) == (Use.ARG, outer)
    assert (site(fs, "kw").context, site(fs, "kw").parent) == (Use.ARG, outer)
    assert site(fs, "make").context is Use.CALLEE  # the called expression of `make()()`
    assert site(fs, "make(...)").context is Use.STMT
    assert site(fs, "drop").context is Use.STMT
    assert site(fs, "lines").context is Use.ITER
    assert site(fs, "lock").context is Use.WITH
    assert site(fs, "fetch").context is Use.AWAIT
    assert site(fs, "done").context is Use.RETURN
    assert all(c.bound_to is None for c in fs.calls if c.context is not Use.ASSIGN)


def test_name_uses_of_call_results():
    fs = module(
        """
        def f(root):
            found = root.glob("*")
            hand(found)
            return found
        """
    ).functions["f"]
    uses = fs.name_uses["found"]
    assert [u.context for u in uses] == [Use.ARG, Use.RETURN]
    assert uses[0].parent == fs.calls.index(site(fs, "hand"))


def test_nested_classes_are_class_refs_not_function_refs():
    summary = module(
        """
        def factory():
            class Local:
                pass
            def helper():
                pass
            return Local
        class Outer:
            class Inner:
                pass
        """
    )
    fs = summary.functions["factory"]
    assert fs.locals["Local"] == [ir.ClassRef("factory.<locals>.Local")]
    assert fs.locals["helper"] == [ir.FuncRef("factory.<locals>.helper")]
    assert summary.classes["Outer"].attrs["Inner"] == [("Outer", ir.ClassRef("Outer.Inner"))]
    assert ir.ClassRef("a") != ir.FuncRef("a")  # distinct memo keys


def test_annotated_locals_and_imports_inside_functions():
    summary = module(
        """
        def f():
            import os.path
            from . import sibling as sib
            from json import loads
            store: "Store"
            count: int = 0
            return os, sib, loads, store, count
        """
    )
    fs = summary.functions["f"]
    assert fs.locals["os"] == [ir.ImportOf("os")]
    assert fs.locals["sib"] == [ir.ImportOf("pkg.sibling")]
    assert fs.locals["loads"] == [ir.ImportOf("json.loads")]
    assert fs.locals["store"] == [ir.Annotated(ir.Name("Store"))]
    assert fs.locals["count"] == [ir.Annotated(ir.Name("int")), ir.Const(0)]
    assert "os" not in summary.imports  # a function's import binds a local, not a global


def test_summaries_survive_pickling_with_their_enums():
    summary = module(
        """
        def f(x):
            if x is None:
                x = load()
            return x
        """
    )
    loaded = pickle.loads(pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL))
    (load,) = loaded.functions["f"].calls
    assert load.context is Use.ASSIGN  # the readers compare by identity
    assert loaded.functions["f"].regions == summary.functions["f"].regions
    assert loaded.functions["f"].regions[load.region].kind is summary.functions["f"].regions[0].kind


def test_float_and_int_constants_stay_apart():
    # expressions are hash-consed per module, and 0.0 == 0 as tuples
    fs = module(
        """
        def f(t, fut):
            if t == 0.0:
                pass
            fut.result(timeout=0)
        """
    ).functions["f"]
    (kw,) = site(fs, "fut.result").kwargs
    assert kw == ("timeout", ir.Const(0))
    assert type(kw[1].value) is int
