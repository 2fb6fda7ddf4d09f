// The outbox's queue and retry rules against an in-memory store and a fake server: no browser, no IndexedDB.
import test from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, isTransient, BACKOFF_CAP_MS } from "../../static/js/outbox/network.js";
import { createSync, fraction } from "../../static/js/outbox/sync.js";

globalThis.FormData = class { constructor() { this.parts = {}; } append(k, v) { this.parts[k] = v; } };

function memoryStore(records, photos) {
  return {
    reports: async () => records.filter((r) => r).map((r) => ({ ...r })),
    saveReport: async (r) => { const i = records.findIndex((x) => x.uuid === r.uuid); records[i] = { ...r }; },
    photos: async (uuid) => photos.filter((p) => p.report === uuid).sort((a, b) => a.order - b.order),
    removePhoto: async (id) => { const i = photos.findIndex((p) => p.id === id); photos.splice(i, 1); },
    removeReport: async (uuid) => { records.splice(records.findIndex((r) => r.uuid === uuid), 1); },
  };
}

const URLS = { survey: "/api/surveys/", me: "/api/me/", photos: "/api/reports/REPORT/photos/" };
const text = (name) => name;

function outbox(records, photos, answer, extra = {}) {
  const calls = [], seen = [];
  const sync = createSync({
    store: memoryStore(records, photos), user: "7", text, urls: URLS,
    timers: { set: () => 1, clear: () => {} }, random: () => 0.5,
    send: async (method, url, body, onProgress) => {
      calls.push(`${method} ${url}`);
      if (onProgress) { onProgress(0.5); onProgress(0.2); onProgress(1); }
      return url === URLS.me ? { status: 200, data: { id: 7 } } : answer(method, url, body, calls.length);
    },
    onChange: (state) => { if (state.current) seen.push({ ...state.current }); },
    ...extra,
  });
  return { sync, calls, seen };
}

const queued = (uuid, extra = {}) => ({ uuid, kind: "survey", state: "queued", created: 1, body: { uuid }, ...extra });
const photo = (id, report, order) => ({ id, report, order, blob: "jpeg", caption: "" });

test("a report goes first, then each photo, then it leaves the phone", async () => {
  const records = [queued("r1")], photos = [photo("p1", "r1", 0), photo("p2", "r1", 1)];
  const { sync, calls } = outbox(records, photos, () => ({ status: 201, data: { reference: "SUR-1" } }));
  assert.equal(await sync.sync(), "done");
  assert.deepEqual(calls, ["GET /api/me/", "POST /api/surveys/", "POST /api/reports/r1/photos/",
                           "POST /api/reports/r1/photos/"]);
  assert.deepEqual(records, []);
  assert.deepEqual(photos, []);
  assert.deepEqual(sync.state.sent, ["SUR-1"]);
});

test("the photo counter says 'photo 2 of 2' for two photos and the bar never goes back", async () => {
  const records = [queued("r1")], photos = [photo("p1", "r1", 0), photo("p2", "r1", 1)];
  const { sync, seen } = outbox(records, photos, () => ({ status: 201, data: {} }));
  await sync.sync();
  const steps = seen.filter((c) => c.step === "photo").map((c) => `${c.i}/${c.n}`);
  assert.deepEqual([...new Set(steps)], ["1/2", "2/2"]);
  const bars = seen.map(fraction);
  assert.deepEqual(bars, [...bars].sort((a, b) => a - b));
});

test("after a reload the photos already sent still count: photo 2 of 2, not 1 of 1", async () => {
  const records = [queued("r1", { reportSent: true, photosDone: 1 })], photos = [photo("p2", "r1", 1)];
  const { sync, seen, calls } = outbox(records, photos, () => ({ status: 201, data: {} }));
  await sync.sync();
  assert.deepEqual(calls, ["GET /api/me/", "POST /api/reports/r1/photos/"]);
  assert.deepEqual([...new Set(seen.filter((c) => c.step === "photo").map((c) => `${c.i}/${c.n}`))], ["2/2"]);
});

test("a refused report comes back as a draft with the server's messages by path", async () => {
  const records = [queued("r1")];
  const errors = { activity_date: ["No future dates."] };
  const { sync } = outbox(records, [], () => ({ status: 400, data: { errors, activity_date: errors.activity_date } }));
  await sync.sync();
  assert.equal(records[0].state, "draft");
  assert.deepEqual(records[0].errors, errors);
});

test("a new report's UUID taken by other content is a conflict; a correction overtaken stays a draft", async () => {
  const records = [queued("r1"), queued("r2", { url: "/api/surveys/9/" })];
  const { sync, calls } = outbox(records, [], () => ({ status: 409, data: { detail: "Changed meanwhile." } }));
  await sync.sync();
  assert.ok(calls.includes("PATCH /api/surveys/9/"));
  assert.equal(records[0].state, "conflict");
  assert.equal(records[1].state, "draft");
  assert.deepEqual(records[1].errors, { __all__: ["Changed meanwhile."] });
});

test("no answer stops the round and is retried later; the record stays queued", async () => {
  const records = [queued("r1")];
  const { sync } = outbox(records, [], () => ({ status: 0, data: null }));
  assert.equal(await sync.sync(), "network");
  assert.equal(records[0].state, "queued");
  assert.equal(sync.state.failures, 1);
  assert.ok(sync.state.retryAt > Date.now());
  assert.equal(sync.state.noConnection, true);
});

test("a 429's Retry-After is waited for", async () => {
  const records = [queued("r1")];
  const { sync } = outbox(records, [], () => ({ status: 429, data: null, retryAfter: 120 }));
  const before = Date.now();
  await sync.sync();
  assert.ok(sync.state.retryAt - before >= 120000);
});

test("nothing is sent under another user's session", async () => {
  const records = [queued("r1")], calls = [];
  const sync = createSync({
    store: memoryStore(records, []), user: "7", text, urls: URLS, timers: { set: () => 1, clear: () => {} },
    send: async (method, url) => { calls.push(url); return { status: 200, data: { id: 8 } }; },
  });
  await sync.sync();
  assert.deepEqual(calls, ["/api/me/"]);
  assert.equal(sync.state.otherUser, true);
});

test("backoff doubles from 1 s up to 5 minutes, ±10 %, never under Retry-After", () => {
  assert.equal(backoffDelay(1, 0, () => 0.5), 1000);
  assert.equal(backoffDelay(2, 0, () => 0.5), 2000);
  assert.equal(backoffDelay(3, 0, () => 0), 3600);
  assert.equal(backoffDelay(30, 0, () => 0.5), BACKOFF_CAP_MS);
  assert.equal(backoffDelay(1, 60000, () => 0.5), 60000);
  assert.ok([0, 408, 429, 500, 503].every(isTransient));
  assert.ok(![200, 400, 403, 409].some(isTransient));
});
