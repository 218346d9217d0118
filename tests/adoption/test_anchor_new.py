"""`blocking-io anchor new`: skeletons that run (or are skipped, saying what to fill in),
have teeth under the gate, and are found without importing the project."""

from __future__ import annotations

import ast
import json
import subprocess

import pytest
from adoption_support import assert_one_error_line, cli, run_pytest, snapshot, write

CONFIG = """
    [tool.blocking-io]
    source-roots = ["src"]
    scanned-modules = ["shop"]
"""

SHOP = {
    "pyproject.toml": CONFIG,
    "src/shop/__init__.py": "",
    "src/shop/base.py": """
        from pathlib import Path


        class Repository:
            def __init__(self, root: Path, *, name: str = "orders") -> None:
                self.root = root
                self.name = name
    """,
    "src/shop/orders.py": """
        import dataclasses
        import time
        from pathlib import Path

        from .base import Repository


        async def ping() -> str:
            return "pong"


        async def export(target: Path, *, compress: bool = False) -> int:
            return len(target.read_text())  # blocks the loop


        async def fetch(order_id: int, data_dir: Path) -> dict:
            return {"id": order_id, "dir": str(data_dir)}


        class Orders(Repository):
            async def count(self) -> int:
                return len(self.name)

            def on_done(self, task) -> None:  # a done callback: runs on the loop
                time.sleep(0.01)

            @classmethod
            async def open(cls, root: Path) -> "Orders":
                return cls(root)

            @staticmethod
            async def version() -> str:
                return "1"

            class Audit:
                async def trail(self, limit: int = 10) -> list:
                    return []


        @dataclasses.dataclass
        class Cart:
            owner: str
            items: list = dataclasses.field(default_factory=list)

            async def total(self) -> int:
                return len(self.items)


        async def stream(root: Path):
            yield 1
    """,
}


def project(tmp_path):
    return write(tmp_path, SHOP)


def anchor(tmp_path, *args):
    done = cli("anchor", "new", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done


def source(tmp_path, name):
    text = (tmp_path / "tests/blocking_io" / name).read_text(encoding="utf-8")
    ast.parse(text)  # valid Python, always
    return text


def test_a_method_anchor_builds_the_instance_from_the_inherited_init_and_runs(tmp_path):
    project(tmp_path)

    done = anchor(tmp_path, "shop.orders.Orders.count")

    assert "wrote tests/blocking_io/test_orders_orders_count.py" in done.stdout
    assert "runs as-is" in done.stdout
    text = source(tmp_path, "test_orders_orders_count.py")
    assert "from shop.orders import Orders" in text
    # Orders has no __init__: the one of Repository (another module, relative import) is used
    assert "# Orders(...): the parameters of Repository.__init__" in text
    assert 'root = tmp_path / "root"\n' in text and "root.mkdir()" in text
    assert "orders = Orders(root=root)" in text
    assert "await orders.count()" in text
    assert "blocking_io.runtime_gate" not in text and "gate(" not in text  # the plugin gates it
    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout


def test_values_to_choose_skip_the_anchor_with_the_reason_until_filled_in(tmp_path):
    project(tmp_path)
    anchor(tmp_path, "shop.orders.fetch")
    path = tmp_path / "tests/blocking_io/test_orders_fetch.py"
    text = path.read_text(encoding="utf-8")
    assert 'order_id=todo("order_id: int for fetch(...)")' in text
    assert "data_dir=data_dir" in text

    skipped = run_pytest(tmp_path, "tests/blocking_io")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "SKIPPED [1] tests/blocking_io/test_orders_fetch.py" in skipped.stdout
    assert "TODO: order_id: int for fetch(...)" in skipped.stdout

    path.write_text(text.replace('todo("order_id: int for fetch(...)")', "7"), encoding="utf-8")
    filled = run_pytest(tmp_path, "tests/blocking_io")
    assert filled.returncode == 0, filled.stdout + filled.stderr
    assert "1 passed" in filled.stdout


def test_a_skeleton_has_teeth_for_an_entry_point_that_blocks(tmp_path):
    """export(target) reads a file on the loop: its anchor fails under the gate, naming the
    rule and the line; a sync done-callback that sleeps fails too, because the skeleton
    calls it on the loop."""
    project(tmp_path)
    anchor(tmp_path, "shop.orders.export")
    anchor(tmp_path, "shop.orders.Orders.on_done")
    callback = source(tmp_path, "test_orders_orders_on_done.py")
    assert "is synchronous and runs on the event loop" in callback
    assert "orders.on_done(task=todo(" in callback
    path = tmp_path / "tests/blocking_io/test_orders_orders_on_done.py"
    path.write_text(callback.replace('todo("task for Orders.on_done(...)")', "None"), "utf-8")

    ran = run_pytest(tmp_path, "tests/blocking_io")

    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "2 failed" in ran.stdout
    assert "BIO102" in ran.stdout and "src/shop/orders.py:13" in ran.stdout
    assert "BIO301" in ran.stdout and "src/shop/orders.py:25" in ran.stdout


@pytest.mark.parametrize(
    ("entrypoint", "file", "expected"),
    [
        ("shop.orders.Orders.open", "test_orders_orders_open.py", "await Orders.open(root=root)"),
        ("shop.orders.Orders.version", "test_orders_orders_version.py", "await Orders.version()"),
        (
            "shop.orders.Orders.Audit.trail",
            "test_orders_orders_audit_trail.py",
            "audit = Orders.Audit()\n\n    # optional (defaults used): limit: int = 10\n"
            "    await audit.trail()",
        ),
        (
            "shop.orders.Cart.total",
            "test_orders_cart_total.py",
            'cart = Cart(owner=todo("owner: str for Cart(...)"))',
        ),
        ("shop.orders.stream", "test_orders_stream.py", "async for _item in stream(root=root):"),
    ],
    ids=["classmethod", "staticmethod", "nested-class", "dataclass", "async-generator"],
)
def test_kinds_of_entry_points(tmp_path, entrypoint, file, expected):
    project(tmp_path)
    anchor(tmp_path, entrypoint, "--style", "pytest-asyncio")
    assert expected in source(tmp_path, file)


def test_the_three_styles_each_run(tmp_path):
    project(tmp_path)
    for style in ("pytest-asyncio", "anyio", "asyncio-run"):
        name = f"tests/blocking_io/test_{style.replace('-', '_')}.py"
        anchor(tmp_path, "shop.orders.ping", "--style", style, "-o", name)
    assert "@pytest.mark.asyncio\nasync def test_ping" in source(tmp_path, "test_pytest_asyncio.py")
    assert "@pytest.mark.anyio\nasync def test_ping" in source(tmp_path, "test_anyio.py")
    assert "asyncio.run(scenario())" in source(tmp_path, "test_asyncio_run.py")

    ran = run_pytest(tmp_path, "tests/blocking_io")

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "3 passed" in ran.stdout, ran.stdout


def test_the_project_is_not_imported(tmp_path):
    project(tmp_path)
    write(
        tmp_path,
        {"src/shop/boom.py": 'raise SystemExit("imported!")\n\nasync def go():\n    pass\n'},
    )

    done = anchor(tmp_path, "shop.boom.go")

    assert "imported!" not in done.stdout + done.stderr
    assert (tmp_path / "tests/blocking_io/test_boom_go.py").is_file()


def test_unknown_entry_points_are_one_line_with_suggestions(tmp_path):
    project(tmp_path)
    before = snapshot(tmp_path)

    typo = cli("anchor", "new", "shop.orders.Orders.cont", cwd=tmp_path)
    assert_one_error_line(
        typo, "src/shop/orders.py", "no function 'Orders.cont'", "shop.orders.Orders.count"
    )
    module = cli("anchor", "new", "shop.order.fetch", cwd=tmp_path)
    assert_one_error_line(module, "no module shop.order", "did you mean shop.orders.fetch")
    outside = cli("anchor", "new", "requests.get", cwd=tmp_path)
    assert_one_error_line(outside, "no module of 'requests.get' among the scanned sources", "src")
    nested = cli("anchor", "new", "shop.orders.fetch.<locals>.inner", cwd=tmp_path)
    assert_one_error_line(nested, "nested function")
    assert snapshot(tmp_path) == before


def test_an_existing_anchor_is_never_overwritten_without_force(tmp_path):
    project(tmp_path)
    anchor(tmp_path, "shop.orders.ping")
    path = tmp_path / "tests/blocking_io/test_orders_ping.py"
    path.write_text("# my finished anchor\n", encoding="utf-8")

    again = cli("anchor", "new", "shop.orders.ping", cwd=tmp_path)

    assert_one_error_line(
        again, "tests/blocking_io/test_orders_ping.py", "already exists", "--force"
    )
    assert path.read_text(encoding="utf-8") == "# my finished anchor\n"
    anchor(tmp_path, "shop.orders.ping", "--force")
    assert "from shop.orders import ping" in path.read_text(encoding="utf-8")


def test_without_a_config_it_is_a_clear_error(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.blocking-io]\nscanned-module = ['x']\n"})

    done = cli("anchor", "new", "x.y", cwd=tmp_path)

    assert_one_error_line(done, "pyproject.toml", "scanned-module")


def test_every_entry_point_the_detector_reports_on_the_embedded_service_gets_a_skeleton():
    """Real input: each entry point of every finding on packages/relay (handlers, awaited
    helpers, call_later and done callbacks, loop-entrypoint hooks) is found and scaffolded."""
    from adoption_support import REPO
    from blocking_io.shared_rules import load_config

    from blocking_io.cli.scaffold.anchor_source import STYLES, file_name, render
    from blocking_io.cli.scaffold.entrypoints import Index

    report = cli("detect", "--format", "json", "--no-report", "--exit-zero", cwd=REPO)
    assert report.returncode == 0, report.stderr
    findings = json.loads(report.stdout)["findings"]
    entrypoints = sorted({e for f in findings for e in f["entrypoints"]})
    assert len(entrypoints) >= 10
    index = Index(load_config(REPO / "pyproject.toml"))
    names = set()
    for entrypoint in entrypoints:
        function = index.find(entrypoint)
        assert function.qualname == entrypoint
        names.add(file_name(function))
        for style in STYLES:
            code = render(function, style, ["relay"], f"blocking-io anchor new {entrypoint}")
            compile(code, file_name(function), "exec")
            assert (
                f"import {function.class_path[0] if function.class_path else function.name}" in code
            )
    assert len(names) == len(entrypoints)  # one file per entry point, no collisions


def test_skeletons_pass_ruff_as_generated(tmp_path):
    """A generated anchor lands in the team's test suite: it must not be the file their
    linter or formatter complains about."""
    from adoption_support import BIN

    project(tmp_path)
    for entrypoint in ("shop.orders.fetch", "shop.orders.Orders.on_done", "shop.orders.stream"):
        for style in ("pytest-asyncio", "asyncio-run"):
            name = f"tests/blocking_io/test_{entrypoint.rsplit('.', 1)[-1]}_{style[:6]}.py"
            anchor(tmp_path, entrypoint, "--style", style, "-o", name)
    folder = str(tmp_path / "tests/blocking_io")
    ruff = [str(BIN / "ruff"), "--quiet"]
    lint = [*ruff, "check", "--isolated", "--select", "E,F,W,B,UP,SIM", folder]
    fmt = [*ruff, "format", "--isolated", "--check", folder]
    for command in (lint, fmt):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
