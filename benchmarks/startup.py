"""Start-up of every ``ecp`` command, paired run by run with ``ecp verify``, the official
SDK's one-shot script and ``python -c pass``.

Targets, as medians of per-round ratios (each round runs every command once,
so machine noise hits all alike):

- every one-shot command (sign, url, explain, decode, show into a pipe, callback,
  profiles list) <= 1.5x ``ecp verify``;
- ``ecp --help`` and ``ecp COMMAND -h`` <= 2x ``ecp verify``;
- ``ecp verify`` <= 1.1x the SDK script (benchmarks/verify_oneshot.py's).

Output goes to a pipe, as in CI. Bytecode is compiled first (PYTHONDONTWRITEBYTECODE=1
would otherwise make every run recompile ecp). Wall time is what a script waits for;
CPU time (user + system, of the child) is printed too, as it suffers less from a busy
machine.

    pip install -e '.[bench]' && python benchmarks/startup.py [--runs 30] [--only sign,url]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._runner import clean_env, ecp_command, precompile, require_sdk  # noqa: E402
from benchmarks.verify_oneshot import SAMPLE, SDK_SCRIPT  # noqa: E402
from ecp_cli.cli.commands import COMMANDS  # noqa: E402

ONE_SHOT_TARGET = 1.5
HELP_TARGET = 2.0
SDK_TARGET = 1.1
PROFILES = """\
default: test
profiles:
  test:
    project_id: 112
    secret: secret
"""


def commands(ecp: list[str], tmp: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (kind, argv); kind is what the command is measured against."""
    request = tmp / "request.json"
    request.write_text('{"project_id": 112, "payment_id": "order-1", "payment_amount": 31415}')
    url = subprocess.run(
        [*ecp, "url", "--amount", "31415", "--currency", "USD", "--payment-id", "o-1"],
        env=environment(tmp),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    found: dict[str, tuple[str, list[str]]] = {
        "python -c pass": ("anchor", [sys.executable, "-c", "pass"]),
        "SDK script": ("anchor", [sys.executable, str(tmp / "sdk_verify.py"), str(SAMPLE)]),
        "ecp verify": ("verify", [*ecp, "verify", str(SAMPLE)]),
        "ecp sign": ("one-shot", [*ecp, "sign", str(request)]),
        "ecp url": ("one-shot", [*ecp, "url", "--amount", "31415", "--currency", "USD"]),
        "ecp explain": ("one-shot", [*ecp, "explain", "3028"]),
        "ecp decode": ("one-shot", [*ecp, "decode", url]),
        "ecp show": ("one-shot", [*ecp, "show", str(SAMPLE)]),
        "ecp callback": ("one-shot", [*ecp, "callback", "success", "--seed", "1"]),
        "ecp profiles list": ("one-shot", [*ecp, "profiles", "list"]),
        "ecp --help": ("help", [*ecp, "--help"]),
    }
    for entry in COMMANDS:  # every command's help page
        found[f"ecp {entry.name} -h"] = ("help", [*ecp, entry.name, "-h"])
    return found


def environment(tmp: Path, *, profile_file: bool = False) -> dict[str, str]:
    """$ECP_SECRET and $ECP_PROJECT_ID, as CI sets them (a profile file costs PyYAML's
    import); ``profiles list`` needs the file."""
    env = clean_env("secret")
    env["ECP_PROJECT_ID"] = "112"
    if profile_file:
        env["ECP_PROFILES"] = str(tmp / "profiles.yaml")
        del env["ECP_SECRET"], env["ECP_PROJECT_ID"]
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the child, exit status)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", help="comma-separated command names, e.g. sign,url")
    args = parser.parse_args()
    require_sdk()
    precompile()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "sdk_verify.py").write_text(SDK_SCRIPT)
        (tmp / "profiles.yaml").write_text(PROFILES)
        os.chmod(tmp / "profiles.yaml", 0o600)
        env = environment(tmp)
        envs = {name: env for name in commands(ecp_command(), tmp)}
        envs["ecp profiles list"] = environment(tmp, profile_file=True)
        table = commands(ecp_command(), tmp)
        if args.only:
            wanted = {f"ecp {name.strip()}" for name in args.only.split(",")}
            table = {k: v for k, v in table.items() if v[0] in ("anchor", "verify") or k in wanted}
        for name, (_, argv) in table.items():  # warm the file cache; everything must work
            _, _, code = run_once(argv, envs[name])
            if code not in (0, 1):
                sys.exit(f"{name} failed (exit {code}): {' '.join(argv)}")
        wall: dict[str, list[float]] = {name: [] for name in table}
        cpu: dict[str, list[float]] = {name: [] for name in table}
        for _ in range(args.runs):
            for name, (_, argv) in table.items():
                took, used, _ = run_once(argv, envs[name])
                wall[name].append(took)
                cpu[name].append(used)
    return report(table, wall, cpu, args.runs)


def _ratio(samples: list[float], anchor: list[float]) -> float:
    return statistics.median(a / b for a, b in zip(samples, anchor, strict=True))


def report(table, wall, cpu, runs: int) -> int:
    verify, sdk, bare = wall["ecp verify"], wall["SDK script"], wall["python -c pass"]
    print(f"{'command':<22}{'wall ms':>9}{'cpu ms':>8}{'x pass':>8}{'x verify':>10}  target")
    missed = []
    for name, (kind, _) in table.items():
        line = (
            f"{name:<22}{statistics.median(wall[name]) * 1000:9.1f}"
            f"{statistics.median(cpu[name]) * 1000:8.1f}{_ratio(wall[name], bare):8.2f}"
        )
        if kind == "anchor":
            print(line)
            continue
        if kind == "verify":
            ratio, target, against = _ratio(verify, sdk), SDK_TARGET, "SDK"
        else:
            target = ONE_SHOT_TARGET if kind == "one-shot" else HELP_TARGET
            ratio, against = _ratio(wall[name], verify), "verify"
        ok = ratio <= target
        if not ok:
            missed.append(name)
        verdict = "ok" if ok else "MISSED"
        print(f"{line}{_ratio(wall[name], verify):10.2f}  <= {target}x {against}: {verdict}")
    cpu_ratio = _ratio(cpu["ecp verify"], cpu["SDK script"])
    print(f"ecp verify / SDK script: {_ratio(verify, sdk):.2f}x (CPU {cpu_ratio:.2f}x)")
    load = os.getloadavg()[0]
    print(
        f"{runs} paired rounds; python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
        f"load average {load:.1f} at the end"
    )
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
