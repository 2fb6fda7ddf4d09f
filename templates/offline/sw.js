/* The service worker of the field app (served at /sw.js by surveys.offline.service_worker; the strategy is described
   there). CONFIG is written by the server: the version of this deployment, the shell's static files, the shell pages
   and stylesheet of each language, and the page shown offline for a page that was never cached. */
"use strict";
var CONFIG = {{ config|safe }};
var PREFIX = "fieldapp-";
var STATIC_CACHE = PREFIX + "static-" + CONFIG.version;
var PAGES_CACHE = PREFIX + "pages-" + CONFIG.version;
// The team's latest reports and the correction forms (keepReports): apart from the shell, bounded by the server's list.
var REPORTS_CACHE = PREFIX + "pages-reports-" + CONFIG.version;
var PAGE_MAX_AGE_MS = 15 * 60 * 1000; // a cached form older than this is fetched again when a page asks for the shell
var SHELL_PAGES = {};
var SHELL_STATIC = {};
Object.keys(CONFIG.pages).forEach(function (lang) {
  CONFIG.pages[lang].forEach(function (path) { SHELL_PAGES[path] = lang; });
  CONFIG.styles[lang].forEach(function (path) { SHELL_STATIC[path] = true; });
});
CONFIG.static.forEach(function (path) { SHELL_STATIC[path] = true; });

self.addEventListener("install", function (event) {
  // The API never goes through this worker (static routing, where the browser has it): the outbox's requests and
  // their upload progress are the network's own, and no worker starts for them.
  var routed = Promise.resolve();
  if (event.addRoutes) {
    try {
      routed = Promise.resolve(event.addRoutes({ condition: { urlPattern: CONFIG.api + "*" }, source: "network" }))
        .catch(function (error) { console.warn("fieldapp sw: static routing refused", error); });
    } catch (e) { /* an older form of the API: the fetch handler below lets these requests through anyway */ }
  }
  // A new deployment takes over at once: the pages it serves must match the forms the server now expects.
  event.waitUntil(routed.then(function () { return caches.open(STATIC_CACHE); }).then(function (cache) {
    return cache.addAll(CONFIG.static);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var old = names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== STATIC_CACHE && name !== PAGES_CACHE && name !== REPORTS_CACHE;
    });
    // The pages the old version held (the worker's language) are fetched again from this deployment, then the old
    // caches go.
    return Promise.all(old.filter(function (name) { return name.indexOf(PREFIX + "pages-") === 0; }).map(function (name) {
      return caches.open(name).then(function (cache) { return cache.keys(); }).then(function (requests) {
        var target = name.indexOf(PREFIX + "pages-reports-") === 0 ? REPORTS_CACHE : PAGES_CACHE;
        return Promise.all(requests.map(function (request) { return refresh(new URL(request.url).pathname, target); }));
      });
    })).then(function () {
      return Promise.all(old.map(function (name) { return caches.delete(name); }));
    });
  }).then(function () { return self.clients.claim(); }));
});

// A signed-in page tells the worker its language: the shell of that language is cached (missing or old pages only).
// The home page adds the team's latest reports (their pages and photo thumbnails) and the forms of the reports returned
// for correction: those are kept too, and only the latest such list (bounded by the server) stays in the cache.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "warm" || !CONFIG.pages[data.lang]) return;
  var done = warm(data.lang).then(function (count) {
    return data.reports ? keepReports(data.reports).then(function (kept) { return count + kept; }) : count;
  }).then(function (count) {
    if (event.source) event.source.postMessage({ type: "warmed", version: CONFIG.version, pages: count,
                                                 reports: Boolean(data.reports) });
  });
  event.waitUntil(done);
});

function keepReports(list) {
  var wanted = {};
  var pages = (list.pages || []).filter(sameOrigin), images = (list.images || []).filter(sameOrigin);
  pages.concat(images).forEach(function (path) { wanted[path] = true; });
  return caches.open(REPORTS_CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      // What is no longer among the latest reports goes: the cache stays the size of the list.
      return Promise.all(requests.filter(function (request) { return !wanted[new URL(request.url).pathname]; })
        .map(function (request) { return cache.delete(request); }));
    }).then(function () {
      var fetched = pages.map(function (path) { return refresh(path, REPORTS_CACHE); }).concat(images.map(function (path) {
        return cache.match(path).then(function (hit) { return hit ? true : keepImage(cache, path); });
      }));
      return Promise.all(fetched);
    });
  }).then(function (results) { return results.filter(Boolean).length; });
}

function sameOrigin(path) { return typeof path === "string" && path.charAt(0) === "/" && path.charAt(1) !== "/"; }

function keepImage(cache, path) {
  return fetch(path, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok || (response.headers.get("Content-Type") || "").indexOf("image/") !== 0) return false;
    return cache.put(path, response).then(function () { return true; });
  }).catch(function (error) { console.warn("fieldapp sw: thumbnail not kept", path, error); return false; });
}

function warm(lang) {
  var styles = caches.open(STATIC_CACHE).then(function (cache) {
    return Promise.all(CONFIG.static.concat(CONFIG.styles[lang]).map(function (url) {
      return cache.match(url).then(function (hit) { return hit || cache.add(url); }).catch(function (error) {
        console.warn("fieldapp sw: not cached", url, error);  // tried again on the next visit
      });
    }));
  });
  return styles.then(function () { return caches.open(PAGES_CACHE); }).then(function (cache) {
    return Promise.all(CONFIG.pages[lang].map(function (path) {
      return cache.match(path, { ignoreVary: true }).then(function (hit) {
        var date = hit && Date.parse(hit.headers.get("Date"));
        return hit && date && Date.now() - date < PAGE_MAX_AGE_MS ? true : refresh(path);
      });
    }));
  }).then(function (results) { return results.filter(Boolean).length; });
}

// Fetch a shell page and keep it, if the server answers it as a page for a signed-in user (not a redirect to the
// sign-in page, not an error).
function refresh(path, cacheName) {
  return fetch(path, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (!isPage(response)) return false;
    return caches.open(cacheName || PAGES_CACHE).then(function (cache) {
      return cache.put(path, response).then(function () { return true; });
    });
  }).catch(function (error) { console.warn("fieldapp sw: not refreshed", path, error); return false; });
}

function isPage(response) {
  return response && response.status === 200 && !response.redirected &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.indexOf(CONFIG.staticPrefix) === 0) {
    event.respondWith(staticFile(request));
  } else if (request.destination === "image" && url.pathname.indexOf(CONFIG.api) !== 0) {
    event.respondWith(image(request, url));
  }
  // Everything else (the API, admin) goes to the network untouched: the outbox deals with failures.
});

// A photo thumbnail: the network, else the copy kept for the latest reports (keepReports).
function image(request, url) {
  return fetch(request).catch(function (error) {
    return caches.match(url.pathname, { cacheName: REPORTS_CACHE }).then(function (hit) {
      if (hit) return hit;
      throw error;
    });
  });
}

// Pages: the network first, so an online worker always gets the current form; the cached shell page without one.
// A server error (a gateway in trouble) is answered from the cache too, when the page is there.
// Pages kept for the latest reports (keepReports) are answered the same way, and their copy refreshed when visited.
function page(request, url) {
  var plain = url.search === "", shell = plain && SHELL_PAGES[url.pathname];
  var cacheName = shell ? PAGES_CACHE : REPORTS_CACHE;
  var cached = function () {
    return plain ? caches.match(url.pathname, { cacheName: cacheName, ignoreVary: true }) : Promise.resolve(null);
  };
  return fetch(request).then(function (response) {
    if (plain && isPage(response)) {
      var copy = response.clone();
      // A shell page is always kept; another only refreshed if kept already (caches.match creates no cache: a page
      // seen after signing out must not bring back the cache sign-out deleted).
      var kept = shell ? Promise.resolve(true) : caches.match(url.pathname, { cacheName: cacheName, ignoreVary: true });
      kept.then(function (hit) {
        if (hit) return caches.open(cacheName).then(function (cache) { return cache.put(url.pathname, copy); });
      });
    }
    if (response.status < 500) return response;
    return cached().then(function (hit) { return hit || response; });
  }, function () {
    return cached().then(function (hit) { return hit || offlinePage(url); });
  });
}

function offlinePage(url) {
  var lang = url.pathname.split("/")[1];
  var html = CONFIG.offline[lang] || CONFIG.offline[Object.keys(CONFIG.offline)[0]];
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8",
                                                      "Cache-Control": "no-store" } });
}

// Static files: the cache first (their names change with their content), else the network. Only the shell's files are
// kept: the map's library and the admin's files are fetched when needed, and the cache stays the size of the shell.
function staticFile(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        var path = new URL(request.url).pathname;
        if (response.ok && SHELL_STATIC[path]) cache.put(request, response.clone());
        return response;
      });
    });
  });
}
