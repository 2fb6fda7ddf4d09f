/* The outbox's queue: which report goes when, and in which order its parts go (the API's own order, see
   surveys.api.DESCRIPTION):
     1. The report, with its uuid, photos_expected and submit: POST for a new report; PATCH to its URL for a correction
        of a stored one (with the version the worker started from, so that a report the supervisor changed meanwhile
        answers 409 instead of being overwritten). 201/200 means stored (a resend of the same content answers 200).
        400: the server's messages go back to the worker with the report, as a draft. 409: a new report's UUID the
        server holds with other content is a conflict the worker resolves; a correction overtaken by the supervisor
        goes back to the worker as a draft, the edits kept, with the server's message.
     2. Each photo, one at a time, with its own UUID, removed from the phone once the server answered 201 or 200.
     3. When the last photo is in, the record is removed.
   A lost connection, a 5xx or a 429 is retried with backoff (network.js). One tab sends at a time (Web Locks). Before
   sending, the API's "me" must answer the same user as the records: a report never goes under another session.

   No DOM here: everything the queue needs comes in `deps`, so that tests/js/outbox.test.mjs runs it against an
   in-memory store and a fake server. */
import { backoffDelay, isTransient } from "./network.js";
import { detail, fmt, report } from "../lib/helpers.js";

export function createSync(deps) {
  var store = deps.store, send = deps.send, urls = deps.urls, text = deps.text;
  var online = deps.online || function () { return true; };
  var timers = deps.timers || { set: function (f, ms) { return setTimeout(f, ms); },
                                clear: function (id) { clearTimeout(id); } };
  var state = { syncing: false, again: false, timer: null, failures: 0, retryAt: 0, retryAfterMs: 0, lastError: "",
                signedOut: false, otherUser: false, current: null, sent: [], noConnection: false };
  var changed = function () { if (deps.onChange) deps.onChange(state); };

  function transientError(response) {
    // navigator.onLine is not always told (a captive portal, some browsers): a request with no answer says it too.
    state.noConnection = response.status === 0;
    if (response.status === 0) return text("error-network");
    if (response.status === 429) return text("error-busy");
    return fmt(text("error-server"), { status: response.status });
  }

  function sync() {
    if (state.syncing) { state.again = true; return Promise.resolve("busy"); }
    timers.clear(state.timer);
    state.timer = null;
    state.retryAt = 0;
    if (!online()) { changed(); return Promise.resolve("offline"); }
    state.syncing = true;
    state.again = false;
    changed();
    var locked = deps.locks
      ? deps.locks.request("fieldapp-outbox", { ifAvailable: true }, function (lock) { return lock ? sendAll() : "busy"; })
      : sendAll();
    return locked.then(finish, function (error) {
      report(error, "outbox");
      return finish("transient");
    });
  }

  function finish(outcome) {
    state.syncing = false;
    state.current = null;
    if (outcome === "transient" || outcome === "network") {
      state.failures++;
      var delay = backoffDelay(state.failures, state.retryAfterMs, deps.random);
      state.retryAfterMs = 0;
      state.retryAt = Date.now() + delay;
      if (online()) state.timer = timers.set(sync, delay);
    } else if (outcome !== "busy") {
      state.failures = 0;
      state.lastError = "";
      state.noConnection = false;
    }
    changed();
    if (state.again && outcome !== "network" && outcome !== "transient") return sync();
    return outcome;
  }

  // Every queued report of this user, oldest first. "done", "transient" (something to retry), "network" (no
  // connection: stopped) or "busy" (another tab is sending).
  function sendAll() {
    return store.reports().then(function (records) {
      var queued = records.filter(function (r) { return r.state === "queued"; });
      if (!queued.length) return "done";
      return send("GET", urls.me).then(function (me) {
        state.signedOut = me.status === 401 || me.status === 403;
        state.otherUser = me.status === 200 && Boolean(me.data) && String(me.data.id) !== String(deps.user);
        if (isTransient(me.status)) { state.lastError = transientError(me); return "network"; }
        if (me.status !== 200 || state.otherUser) return "done";
        var outcome = "done";
        var next = function (i) {
          if (i >= queued.length) return outcome;
          return sendReport(queued[i]).then(function (result) {
            if (result === "network") return "network";
            if (result === "transient") outcome = "transient";
            return next(i + 1);
          });
        };
        return next(0);
      });
    });
  }

  function sendReport(record) {
    state.current = { uuid: record.uuid, step: "report", progress: 0 };
    changed();
    var first = record.reportSent ? Promise.resolve("ok") : sendBody(record);
    return first.then(function (result) {
      if (result !== "ok") return result;
      return store.photos(record.uuid).then(function (photos) {
        // The count is fixed once: photos already sent before a reload, then these. The bar only moves forward.
        var progress = { done: record.photosDone || 0, total: (record.photosDone || 0) + photos.length };
        return sendPhotos(record, photos, 0, progress);
      });
    }).then(function (result) {
      if (result !== "ok") return result;
      state.sent.push(record.reference || "");
      return store.removeReport(record.uuid).then(function () { return "done"; });
    });
  }

  function sendBody(record) {
    var url = record.url || urls[record.kind], method = record.url ? "PATCH" : "POST";
    return send(method, url, record.body).then(function (response) {
      var s = response.status;
      if (s === 201 || s === 200) {
        record.reportSent = true;
        record.reference = response.data && response.data.reference;
        record.error = "";
        return store.saveReport(record).then(function () { return "ok"; });
      }
      if (isTransient(s)) return retryLater(record, response);
      if (s === 400) {
        // Refused for its content: back to the worker, with the server's messages beside the answers.
        record.state = "draft";
        record.errors = (response.data && response.data.errors) || response.data || {};
        record.error = text("returned");
        return store.saveReport(record).then(function () { return "refused"; });
      }
      if (s === 409 && record.url) {
        // A correction the supervisor overtook (reopened, changed or approved it): the worker's edits stay a draft.
        record.state = "draft";
        record.errors = { __all__: [detail(response)] };
        record.error = detail(response);
        record.overtaken = true;
        return store.saveReport(record).then(function () { return "refused"; });
      }
      record.state = s === 409 ? "conflict" : "failed";
      record.error = detail(response, text("error-network"));
      return store.saveReport(record).then(function () { return "refused"; });
    });
  }

  function sendPhotos(record, photos, i, progress) {
    if (i >= photos.length) return Promise.resolve("ok");
    var photo = photos[i], number = progress.done + 1;
    state.current = { uuid: record.uuid, step: "photo", i: number, n: progress.total, progress: 0 };
    changed();
    var form = new FormData();
    form.append("id", photo.id);
    form.append("image", photo.blob, "photo.jpg");
    form.append("caption", photo.caption || "");
    ["taken_at", "latitude", "longitude"].forEach(function (key) {
      if (photo.facts && photo.facts[key]) form.append(key, photo.facts[key]);
    });
    return send("POST", urls.photos.replace("REPORT", record.uuid), form, function (fraction) {
      if (state.current && fraction > state.current.progress) state.current.progress = fraction;
      if (deps.onProgress) deps.onProgress(state);
    }).then(function (response) {
      var s = response.status;
      if (s === 201 || s === 200) {
        progress.done = number;
        record.photosDone = number;
        return store.removePhoto(photo.id).then(function () {
          return store.saveReport(record);
        }).then(function () { return sendPhotos(record, photos, i + 1, progress); });
      }
      if (isTransient(s)) return retryLater(record, response);
      record.state = s === 409 ? "conflict" : "failed";
      record.error = fmt(text("photo-refused"), { i: number, error: detail(response) });
      return store.saveReport(record).then(function () { return "refused"; });
    });
  }

  function retryLater(record, response) {
    state.lastError = transientError(response);
    state.retryAfterMs = Math.max(state.retryAfterMs, (response.retryAfter || 0) * 1000);
    record.attempts = (record.attempts || 0) + 1;
    record.lastError = state.lastError;
    return store.saveReport(record).then(function () { return response.status === 0 ? "network" : "transient"; });
  }

  // "Send now", the network back, a record put back in the queue: retry at once.
  function now() { state.failures = 0; return sync(); }

  return { state: state, sync: sync, now: now };
}

/* How far the current report is, 0..1: the report itself counts as nothing, then each photo its share. Never goes
   back while one report is being sent. */
export function fraction(current) {
  if (!current || current.step !== "photo" || !current.n) return 0;
  return Math.min(1, (current.i - 1 + (current.progress || 0)) / current.n);
}
