"""The labelled corpus (tests/corpus) against the real `blocking-io detect`.

One runner for every case, as flake8-async does with its eval files: the expectations are
written in the corpus sources (`# expect: BIO102`, `# ok: why`), the detector runs as a
subprocess on each case laid out as a project, and a mismatch prints a readable diff.
Set BLOCKING_IO_CORPUS_ISOLATED=1 to scan every case as its own project.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest
from blocking_io.shared_rules import Settings, builtin_registry

from bench.accuracy import diff_file
from bench.corpus import CORPUS_DIR, AnnotationError, Case, load_corpus, parse_file
from bench.detector import ScanResult, detect_is_known, plan, scan
from bench.features import all_features, family_rule

CORPUS = load_corpus()
MIN_EXPECTED = 150
MIN_OK = 150

# Corpus lines the detector gets wrong today: (path, line, rule) -> why. The case test
# ignores exactly these mismatches and fails once one is fixed, so the entry gets removed.
KNOWN_GAPS: dict[tuple[str, int, str], str] = {}


# -- the detector against the corpus ------------------------------------------------------


def _scan(tmp_path_factory: pytest.TempPathFactory, *, isolated: bool) -> ScanResult:
    if not detect_is_known():
        pytest.skip("`blocking-io detect` is not a command yet (see `blocking-io --help`)")
    return scan(CORPUS.cases, tmp_path_factory.mktemp("corpus"), isolated=isolated)


@pytest.fixture(scope="session")
def corpus_scan(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    isolated = os.environ.get("BLOCKING_IO_CORPUS_ISOLATED") == "1"
    return _scan(tmp_path_factory, isolated=isolated)


@pytest.mark.parametrize("case", CORPUS.cases, ids=lambda case: case.name)
def test_case(case: Case, corpus_scan: ScanResult) -> None:
    problems = corpus_scan.errors_for(case)
    gaps = {key: why for key, why in KNOWN_GAPS.items() if key[0] in _rels(case)}
    for parsed in case.files.values():
        for mismatch in diff_file(parsed, corpus_scan.reported):
            if gaps.pop((mismatch.path, mismatch.line, mismatch.rule), None) is None:
                problems.append(str(mismatch))
    problems += [f"known gap fixed, remove it from KNOWN_GAPS: {key}" for key in gaps]
    assert not problems, "\n".join([f"{case.name}: detector vs annotations", *problems])


def _rels(case: Case) -> set[str]:
    return {parsed.rel for parsed in case.files.values()}


@pytest.mark.slow
def test_batched_scan_equals_isolated_scans(
    corpus_scan: ScanResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Batching single-file cases into one project must not change any finding."""
    isolated = _scan(tmp_path_factory, isolated=True)
    assert not isolated.failures and not corpus_scan.failures
    assert isolated.analysis_errors == corpus_scan.analysis_errors
    assert isolated.reported == corpus_scan.reported


# -- the corpus itself is well-formed -----------------------------------------------------


def test_corpus_parses() -> None:
    assert CORPUS.cases, f"no cases under {CORPUS_DIR}"
    assert not CORPUS.problems, "\n".join(CORPUS.problems)


def test_corpus_size() -> None:
    expected, ok = CORPUS.count_expected(), CORPUS.count_ok()
    assert expected >= MIN_EXPECTED, f"{expected} expected findings (< {MIN_EXPECTED})"
    assert ok >= MIN_OK, f"{ok} must-not-flag cases (< {MIN_OK})"


def test_features_are_known_and_all_used() -> None:
    known = all_features()
    used = {f.feature for f in CORPUS.files}
    assert sorted(used - set(known)) == [], "unknown feature ids (bench/features.py)"
    assert sorted(set(known) - used) == [], "features without a corpus file"


def test_every_feature_has_a_flagged_and_a_clean_case() -> None:
    flagged: set[str] = set()
    clean: set[str] = set()
    for f in CORPUS.files:
        if f.expect:
            flagged.add(f.feature)
        if f.ok or f.suppressed:
            clean.add(f.feature)
    used = {f.feature for f in CORPUS.files}
    assert sorted(used - flagged) == [], "features without an expected finding"
    assert sorted(used - clean) == [], "features without a must-not-flag case"


def _active_rules(case: Case) -> set[str]:
    settings = Settings.model_validate(case.config)  # unknown keys / bad values raise here
    registry = builtin_registry().configured(
        select=settings.select, extend_select=settings.extend_select, ignore=settings.ignore
    )
    return {rule.id for rule in registry.rules}


def test_expected_rules_exist_and_are_enabled_for_their_case() -> None:
    known = {rule.id for rule in builtin_registry().all_rules}
    problems = []
    for case in CORPUS.cases:
        active = _active_rules(case)
        for f in case.files.values():
            for line, rule in sorted(f.expected_keys() | f.suppressed_keys()):
                if rule not in known:
                    problems.append(f"{f.rel}:{line}: unknown rule {rule}")
                elif rule not in active:
                    problems.append(f"{f.rel}:{line}: {rule} is not enabled for this case")
    assert not problems, "\n".join(problems)


def test_every_rule_family_is_covered() -> None:
    expected = {rule for f in CORPUS.files for _, rule in f.expected_keys()}
    missing = [r.id for r in builtin_registry().all_rules if r.id not in expected]
    assert missing == [], "rules without an expected finding in the corpus"
    for case in CORPUS.cases:
        for f in case.files.values():
            rule = family_rule(f.feature)
            if rule is not None and rule in _active_rules(case):
                assert rule in {r for _, r in f.expected_keys()}, f"{f.rel} never expects {rule}"


def test_opt_in_rules_have_a_default_case_where_they_stay_quiet() -> None:
    """An opt-in rule (BIO107) needs a case with the default config whose calls are `ok`."""
    for rule in builtin_registry().all_rules:
        if rule.default:
            continue
        family = [f for c in CORPUS.cases for f in c.files.values() if f.feature == rule.name]
        assert any(f.ok and not f.config_lines for f in family), rule.id


def _imported_top_level(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_single_file_cases_can_share_one_project() -> None:
    """The batched scan is equivalent only if single files cannot see each other."""
    batch = [c for c in CORPUS.cases if not c.is_package and not c.config]
    stems = [c.path.stem for c in batch]
    assert len(stems) == len(set(stems)), "single-file case names must be unique"
    shadowing = sorted(set(stems) & set(sys.stdlib_module_names))
    assert shadowing == [], "case names that shadow stdlib modules"
    for case in batch:
        imported = _imported_top_level(case.path.read_text(encoding="utf-8"))
        assert not imported & set(stems), f"{case.name} imports another case"
    assert plan(CORPUS.cases)[0].cases == batch


# -- the annotation parser ----------------------------------------------------------------


def test_parser_reads_comments_only() -> None:
    source = (
        "# feature: direct\n"
        "async def f(p):\n"
        '    s = "# expect: BIO999"\n'
        "    p.read_text()  # expect: BIO102, BIO106\n"
        "    p.exists()  # blocking-io: ignore[BIO106] why  # expect-suppressed: BIO106\n"
        "    return s  # ok: a string\n"
    )
    parsed = parse_file(source, "x.py")
    assert parsed.feature == "direct"
    assert parsed.expect == {4: frozenset({"BIO102", "BIO106"})}
    assert parsed.suppressed == {5: frozenset({"BIO106"})}
    assert parsed.ok == {6: "a string"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = 1\n", "no '# feature: <id>' header"),
        ("# feature: direct\nx = 1  # expect: read_text\n", "not a rule id"),
        ("# feature: direct\nx = 1  # expect: BIO102  # ok: both\n", "both 'ok' and 'expect'"),
        ("# feature: direct\nx = 1  # ok:\n", "needs a reason"),
        ("# feature: direct\nx = 1\n# config: select = ['ALL']\n", "belongs in the header"),
        ("# feature: direct\n# python: 3.twelve\nx = 1\n", "takes 3.N"),
    ],
)
def test_parser_rejects_malformed_annotations(source: str, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        parse_file(source, "x.py")


def test_package_cases_map_files_to_corpus_paths() -> None:
    packages = [c for c in CORPUS.cases if c.is_package]
    assert packages, "no multi-module package case"
    for case in packages:
        for inner, parsed in case.files.items():
            assert (CORPUS_DIR / parsed.rel) == case.path / inner
            assert Path(parsed.rel).is_relative_to("projects")


def test_cases_in_newer_syntax_are_left_out_on_older_pythons(tmp_path: Path) -> None:
    """`# python: 3.N`: the detector cannot parse such a case on an older interpreter."""
    group = tmp_path / "analysis"
    group.mkdir()
    (group / "now.py").write_text("# feature: direct\nx = 1  # ok: plain\n")
    later = sys.version_info.minor + 1
    (group / "later.py").write_text(f"# feature: direct\n# python: 3.{later}\nx = 1  # ok: y\n")
    corpus = load_corpus(tmp_path)
    assert not corpus.problems
    assert [c.name for c in corpus.cases] == ["analysis/now"]
    assert corpus.skipped == ["analysis/later"]
    pep695 = CORPUS.file("analysis/type_alias_pep695.py")
    assert (pep695 is None) == (sys.version_info < (3, 12))
