"""Calls into installed third-party packages are followed as deep as the chain goes (the
running interpreter's sys.path here; test_environment.py: the project's own venv)."""

from __future__ import annotations

import textwrap

from analysis_support import check, project, run

LIBRARY = {
    "fancylib/__init__.py": "from .templates import Environment, render_file\nfrom .net import fetch\n",
    "fancylib/templates.py": """
        import os

        class Loader:
            def __init__(self, root):
                self.root = root

            def get_source(self, name):
                with open(os.path.join(self.root, name)) as fh:
                    return fh.read()

        class Environment:
            def __init__(self, root):
                self.loader = Loader(root)

            def get_template(self, name):
                return self._load(name)

            def _load(self, name):
                return self.loader.get_source(name)

            def pure(self, text):
                return text.upper()

        def render_file(path):
            return _deep1(path)

        def _deep1(p):
            return _deep2(p)

        def _deep2(p):
            return _deep3(p)

        def _deep3(p):
            return open(p).read()
    """,
    "fancylib/net.py": "import requests\n\ndef fetch(url):\n    return requests.get(url).text\n",
}

APP = {
    "app.py": """
        import fancylib
        from fancylib import Environment, render_file

        ENV = Environment("/srv/templates")

        async def page(name):
            return ENV.get_template(name)  # expect: BIO101

        async def shout(text):
            return ENV.pure(text)  # ok: no IO inside

        async def deep(path):
            return render_file(path)  # expect: BIO101

        async def remote(url):
            return fancylib.fetch(url)  # expect: BIO406
    """
}


def _install(site, files):
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))


def test_calls_into_an_installed_package_are_followed(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    _install(site, LIBRARY)
    monkeypatch.syspath_prepend(str(site))
    report = check(tmp_path / "proj", APP)
    page = next(f for f in report.findings if f.function == "app.page")
    assert [s.function for s in page.chain] == [
        "app.page",
        "fancylib.templates.Environment.get_template",
        "fancylib.templates.Environment._load",
        "fancylib.templates.Loader.get_source",
        "builtins.open",
    ]
    assert page.chain[-1].path == "site-packages/fancylib/templates.py"
    # the package's own functions are not part of the project's function table
    assert not any(q.startswith("fancylib") for q in report.functions)


def test_the_depth_can_be_capped_and_zero_turns_it_off(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    _install(site, LIBRARY)
    monkeypatch.syspath_prepend(str(site))
    root = tmp_path / "proj"
    project(root, APP, config="dependency-depth = 3")  # the open() is 4 calls deep
    assert {f.function for f in run(root).findings} == {"app.page", "app.remote"}
    project(root, APP, config="dependency-depth = 0")
    assert run(root).findings == []  # fancylib.fetch is opaque: its requests.get is not seen


def test_an_upgraded_package_invalidates_the_cached_result(tmp_path, monkeypatch):
    from blocking_io.shared_rules import load_config
    from blocking_io.static_detector.scan import scan

    site = tmp_path / "site-packages"
    _install(site, LIBRARY)
    monkeypatch.syspath_prepend(str(site))
    root = tmp_path / "proj"
    project(root, APP)
    config = load_config(root / "pyproject.toml")
    first = scan(config, None, jobs=1)
    assert {f.function for f in first.report.findings} == {"app.page", "app.deep", "app.remote"}
    # "upgrade": the loader no longer does IO itself
    loader = site / "fancylib" / "templates.py"
    loader.write_text(
        loader.read_text().replace(
            "with open(os.path.join(self.root, name)) as fh:\n            return fh.read()",
            "return self.root",
        )
    )
    second = scan(config, None, jobs=1)
    assert not second.from_cache
    assert {f.function for f in second.report.findings} == {"app.deep", "app.remote"}
