"""http/excerpt.py: a body quoted anywhere is one line and at most 200 characters."""

from ecp_cli.http.excerpt import excerpt


def test_whitespace_runs_become_single_spaces():
    assert excerpt("a\n b\tc  ") == "a b c"


def test_a_long_body_is_cut_with_an_ellipsis():
    long = excerpt("x" * 500)
    assert long == "x" * 199 + "…"
    assert excerpt("x" * 200) == "x" * 200


def test_an_empty_body_stays_empty():
    assert excerpt(" \n ") == ""
