"""Static files in production: whitenoise's compressed, content-hashed files, with the field pages' ES modules' imports
rewritten to the hashed names too. Without that rewriting a module would import "./lib/helpers.js" by its plain name,
which the service worker never cached (it caches the hashed names the pages use), and the phone's forms would break
offline."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
