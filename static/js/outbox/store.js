/* The outbox's storage: IndexedDB database "fieldapp", one record per report in "reports" (keyed by its device UUID),
   one per photo in "photos" (keyed by the photo's UUID, indexed by its report). Records belong to the user who made
   them: a store opened for a user reads and writes only that user's. */

var opening = null;

function database() {
  if (!opening) {
    opening = new Promise(function (resolve, reject) {
      var request = indexedDB.open("fieldapp", 1);
      request.onupgradeneeded = function () {
        var d = request.result;
        d.createObjectStore("reports", { keyPath: "uuid" }).createIndex("user", "user");
        d.createObjectStore("photos", { keyPath: "id" }).createIndex("report", "report");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { opening = null; reject(request.error); };
    });
  }
  return opening;
}

// Run work(transaction, out) in one transaction; resolves with out.value once it has committed.
export function run(stores, mode, work) {
  return database().then(function (d) {
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

/* Ask the browser to keep this site's storage under storage pressure (an installed app or a granted permission makes
   it persistent): reports waiting on a phone with a full disk must not be evicted. Resolves true, false, or null when
   the browser has no such API. */
export function persist(storage) {
  if (!storage || !storage.persist) return Promise.resolve(null);
  return storage.persisted().then(function (already) { return already || storage.persist(); });
}
