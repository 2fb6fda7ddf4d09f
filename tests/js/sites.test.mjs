// The phone's copy of the sites a worker may pick, against an in-memory store and a fake server: no browser, no
// IndexedDB. The fake server pages as surveys.api.pagination.SyncPagination does: by (updated_at, id), updated_since
// included, a cursor after the last row.
import test from "node:test";
import assert from "node:assert/strict";
import { asSearchAnswer, createSiteCopy, match, OVERLAP_MS } from "../../static/js/outbox/sites.js";

const URLS = { choices: "/api/sites/choices/", ids: "/api/sites/choices/ids/" };

function memoryStore(user, disk) {
  return {
    state: async () => (disk.state && disk.state.user === user ? { ...disk.state } : null),
    all: async () => [...disk.sites.values()].map((s) => ({ ...s })),
    save: async (rows, state, fresh) => {
      if (fresh) disk.sites.clear();
      rows.forEach((row) => disk.sites.set(row.id, { ...row }));
      disk.state = { ...state, user };
    },
    remove: async (ids) => { ids.forEach((id) => disk.sites.delete(id)); },
    clear: async () => { disk.sites.clear(); disk.state = null; },
  };
}

const at = (minute) => new Date(Date.UTC(2026, 10, 1, 8, minute)).toISOString();
const site = (id, minute, extra = {}) => ({
  id, reference: `SITE-2026-${String(id).padStart(6, "0")}`, name: `School ${id}`, site_type: "school",
  priority: "high", classification: "cha", evidence: "direct", estimated_area_m2: 1000 + id, updated_at: at(minute),
  ...extra,
});

// The server: `sites` are the user's choices; `fail(url)` may answer a status instead.
function server(sites, { limit = 2, fail = () => null } = {}) {
  const asked = [];
  const get = async (url) => {
    asked.push(url);
    const failed = fail(url, asked.length);
    if (failed !== null) return { status: failed, data: null };
    const u = new URL(url, "http://phone");
    if (u.pathname === URLS.ids) return { status: 200, data: { ids: sites.map((s) => s.id).sort((a, b) => a - b) } };
    const since = u.searchParams.get("updated_since"), cursor = u.searchParams.get("cursor");
    const key = (s) => [Date.parse(s.updated_at), s.id];
    const after = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
    let rows = [...sites].sort((a, b) => (after(key(a), key(b)) ? 1 : -1));
    if (since) rows = rows.filter((s) => Date.parse(s.updated_at) >= Date.parse(since));
    if (cursor) rows = rows.filter((s) => after(key(s), JSON.parse(cursor)));
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? `${URLS.choices}?cursor=${JSON.stringify(key(page[page.length - 1]))}` : null;
    return { status: 200, data: { results: page.map((s) => ({ ...s, label: `${s.reference} ${s.name}` })), next } };
  };
  return { get, asked };
}

function phone(user, disk, get) {
  return createSiteCopy({ store: memoryStore(user, disk), get, urls: URLS });
}

const empty = () => ({ sites: new Map(), state: null });
const ids = (disk) => [...disk.sites.keys()].sort((a, b) => a - b);

test("the first sync walks every page and keeps every site the worker may pick", async () => {
  const disk = empty(), fake = server([site(1, 5), site(2, 1), site(3, 3), site(4, 3), site(5, 9)]);
  const copy = phone("7", disk, fake.get);
  assert.equal(await copy.sync(), "done");
  assert.deepEqual(ids(disk), [1, 2, 3, 4, 5]);
  assert.deepEqual(fake.asked.filter((u) => u.includes("cursor")).length, 2);  // 3 pages of 2
  assert.equal(disk.state.since, at(9));
  assert.equal(disk.state.complete, true);
  assert.equal(await copy.count(), 5);
});

test("a later sync asks only for what changed since the last one, with a margin", async () => {
  const sites = [site(1, 5), site(2, 1)], disk = empty(), fake = server(sites);
  const copy = phone("7", disk, fake.get);
  await copy.sync();
  sites[1] = site(2, 20, { name: "School 2, renamed" });
  sites.push(site(3, 21));
  fake.asked.length = 0;
  assert.equal(await copy.sync(), "done");
  const since = new URL(fake.asked[1], "http://phone").searchParams.get("updated_since");
  assert.equal(since, new Date(Date.parse(at(5)) - OVERLAP_MS).toISOString());
  assert.equal(disk.sites.get(2).name, "School 2, renamed");
  assert.deepEqual(ids(disk), [1, 2, 3]);
  assert.equal(disk.state.since, at(21));
});

test("sites that are no longer the worker's leave the copy", async () => {
  const sites = [site(1, 1), site(2, 2), site(3, 3)], disk = empty(), fake = server(sites);
  const copy = phone("7", disk, fake.get);
  await copy.sync();
  sites.splice(1, 1);  // moved to another team: it does not come as a change, it is missing from the ids
  assert.equal(await copy.sync(), "done");
  assert.deepEqual(ids(disk), [1, 3]);
  const found = await copy.search("school", 30);
  assert.deepEqual(found.sites.map((s) => s.id), [1, 3]);
});

test("sites that became the worker's without changing (a new team) make it walk every page once more", async () => {
  const sites = [site(1, 30), site(2, 31)], disk = empty(), fake = server(sites);
  const copy = phone("7", disk, fake.get);
  await copy.sync();
  sites.splice(0, 2, site(10, 1), site(11, 2), site(12, 3));  // older than the copy's last change
  fake.asked.length = 0;
  assert.equal(await copy.sync(), "done");
  assert.deepEqual(ids(disk), [10, 11, 12]);
  assert.ok(fake.asked.some((u) => u === URLS.choices));  // from the start, not since
});

test("another user's copy is emptied before this user's is written, and never read", async () => {
  const disk = empty();
  await phone("7", disk, server([site(1, 1), site(2, 2)]).get).sync();
  const other = phone("8", disk, server([site(5, 1)]).get);
  assert.equal(await other.search("school", 30), null);  // the copy on the phone is user 7's
  assert.equal(await other.sync(), "done");
  assert.deepEqual(ids(disk), [5]);
  assert.equal(disk.state.user, "8");
});

test("a sync cut short keeps the pages it had and resumes from the last", async () => {
  const disk = empty(), sites = [site(1, 1), site(2, 2), site(3, 3), site(4, 4), site(5, 5)];
  const fake = server(sites, { fail: (url) => (url.includes("cursor") && url.includes(",4]") ? 0 : null) });
  const copy = phone("7", disk, fake.get);
  assert.equal(await copy.sync(), 0);  // no answer for the third page
  assert.deepEqual(ids(disk), [1, 2, 3, 4]);
  assert.equal(disk.state.complete, false);
  const partial = await copy.search("school", 30);
  assert.equal(partial.complete, false);  // the form asks the server first while the copy is incomplete

  const again = server(sites);
  assert.equal(await phone("7", disk, again.get).sync(), "done");
  assert.deepEqual(ids(disk), [1, 2, 3, 4, 5]);
  assert.equal(disk.state.complete, true);
  const since = new URL(again.asked[1], "http://phone").searchParams.get("updated_since");
  assert.equal(since, new Date(Date.parse(at(4)) - OVERLAP_MS).toISOString());
});

test("a session that has ended keeps no copy; a server error leaves it as it was", async () => {
  const disk = empty();
  await phone("7", disk, server([site(1, 1)]).get).sync();
  assert.equal(await phone("7", disk, server([], { fail: () => 503 }).get).sync(), 503);
  assert.deepEqual(ids(disk), [1]);
  assert.equal(await phone("7", disk, server([], { fail: () => 403 }).get).sync(), 403);
  assert.deepEqual(ids(disk), []);
  assert.equal(disk.state, null);
});

test("after stop (signing out) a sync under way writes nothing more", async () => {
  const disk = empty();
  let copy;
  const fake = server([site(1, 1), site(2, 2), site(3, 3)], {
    fail: (url, n) => { if (n === 2) copy.stop(); return null; },
  });
  copy = phone("7", disk, fake.get);
  assert.equal(await copy.sync(), "stopped");
  assert.deepEqual(ids(disk), []);
});

test("the search finds a name containing the words, or a reference by its start, ignoring case", () => {
  const sites = [
    site(1, 1, { name: "Al-Rashid School" }), site(2, 1, { name: "مدرسة الرشيد" }),
    site(3, 1, { name: "Water plant", reference: "SITE-2026-000150" }), site(4, 1, { name: "Bridge of the school road" }),
  ];
  assert.deepEqual(match(sites, "SCHOOL").map((s) => s.id), [1, 4]);
  assert.deepEqual(match(sites, "الرشيد").map((s) => s.id), [2]);
  assert.deepEqual(match(sites, " site-2026-00015").map((s) => s.id), [3]);
  assert.deepEqual(match(sites, "000150").map((s) => s.id), []);  // a reference matches by its start only
  assert.deepEqual(match(sites, "a", 2).map((s) => s.name), ["Al-Rashid School", "Bridge of the school road"]);
  assert.deepEqual(match(sites, "  "), []);
});

test("a site of the copy reads as the server's search answers it", () => {
  assert.deepEqual(asSearchAnswer({ ...site(3, 1), label: "SITE-2026-000003 School 3" }), {
    id: 3, label: "SITE-2026-000003 School 3", name: "School 3", "site-type": "school", priority: "high",
    classification: "cha", evidence: "direct", area: 1003,
  });
});
