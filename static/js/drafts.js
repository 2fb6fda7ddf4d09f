/* Drafts on the phone, and new reports into the outbox (outbox.js). Progressive enhancement: without this file (or
   without IndexedDB) the form posts as it always does.

   While a worker fills a form, what they type is kept in IndexedDB as they go (a moment after each change, and when the
   page is hidden), with the photos they chose, downscaled by photos.js: an accidental reload, a closed tab or a dead
   battery loses nothing. A new-report page opened again brings back the latest unfinished report of its type (or the
   one named in the address, #draft=<uuid>), with a button to start a new one instead.

   Save and Submit on a new report do not post the page: the report, mapped to the API's fields, goes into the outbox
   under its device UUID with its photos, and the outbox sends it now or when the network is back. A report the server
   refused comes back here as a draft, its messages beside the answers.

   An existing report's page (a draft or a returned report: data-version, the version the worker corrects) goes
   through the outbox the same way, online or not: the changed answers are sent to the report's API address with that
   version (the server refuses a report changed since: the worker's edits come back as a draft with the server's
   message, and are offered again on the newer version), then the new photos, kept on the phone meanwhile. Only a
   change to the stored photos themselves (a caption, a removal) needs the network: the page then posts as a plain
   form. What is typed is kept until the server has a newer version of the report. */
import { offline } from "./outbox.js";
import { photoCard, setKeeper } from "./photos.js";
import { flatten, fmt, number, report } from "./lib/helpers.js";
import { clearErrors as clearRuleErrors, showErrors as showRuleErrors } from "./form-rules.js";

(function () {
  "use strict";
  var form = document.querySelector("form.report-form");
  if (!form || !offline) return;

  var kind = form.getAttribute("data-kind");
  var version = form.getAttribute("data-version") || "";
  var isNew = !version;
  var reportId = form.getAttribute("data-report-id");
  var apiUrl = !isNew && reportId && offline.api[kind] ? offline.api[kind] + reportId + "/" : "";
  var uuidInput = form.elements.uuid;
  var record = null, ready = false, writing = Promise.resolve(), timer = null;
  var initial = null;  // an existing report's answers as the server sent them, before anything is restored
  var msg = offline.msg;

  // One write at a time, in order: a photo kept just before Submit is in the outbox with the report.
  function queueWrite(work) {
    writing = writing.then(work, work);
    return writing;
  }

  // The answers: every named field but the CSRF token, the UUID, the buttons, file inputs (used without JavaScript
  // only) and the photos' remove boxes (a removed photo is gone from the phone at once).
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !/^(csrfmiddlewaretoken|uuid|save|submit)$|^newphoto-|^photo-.*-remove$/.test(el.name) &&
        ["file", "submit", "button", "reset"].indexOf(el.type) === -1;
    });
  }

  function collect() {
    var out = [];
    fields().forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      out.push([el.name, el.value]);
    });
    return out;
  }

  function draft() {
    if (!record) {
      record = { uuid: uuidInput.value, kind: kind, state: "draft", isNew: isNew, path: location.pathname,
                 version: version, created: Date.now(), base: isNew ? null : initial };
      offline.editing = record.uuid;
    }
    return record;
  }

  function placeName() {
    var site = form.elements.site, name = form.elements.site_name, place = form.elements.place_name;
    if (name && name.value.trim()) return name.value.trim();
    if (site && site.value) return site.options[site.selectedIndex].text;
    return place && place.value.trim();
  }

  function save() {
    clearTimeout(timer);
    return queueWrite(function () {
      var r = draft();
      if (r.state !== "draft") return;
      r.fields = collect();
      r.title = placeName() || "";
      r.date = form.elements.activity_date ? form.elements.activity_date.value : "";
      r.posted = false;
      return offline.store.saveReport(r).then(function () {
        if (isNew && location.hash !== "#draft=" + r.uuid) history.replaceState(null, "", "#draft=" + r.uuid);
      });
    });
  }

  function later() {
    if (!ready) return;
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  }

  // Restoring ----------------------------------------------------------------------------------------------------------
  function restore(saved) {
    record = saved;
    offline.editing = saved.uuid;
    if (isNew) uuidInput.value = saved.uuid;
    return offline.store.photos(saved.uuid).then(function (photos) {
      photos.forEach(function (photo) { kept(photoCard(photo.id), photo.id, photo.blob); });
      if (saved.overtaken && saved.version !== version) {
        // Corrections made on a version the supervisor has changed since: the answers the worker changed are put on
        // this version (the others show what the server has now), to check and send again.
        setValues(changedFields(saved), true);
        saved.base = initial;
        saved.version = version;
        saved.overtaken = false;
        saved.errors = null;
        notice(msg("overtaken"));
        form.querySelector("[data-draft-notice]").setAttribute("data-draft-notice", "overtaken");
        return offline.store.saveReport(saved);
      }
      setValues(saved.fields || []);
      if (saved.errors) showErrors(saved.errors, saved.itemRows || [], msg(saved.overtaken ? "overtaken" : "returned"));
      else if (isNew) notice(fmt(msg("restored"), { time: offline.time(saved.updated) }));
    });
  }

  // saved: [name, value] pairs; partial: only the names given change (the others keep the page's values).
  function setValues(saved, partial) {
    var values = {};
    saved.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    var total = form.elements["items-TOTAL_FORMS"], add = form.querySelector("[data-formset] [data-add]");
    if (total && add && values["items-TOTAL_FORMS"]) {
      var wanted = Number(values["items-TOTAL_FORMS"][0]);
      while (Number(total.value) < wanted) add.click();
    }
    fields().forEach(function (el) {
      var value = values[el.name];
      if (partial && !value) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Boolean(value) && value.indexOf(el.value) !== -1;
        if (el.checked) el.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (value) {
        el.value = value[0];
        // A site the page does not list (one the search found): forms.js adds it from the phone's copy of the sites.
        if (el.value !== value[0]) el.dispatchEvent(new CustomEvent("fieldapp:missing-option", { detail: value[0] }));
        // forms.js recounts totals and shows the GPS accuracy on input; a change of the site would refill the survey.
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-delete]:checked"), function (box) {
      var row = box.closest("[data-row]");
      if (row) row.hidden = true;
    });
    if (document.activeElement && form.contains(document.activeElement)) document.activeElement.blur();
  }

  // A notice at the top of the form; on a new report's page, with a button to start another report instead.
  function notice(text) {
    var box = document.createElement("div");
    box.className = "alert alert-info";
    box.setAttribute("role", "status");
    box.setAttribute("data-draft-notice", "");
    box.textContent = text + " ";
    form.insertBefore(box, form.firstChild);
    if (!isNew) return;
    var fresh = document.createElement("button");
    fresh.type = "button";
    fresh.className = "btn btn-outline-primary mt-2 w-100";
    fresh.textContent = msg("start-new");
    fresh.addEventListener("click", function () {
      location.hash = "new";
      location.reload();
    });
    box.appendChild(fresh);
  }

  // Photos: kept on the phone with the draft ----------------------------------------------------------------------------
  function kept(card, id, blob) {
    if (blob) card.querySelector("img").src = URL.createObjectURL(blob);
    card.querySelector("[data-status]").textContent = msg("kept");
    card.querySelector("progress").hidden = true;
    var remove = card.querySelector("[data-remove]");
    remove.addEventListener("change", function () {
      if (!remove.checked) return;
      card.remove();
      queueWrite(function () { return offline.store.removePhoto(id); });
      save();
    });
  }

  // Where a photo's card is in the list: photos are kept, restored and sent in the order the worker sees them.
  function position(id) {
    var cards = Array.prototype.slice.call(form.querySelectorAll("[data-photo-list] .photo-card"));
    return cards.indexOf(document.getElementById("caption-" + id).closest(".photo-card"));
  }

  if (isNew || apiUrl) {
    setKeeper(function (card, id, prepared) {
      if (!prepared) {
        card.classList.add("failed");
        card.querySelector("[data-status]").textContent = msg("unreadable");
        card.querySelector("progress").hidden = true;
        card.querySelector("[data-caption]").removeAttribute("name");
        var remove = card.querySelector("[data-remove]");
        remove.removeAttribute("name");
        remove.addEventListener("change", function () { card.remove(); });
        return;
      }
      kept(card, id, null);
      save();
      queueWrite(function () {
        return offline.store.savePhoto({ id: id, report: draft().uuid, blob: prepared.blob, facts: prepared.facts || {},
                                         caption: "", order: position(id) });
      });
    });
  }

  // Messages beside the answers ----------------------------------------------------------------------------------------

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-offline-error], [data-draft-notice]"), function (el) {
      el.remove();
    });
    clearRuleErrors(form);
  }

  // The server's 400 answer as paths: the rule set's {"errors": {path: [...]}}, or DRF's shape (items as a list of
  // {field: [...]}, one per line sent; non_field_errors) from an older server or a record kept before the update.
  function toPaths(errors) {
    var out = {};
    Object.keys(errors || {}).forEach(function (key) {
      var value = errors[key];
      if (key === "items" && Array.isArray(value) && value.length && typeof value[0] === "object") {
        value.forEach(function (line, i) {
          Object.keys(line || {}).forEach(function (field) { out["items." + i + "." + field] = flatten(line[field]); });
        });
      } else {
        out[key === "non_field_errors" ? "__all__" : key] = flatten(value);
      }
    });
    return out;
  }

  // errors: the server's answer or the missing answers; rows: the formset row of each item line sent.
  function showErrors(errors, rows, heading) {
    showRuleErrors(form, toPaths(errors), rows, heading);
    var alert = form.querySelector("[data-rule-error='__all__']");
    if (alert) alert.scrollIntoView({ block: "start" });
  }

  function missingAnswers() {
    var missing = {}, seen = {};
    fields().forEach(function (el) {
      if (!el.required || el.disabled || seen[el.name] || el.closest("[hidden]")) return;
      seen[el.name] = true;
      var empty = el.type === "radio" || el.type === "checkbox"
        ? !form.querySelector('[name="' + el.name + '"]:checked') : !el.value.trim();
      if (empty) missing[el.name] = [msg("required")];
    });
    return missing;
  }

  // The report's stored photos (listed by the server) that stay, and whether the worker changed any of them.
  function storedPhotos() {
    return Array.prototype.filter.call(form.querySelectorAll("[data-photo-list] [data-stored]"), function (card) {
      var remove = card.querySelector("input[type=checkbox]");
      return !(remove && remove.checked);
    });
  }

  function storedPhotosChanged() {
    return Array.prototype.some.call(form.querySelectorAll("[data-photo-list] [data-stored]"), function (card) {
      var remove = card.querySelector("input[type=checkbox]"), caption = card.querySelector("input:not([type])");
      return (remove && remove.checked) || (caption && caption.value !== caption.defaultValue);
    });
  }

  function waiting() {
    notice(msg("edit-waiting"));
    form.querySelector("[data-draft-notice]").setAttribute("data-draft-notice", "waiting");
    Array.prototype.forEach.call(form.querySelectorAll(".form-actions button"), function (b) { b.disabled = true; });
  }

  // The report as the API takes it -------------------------------------------------------------------------------------
  function value(el, text) {
    if (el.name === "polygon") {
      try { return JSON.parse(text); } catch (e) { return text; }
    }
    var numeric = el.getAttribute("inputmode") === "numeric" || el.getAttribute("inputmode") === "decimal";
    if (numeric || (el.tagName === "SELECT" && /^\d+$/.test(text))) {
      var parsed = number(text);
      return isFinite(parsed) ? parsed : text;
    }
    return text;
  }

  function body(photoCount, submit) {
    var out = { uuid: draft().uuid, captured_at: new Date().toISOString(), photos_expected: photoCount,
                submit: submit };
    var rows = [];
    fields().forEach(function (el) {
      if (/^(items-|photo-)/.test(el.name)) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.type === "checkbox" && form.querySelectorAll('[name="' + el.name + '"]').length > 1) {
        (out[el.name] = out[el.name] || []).push(el.value);
        return;
      }
      var text = el.value.trim();
      if (text !== "") out[el.name] = el.type === "checkbox" ? true : value(el, text);
    });
    var total = form.elements["items-TOTAL_FORMS"];
    if (total) {
      out.items = [];
      for (var i = 0; i < Number(total.value); i++) {
        var prefix = "items-" + i + "-", line = {}, filled = false;
        var removed = form.elements[prefix + "DELETE"];
        if (removed && removed.checked) continue;
        fields().forEach(function (el) {
          if (el.name.indexOf(prefix) !== 0) return;
          var field = el.name.slice(prefix.length), text = el.value.trim();
          if (["id", "report", "DELETE"].indexOf(field) !== -1 || text === "") return;
          line[field] = value(el, text);
          filled = true;
        });
        if (filled) { out.items.push(line); rows.push(i); }
      }
    }
    return { body: out, rows: rows };
  }

  function enqueue(submit) {
    var uuid = draft().uuid;
    return offline.store.photos(uuid).then(function (photos) {
      return Promise.all(photos.map(function (photo) {
        var caption = form.elements["photo-" + photo.id + "-caption"];
        photo.caption = caption ? caption.value.trim() : "";
        if (caption) photo.order = position(photo.id);
        return offline.store.savePhoto(photo);
      })).then(function () {
        var built = body(photos.length + storedPhotos().length, submit), r = draft();
        if (!isNew) {
          delete built.body.captured_at;
          built.body.version = version;
          r.url = apiUrl;
        }
        r.fields = collect();
        r.title = placeName() || "";
        r.date = form.elements.activity_date ? form.elements.activity_date.value : "";
        r.body = built.body;
        r.itemRows = built.rows;
        r.state = "queued";
        r.errors = null;
        r.error = r.lastError = "";
        r.reportSent = false;
        r.photosDone = 0;
        r.attempts = 0;
        return offline.store.saveReport(r);
      });
    });
  }

  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;  // photos.js waits for a photo still being prepared, then submits again
    if (!isNew && (!apiUrl || storedPhotosChanged())) {
      // The page posts; the draft stays until the server has a newer version of the report.
      if (record) { record.posted = true; queueWrite(function () { return offline.store.saveReport(record); }); }
      return;
    }
    event.preventDefault();
    clearErrors();
    var missing = missingAnswers();
    if (Object.keys(missing).length) {
      showErrors(missing, [], msg("check"));
      return;
    }
    var submit = Boolean(event.submitter && event.submitter.name === "submit");
    var buttons = form.querySelectorAll(".form-actions button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    notice(msg("saving"));
    save().then(function () { return queueWrite(function () { return enqueue(submit); }); }).then(function () {
      location.assign(offline.home);
    }, function (error) {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      clearErrors();
      showErrors({ non_field_errors: [String(error)] }, [], msg("check"));
    });
  });

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  document.addEventListener("visibilitychange", function () { if (document.hidden && ready && record) save(); });

  // The fields whose values the worker changed from the version they started from (all of them for an older record).
  function changedFields(saved) {
    if (!saved.base) return saved.fields || [];
    var group = function (pairs) {
      var out = {};
      pairs.forEach(function (pair) { (out[pair[0]] = out[pair[0]] || []).push(pair[1]); });
      return out;
    };
    var before = group(saved.base), after = group(saved.fields || []);
    return (saved.fields || []).filter(function (pair) {
      return JSON.stringify(before[pair[0]] || []) !== JSON.stringify(after[pair[0]]);
    });
  }

  // Which draft this page continues ------------------------------------------------------------------------------------
  if (!isNew) initial = collect();
  var start;
  if (isNew) {
    var named = (location.hash.match(/^#draft=([0-9a-f-]{36})$/) || [])[1];
    start = offline.store.reports().then(function (records) {
      var drafts = records.filter(function (r) { return r.state === "draft" && r.isNew && r.kind === kind; });
      if (named) return drafts.filter(function (r) { return r.uuid === named; })[0] || null;
      if (location.hash === "#new") return null;
      return drafts.sort(function (a, b) { return b.updated - a.updated; })[0] || null;
    });
  } else {
    start = offline.store.report(uuidInput.value).then(function (saved) {
      if (saved && saved.state !== "draft") {
        // A correction of this report is in the outbox already: this page must not overwrite it.
        waiting();
        return new Promise(function () {});  // never ready: nothing typed here is kept
      }
      if (!saved) return null;
      if (saved.version === version || saved.overtaken) return saved;
      // The server saved a newer version of this report since: what was kept here is out of date.
      return offline.store.removeReport(saved.uuid).then(function () { return null; });
    });
  }
  start.then(function (saved) { return saved && restore(saved); }).then(function () {
    if (location.hash === "#new") history.replaceState(null, "", location.pathname);
    ready = true;
  }, function (error) { report(error, "restoring a draft"); ready = true; });
})();
