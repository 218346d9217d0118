"""Modules are indexed by import name: src layouts, namespace packages, several roots."""

from __future__ import annotations

from analysis_support import check

HELPER = """
    from pathlib import Path

    def save(path, text):
        Path(path).write_text(text)
"""


def test_roots_are_inferred_from_the_given_paths(tmp_path):
    # `blocking-io detect app packages/harness/deerflow`: `from deerflow...` inside app
    # resolves into the second tree, with no configuration
    check(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/routes.py": """
                from deerflow.utils.files import save

                async def handler(path):
                    save(path, "x")  # expect: BIO103
            """,
            "packages/harness/deerflow/__init__.py": "",
            "packages/harness/deerflow/utils/__init__.py": "",
            "packages/harness/deerflow/utils/files.py": HELPER,
        },
        paths=["app", "packages/harness/deerflow"],
    )


def test_src_layout_and_configured_roots(tmp_path):
    check(
        tmp_path,
        {
            "src/svc/__init__.py": "",
            "src/svc/api.py": """
                from svc.store import save
                from shared.audit import log_event

                async def handler(path):
                    save(path, "x")  # expect: BIO103
                    log_event("saved")  # expect: BIO101
            """,
            "src/svc/store.py": HELPER,
            "libs/shared/__init__.py": "",
            "libs/shared/audit.py": """
                def log_event(text):
                    with open("/var/log/audit.log", "a") as fh:
                        fh.write(text)
            """,
        },
        config='source-roots = ["src", "libs"]',
    )


def test_namespace_packages_under_a_configured_root(tmp_path):
    check(
        tmp_path,
        {
            # no __init__.py anywhere: PEP 420 namespace packages
            "src/company/billing/invoices.py": """
                from company.storage.blobs import save

                async def issue(path):
                    save(path, "pdf")  # expect: BIO103
            """,
            "src/company/storage/blobs.py": HELPER,
        },
        config='source-roots = ["src"]',
    )


def test_include_and_exclude_globs(tmp_path):
    check(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/api.py": "import time\n\nasync def f():\n    time.sleep(1)  # expect: BIO301\n",
            "svc/tests/test_api.py": "import time\n\nasync def test_f():\n    time.sleep(1)  # ok: excluded\n",
            "scripts/tool.py": "import time\n\nasync def f():\n    time.sleep(1)  # ok: not included\n",
        },
        config='include = ["svc"]\nexclude = ["**/tests/**"]',
    )


def test_folder_without_init_inside_a_package_is_a_subpackage(tmp_path):
    # Python names pkg/utils/files.py `pkg.utils.files` (an implicit namespace subpackage)
    check(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/api.py": """
                from pkg.utils.files import save
                from pkg.utils import files

                async def handler(path):
                    save(path, "x")  # expect: BIO103
                    files.save(path, "y")  # expect: BIO103
            """,
            "pkg/utils/files.py": HELPER,
        },
    )


def test_a_package_shadows_a_module_beside_it(tmp_path):
    check(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/api.py": """
                from pkg.store import save

                async def handler(path):
                    save(path, "x")  # expect: BIO103
            """,
            "pkg/store.py": "def save(path, text):\n    return text  # never imported\n",
            "pkg/store/__init__.py": "from .disk import save\n",
            "pkg/store/disk.py": HELPER,
        },
    )


def test_same_file_name_in_two_packages(tmp_path):
    check(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/api.py": """
                from pkg.helpers.tool import save as clean
                from pkg.services.helpers.tool import save

                async def handler(path):
                    clean(path, "x")  # ok: pkg.helpers.tool.save is pure
                    save(path, "x")  # expect: BIO103
            """,
            "pkg/helpers/tool.py": "def save(path, text):\n    return text.strip()\n",
            "pkg/services/__init__.py": "",
            "pkg/services/helpers/tool.py": HELPER,
        },
    )


def test_scanning_a_subfolder_of_a_package_keeps_full_names(tmp_path):
    # `blocking-io detect pkg/web` with pkg a regular package: pkg.web.api imports pkg.web.io
    check(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/web/__init__.py": "",
            "pkg/web/api.py": """
                from pkg.web.io import save

                async def handler(path):
                    save(path, "x")  # expect: BIO103
            """,
            "pkg/web/io.py": HELPER,
        },
        paths=["pkg/web"],
    )
