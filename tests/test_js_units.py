"""The front end's logic that has no DOM (helpers, the outbox's queue and backoff, the rule checker, the outline area),
unit-tested with Node's own test runner: tests/js/*.test.mjs. Skipped where Node is not installed (the parity test
and the browser tests still run the same modules in Chromium)."""

import shutil
import subprocess
from pathlib import Path

import pytest

NODE = shutil.which("node")
FOLDER = Path(__file__).parent / "js"


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_the_front_end_modules_pass_their_unit_tests():
    files = sorted(str(p) for p in FOLDER.glob("*.test.mjs"))
    assert files
    result = subprocess.run([NODE, "--test", *files], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
