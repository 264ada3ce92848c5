"""The package's shape holds: no import cycles, each layer imports only the layers its
``__init__`` docstring allows, and every module imports on its own."""

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import ecp_cli

PACKAGE = Path(ecp_cli.__file__).parent
FOUNDATION = {"defaults", "errors", "exit_codes", "environment", "documents", "yaml_loading",
              "line_batches", "profiles", "forking", "records", "data_tables"}  # fmt: skip
# What each layer may import besides itself and the foundation modules (the docstrings of
# ecp_cli/__init__.py and of each subpackage's __init__.py say the same in words).
MAY_IMPORT = {
    "foundation": set(),
    "signing": set(),
    "payment_page": {"signing"},
    "callbacks": {"signing", "payment_page"},
    "http": {"signing", "payment_page", "callbacks"},
    "listen": {"signing", "callbacks", "http"},
    "setup": {"signing", "http"},
    "sandbox": {"signing", "payment_page", "callbacks", "http"},
    "cli": {"signing", "payment_page", "callbacks", "http", "listen", "setup", "sandbox"},
}
ONLY_IN_CLI = {"typer", "rich", "click"}
# Imports that cross the layers on purpose, each with its reason. Keep it short.
ACROSS_LAYERS = {
    ("ecp_cli.profiles", "ecp_cli.http.urls"): "the one URL rule, standard library only",
}


def module_names() -> list[str]:
    names = ["ecp_cli"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="ecp_cli."):
        if info.name != "ecp_cli.__main__":  # runs the command when imported
            names.append(info.name)
    return sorted(names)


MODULES = module_names()


def source_of(name: str) -> Path:
    path = PACKAGE.joinpath(*name.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imports_of(name: str) -> set[str]:
    """Every module ``name`` imports when it runs, at the top or inside a function."""
    tree = ast.parse(source_of(name).read_text(encoding="utf-8"))
    package = name if source_of(name).name == "__init__.py" else name.rpartition(".")[0]
    for block in ast.walk(tree):  # imports for type hints only are not run
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test):
            block.body = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            # `from ecp_cli.signing import diagnosis` imports the module diagnosis
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def internal_imports(name: str) -> set[str]:
    return {m for m in imports_of(name) if m in MODULES and m != name}


def layer_of(name: str) -> str:
    part = name.split(".")[1] if "." in name else ""
    return part if part in MAY_IMPORT else "foundation"


def test_no_import_cycles():
    graph = {name: internal_imports(name) for name in MODULES}
    # A package's __init__ is imported with each of its modules: not an edge of its own.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(f"{t}.")}
    cycles = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for name in MODULES:
        if name not in state:
            visit(name, [name])
    assert cycles == []


@pytest.mark.parametrize("name", MODULES)
def test_each_layer_imports_only_what_its_docstring_allows(name):
    layer = layer_of(name)
    allowed = MAY_IMPORT[layer] | {layer, "foundation"}
    wrong = sorted(
        target
        for target in internal_imports(name)
        if target != "ecp_cli"
        and layer_of(target) not in allowed
        and (name, target) not in ACROSS_LAYERS
    )
    assert wrong == [], f"{name} ({layer}) imports {wrong}"
    if layer != "cli":
        third_party = {m.split(".")[0] for m in imports_of(name)} & ONLY_IN_CLI
        assert third_party == set(), f"{name} imports {third_party}: only cli/ may"


def test_every_module_imports_on_its_own():
    # Each module first, with no ecp_cli module loaded before it: a cycle or a missing import
    # shows as an error. One interpreter for all of them (third-party modules stay loaded,
    # they are not what is checked here), instead of one interpreter each.
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'ecp_cli']:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as error:\n"
        "        print(f'{name}: {type(error).__name__}: {error}')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, *MODULES], capture_output=True, text=True, cwd=PACKAGE.parent
    )
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.splitlines() == []


def test_the_docstrings_name_the_same_layers():
    for layer, allowed in MAY_IMPORT.items():
        if layer in ("foundation", "cli"):
            continue
        doc = importlib.import_module(f"ecp_cli.{layer}").__doc__ or ""
        for other in MAY_IMPORT:
            if other in ("foundation", layer):
                continue
            named_as_allowed = other in doc.split("Never")[0].split("May import")[-1]
            assert named_as_allowed == (other in allowed), (layer, other)


# A plain call of each one-shot command, as the launcher runs it (cli/fast_path.py).
ONE_SHOT_CALLS = {
    "sign": ["sign", "{tmp}/request.json"],
    "url": ["url", "--amount", "31415", "--currency", "USD", "--payment-id", "o-1"],
    "decode": [
        "decode",
        "https://paymentpage.ecommpay.com/payment?project_id=112&payment_amount=31415"
        "&payment_currency=USD&payment_id=o-1&signature=ev5Mg8UDEitu39q3EuNOF3naXYkaKd3Cd"
        "ibHb3uySzDeUbRrSuonrroyLm0%2F5mlUPIGXMjZMQ%2BMlJzynfARZfw%3D%3D",
    ],
    "callback": ["callback", "success", "--seed", "1"],
    "explain": ["explain", "3028"],
    "show": ["show", str(PACKAGE.parent / "tests/fixtures/samples/purchase_success.json")],
    "verify": ["verify", str(PACKAGE.parent / "tests/fixtures/samples/purchase_success.json")],
    "profiles list": ["profiles", "list"],
    "profiles list (file)": ["--profiles", "{tmp}/profiles.yaml", "profiles", "list"],
}


# Typer and click cost ~80 ms (cli/fast_path.py runs these without them); dataclasses
# imports inspect: together ~18 ms, more than these commands' own work. json imports re:
# ~8 ms, a fifth of `ecp verify`, whose target is the official SDK's script.
NEVER_LOADED = {"typer", "click", "dataclasses", "inspect"}
ALSO_NEVER_LOADED = {
    "verify": {"json", "re"},
    # PyYAML is needed; pathlib (~4 ms with urllib.parse and ipaddress, which it imports)
    # is not, nor urllib.parse for a file that sets no URL.
    "profiles list (file)": {"json", "pathlib", "urllib.parse", "ipaddress"},
    # json only for --json or a value holding JSON; the explanation only for a bad signature;
    # documents (and _json) only for a link read from stdin; csv.py never: the currency and
    # parameter tables are read with _csv (data_tables.py).
    "decode": {
        "json",
        "ecp_cli.signing.explanation",
        "ecp_cli.signing.diagnosis",
        "ecp_cli.documents",
        "_json",
        "csv",
    },
    # The URL rule (with redaction) only for --base-url; the limits only for --check; csv.py
    # never, as for decode.
    "url": {"json", "ecp_cli.http.urls", "ecp_cli.redaction", "ecp_cli.cli.gate_limits", "csv"},
    # csv imports re; ecp callback needs json (and so re) for its output, ecp show only for
    # --json. datetime.py defines its classes twice (Python, then _datetime's): _datetime.
    # A scenario's callback carries the platform's message for its code, not ecp's prose.
    # Annotations are not strings on these paths (__future__ is a module to import).
    "callback": {
        "csv",
        "datetime",
        "ecp_cli.callbacks.advice",
        "ecp_cli.callbacks.meanings",
        "__future__",
    },
    # ecp show reads no expression: re (and csv, which imports it) are for other commands.
    "show": {"json", "re", "csv", "__future__"},
}


@pytest.mark.parametrize("command", ONE_SHOT_CALLS)
def test_one_shot_commands_load_none_of_the_heavy_modules(command, tmp_path):
    (tmp_path / "request.json").write_text(
        '{"project_id": 112, "payment_id": "order-1", "payment_amount": 31415}'
    )
    (tmp_path / "profiles.yaml").write_text("profiles:\n  test:\n    project_id: 112\n")
    args = [arg.format(tmp=tmp_path) for arg in ONE_SHOT_CALLS[command]]
    code = (
        "import sys\n"
        "from ecp_cli.cli.launcher import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n    status = exit.code\n"
        "else:\n    status = 0\n"
        f"heavy = {sorted(NEVER_LOADED | ALSO_NEVER_LOADED.get(command, set()))}\n"
        "print(status, sorted(set(heavy) & set(sys.modules)), file=sys.stderr)\n"
    )
    env = {"PATH": "", "HOME": str(tmp_path), "ECP_SECRET": "secret", "ECP_PROJECT_ID": "112"}
    run = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    assert run.stderr.splitlines()[-1] == "0 []"  # the command worked, and loaded none
    assert run.stdout.strip()
