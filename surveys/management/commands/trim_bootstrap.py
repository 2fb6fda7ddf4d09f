"""Write the Bootstrap stylesheets the pages use: the vendored Bootstrap CSS keeping only rules for classes that appear
in the templates, the app's scripts and Python code.

Why: the phone keeps the app shell in its cache (surveys.offline), within a budget of 300 KB; full Bootstrap is 232 KB
per text direction, of which the pages use about a tenth. Rerun after adding Bootstrap classes to a template
(`make css`, which runs manage.py trim_bootstrap); tests/test_offline_shell.py fails while the files are out of date.

The purge is generous rather than clever: every word in those files counts as a used class; a word ending in "-"
(a class completed by a template variable, like alert-{{ tag }}) keeps every class that starts with it; a selector
is kept when each class it requires (outside :not()) is used; rules without classes (elements, :root) are kept; rules
for the dark colour mode, which the app never turns on, are dropped.
"""

import re
from pathlib import Path

import crispy_bootstrap5
from django.conf import settings
from django.core.management.base import BaseCommand

VENDOR = "vendor/bootstrap-5.3.9"
SOURCES = {"bootstrap.min.css": "trimmed/bootstrap.min.css", "bootstrap.rtl.min.css": "trimmed/bootstrap.rtl.min.css"}
HEADER = "/* Bootstrap 5.3.9 (MIT, see ../LICENSE), only the rules these pages use: made by manage.py trim_bootstrap */\n"

_WORD = re.compile(r"[A-Za-z][\w-]*")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_NOT = re.compile(r":not\([^()]*\)")
# crispy-forms layout objects the app does not use (its forms are laid out in templates, field by field).
_UNUSED_CRISPY_LAYOUTS = ("accordion", "modal", "tab")


def used_words() -> tuple[set[str], tuple[str, ...]]:
    """Every word in the templates, our scripts and our Python code; and the prefixes (words ending in "-")."""
    base = Path(settings.BASE_DIR)
    roots = [(base / "templates", "*.html"), (base / "static" / "js", "*.js"), (base / "surveys", "*.py"),
             (Path(crispy_bootstrap5.__file__).parent / "templates", "*.html")]
    words: set[str] = set()
    for root, pattern in roots:
        for path in sorted(root.rglob(pattern)):
            if path.stem.startswith(_UNUSED_CRISPY_LAYOUTS) and "crispy" in str(path):
                continue
            words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    prefixes = tuple(sorted(w for w in words if w.endswith("-") and len(w) > 2))
    return words, prefixes


def _blocks(css: str, i: int = 0) -> tuple[list, int]:
    """Parse rules until the closing brace of the enclosing block: [(prelude, body)], body a list for @media and
    @supports, text otherwise. Returns the rules and the index after the closing brace."""
    rules = []
    n = len(css)
    while i < n:
        while i < n and css[i] in " \n\t\r":
            i += 1
        if i >= n:
            break
        if css[i] == "}":
            return rules, i + 1
        if css.startswith("/*", i):
            i = css.index("*/", i) + 2
            continue
        start = i
        quote = None
        while i < n:
            c = css[i]
            if quote:
                if c == "\\":
                    i += 1
                elif c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c in "{;":
                break
            i += 1
        prelude = css[start:i].strip()
        if i >= n or css[i] == ";":  # @charset, @import
            rules.append((prelude, None))
            i += 1
            continue
        if prelude.startswith(("@media", "@supports", "@container", "@layer")):
            body, i = _blocks(css, i + 1)
            rules.append((prelude, body))
            continue
        depth, j, quote = 1, i + 1, None
        while j < n and depth:
            c = css[j]
            if quote:
                if c == "\\":
                    j += 1
                elif c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            j += 1
        rules.append((prelude, css[i + 1:j - 1]))
        i = j
    return rules, i


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, []
    for c in prelude:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _is_used(name: str, words: set[str], prefixes: tuple[str, ...]) -> bool:
    return name in words or name.startswith(prefixes)


def _keep_selector(selector: str, words: set[str], prefixes: tuple[str, ...]) -> bool:
    if "[data-bs-theme=dark]" in selector:
        return False
    return all(_is_used(name, words, prefixes) for name in _CLASS.findall(_NOT.sub("", selector)))


def _purge(rules: list, words: set[str], prefixes: tuple[str, ...]) -> list[str]:
    out = []
    for prelude, body in rules:
        if body is None:
            out.append(prelude + ";")
        elif isinstance(body, list):
            inner = _purge(body, words, prefixes)
            if inner:
                out.append(prelude + "{" + "".join(inner) + "}")
        elif prelude.startswith("@"):
            out.append(prelude + "{" + body + "}")  # @keyframes, @font-face: filtered below by use
        else:
            kept = [s for s in _split_selectors(prelude) if _keep_selector(s, words, prefixes)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
    return out


def purge(css: str, words: set[str], prefixes: tuple[str, ...]) -> str:
    rules, _end = _blocks(css)
    kept = _purge(rules, words, prefixes)
    text = "".join(kept)
    # Animations nothing refers to any more.
    kept = [r for r in kept if not r.startswith("@keyframes")
            or re.search(r"animation[^;{}]*\b" + re.escape(r.split()[1].split("{")[0]) + r"\b", text)]
    charset = [r for r in kept if r.startswith("@charset")]  # must stay the first thing in the file
    return "".join(charset) + HEADER + "".join(r for r in kept if r not in charset) + "\n"


def build() -> dict[str, str]:
    """{output path relative to static/: its content}, from the vendored Bootstrap."""
    words, prefixes = used_words()
    folder = Path(settings.BASE_DIR) / "static" / VENDOR
    return {f"{VENDOR}/{target}": purge((folder / source).read_text(encoding="utf-8"), words, prefixes)
            for source, target in SOURCES.items()}


class Command(BaseCommand):
    help = "Write the Bootstrap stylesheets of the pages, keeping only the rules for classes the app uses."

    def handle(self, *args, **options):
        static = Path(settings.BASE_DIR) / "static"
        for name, content in build().items():
            (static / name).write_text(content, encoding="utf-8")
            self.stdout.write(f"{name}: {len(content.encode()):,} bytes")
