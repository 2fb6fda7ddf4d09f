"""Static files in production: whitenoise's compressed, content-hashed files, with the field pages' ES modules' imports
rewritten to the hashed names too. Without that rewriting a module would import "./lib/helpers.js" by its plain name,
which the service worker never cached (it caches the hashed names the pages use), and the phone's forms would break
offline.

The app's own scripts (js/) are minified first (rjsmin: comments and spaces out, nothing renamed), so a phone on 3G
downloads the code and not its explanations; the sources in static/ stay as written.
"""

from rjsmin import jsmin
from whitenoise.storage import CompressedManifestStaticFilesStorage

MINIFIED = ("js/",)  # the app's scripts; vendored files come minified, or not at all, by their makers' choice


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            paths = dict(paths)
            for name in paths:
                if name.startswith(MINIFIED) and name.endswith(".js"):
                    self._minify(name)
                    paths[name] = (self, name)  # hashed and compressed from the minified copy, not the source
        yield from super().post_process(paths, dry_run, **options)

    def _minify(self, name: str) -> None:
        path = self.path(name)
        with open(path, encoding="utf-8") as source:
            text = source.read()
        with open(path, "w", encoding="utf-8") as target:
            target.write(jsmin(text, keep_bang_comments=True))

