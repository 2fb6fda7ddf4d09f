/* The outbox's storage: IndexedDB database "fieldapp", one record per report in "reports" (keyed by its device UUID),
   one per photo in "photos" (keyed by the photo's UUID, indexed by its report). Records belong to the user who made
   them: a store opened for a user reads and writes only that user's.

   And the copy of the sites the user may pick (outbox/sites.js), in a database of its own (surveys/offline.py). */

// A database's connection, opened once: connect() resolves it.
function opener(name, upgrade) {
  var opening = null;
  return function connect() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(name, 1);
        request.onupgradeneeded = function () { upgrade(request.result); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  };
}

var database = opener("fieldapp", function (d) {
  d.createObjectStore("reports", { keyPath: "uuid" }).createIndex("user", "user");
  d.createObjectStore("photos", { keyPath: "id" }).createIndex("report", "report");
});

var sitesDatabase = opener("fieldapp-sites", function (d) {
  d.createObjectStore("sites", { keyPath: "id" });
  d.createObjectStore("sync", { keyPath: "key" });  // one record: whose copy it is, and how far it has synced
});

// Run work(transaction, out) in one transaction; resolves with out.value once it has committed.
export function run(stores, mode, work, connect) {
  return (connect || database)().then(function (d) {
    return new Promise(function (resolve, reject) {
      var t = d.transaction(stores, mode), out = {};
      t.oncomplete = function () { resolve(out.value); };
      t.onerror = t.onabort = function () { reject(t.error || new Error("IndexedDB transaction aborted")); };
      work(t, out);
    });
  });
}

function answer(request, out, map) {
  request.onsuccess = function () { out.value = map ? map(request.result) : request.result; };
}

export function openStore(user) {
  return {
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
    // A report and every photo of it, in one transaction.
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
    },
    // Give a report and its photos new UUIDs (a photo's UUID says which report it belongs to), in one transaction:
    // the report is never half renamed.
    renameReport: function (record, newUuid) {
      var old = record.uuid;
      return this.photos(old).then(function (photos) {
        return run(["reports", "photos"], "readwrite", function (t) {
          var reports = t.objectStore("reports"), photoStore = t.objectStore("photos");
          reports.delete(old);
          var uuid = newUuid();
          photos.forEach(function (photo) {
            photoStore.delete(photo.id);
            photo.id = newUuid();
            photo.report = uuid;
            photoStore.put(photo);
          });
          record.uuid = uuid;
          if (record.body) record.body.uuid = uuid;
          record.updated = Date.now();
          reports.put(record);
        });
      });
    }
  };
}

/* The copy of the sites `user` may pick. state() is {user, since, complete} or null: a copy that is not this user's
   is never read, and is emptied by the first page saved for this user. */
export function openSiteStore(user) {
  function sites(mode, work) { return run(["sites", "sync"], mode, work, sitesDatabase); }
  return {
    state: function () {
      return sites("readonly", function (t, out) {
        answer(t.objectStore("sync").get("state"), out, function (row) { return row && row.user === user ? row : null; });
      });
    },
    all: function () {
      return sites("readonly", function (t, out) { answer(t.objectStore("sites").getAll(), out); });
    },
    // Rows of one page and the state after it, in one transaction: a sync cut short resumes from the last page kept.
    // fresh: empty the copy first (there was none for this user).
    save: function (rows, state, fresh) {
      return sites("readwrite", function (t) {
        var store = t.objectStore("sites");
        if (fresh) store.clear();
        rows.forEach(function (row) { store.put(row); });
        t.objectStore("sync").put(Object.assign({}, state, { key: "state", user: user }));
      });
    },
    remove: function (ids) {
      return sites("readwrite", function (t) {
        ids.forEach(function (id) { t.objectStore("sites").delete(id); });
      });
    },
    clear: forgetSites
  };
}

// Sign-out: no copy of anyone's sites stays on the phone.
export function forgetSites() {
  return run(["sites", "sync"], "readwrite", function (t) {
    t.objectStore("sites").clear();
    t.objectStore("sync").clear();
  }, sitesDatabase);
}

/* Ask the browser to keep this site's storage under storage pressure (an installed app or a granted permission makes
   it persistent): reports waiting on a phone with a full disk must not be evicted. Resolves true, false, or null when
   the browser has no such API. */
export function persist(storage) {
  if (!storage || !storage.persist) return Promise.resolve(null);
  return storage.persisted().then(function (already) { return already || storage.persist(); });
}
