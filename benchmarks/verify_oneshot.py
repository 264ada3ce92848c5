"""One-shot ``ecp verify FILE`` against a minimal script using the official SDK.

Target: ecp's median wall time at most 1.1x the SDK script's, same run, same file. Both
are started as fresh processes, interleaved, so machine noise hits both alike.

    pip install -e '.[bench]' && python benchmarks/verify_oneshot.py [--runs 40]
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._runner import (
    clean_env,
    ecp_command,
    median_ms,
    precompile,
    require_sdk,
    wall_time,
)  # noqa: E402

SAMPLE = (
    Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "samples" / "purchase_success.json"
)
TARGET = 1.1
SDK_SCRIPT = """\
import os, sys
from payment_page_sdk.callback import Callback
from payment_page_sdk.signature_handler import SignatureHandler
Callback(open(sys.argv[1], encoding="utf-8").read(), SignatureHandler(os.environ["ECP_SECRET"]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    require_sdk()
    precompile()
    env = clean_env("secret")
    with tempfile.TemporaryDirectory() as tmp:
        sdk_script = Path(tmp) / "sdk_verify.py"
        sdk_script.write_text(SDK_SCRIPT)
        commands = {
            "ecp verify": [*ecp_command(), "verify", str(SAMPLE)],
            "SDK script": [sys.executable, str(sdk_script), str(SAMPLE)],
            "python -c pass": [sys.executable, "-c", "pass"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for name, command in commands.items():  # warm the file cache once
            _, code = wall_time(command, env)
            if code != 0:
                sys.exit(f"{name} failed (exit {code}): {' '.join(command)}")
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(wall_time(command, env)[0])
    medians = {name: median_ms(samples) for name, samples in times.items()}
    for name, value in medians.items():
        print(f"{name:<16} median {value:7.1f} ms over {args.runs} runs")
    ratio = medians["ecp verify"] / medians["SDK script"]
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"ecp / SDK        {ratio:7.2f}x   ({verdict} the {TARGET}x target)")
    print(f"python: {sys.version.split()[0]} at {sys.executable}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
