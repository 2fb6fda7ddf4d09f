"""The field pages' ES modules in production: the static storage hashes their names AND rewrites their imports to the
hashed names, so that a module imports exactly the file the service worker cached (surveys.storage)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage

from surveys import offline
from surveys.storage import StaticFilesStorage

STATIC = Path(settings.BASE_DIR) / "static"
IMPORT = re.compile(r"""import(?:[\s{][^;]*?from)?\s*["']([./][^"']+)["']""")


def test_every_module_import_is_rewritten_to_a_hashed_file_that_exists(tmp_path):
    for folder in ("js", "vendor/geographiclib-geodesic-2.2.0"):
        shutil.copytree(STATIC / folder, tmp_path / folder)
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    names = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()]

    for _name, _hashed, processed in storage.post_process({n: (storage, n) for n in names}):
        assert not isinstance(processed, Exception), processed

    outbox = (tmp_path / storage.stored_name("js/outbox.js")).read_text()
    assert "\n//" not in outbox and len(outbox) < len((STATIC / "js/outbox.js").read_text())  # minified
    assert re.search(r'from "\./outbox/store\.[0-9a-f]{12}\.js"', outbox)
    for name in ("js/outbox.js", "js/drafts.js", "js/form-rules.js", "js/lib/area.js"):
        hashed = tmp_path / storage.stored_name(name)
        for target in IMPORT.findall(hashed.read_text()):
            assert re.search(r"\.[0-9a-f]{12}\.js$", target), (name, target)
            assert (hashed.parent / target).resolve().is_file(), (name, target)


def test_the_shell_lists_every_module_the_field_pages_import():
    """A module missing from the shell would break a form offline."""
    shell = set(offline.SHELL_STATIC)
    for name in [n for n in shell if n.startswith("js/")]:
        source = STATIC / name
        for target in IMPORT.findall(source.read_text()):
            imported = (source.parent / target).resolve().relative_to(STATIC.resolve())
            assert str(imported) in shell, (name, target)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_every_minified_script_is_still_valid_javascript(tmp_path):
    for folder in ("js", "vendor/geographiclib-geodesic-2.2.0"):
        shutil.copytree(STATIC / folder, tmp_path / folder)
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    source = FileSystemStorage(location=STATIC)  # as collectstatic does: the copies' originals are the sources
    names = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.js")]
    for _name, _hashed, processed in storage.post_process({n: (source, n) for n in names}):
        assert not isinstance(processed, Exception), processed
    for name in [n for n in names if n.startswith("js/")]:
        minified = tmp_path / storage.stored_name(name)
        assert len(minified.read_bytes()) < len((STATIC / name).read_bytes()), name
        module = minified.with_suffix(".mjs")  # every script is checked as a module: the strictest grammar
        module.write_text(minified.read_text())
        result = subprocess.run(["node", "--check", str(module)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (name, result.stderr)
