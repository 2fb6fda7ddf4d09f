// The phone's checker on hand-made rule sets (the parity test runs it against the server's own).
import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { check, localToday, outlineProblem } from "../../static/js/rules.js";

globalThis.geodesic = createRequire(import.meta.url)(
  "../../static/vendor/geographiclib-geodesic-2.2.0/geographiclib-geodesic.min.js");
const { areaMismatch, polygonAreaM2, ringAreaM2 } = await import("../../static/js/lib/area.js");

const set = (rules) => ({ version: "t", types: { survey: { rules } } });

test("numbers: range, whole numbers, digits as phones type them", () => {
  const rules = set([{ id: "a", kind: "number", field: "area", scope: "report", min: 0, max: 10, integer: true,
                       message: "range", invalid_message: "whole" }]);
  assert.deepEqual(check(rules, "survey", { area: "١١" }, [], "2026-01-01"), { area: ["range"] });
  assert.deepEqual(check(rules, "survey", { area: "−1" }, [], "2026-01-01"), { area: ["range"] });
  assert.deepEqual(check(rules, "survey", { area: "1.5" }, [], "2026-01-01"), { area: ["whole"] });
  assert.deepEqual(check(rules, "survey", { area: "1,5" }, [], "2026-01-01"), { area: ["whole"] });
  assert.deepEqual(check(rules, "survey", { area: " " }, [], "2026-01-01"), {});
  assert.deepEqual(check(rules, "survey", { area: "1e400" }, [], "2026-01-01"), { area: ["range"] });
});

test("dates: the future is after the phone's today", () => {
  const rules = set([{ id: "d", kind: "date", field: "day", scope: "report", min: "1990-01-01", not_future: true,
                       message: "range", invalid_message: "bad" }]);
  assert.deepEqual(check(rules, "survey", { day: "2026-01-02" }, [], "2026-01-01"), { day: ["range"] });
  assert.deepEqual(check(rules, "survey", { day: "2026-01-01" }, [], "2026-01-01"), {});
  assert.deepEqual(check(rules, "survey", { day: "2024-02-29" }, [], "2026-01-01"), {});
  assert.deepEqual(check(rules, "survey", { day: "2025-02-29" }, [], "2026-01-01"), { day: ["bad"] });
  assert.equal(localToday(new Date(2026, 5, 15, 23, 30)), "2026-06-15");
});

test("item lines are checked one by one, under items.<i>.<field>; removed lines keep their index", () => {
  const rules = set([{ id: "q", kind: "number", field: "quantity", scope: "item", min: 1, max: 5, integer: true,
                       message: "range", invalid_message: "whole" }]);
  assert.deepEqual(check(rules, "survey", {}, [{ quantity: "2" }, null, { quantity: "-2" }], "2026-01-01"),
                   { "items.2.quantity": ["range"] });
});

test("an unknown kind of rule throws rather than passes", () => {
  assert.throws(() => check(set([{ id: "x", kind: "regex", field: "a", message: "m" }]), "survey", { a: "1" }),
                /Unknown rule kind regex/);
});

test("outlines: valid, crossing itself, hole outside, open, too wide", () => {
  const square = (x, y, s) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
  assert.equal(outlineProblem({ type: "Polygon", coordinates: [square(0, 0, 1), square(0.2, 0.2, 0.1)] }), null);
  assert.equal(outlineProblem({ type: "Polygon", coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] }), "invalid");
  assert.equal(outlineProblem({ type: "Polygon", coordinates: [square(0, 0, 1), square(5, 5, 1)] }), "invalid");
  assert.equal(outlineProblem({ type: "Polygon", coordinates: [square(0, 0, 1).slice(0, 4)] }), "open");
  assert.equal(outlineProblem({ type: "Polygon", coordinates: [square(-100, 0, 200)] }), "range");
  assert.equal(outlineProblem({ type: "Polygon", coordinates: [[[-90, 0], [89, 0], [89, 1], [-90, 1], [-90, 0]]] }),
               null);
  assert.equal(outlineProblem({ type: "Polygon", coordinates: [[[-170, 0], [170, 0], [170, 1], [-170, 0]]] }),
               "antimeridian");
  assert.equal(outlineProblem("[".repeat(40)), "json");
});

test("the outline's area does not depend on the direction or the first corner", () => {
  const ring = [[38, 36], [38.002, 36], [38.003, 36.001], [38, 36.002]];
  const area = ringAreaM2(ring.concat([ring[0]]));
  for (let start = 0; start < ring.length; start++) {
    const turned = ring.slice(start).concat(ring.slice(0, start));
    for (const r of [turned, turned.slice().reverse()]) {
      assert.ok(Math.abs(ringAreaM2(r.concat([r[0]])) - area) < 1e-6);
    }
  }
  assert.equal(polygonAreaM2({ type: "Polygon" }), null);
});

test("the 20 % rule of the supervisor's flag", () => {
  assert.equal(areaMismatch(1200, 1000, 0.2), false);
  assert.equal(areaMismatch(1201, 1000, 0.2), true);
  assert.equal(areaMismatch(799, 1000, 0.2), true);
  assert.equal(areaMismatch(500, 0, 0.2), false);  // no reported area: nothing to compare
});
