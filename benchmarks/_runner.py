"""How the benchmarks start ecp and the official SDK, the same way a user's CI would."""

import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


def ecp_command() -> list[str]:
    """The installed ``ecp`` script next to this Python, else ``python -m ecp_cli``."""
    script = Path(sys.executable).parent / "ecp"
    if script.exists():
        return [str(script)]
    found = shutil.which("ecp")
    return [found] if found else [sys.executable, "-m", "ecp_cli"]


def precompile() -> None:
    """Write ecp's bytecode, as ``pip install`` does for the SDK in site-packages. An editable
    checkout under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every
    call and measure the compiler, not ecp."""
    import compileall

    import ecp_cli

    compileall.compile_dir(Path(ecp_cli.__file__).parent, quiet=1)


def require_sdk() -> None:
    try:
        import payment_page_sdk  # noqa: F401
    except ImportError:
        sys.exit("the official SDK is needed for the comparison: pip install -e '.[bench]'")


def clean_env(secret: str) -> dict[str, str]:
    """The caller's environment with only ECP_SECRET configuring ecp."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECP_")}
    env["ECP_SECRET"] = secret
    env["NO_COLOR"] = "1"
    return env


def wall_time(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start, done.returncode


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run_threads(work, count: int) -> float:
    """Runs ``work`` in ``count`` threads at once; the wall time until the last one ends."""
    threads = [threading.Thread(target=work) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started
