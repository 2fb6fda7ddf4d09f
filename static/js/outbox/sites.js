/* The phone's copy of the sites the user may pick (the server's capture.site_choices), for the forms' site search
   without a network. Each sync: the ids of every such site (choices/ids/, a 304 when unchanged), then the pages of
   sites changed since the last sync (choices/, by updated_at and id; the first sync walks them all), each page written
   with the sync's state in one transaction, then the sites not among the ids leave the copy; ids the copy lacks make it
   walk every page once more. Why this way: surveys/offline.py. No DOM: tests/js/sites.test.mjs runs it in Node. */

// Later syncs ask for changes since the last row's updated_at less this: a site saved just before that moment by a
// transaction that committed just after it would otherwise be skipped for good (rows fetched twice change nothing).
export var OVERLAP_MS = 10 * 60 * 1000;

export function createSiteCopy(deps) {
  var store = deps.store, get = deps.get, urls = deps.urls;
  var kept = null;  // {sites, complete}: the copy, read once and kept in memory until a sync changes it
  var stopped = false, synced = 0;

  function load() {
    if (kept) return Promise.resolve(kept);
    var before = synced;
    return Promise.all([store.state(), store.all()]).then(function (found) {
      var read = { sites: found[0] ? found[1] : [], complete: Boolean(found[0] && found[0].complete) };
      if (before === synced) kept = read;  // else a sync ended meanwhile: read again next time
      return read;
    });
  }

  // "done" (then count says how many sites the copy holds), "busy" (another tab syncs), "stopped", or the failing
  // status (0: no answer). A failed sync leaves the copy as it was, except that a session that has ended (401, 403:
  // signed out in another tab) keeps no copy.
  function sync() {
    var run = function () {
      return get(urls.ids).then(function (answer) {
        if (answer.status !== 200 || !answer.data) return answer.status;
        return store.state().then(function (state) { return walk(state, answer.data.ids, false); });
      }).then(function (outcome) {
        kept = null;
        synced++;
        return outcome === 401 || outcome === 403 ? store.clear().then(function () { return outcome; }) : outcome;
      });
    };
    if (!deps.locks) return run();
    return deps.locks.request("fieldapp-sites", { ifAvailable: true }, function (lock) { return lock ? run() : "busy"; });
  }

  function walk(state, ids, again) {
    var fresh = !state;  // no copy, or another user's: emptied with the first page
    var since = state && !again ? state.since : null;
    var url = urls.choices + (since ? "?updated_since=" + encodeURIComponent(
      new Date(Date.parse(since) - OVERLAP_MS).toISOString()) : "");
    var page = function (next) {
      return get(next).then(function (answer) {
        if (answer.status !== 200 || !answer.data) return answer.status;
        if (stopped) return "stopped";
        var results = answer.data.results;
        if (results.length) since = results[results.length - 1].updated_at;
        var last = !answer.data.next;
        var after = { since: since, complete: last || Boolean(state && state.complete) };
        return store.save(results, after, fresh).then(function () {
          fresh = false;
          return last ? "done" : page(answer.data.next);
        });
      });
    };
    return page(url).then(function (outcome) {
      if (outcome !== "done") return outcome;
      return store.all().then(function (copy) {
        var wanted = {}, held = {};
        ids.forEach(function (id) { wanted[id] = true; });
        copy.forEach(function (site) { held[site.id] = true; });
        var gone = copy.filter(function (site) { return !wanted[site.id]; }).map(function (site) { return site.id; });
        var missing = ids.some(function (id) { return !held[id]; });
        return store.remove(gone).then(function () {
          if (missing && !again) return store.state().then(function (now) { return walk(now, ids, true); });
          return "done";
        });
      });
    });
  }

  // The sites whose reference starts with `term` or whose name contains it, ignoring case (names in Arabic as they
  // are), by name, at most `limit`: as surveys.search.sites answers the server's search. null when there is no copy.
  function search(term, limit) {
    return load().then(function (copy) {
      if (!copy.sites.length && !copy.complete) return null;
      return { complete: copy.complete, sites: match(copy.sites, term, limit).map(asSearchAnswer) };
    });
  }

  function find(id) {
    return load().then(function (copy) {
      var site = copy.sites.filter(function (s) { return String(s.id) === String(id); })[0];
      return site ? asSearchAnswer(site) : null;
    });
  }

  function count() { return load().then(function (copy) { return copy.sites.length; }); }

  // Signing out: nothing more is written (then the copy is emptied).
  function stop() { stopped = true; }

  return { sync: sync, search: search, find: find, count: count, stop: stop };
}

export function match(sites, term, limit) {
  var wanted = String(term || "").trim().toLowerCase();
  if (!wanted) return [];
  return sites.filter(function (site) {
    return (site.reference || "").toLowerCase().indexOf(wanted) === 0 || site.name.toLowerCase().indexOf(wanted) !== -1;
  }).sort(function (a, b) {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id;
  }).slice(0, limit || Infinity);
}

// A site of the copy in the shape of surveys.views.site_search's answer, which the form's site list takes: the facts
// under the names of surveys.forms.site_facts.
export function asSearchAnswer(site) {
  return { id: site.id, label: site.label, name: site.name, "site-type": site.site_type, priority: site.priority,
           classification: site.classification, evidence: site.evidence, area: site.estimated_area_m2 };
}
