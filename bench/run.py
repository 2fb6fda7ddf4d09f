"""Run every benchmark (bench/bench_*.py) in its own process; each prints its own figures. Arguments (--postgres,
--keep) are passed to each. Ends with each script's time and outcome; exits non-zero naming the scripts that failed."""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

started = time.perf_counter()
failed, times = [], []
for script in sorted(HERE.glob("bench_*.py")):
    print(f"\n== {script.name}", flush=True)
    began = time.perf_counter()
    code = subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent).returncode
    times.append((script.name, time.perf_counter() - began, code))
    if code:
        failed.append(script.name)
print("\n== times")
for name, seconds, code in times:
    print(f"  {name:<28} {seconds:>6.0f} s  {'ok' if code == 0 else f'FAILED (exit {code})'}")
print(f"  {'all':<28} {time.perf_counter() - started:>6.0f} s", flush=True)
if failed:
    sys.exit(f"failed: {', '.join(failed)}")
