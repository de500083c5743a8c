"""The output-safety functions of :mod:`pipelines.safety`, value by value."""

from __future__ import annotations

import pytest

from pipelines.safety import neutralise_csv_cell, strip_controls


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-5", "'-5"),  # OWASP: every leading minus, a plain negative number too
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=1+1", "'=1+1"),  # already neutralised: never quoted twice
        ("a=1+1", "a=1+1"),
        (" =1", " =1"),
        ("", ""),
        ("Fast & Furious 6 - watch", "Fast & Furious 6 - watch"),
    ],
)
def test_neutralise_csv_cell(value: str, written: str) -> None:
    assert neutralise_csv_cell(value) == written


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("a\x1b[31mb", "a[31mb"),
        ("line\nnext\tcol", "line\nnext\tcol"),
        ("cr\r\n", "cr\n"),
        ("\x00\x08\x7f\x85\x9f", ""),
        ("\u202aa\u202bb\u202cc\u202dd\u202ee", "abcde"),
        ("\u2066a\u2067b\u2068c\u2069", "abc"),
        ("\u200e\u200f\u061c", ""),
        ("Fast & Furious 6 – Ḟast ☺ 日本語 שלום", "Fast & Furious 6 – Ḟast ☺ 日本語 שלום"),
    ],
)
def test_strip_controls(text: str, clean: str) -> None:
    assert strip_controls(text) == clean
