// The shared helpers, without a browser: `node --test tests/js` (run by tests/test_js_units.py).
import test from "node:test";
import assert from "node:assert/strict";
import {
  csrfToken, detail, flatten, fmt, formatDateTime, formatNumber, latinDigits, number, retryAfterSeconds, uuid,
} from "../../static/js/lib/helpers.js";

test("fmt fills Django's %(name)s placeholders and leaves unknown ones", () => {
  assert.equal(fmt("Sending photo %(i)s of %(n)s", { i: 2, n: 2 }), "Sending photo 2 of 2");
  assert.equal(fmt("%(missing)s", {}), "%(missing)s");
});

test("digits as phones type them read as the server reads them", () => {
  assert.equal(latinDigits("١٢٠٠"), "1200");
  assert.equal(latinDigits("۱۲٫۵"), "12.5");
  assert.equal(latinDigits("−1200"), "-1200");
  assert.equal(latinDigits("1\u00a0200"), "1200");
  assert.equal(number("١٢٠٠"), 1200);
  assert.equal(number("−3"), -3);
  assert.ok(Number.isNaN(number("1,5")));
  assert.ok(Number.isNaN(number("abc")));
  assert.ok(Number.isNaN(number("")));
  assert.ok(Number.isNaN(number("1e")));
});

test("flatten and detail give every message of an error answer", () => {
  assert.deepEqual(flatten({ a: ["x", "y"], items: [{ q: ["z"] }] }), ["x", "y", "z"]);
  assert.equal(detail({ status: 409, data: { detail: "Taken." } }), "Taken.");
  assert.equal(detail({ status: 400, data: { a: ["x"], b: ["y"] } }), "x y");
  assert.equal(detail({ status: 0, data: null }, "No connection"), "No connection");
  assert.equal(detail({ status: 502, data: null }), "502");
});

test("uuid makes version-4 UUIDs", () => {
  const made = new Set(Array.from({ length: 50 }, uuid));
  assert.equal(made.size, 50);
  for (const value of made) assert.match(value, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("csrfToken reads Django's cookie", () => {
  assert.equal(csrfToken("a=1; csrftoken=abc%3D; b=2"), "abc=");
  assert.equal(csrfToken("a=1"), "");
});

test("Retry-After is seconds or an HTTP date", () => {
  assert.equal(retryAfterSeconds("30"), 30);
  assert.equal(retryAfterSeconds(null), 0);
  const now = Date.parse("Mon, 30 Nov 2026 12:00:00 GMT");
  assert.equal(retryAfterSeconds("Mon, 30 Nov 2026 12:01:00 GMT", now), 60);
  assert.equal(retryAfterSeconds("soon"), 0);
});

test("numbers and times read as the server's formats write them, Western digits in Arabic too", () => {
  assert.equal(formatNumber(1234567, "ar"), "1,234,567");
  assert.equal(formatNumber(1234567, "en"), "1,234,567");
  const ms = new Date(2026, 10, 30, 12, 58).getTime();
  assert.equal(formatDateTime(ms, "en"), "30 Nov 2026, 12:58");
  assert.equal(formatDateTime(ms, "ar"), "30 نوفمبر 2026، 12:58");
});
