/* The outbox: reports kept on the phone (IndexedDB) until the server has them, with every photo. This module wires
   the parts, each with one job: outbox/store.js (IndexedDB), outbox/network.js (retries, backoff, CSRF),
   outbox/sync.js (the queue and the order a report's parts are sent in), outbox/display.js (the panel).

   A report is one record, keyed by its device UUID, whatever its state:
     draft     being filled in (drafts.js saves it as the worker types), or sent back by the server with its messages;
     queued    the worker pressed Save or Submit: waiting to send, or being sent;
     failed    refused for a reason retrying will not change (a photo refused, a permission): the worker decides;
     conflict  the server has another report under this UUID: the worker decides.
   Records belong to the user who made them (the page's data-user); sign-out leaves them in place, so that the same
   user finds them again on signing in.

   Sending: on page load, when the network comes back (the "online" event), and on "Send now".

   The phone also keeps a copy of the sites the user may pick (outbox/sites.js), synced at the same moments, for the
   forms' site search without a network; <html data-sites-synced="n"> says how many it holds after each sync. */
import { forgetSites, openSiteStore, openStore, persist } from "./outbox/store.js";
import { makeSender } from "./outbox/network.js";
import { createSync } from "./outbox/sync.js";
import { createDisplay } from "./outbox/display.js";
import { createSiteCopy } from "./outbox/sites.js";
import { fmt, report, request, uuid } from "./lib/helpers.js";

function start() {
  var panel = document.querySelector("[data-outbox]");
  var user = document.body.getAttribute("data-user");
  if (!panel || !user || !window.indexedDB) return null;
  var lang = document.documentElement.lang;
  var msg = function (name) { return panel.getAttribute("data-msg-" + name) || name; };
  var online = function () { return navigator.onLine !== false; };
  var store = openStore(user);
  var api = { user: user, store: store, msg: msg, fmt: fmt, home: panel.getAttribute("data-home"), editing: null,
              api: { survey: panel.getAttribute("data-api-survey"), clearance: panel.getAttribute("data-api-clearance"),
                     eore: panel.getAttribute("data-api-eore") } };

  var display = createDisplay(panel, {
    msg: msg, lang: lang, online: online,
    newUrl: function (kind) { return panel.getAttribute("data-new-" + kind); },
    remove: function (record) {
      if (!window.confirm(msg("confirm-delete"))) return;
      store.removeReport(record.uuid).then(render, report);
    },
    requeue: function (record) {
      record.state = "queued";
      record.error = "";
      record.attempts = 0;
      store.saveReport(record).then(outbox.now, report);
    },
    // The server has another report under this UUID: send this one as a new report, under new UUIDs.
    sendAsNew: function (record) {
      record.state = "queued";
      record.error = "";
      record.reportSent = false;
      store.renameReport(record, uuid).then(outbox.now, report);
    }
  });

  var rendering = Promise.resolve();
  function render() {
    rendering = rendering.then(function () { return store.reports(); }).then(function (records) {
      return Promise.all(records.map(function (r) {
        return store.photos(r.uuid).then(function (photos) { r.photoCount = photos.length; return r; });
      }));
    }).then(function (records) { display.draw(records, outbox.state, api.editing); }, function (error) {
      report(error, "outbox display");
    });
    return rendering;
  }

  var outbox = createSync({
    store: store, user: user, text: msg, online: online, locks: navigator.locks,
    send: makeSender(api.home),
    urls: { survey: api.api.survey, clearance: api.api.clearance, eore: api.api.eore,
            me: panel.getAttribute("data-api-me"), photos: panel.getAttribute("data-api-photos") },
    onChange: render,
    onProgress: function (state) { display.progress(state); }
  });
  api.sync = outbox.sync;
  api.render = render;
  api.time = display.time;

  var sites = createSiteCopy({
    store: openSiteStore(user), locks: navigator.locks,
    get: function (url) { return request("GET", url); },
    urls: { choices: panel.getAttribute("data-api-site-choices"), ids: panel.getAttribute("data-api-site-ids") }
  });
  api.sites = sites;
  var syncSites = function () {
    if (!online()) return;
    sites.sync().then(function (outcome) {
      if (outcome !== "done") return;
      return sites.count().then(function (n) {
        document.documentElement.setAttribute("data-sites-synced", String(n));
        document.dispatchEvent(new CustomEvent("fieldapp:sites-synced", { detail: n }));
      });
    }).catch(function (error) { report(error, "site copy"); });
  };

  panel.querySelector("[data-send-now]").addEventListener("click", outbox.now);
  window.addEventListener("online", outbox.now);
  window.addEventListener("online", syncSites);
  window.addEventListener("offline", render);
  // The retry countdown in the summary.
  setInterval(function () { if (outbox.state.retryAt && !outbox.state.syncing) render(); }, 5000);

  // Reports waiting here must survive the browser clearing storage when the phone runs short of space.
  persist(navigator.storage).then(function (granted) {
    document.documentElement.setAttribute("data-storage-persisted", String(granted));
  }, report);

  // Drafts of existing reports whose page was posted a week ago are the server's business: forget them.
  store.reports().then(function (records) {
    var old = Date.now() - 7 * 24 * 3600 * 1000;
    return Promise.all(records.filter(function (r) { return r.state === "draft" && r.posted && r.updated < old; })
      .map(function (r) { return store.removeReport(r.uuid); }));
  }).catch(report);
  outbox.sync();
  syncSites();
  return api;
}

// The app shell: the service worker caches this language's pages once a signed-in page has loaded.
function registerWorker(panel) {
  if (!("serviceWorker" in navigator) || !panel) return;
  var lang = document.documentElement.lang;
  // The home page lists the team's latest reports and the returned ones: kept for reading and correcting offline.
  var listed = document.getElementById("offline-pages");
  var reports = listed ? JSON.parse(listed.textContent) : null;
  var warm = function () {
    return navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "warm", lang: lang, reports: reports });
    });
  };
  navigator.serviceWorker.register(panel.getAttribute("data-sw"), { scope: "/" }).then(warm, function (error) {
    report(error, "service worker");
  });
  navigator.serviceWorker.addEventListener("controllerchange", warm);
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "warmed") return;
    document.documentElement.setAttribute("data-shell", event.data.version);
    if (event.data.reports) document.documentElement.setAttribute("data-shell-reports", String(event.data.pages));
  });
}

// Signing out forgets the cached pages (they list the team's sites and reports) and the copy of the sites, never the
// reports waiting here.
function forgetOnSignOut() {
  var signOut = document.querySelector("form[data-signout]");
  if (!signOut || !(window.caches || window.indexedDB)) return;
  signOut.addEventListener("submit", function (event) {
    event.preventDefault();
    var go = function () { signOut.submit(); };
    var pages = !window.caches ? Promise.resolve() : caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("fieldapp-pages-") === 0; })
        .map(function (name) { return caches.delete(name); }));
    });
    if (offline) offline.sites.stop();  // a sync under way writes no more pages
    Promise.all([pages, window.indexedDB ? forgetSites() : null]).then(go, function (error) {
      report(error, "sign-out");
      go();
    });
  });
}

export var offline = start();
if (offline) registerWorker(document.querySelector("[data-outbox]"));
forgetOnSignOut();
