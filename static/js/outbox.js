/* The outbox: reports kept on the phone (IndexedDB) until the server has them, with every photo.

   A report is one record in the "reports" store, keyed by its device UUID, whatever its state:
     draft     being filled in (drafts.js saves it as the worker types), or sent back by the server with its messages;
     queued    the worker pressed Save or Submit: waiting to send, or being sent;
     failed    refused for a reason retrying will not change (a photo refused, a permission): the worker decides;
     conflict  the server has another report under this UUID: the worker decides.
   Its photos (downscaled JPEG blobs) are records of the "photos" store, each keyed by its own UUID.
   Records belong to the user who made them (the page's data-user): a page shows and sends only its user's, and
   sign-out leaves them in place, so that the same user finds them again on signing in.

   Sending one report, in this order (the API's own, see surveys.api.DESCRIPTION):
     1. POST the report with its uuid, photos_expected (how many photos follow) and submit (Submit or Save draft).
        201, or 200 (the server already had exactly this content: a resend after a lost answer), means it is stored:
        submitted at once, and marked "waiting for photos" on the server, in the review queue and the exports, until
        its photos are all in. 400: the server's messages go back to the worker with the report, as a draft. 409: a
        conflict the worker resolves (the same UUID with other content is never taken for "already there").
     2. Each photo, one at a time, with its own UUID: removed from the phone only once the server answered 201 or 200.
     3. When the last photo is in, the record is removed: the report is complete on the server.
   Submitting first is what makes "waiting for photos" visible to the supervisor, and it is one request, atomic on
   the server: the report and its submission are stored together or not at all.

   When: on page load, when the network comes back (the "online" event), and on "Send now". A lost connection, a
   5xx or a 429 is retried with exponential backoff (1 s, 2 s, 4 s… up to 5 minutes); "Send now" and the network
   coming back retry at once. One tab sends at a time (Web Locks). Before sending, /api/v1/me/ must answer the same
   user as the records: a report is never sent under someone else's session.
   Plain ES5 with Promises, no library. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-outbox]");
  var user = document.body.getAttribute("data-user");
  if (!panel || !user || !window.indexedDB || !window.Promise) return;

  var BACKOFF_BASE_MS = 1000, BACKOFF_CAP_MS = 5 * 60 * 1000;
  var API = { survey: panel.getAttribute("data-api-survey"), clearance: panel.getAttribute("data-api-clearance"),
              eore: panel.getAttribute("data-api-eore") };
  var lang = document.documentElement.lang;

  function msg(name) { return panel.getAttribute("data-msg-" + name) || name; }
  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  }
  function count(name, n) { return n === 1 ? msg(name + "-one") : fmt(msg(name + "-many"), { n: n }); }
  function newUuid() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // IndexedDB --------------------------------------------------------------------------------------------------------
  var opening = null;
  function db() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open("fieldapp", 1);
        request.onupgradeneeded = function () {
          var d = request.result;
          d.createObjectStore("reports", { keyPath: "uuid" }).createIndex("user", "user");
          d.createObjectStore("photos", { keyPath: "id" }).createIndex("report", "report");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opening;
  }

  // Run work(transaction, out) in one transaction; resolves with out.value once it has committed.
  function run(stores, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(stores, mode), out = {};
        t.oncomplete = function () { resolve(out.value); };
        t.onerror = t.onabort = function () { reject(t.error || new Error("IndexedDB")); };
        work(t, out);
      });
    });
  }

  function answer(request, out, map) {
    request.onsuccess = function () { out.value = map ? map(request.result) : request.result; };
  }

  var store = {
    reports: function () {
      return run(["reports"], "readonly", function (t, out) {
        answer(t.objectStore("reports").index("user").getAll(user), out, function (rows) {
          return rows.sort(function (a, b) { return a.created - b.created; });
        });
      });
    },
    report: function (uuid) {
      return run(["reports"], "readonly", function (t, out) {
        answer(t.objectStore("reports").get(uuid), out, function (row) { return row && row.user === user ? row : null; });
      });
    },
    saveReport: function (record) {
      record.user = user;
      record.updated = Date.now();
      return run(["reports"], "readwrite", function (t) { t.objectStore("reports").put(record); });
    },
    photos: function (uuid) {
      return run(["photos"], "readonly", function (t, out) {
        answer(t.objectStore("photos").index("report").getAll(uuid), out, function (rows) {
          return rows.filter(function (p) { return p.user === user; })
            .sort(function (a, b) { return a.order - b.order; });
        });
      });
    },
    savePhoto: function (photo) {
      photo.user = user;
      return run(["photos"], "readwrite", function (t) { t.objectStore("photos").put(photo); });
    },
    removePhoto: function (id) {
      return run(["photos"], "readwrite", function (t) { t.objectStore("photos").delete(id); });
    },
    // A report and every photo of it.
    removeReport: function (uuid) {
      return run(["reports", "photos"], "readwrite", function (t) {
        t.objectStore("reports").delete(uuid);
        var cursor = t.objectStore("photos").index("report").openKeyCursor(IDBKeyRange.only(uuid));
        cursor.onsuccess = function () {
          if (!cursor.result) return;
          t.objectStore("photos").delete(cursor.result.primaryKey);
          cursor.result.continue();
        };
      });
    }
  };

  // Requests -----------------------------------------------------------------------------------------------------------
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);  // Django's default CSRF cookie
    return match ? decodeURIComponent(match[1]) : "";
  }

  // An XMLHttpRequest (fetch cannot report upload progress); resolves {status, data, retryAfter}, status 0 when the
  // request never got an answer.
  function request(method, url, body, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.timeout = body instanceof FormData ? 5 * 60 * 1000 : 60 * 1000;
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      if (body && !(body instanceof FormData)) {
        xhr.setRequestHeader("Content-Type", "application/json");
        body = JSON.stringify(body);
      }
      if (onProgress && xhr.upload) {
        xhr.upload.onprogress = function (event) { if (event.lengthComputable) onProgress(event.loaded / event.total); };
      }
      xhr.onload = function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: an error page */ }
        resolve({ status: xhr.status, data: data, retryAfter: Number(xhr.getResponseHeader("Retry-After")) || 0 });
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({ status: 0, data: null }); };
      xhr.send(body || null);
    });
  }

  // A 403 because the CSRF cookie is missing or rotated (signing in changes it): load a page to get a fresh one.
  function sendWithCsrf(method, url, body, onProgress) {
    return request(method, url, body, onProgress).then(function (response) {
      if (response.status !== 403 || !/CSRF/i.test(detail(response))) return response;
      return fetch(panel.getAttribute("data-home"), { credentials: "same-origin" }).then(function () {
        return request(method, url, body, onProgress);
      }, function () { return { status: 0, data: null }; });
    });
  }

  // The server's messages as one line of text.
  function detail(response) {
    var data = response.data;
    if (!data) return response.status ? String(response.status) : msg("error-network");
    if (typeof data === "string") return data;
    if (data.detail) return String(data.detail);
    return flatten(data).join(" ");
  }

  function flatten(value) {
    if (value == null) return [];
    if (typeof value !== "object") return [String(value)];
    var out = [];
    Object.keys(value).forEach(function (key) { out = out.concat(flatten(value[key])); });
    return out;
  }

  function transientError(response) {
    if (response.status === 0) return msg("error-network");
    if (response.status === 429) return msg("error-busy");
    return fmt(msg("error-server"), { status: response.status });
  }

  function isTransient(status) { return status === 0 || status === 408 || status === 429 || status >= 500; }

  // Sending --------------------------------------------------------------------------------------------------------------
  var state = { syncing: false, timer: null, failures: 0, retryAt: 0, lastError: "", signedOut: false,
                otherUser: false, current: null, sent: [], attention: 0 };

  function sync() {
    if (state.syncing) { state.again = true; return Promise.resolve(); }
    clearTimeout(state.timer);
    state.timer = null;
    state.retryAt = 0;
    if (navigator.onLine === false) { render(); return Promise.resolve(); }
    state.syncing = true;
    state.again = false;
    var work = function () { return sendAll(); };
    var locked = navigator.locks
      ? navigator.locks.request("fieldapp-outbox", { ifAvailable: true }, function (lock) { return lock ? work() : "busy"; })
      : work();
    return locked.then(finish, function (error) {
      if (window.console) console.error(error);
      return finish("transient");
    });
  }

  function finish(outcome) {
    state.syncing = false;
    state.current = null;
    if (outcome === "transient" || outcome === "network") {
      state.failures++;
      var delay = Math.min(BACKOFF_BASE_MS * Math.pow(2, state.failures - 1), BACKOFF_CAP_MS);
      delay = Math.min(Math.max(Math.round(delay * (0.9 + Math.random() * 0.2)), state.retryAfter), BACKOFF_CAP_MS);
      state.retryAfter = 0;
      state.retryAt = Date.now() + delay;
      if (navigator.onLine !== false) state.timer = setTimeout(sync, delay);
    } else if (outcome !== "busy") {
      state.failures = 0;
      state.lastError = "";
    }
    render();
    if (state.again && outcome !== "network" && outcome !== "transient") return sync();
  }

  // Send every queued report of this user, oldest first. Resolves "done", "transient" (something to retry),
  // "network" (no connection: stopped) or "busy" (another tab is sending).
  function sendAll() {
    return store.reports().then(function (records) {
      var queued = records.filter(function (r) { return r.state === "queued"; });
      if (!queued.length) return "done";
      return request("GET", panel.getAttribute("data-api-me")).then(function (me) {
        state.signedOut = me.status === 401 || me.status === 403;
        state.otherUser = me.status === 200 && me.data && String(me.data.id) !== user;
        if (me.status === 0 || isTransient(me.status)) { state.lastError = transientError(me); return "network"; }
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
    render();
    var first = record.reportSent ? Promise.resolve("ok") : postReport(record);
    return first.then(function (result) {
      if (result !== "ok") return result;
      return store.photos(record.uuid).then(function (photos) { return sendPhotos(record, photos, 0); });
    }).then(function (result) {
      if (result !== "ok") return result;
      state.sent.push(record.reference || "");
      return store.removeReport(record.uuid).then(function () { return "done"; });
    });
  }

  function postReport(record) {
    return sendWithCsrf("POST", API[record.kind], record.body).then(function (response) {
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
        record.errors = response.data || {};
        record.error = msg("returned");
        return store.saveReport(record).then(function () { return "refused"; });
      }
      record.state = s === 409 ? "conflict" : "failed";
      record.error = detail(response);
      return store.saveReport(record).then(function () { return "refused"; });
    });
  }

  function sendPhotos(record, photos, i) {
    if (i >= photos.length) return Promise.resolve("ok");
    var photo = photos[i], total = photos.length + (record.photosDone || 0);
    var number = (record.photosDone || 0) + 1;
    state.current = { uuid: record.uuid, step: "photo", i: number, n: total, progress: 0 };
    render();
    var form = new FormData();
    form.append("id", photo.id);
    form.append("image", photo.blob, "photo.jpg");
    form.append("caption", photo.caption || "");
    ["taken_at", "latitude", "longitude"].forEach(function (key) {
      if (photo.facts && photo.facts[key]) form.append(key, photo.facts[key]);
    });
    var url = panel.getAttribute("data-api-photos").replace("REPORT", record.uuid);
    return sendWithCsrf("POST", url, form, function (fraction) {
      state.current.progress = fraction;
      showProgress();
    }).then(function (response) {
      var s = response.status;
      if (s === 201 || s === 200) {
        record.photosDone = number;
        return store.removePhoto(photo.id).then(function () {
          return store.saveReport(record);
        }).then(function () { return sendPhotos(record, photos, i + 1); });
      }
      if (isTransient(s)) return retryLater(record, response);
      record.state = s === 409 ? "conflict" : "failed";
      record.error = fmt(msg("photo-refused"), { i: number, error: detail(response) });
      return store.saveReport(record).then(function () { return "refused"; });
    });
  }

  function retryLater(record, response) {
    state.lastError = transientError(response);
    state.retryAfter = Math.max(state.retryAfter || 0, (response.retryAfter || 0) * 1000);  // a 429's Retry-After
    record.attempts = (record.attempts || 0) + 1;
    record.lastError = state.lastError;
    return store.saveReport(record).then(function () { return response.status === 0 ? "network" : "transient"; });
  }

  // What the worker sees ------------------------------------------------------------------------------------------------
  var summary = panel.querySelector("[data-outbox-summary]");
  var list = panel.querySelector("[data-outbox-list]");
  var sendNow = panel.querySelector("[data-send-now]");
  var bar = panel.querySelector("[data-outbox-progress]");
  var details = panel.querySelector("[data-outbox-details]");
  var rendering = null;

  function title(record) {
    var parts = [msg("kind-" + record.kind), record.title || msg("untitled")];
    if (record.date) parts.push(day(new Date(record.date + "T12:00:00")));
    return parts.join(" · ");
  }

  // The server's one format per language (fieldapp/formats): "30 Nov 2026, 12:58", "30 نوفمبر 2026، 12:58", with
  // Western digits in both, whatever the phone's own locale would choose.
  function day(date) {
    var month;
    try { month = new Intl.DateTimeFormat(lang, { month: lang === "ar" ? "long" : "short" }).format(date); } catch (e) {
      month = String(date.getMonth() + 1);
    }
    return date.getDate() + " " + month + " " + date.getFullYear();
  }

  function time(ms) {
    var date = new Date(ms);
    var hm = ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
    return day(date) + (lang === "ar" ? "، " : ", ") + hm;
  }

  function render() {
    rendering = (rendering || Promise.resolve()).then(function () {
      return store.reports();
    }).then(function (records) {
      return Promise.all(records.map(function (r) {
        return store.photos(r.uuid).then(function (photos) { r.photoCount = photos.length; return r; });
      }));
    }).then(draw, function () {});
    return rendering;
  }

  function draw(records) {
    var queued = records.filter(function (r) { return r.state === "queued"; });
    var attention = records.filter(function (r) {
      return r.state === "failed" || r.state === "conflict" || (r.state === "draft" && r.errors);
    });
    // An existing report's draft that its page has posted is the server's business now, and the draft open on this
    // page is not "on the phone" to its writer (drafts.js).
    records = records.filter(function (r) {
      return !(r.state === "draft" && (r.posted || r.uuid === api.editing));
    });
    var drafts = records.filter(function (r) { return r.state === "draft" && !r.errors; });
    var lines = [];
    if (queued.length) {
      lines.push(count("waiting", queued.length) + ".");
      var current = state.current && queued.some(function (r) { return r.uuid === state.current.uuid; });
      if (current) {
        lines.push(state.current.step === "report" ? msg("sending-report")
          : fmt(msg("sending-photo"), { i: state.current.i, n: state.current.n }));
      } else if (navigator.onLine === false) {
        lines.push(msg("offline"));
      } else if (state.signedOut) {
        lines.push(msg("signed-out"));
      } else if (state.otherUser) {
        lines.push(msg("other-user"));
      } else if (state.retryAt) {
        lines.push(fmt(msg("retry"), { error: state.lastError,
                                       s: Math.max(1, Math.round((state.retryAt - Date.now()) / 1000)) }));
      }
    }
    if (attention.length) lines.push(count("attention", attention.length) + ".");
    if (drafts.length) lines.push(count("drafts", drafts.length) + ".");
    var refs = state.sent.filter(Boolean);
    if (refs.length) lines.push(fmt(msg("sent"), { refs: refs.join(", ") }));
    summary.textContent = lines.join(" ");
    sendNow.hidden = !queued.length || state.syncing;
    panel.hidden = !lines.length;
    panel.classList.toggle("outbox-attention", attention.length > 0);
    // Something new needs the worker: show the list, with its buttons.
    if (attention.length > state.attention) details.open = true;
    state.attention = attention.length;
    panel.setAttribute("data-waiting", queued.length);
    list.textContent = "";
    records.forEach(function (record) { list.appendChild(item(record)); });
    showProgress();
  }

  function showProgress() {
    var current = state.current;
    bar.hidden = !current;
    if (!current) return;
    var done = current.step === "report" ? 0 : (current.i - 1 + current.progress) / current.n;
    bar.value = Math.round(done * 100);
  }

  function item(record) {
    var li = document.createElement("li");
    li.className = "outbox-item outbox-" + record.state;
    li.setAttribute("data-uuid", record.uuid);
    var head = document.createElement("strong");
    head.textContent = title(record);
    li.appendChild(head);
    var text = document.createElement("div");
    var actions = [];
    if (record.state === "queued") {
      text.textContent = record.reportSent
        ? fmt(msg("received"), { ref: record.reference || "", n: record.photoCount })
        : msg("queued") + " · " + fmt(msg("photos"), { n: record.photoCount }) +
          (record.lastError ? " · " + record.lastError : "");
    } else if (record.state === "draft") {
      text.textContent = record.errors ? record.error : fmt(msg("unfinished"), { time: time(record.updated) });
      actions.push(link(record.errors ? msg("correct") : msg("continue"), record));
      actions.push(button(msg("delete"), function () { remove(record); }));
    } else if (record.state === "failed") {
      text.textContent = fmt(msg("failed"), { error: record.error });
      actions.push(button(msg("try-again"), function () { requeue(record); }));
      actions.push(button(msg("delete"), function () { remove(record); }));
    } else if (record.state === "conflict") {
      text.textContent = fmt(msg("conflict"), { error: record.error });
      if (!record.reportSent) actions.push(button(msg("as-new"), function () { sendAsNew(record); }));
      actions.push(button(msg("delete"), function () { remove(record); }));
    }
    li.appendChild(text);
    if (actions.length) {
      var row = document.createElement("div");
      row.className = "outbox-actions";
      actions.forEach(function (a) { row.appendChild(a); });
      li.appendChild(row);
    }
    return li;
  }

  function link(label, record) {
    var a = document.createElement("a");
    a.className = "btn btn-outline-primary";
    a.href = record.isNew ? panel.getAttribute("data-new-" + record.kind) + "#draft=" + record.uuid : record.path;
    a.textContent = label;
    return a;
  }

  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-outline-secondary";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  function remove(record) {
    if (!window.confirm(msg("confirm-delete"))) return;
    store.removeReport(record.uuid).then(render);
  }

  function requeue(record) {
    record.state = "queued";
    record.error = "";
    record.attempts = 0;
    store.saveReport(record).then(function () { state.failures = 0; return sync(); });
  }

  // The server has another report under this UUID: send this one as a new report, with new UUIDs for it and its
  // photos (a photo's UUID says which report it belongs to). One transaction: the report is never half renamed.
  function sendAsNew(record) {
    var old = record.uuid, uuid = newUuid();
    store.photos(old).then(function (photos) {
      return run(["reports", "photos"], "readwrite", function (t) {
        var reports = t.objectStore("reports"), photoStore = t.objectStore("photos");
        reports.delete(old);
        photos.forEach(function (photo) {
          photoStore.delete(photo.id);
          photo.id = newUuid();
          photo.report = uuid;
          photoStore.put(photo);
        });
        record.uuid = record.body.uuid = uuid;
        record.state = "queued";
        record.error = "";
        record.reportSent = false;
        record.updated = Date.now();
        reports.put(record);
      });
    }).then(function () { state.failures = 0; return sync(); });
  }

  sendNow.addEventListener("click", function () { state.failures = 0; sync(); });
  window.addEventListener("online", function () { state.failures = 0; sync(); });
  window.addEventListener("offline", render);
  // The retry countdown in the summary.
  setInterval(function () { if (state.retryAt && !state.syncing) render(); }, 5000);

  // The app shell: the service worker caches this language's pages once a signed-in page has loaded --------------------
  if ("serviceWorker" in navigator) {
    var warm = function () {
      return navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) registration.active.postMessage({ type: "warm", lang: lang });
      });
    };
    navigator.serviceWorker.register(panel.getAttribute("data-sw"), { scope: "/" }).then(warm, function () {});
    navigator.serviceWorker.addEventListener("controllerchange", warm);
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "warmed") document.documentElement.setAttribute("data-shell", event.data.version);
    });
  }

  // Signing out forgets the cached pages (they list the team's sites and reports), never the reports waiting here.
  var signOut = document.querySelector("form[data-signout]");
  if (signOut && window.caches) {
    signOut.addEventListener("submit", function (event) {
      event.preventDefault();
      var go = function () { signOut.submit(); };
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("fieldapp-pages-") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }).then(go, go);
    });
  }

  var api = window.fieldappOffline = {
    user: user, store: store, sync: sync, render: render, msg: msg, fmt: fmt, time: time,
    home: panel.getAttribute("data-home"), editing: null
  };
  // Drafts of existing reports whose page was posted a week ago are the server's business: forget them.
  store.reports().then(function (records) {
    var old = Date.now() - 7 * 24 * 3600 * 1000;
    records.forEach(function (r) { if (r.state === "draft" && r.posted && r.updated < old) store.removeReport(r.uuid); });
  });
  sync();
})();
