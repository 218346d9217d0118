"""decode_source's shortcut for files without a BOM or a coding cookie decodes (and fails)
exactly as tokenize.detect_encoding's way does."""

from __future__ import annotations

import codecs

import pytest
from blocking_io.static_detector.source import SourceError, decode_source, detected

CASES = [
    b"",
    b"x = 1\n",
    b"x = 1",
    "s = 'caf\u00e9'\n".encode(),
    codecs.BOM_UTF8 + b"x = 1\n",
    b"# -*- coding: latin-1 -*-\ns = '\xe9'\n",
    b"#!/usr/bin/env python\n# coding: latin-1\ns = '\xe9'\n",
    b"x = 1\n# coding: latin-1\ns = '\xe9'\n",  # a cookie after code: not one
    b"\n\n# coding: latin-1\ns = '\xe9'\n",  # a cookie on line 3: not one
    b"# coding: nonsense\n",
    b"s = '\xe9'\n",  # not UTF-8 on the first line, no cookie
    b"# comment\ns = '\xe9'\n",  # on the second
    b"x = 1\ny = 2\ns = '\xe9'\n",  # further on
    b"x = 1\r# coding: latin-1\rs = '\xe9'\r",  # old Mac line ends
    b"x = 1\n\x00\n",
    codecs.BOM_UTF8 + b"# coding: latin-1\n",
    b"# this file has no encoding cookie: 'coding' is only mentioned\nx = 1\n",
]


@pytest.mark.parametrize("raw", CASES)
def test_decodes_as_detect_encoding_does(raw: bytes) -> None:
    try:
        expected: object = detected(raw)
    except SourceError as exc:
        expected = (exc.kind, str(exc), exc.line)
    try:
        got: object = decode_source(raw)
    except SourceError as exc:
        got = (exc.kind, str(exc), exc.line)
    assert got == expected
