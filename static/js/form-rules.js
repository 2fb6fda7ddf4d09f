/* The rule set checked on the phone as the worker fills a report form: after each change of an answer (beside the
   answers already touched), and on Save or Submit (every answer: nothing leaves the phone while a rule fails), offline
   too, with the server's own messages in the page's language (the rule set is embedded in the form page:
   <script type="application/json" id="report-rules">, cached with the page by the service worker). The checking
   itself is rules.js; this module only reads the form and shows the messages the Bootstrap way (is-invalid and an
   invalid-feedback beside the answer or the item line; report-wide ones at the top). The form carries the errors
   shown as data-rule-errors (JSON {path: [messages]}) for tests to wait on.

   Also the live area of the outline while the worker taps it on the map, and the supervisor's 20 % flag rule. Its
   geodesic library (lib/area.js, 34 KB) is imported only once there is an outline to measure: an outline is drawn on
   the map, which loads with Leaflet from the network (or the browser's cache) anyway, and the shell stays small. */
import { check } from "./rules.js";
import { fmt, formatNumber, number, report } from "./lib/helpers.js";

var SKIP = /^(csrfmiddlewaretoken|uuid|save|submit)$|^photo-|^newphoto-|-TOTAL_FORMS$|-INITIAL_FORMS$|-MIN_NUM_FORMS$|-MAX_NUM_FORMS$/;
var ITEM = /^items-(\d+)-(.+)$/;

// The answers as the rule set reads them: text as typed, a list for a group of checkboxes, item lines by row (null
// for a removed or blank line, which the server skips too).
export function readForm(form) {
  var data = {}, lines = {}, groups = {};
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!el.name || SKIP.test(el.name) || ["file", "submit", "button", "reset"].indexOf(el.type) !== -1) return;
    var target = data, name = el.name, item = ITEM.exec(el.name);
    if (item) {
      if (item[2] === "DELETE" || item[2] === "id" || item[2] === "report") {
        if (item[2] === "DELETE") (lines[item[1]] = lines[item[1]] || {}).__deleted = el.checked;
        return;
      }
      target = lines[item[1]] = lines[item[1]] || {};
      name = item[2];
    }
    if (el.type === "checkbox") {
      var many = form.querySelectorAll('[name="' + el.name + '"]').length > 1;
      if (many) {
        groups[el.name] = true;
        target[name] = target[name] || [];
        if (el.checked) target[name].push(el.value);
      } else {
        target[name] = el.checked ? el.value : "";
      }
    } else if (el.type === "radio") {
      if (!(name in target)) target[name] = "";
      if (el.checked) target[name] = el.value;
    } else {
      target[name] = el.value;
    }
  });
  var rows = Object.keys(lines).map(Number).sort(function (a, b) { return a - b; });
  var items = [], itemRows = [];
  rows.forEach(function (row) {
    var line = lines[row], deleted = line.__deleted;
    delete line.__deleted;
    var blank = Object.keys(line).every(function (k) { return String(line[k] == null ? "" : line[k]).trim() === ""; });
    items.push(deleted || blank ? null : line);
    itemRows.push(row);
  });
  return { data: data, items: items, rows: itemRows };
}

// The form element(s) a path names: "field", or "items.<i>.<field>" for the i-th line read (rows[i] in the formset).
function inputsOf(form, path, rows) {
  var parts = path.split(".");
  var name = parts[0] === "items" && parts.length === 3 ? "items-" + (rows ? rows[Number(parts[1])] : parts[1]) + "-" + parts[2]
    : path;
  return form.querySelectorAll('[name="' + name + '"]');
}

/* Errors beside their answers: {path: [messages]}; rows maps an item index to its formset row. Messages of a path with
   no answer on the page (and "__all__") go in one alert at the top, under `heading`. Replaces what was shown before. */
export function showErrors(form, errors, rows, heading) {
  clearErrors(form);
  var general = [];
  Object.keys(errors).forEach(function (path) {
    var messages = errors[path], inputs = path === "__all__" ? [] : inputsOf(form, path, rows);
    if (!inputs.length) {
      messages.forEach(function (m) { general.push(m); });
      return;
    }
    Array.prototype.forEach.call(inputs, function (input) {
      if (!input.classList.contains("is-invalid")) input.setAttribute("data-rule-invalid", "");
      input.classList.add("is-invalid");
    });
    var first = inputs[0], box = first.closest(".mb-3, .form-check, td, [id^=div_id_]") || first.parentNode;
    if (first.type === "checkbox" || first.type === "radio") box = first.closest("fieldset, [id^=div_id_]") || box;
    var text = document.createElement("div");
    text.className = "invalid-feedback d-block";
    text.setAttribute("data-rule-error", path);
    text.textContent = messages.join(" ");
    box.appendChild(text);
  });
  if (general.length || heading) {
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-rule-error", "__all__");
    alert.textContent = heading || "";
    general.forEach(function (line) {
      var p = document.createElement("p");
      p.className = "mb-0 mt-1";
      p.textContent = line;
      alert.appendChild(p);
    });
    form.insertBefore(alert, form.firstChild);
  }
  form.setAttribute("data-rule-errors", JSON.stringify(errors));
}

export function clearErrors(form) {
  Array.prototype.forEach.call(form.querySelectorAll("[data-rule-error]"), function (el) { el.remove(); });
  // Only the marks this module made: the server's own (a page shown again after a post) and forms.js's live totals
  // keep theirs.
  Array.prototype.forEach.call(form.querySelectorAll("[data-rule-invalid]"), function (el) {
    el.classList.remove("is-invalid");
    el.removeAttribute("data-rule-invalid");
  });
  form.setAttribute("data-rule-errors", "{}");
}

// The path of a changed element ("items-2-quantity" → its path for the line read at that row).
function pathOf(name, rows) {
  var item = ITEM.exec(name);
  if (!item) return name;
  var i = rows.indexOf(Number(item[1]));
  return i === -1 ? null : "items." + i + "." + item[2];
}

function start() {
  var form = document.querySelector("form.report-form");
  var source = document.getElementById("report-rules");
  if (!form || !source) return;
  var ruleSet = JSON.parse(source.textContent), kind = form.getAttribute("data-kind");
  if (!ruleSet.types[kind]) return;
  var touched = {}, all = false;

  function run() {
    var read = readForm(form);
    // The outline's hidden input holds JSON: "null" is no outline, as the form door reads it.
    ruleSet.types[kind].rules.forEach(function (rule) {
      if (rule.kind === "outline" && String(read.data[rule.field] || "").trim() === "null") read.data[rule.field] = "";
    });
    return { errors: check(ruleSet, kind, read.data, read.items), rows: read.rows };
  }

  // After a change: the errors of the answers touched so far (or all, once Save or Submit was pressed).
  function recheck() {
    var result = run(), shown = {};
    Object.keys(result.errors).forEach(function (path) {
      if (all || touched[path] || (path === "__all__")) shown[path] = result.errors[path];
    });
    if (!all) delete shown.__all__;
    showErrors(form, shown, result.rows, "");
  }

  function onChange(event) {
    var el = event.target;
    if (!el.name) return;
    var rows = readForm(form).rows, path = pathOf(el.name, rows);
    if (path) touched[path] = true;
    // A cross-field rule is shown on its own field: changing the start date rechecks the end date the worker typed.
    recheck();
  }
  form.addEventListener("change", onChange);
  form.addEventListener("focusout", onChange);
  // The participants' grid and its totals are checked keystroke by keystroke, beside the running sums (forms.js).
  form.addEventListener("input", function (event) { if (event.target.closest("[data-participants]")) onChange(event); });

  // Save or Submit: every rule, every answer. A report that breaks one stays on the page with the messages.
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;  // photos.js waits for a photo being prepared, then submits again
    all = true;
    var result = run();
    if (Object.keys(result.errors).length) {
      event.preventDefault();
      event.stopImmediatePropagation();
      showErrors(form, result.errors, result.rows, form.getAttribute("data-msg-check") || "");
      var first = form.querySelector(".is-invalid, [data-rule-error]");
      if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
    } else {
      clearErrors(form);
    }
  });
  form.setAttribute("data-rule-errors", "{}");
  form.setAttribute("data-rules-version", ruleSet.version);

  outlineArea(form);
}

// The outline's area as the worker taps it, and whether the supervisor's flag would be raised --------------------------
function outlineArea(form) {
  var box = form.querySelector("[data-outline-area]"), input = form.elements.polygon;
  if (!box || !input) return;
  var settings = JSON.parse(box.getAttribute("data-outline-check"));
  var lang = document.documentElement.lang;
  var area = null;  // lib/area.js, once imported
  var show = function () {
    var outline = null;
    try { outline = input.value ? JSON.parse(input.value) : null; } catch (e) { outline = null; }  // the rules say why
    if (outline && !area) {
      import("./lib/area.js").then(function (module) { area = module; show(); }, function (error) {
        report(error, "outline area");
      });
      return;
    }
    var m2 = null;
    try { m2 = outline ? area.polygonAreaM2(outline) : null; } catch (e) { report(e, "outline area"); }
    box.hidden = m2 == null;
    if (m2 == null) { box.removeAttribute("data-area-m2"); return; }
    var reported = 0, any = false;
    settings.fields.forEach(function (name) {
      var value = form.elements[name] ? number(form.elements[name].value) : NaN;
      if (isFinite(value)) { reported += value; any = true; }
    });
    var mismatch = any && area.areaMismatch(m2, reported, settings.tolerance);
    var text = fmt(box.getAttribute("data-msg-area"), { area: formatNumber(Math.round(m2), lang) });
    if (mismatch) {
      text += " " + fmt(box.getAttribute("data-msg-mismatch"), {
        reported: formatNumber(reported, lang), percent: Math.round(settings.tolerance * 100) + " %" });
    }
    box.textContent = text;
    box.classList.toggle("warn", mismatch);
    box.setAttribute("data-area-m2", String(Math.round(m2)));
    box.setAttribute("data-area-mismatch", String(mismatch));
  };
  form.addEventListener("fieldapp:outline", show);
  form.addEventListener("input", function (event) {
    if (settings.fields.indexOf(event.target.name) !== -1) show();
  });
  show();
}

start();
