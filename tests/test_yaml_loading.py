"""yaml_loading.py: PyYAML imported with its reader's character check compiled cheaply."""

import re
import subprocess
import sys

import pytest
import yaml
import yaml.reader

from ecp_cli import yaml_loading


def test_the_cheap_class_matches_exactly_the_characters_pyyaml_refuses():
    pyyaml = re.compile(yaml_loading._PYYAML_NON_PRINTABLE)
    cheap = re.compile(yaml_loading.NON_PRINTABLE)
    differ = [
        code
        for code in range(sys.maxunicode + 1)
        if (pyyaml.match(chr(code)) is None) != (cheap.match(chr(code)) is None)
    ]
    assert differ == []


def test_a_fresh_import_gives_pyyaml_the_cheap_class_and_leaves_re_as_it_was():
    # Fails too if a new PyYAML writes its pattern otherwise: then the workaround can go.
    code = (
        "import re\n"
        "compile_before = re.compile\n"
        "from ecp_cli import yaml_loading\n"
        "import yaml.reader\n"
        "print(yaml.reader.Reader.NON_PRINTABLE.pattern == yaml_loading.NON_PRINTABLE,"
        " re.compile is compile_before)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (run.stdout, run.stderr) == ("True True\n", "")


@pytest.mark.parametrize("text", ["a: \x07\n", "a: b\x1b[2J\n", "a: \ufffe\n"])
def test_the_pure_python_reader_still_refuses_non_printable_characters(text):
    with pytest.raises(yaml.reader.ReaderError):
        yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the safe loader


def test_printable_text_still_loads():
    assert yaml.load("a: \u00e9\U0001f600\n", Loader=yaml.SafeLoader) == {"a": "\u00e9\U0001f600"}  # noqa: S506
