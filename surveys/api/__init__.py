"""REST API v1 (Django REST framework), mounted at /api/v1/; its OpenAPI schema at /api/schema/, docs at /api/docs/.

DESCRIPTION is the schema's introduction: how to authenticate, the offline client's sync flow, idempotency, errors.
"""

DESCRIPTION = """
Survey, clearance and risk-education (EORE) reports of demining field teams, their photos, the sites (hazard areas)
they describe, and the lookups a phone keeps offline.

**Authentication.** The web app's session (send the `X-CSRFToken` header from the `csrftoken` cookie on POST, PUT
and PATCH; the phone's own app works this way), or a token for another device or a script:
`POST /api/v1/auth/token/` with `username`, `password` and a `device` name, then send
`Authorization: Token <token>`. Each call makes a new token for one device; it is shown only then, and expires at
its `expiry` (30 days unless configured otherwise): get a new one then. `GET /api/v1/auth/tokens/` lists your
tokens, `DELETE /api/v1/auth/tokens/{id}/` revokes one at once (a lost phone). After too many wrong passwords the
account is locked, on the token endpoint as on the sign-in pages: **429** with `"code": "account_locked"` until
the cool-off passes or an administrator unlocks it. What you see and may change is decided by your role, as on the web pages: field
collectors see their team's reports and change their own drafts and returned reports; supervisors see their
organisation's; donor viewers see approved reports of their grants, with coordinates of sites not yet cleared
rounded to about 1 km and no photos; administrators see everything.

**Sending a report from a phone (offline client).** Each report and each photo gets a UUID on the device.
1. `POST /api/v1/{surveys|clearances|eore-sessions}/` with the report's `uuid`, its `photos_expected` (how many
   photos will follow) and `"submit": true` if the worker pressed Submit. 201: stored.
2. For each photo, one at a time: `POST /api/v1/reports/{report uuid}/photos/` (multipart) with the photo's own
   `id`, the `image` file and its caption, taken_at, latitude and longitude. 201: stored.
3. Until all announced photos have arrived the report shows `waiting_for_photos: true` (filter lists with
   `?waiting_for_photos=true`); photos are still accepted after the report was submitted, until that many arrived.

On a timeout, a lost connection or a 5xx, resend exactly the same request: a report or photo whose UUID is already
stored answers **200** with the stored record and creates nothing. A report UUID resent with *different* content
answers **409** with the differing fields and the stored report's URL; change a draft or returned report with PUT or
PATCH on that URL instead. "Same content": every field sent equals the stored value once both are normalised as this
API shows them; fields left out and server-set fields are not compared; explosive item lines compare as a set.

**Errors.** 400: the body is not valid JSON (at most 2 MB and 32 levels of nesting: `{"detail": "…"}`), or the
report breaks rules: every error of the report in one answer, nothing stored. The body keeps DRF's shape — field name
→ list of messages, rules across fields under `non_field_errors`, item lines under `items` as an object keyed by the
index of each line with an error — and adds `errors`, the same messages flattened by path: a field name,
`items.<i>.<field>` for an item line, `__all__` for the report as a whole. The rules and their messages are the
shared rule set the phone checks offline, published at `/<lang>/rules.json` (surveys.rules). 403: your role may not do this. 404: no such
record, or not yours to see. 409: a conflict as above, or the report's state does not allow the change (e.g. it is
already submitted). 413: the request body is larger than the server accepts (about 16 MB; photos are at most
15 MB). 429: too many requests; wait the seconds in `Retry-After`.

**Lists** are paginated by keyset: follow `next` and `previous` (opaque `cursor` links), `limit` sets the page size
(capped); `count` is exact unless counting would take too long, then an estimate (`count_is_estimate`). `order=updated` lists oldest
change first: the phone's sync keeps its last `next` link (with `updated_since`) and resumes there.
"""
