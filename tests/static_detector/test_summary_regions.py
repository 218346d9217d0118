"""Control-flow regions in module summaries: for each call, the conditions and contexts it
runs under (the guard, its polarity, the held context manager), as a later analysis reads
them, on real source. Every kind has a case inside and a call outside that must not be in it.
"""

from __future__ import annotations

import textwrap

import pytest
from blocking_io.static_detector import ir
from blocking_io.static_detector.summarize import summarize
from blocking_io.static_detector.summary import FuncSummary, Region, RegionKind

K = RegionKind
NONE = ir.Const(None)


def function(source: str, name: str = "f") -> FuncSummary:
    summary = summarize(textwrap.dedent(source).encode(), "m", "m.py", False)
    return summary.functions[name]


def chain(fs: FuncSummary, region: int) -> list[Region]:
    out = []
    while region >= 0:
        out.append(fs.regions[region])
        region = fs.regions[region].parent
    return out


def under(fs: FuncSummary, callee: str) -> list[tuple[RegionKind, ir.Expr, bool]]:
    """(kind, expr, polarity) of the regions around the one call of `callee`, innermost first."""
    sites = [c for c in fs.calls if ir.render(c.func) == callee and c.protocol is None]
    assert len(sites) == 1, [ir.render(c.func) for c in fs.calls]
    return [(r.kind, r.expr, r.when) for r in chain(fs, sites[0].region)]


def is_(name: str, op: str = "is", value: ir.Expr = NONE) -> ir.Compare:
    return ir.Compare(op, ir.Name(name), value)


def call(name: str, *args: ir.Expr) -> ir.Call:
    return ir.Call(ir.Name(name), args)


# -- if / else / elif -------------------------------------------------------------------------


def test_a_call_under_if_param_is_none_records_the_test_and_its_polarity():
    fs = function(
        """
        def f(x=None):
            before()
            if x is None:
                x = load()
            after(x)
        """
    )
    assert under(fs, "load") == [(K.IF, is_("x"), True)]
    assert under(fs, "before") == []
    assert under(fs, "after") == []  # the if does not leave: after() runs either way


def test_else_and_elif_run_when_the_tests_before_them_are_false():
    fs = function(
        """
        def f(path, mode):
            if path is not None:
                write(path)
            elif mode == "r":
                read()
            else:
                other()
        """
    )
    assert under(fs, "write") == [(K.IF, is_("path", "is not"), True)]
    mode_r = ir.Compare("==", ir.Name("mode"), ir.Const("r"))
    assert under(fs, "read") == [(K.IF, mode_r, True), (K.ELSE, is_("path", "is not"), False)]
    assert under(fs, "other") == [(K.ELSE, mode_r, False), (K.ELSE, is_("path", "is not"), False)]


def test_not_isinstance_guard_keeps_the_isinstance_call():
    fs = function(
        """
        import io
        def f(fp):
            if not isinstance(fp, io.IOBase):
                fp = open(fp)
            return fp.read()
        """
    )
    io_base = ir.Attr(ir.Name("io"), "IOBase")
    assert under(fs, "open") == [(K.IF, ir.Not(call("isinstance", ir.Name("fp"), io_base)), True)]
    assert under(fs, "isinstance") == []  # the test itself runs unconditionally
    assert under(fs, "fp.read") == []


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        ("x", ir.Name("x")),
        ("self.closed", ir.Attr(ir.Name("self"), "closed")),
        ("not x", ir.Not(ir.Name("x"))),
        ("x == 1", is_("x", "==", ir.Const(1))),
        ("x != 'a'", is_("x", "!=", ir.Const("a"))),
        ("x in KEYS", is_("x", "in", ir.Name("KEYS"))),
        ("x not in KEYS", is_("x", "not in", ir.Name("KEYS"))),
        ("a and b is None", ir.AllOf((ir.Name("a"), is_("b")))),
        ("a or not b", ir.OneOf((ir.Name("a"), ir.Not(ir.Name("b"))))),
        (
            "0 < n <= 10",
            ir.AllOf(
                (
                    ir.Compare("<", ir.Const(0), ir.Name("n")),
                    ir.Compare("<=", ir.Name("n"), ir.Const(10)),
                )
            ),
        ),
        ("hasattr(fp, 'read')", call("hasattr", ir.Name("fp"), ir.Const("read"))),
        ("x + 1", ir.UNKNOWN),  # cannot be judged: recorded as such, not guessed
        ("not (x - 1)", ir.Not(ir.UNKNOWN)),
    ],
)
def test_guard_shapes_are_written_in_ir(test, expected):
    fs = function(f"def f(x, a, b, n, fp, self):\n    if {test}:\n        run()\n")
    assert under(fs, "run") == [(K.IF, expected, True)]


# -- early exits ------------------------------------------------------------------------------


@pytest.mark.parametrize("leave", ["return", "return None", "raise ValueError(x)"])
def test_statements_after_an_if_that_leaves_run_only_when_its_test_is_false(leave):
    fs = function(
        f"""
        def f(x=None):
            before()
            if x is None:
                {leave}
            load(x)
            more()
        """
    )
    assert under(fs, "load") == [(K.AFTER_EXIT, is_("x"), False)]
    assert under(fs, "more") == [(K.AFTER_EXIT, is_("x"), False)]
    assert under(fs, "before") == []


@pytest.mark.parametrize("leave", ["continue", "break"])
def test_continue_and_break_leave_the_loop_body(leave):
    fs = function(
        f"""
        def f(items):
            for item in items:
                if item is None:
                    {leave}
                handle(item)
            done()
        """
    )
    iterable = ir.Name("items")
    assert under(fs, "handle") == [
        (K.AFTER_EXIT, is_("item"), False),
        (K.FOR, iterable, True),
    ]
    assert under(fs, "done") == []  # after the loop: neither the exit nor the loop body


def test_an_else_that_leaves_guards_what_follows_with_the_test_true():
    fs = function(
        """
        def f(ok):
            if ok:
                log()
            else:
                raise RuntimeError
            go()
        """
    )
    assert under(fs, "go") == [(K.AFTER_EXIT, ir.Name("ok"), True)]
    assert under(fs, "log") == [(K.IF, ir.Name("ok"), True)]


def test_no_after_exit_region_when_the_if_may_fall_through():
    fs = function(
        """
        def f(x, cm, y):
            if x is None:
                if y:
                    return
            a()
            if x:
                with cm:
                    raise ValueError  # a context manager may swallow it
            b()
            if x:
                with cm:
                    return 1
            c()
        """
    )
    assert under(fs, "a") == []
    assert under(fs, "b") == []
    assert under(fs, "c") == [(K.AFTER_EXIT, ir.Name("x"), False)]


def test_both_branches_leaving_count_as_leaving():
    fs = function(
        """
        def f(x, y):
            if x:
                if y:
                    return 1
                else:
                    raise ValueError
            work()
        """
    )
    assert under(fs, "work") == [(K.AFTER_EXIT, ir.Name("x"), False)]


def test_successive_early_exits_nest():
    fs = function(
        """
        def f(a, b):
            if a is None:
                return
            if not b:
                return
            work(a, b)
        """
    )
    assert under(fs, "work") == [
        (K.AFTER_EXIT, ir.Not(ir.Name("b")), False),
        (K.AFTER_EXIT, is_("a"), False),
    ]


# -- with (held locks) ------------------------------------------------------------------------


def test_a_call_inside_with_lock_inside_if_sees_both():
    fs = function(
        """
        def f(x, lock):
            if x is None:
                with lock:
                    x = load()
                unlocked()
            return x
        """
    )
    assert under(fs, "load") == [(K.WITH, ir.Name("lock"), True), (K.IF, is_("x"), True)]
    assert under(fs, "unlocked") == [(K.IF, is_("x"), True)]
    # acquiring the lock happens before it is held
    enter = next(c for c in fs.calls if c.protocol == "__enter__")
    assert [r.kind for r in chain(fs, enter.region)] == [K.IF]


def test_with_self_lock_in_a_method_and_several_items():
    fs = function(
        """
        class Store:
            def save(self, path):
                with self._lock, open(path, "w") as fh:
                    fh.write("x")
                self.flush()
        """,
        "Store.save",
    )
    lock = ir.Attr(ir.Name("self"), "_lock")
    opened = ir.Call(ir.Name("open"), (ir.Name("path"), ir.Const("w")))
    # `with a, b:` enters b while a is held
    assert under(fs, "open") == [(K.WITH, lock, True)]
    assert under(fs, "fh.write") == [(K.WITH, opened, True), (K.WITH, lock, True)]
    assert under(fs, "self.flush") == []


def test_async_with_and_async_for():
    fs = function(
        """
        async def f(lock, stream):
            async with lock:
                held()
            async for chunk in stream:
                each(chunk)
            after()
        """
    )
    assert under(fs, "held") == [(K.ASYNC_WITH, ir.Name("lock"), True)]
    assert under(fs, "each") == [(K.ASYNC_FOR, ir.Name("stream"), True)]
    assert under(fs, "after") == []


# -- expressions: or / and / if-else ----------------------------------------------------------


def test_or_default_runs_the_right_operand_only_when_the_left_is_falsy():
    fs = function(
        """
        def f(cfg=None):
            cfg = cfg or get_config()
            x = first() or second() or third()
            return cfg, x
        """
    )
    assert under(fs, "get_config") == [(K.OR, ir.Name("cfg"), False)]
    site = next(c for c in fs.calls if ir.render(c.func) == "get_config")
    assert site.bound_to == "cfg"  # still the value assigned to cfg
    assert under(fs, "first") == []
    assert under(fs, "second") == [(K.OR, call("first"), False)]
    assert under(fs, "third") == [(K.OR, call("second"), False), (K.OR, call("first"), False)]


def test_and_runs_the_right_operand_only_when_the_left_is_truthy():
    fs = function(
        """
        def f(path):
            if check(path) and exists(path):
                pass
            return path is not None and load(path)
        """
    )
    assert under(fs, "load") == [(K.AND, is_("path", "is not"), True)]
    assert under(fs, "exists") == [(K.AND, call("check", ir.Name("path")), True)]
    assert under(fs, "check") == []


def test_the_two_arms_of_a_conditional_expression():
    fs = function(
        """
        def f(c):
            return a() if check(c) else b()
        """
    )
    test = call("check", ir.Name("c"))
    assert under(fs, "a") == [(K.IF_EXP, test, True)]
    assert under(fs, "b") == [(K.IF_EXP_ELSE, test, False)]
    assert under(fs, "check") == []


# -- try / loops / match / comprehensions -----------------------------------------------------


def test_try_except_else_finally():
    fs = function(
        """
        def f():
            try:
                attempt()
            except OSError:
                on_os_error()
            except (KeyError, ValueError) as exc:
                on_other(exc)
            except:
                on_anything()
            else:
                on_success()
            finally:
                always()
            after()
        """
    )
    assert under(fs, "attempt") == [(K.TRY, ir.UNKNOWN, True)]
    assert under(fs, "on_os_error") == [(K.EXCEPT, ir.Name("OSError"), True)]
    caught = ir.Tuple((ir.Name("KeyError"), ir.Name("ValueError")))
    assert under(fs, "on_other") == [(K.EXCEPT, caught, True)]
    assert under(fs, "on_anything") == [(K.EXCEPT, ir.UNKNOWN, True)]
    assert under(fs, "on_success") == [(K.TRY_ELSE, ir.UNKNOWN, True)]
    assert under(fs, "always") == [(K.FINALLY, ir.UNKNOWN, True)]
    assert under(fs, "after") == []


def test_while_else_and_for_else():
    fs = function(
        """
        def f(items):
            while poll() is None:
                wait()
            else:
                ready()
            for item in items:
                each(item)
            else:
                exhausted()
            done()
        """
    )
    test = ir.Compare("is", call("poll"), NONE)
    assert under(fs, "wait") == [(K.WHILE, test, True)]
    assert under(fs, "ready") == [(K.LOOP_ELSE, test, False)]
    assert under(fs, "poll") == []  # evaluated before the body, at least once
    assert under(fs, "each") == [(K.FOR, ir.Name("items"), True)]
    assert under(fs, "exhausted") == [(K.LOOP_ELSE, ir.UNKNOWN, False)]
    assert under(fs, "done") == []


def test_match_cases_as_conditions_on_the_subject():
    fs = function(
        """
        def f(x, Point):
            match x:
                case None:
                    on_none()
                case 1 | "one":
                    on_one()
                case Point() if ready():
                    on_point()
                case [a, b]:
                    on_pair()
                case _:
                    on_other()
            after()
        """
    )
    x = ir.Name("x")
    assert under(fs, "on_none") == [(K.MATCH_CASE, ir.Compare("is", x, NONE), True)]
    one = ir.OneOf((ir.Compare("==", x, ir.Const(1)), ir.Compare("==", x, ir.Const("one"))))
    assert under(fs, "on_one") == [(K.MATCH_CASE, one, True)]
    point = ir.AllOf((call("isinstance", x, ir.Name("Point")), call("ready")))
    assert under(fs, "on_point") == [(K.MATCH_CASE, point, True)]
    assert under(fs, "on_pair") == [(K.MATCH_CASE, ir.UNKNOWN, True)]
    assert under(fs, "on_other") == [(K.MATCH_CASE, ir.Const(True, "KB"), True)]
    assert under(fs, "ready") == []  # the guard is evaluated while matching
    assert under(fs, "after") == []


def test_comprehension_conditions_guard_what_follows_them():
    fs = function(
        """
        def f(paths):
            return [load(p) for p in paths if p is not None if allowed(p)]
        """
    )
    paths = ir.Name("paths")
    not_none = is_("p", "is not")
    assert under(fs, "load") == [
        (K.COMP_IF, call("allowed", ir.Name("p")), True),
        (K.COMP_IF, not_none, True),
        (K.COMPREHENSION, paths, True),
    ]
    assert under(fs, "allowed") == [(K.COMP_IF, not_none, True), (K.COMPREHENSION, paths, True)]
    site = next(c for c in fs.calls if c.protocol == "__iter__")
    assert site.region == -1  # the first iterable is evaluated outside


# -- other records, module level, nested scopes ----------------------------------------------


def test_attribute_loads_and_name_uses_carry_their_region():
    fs = function(
        """
        def f(x, conn):
            rows = query()
            if x is None:
                print(conn.closed)
                consume(rows)
            return conn.info
        """
    )
    regions = {ir.render(expr): region for expr, _, _, region in fs.attr_loads}
    assert [fs.regions[regions["conn.closed"]].kind] == [K.IF]
    assert regions["conn.info"] == -1
    use = fs.name_uses["rows"][0]
    assert (fs.regions[use.region].kind, fs.regions[use.region].expr) == (K.IF, is_("x"))


def test_module_level_code_has_regions_too():
    fs = function(
        """
        try:
            import fast
        except ImportError:
            fast = fallback()
        if DEBUG:
            configure()
        main()
        """,
        "<module>",
    )
    assert under(fs, "fallback") == [(K.EXCEPT, ir.Name("ImportError"), True)]
    assert under(fs, "configure") == [(K.IF, ir.Name("DEBUG"), True)]
    assert under(fs, "main") == []


def test_nested_functions_and_lambdas_have_their_own_regions():
    source = """
        def f(x):
            if x:
                def g(y):
                    inner()
                    if y:
                        deeper()
                key = lambda v: pick() if v else None
    """
    outer = function(source)
    assert [r.kind for r in outer.regions] == [K.IF]
    g = function(source, "f.<locals>.g")
    assert under(g, "inner") == []  # a nested body starts afresh, whatever guards its def
    assert under(g, "deeper") == [(K.IF, ir.Name("y"), True)]
    lam = function(source, "f.<locals>.<lambda@8:14>")
    assert under(lam, "pick") == [(K.IF_EXP, ir.Name("v"), True)]


def test_region_lines_cover_the_guarded_code():
    fs = function(
        """
        def f(x):
            if x is None:
                a()
                b()
            else:
                c()
            if x:
                return
            d()
            e()
        """
    )
    spans = {r.kind: (r.line, r.end_line) for r in fs.regions if r.kind is not K.IF}
    assert spans == {K.ELSE: (7, 7), K.AFTER_EXIT: (10, 11)}
    assert [(r.line, r.end_line) for r in fs.regions if r.kind is K.IF] == [(4, 5), (9, 9)]
