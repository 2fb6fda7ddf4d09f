/* Report forms: progressive enhancement only. Every form works and submits by plain POST without this file; it adds
   the device UUID, "Use my location", site search, item lines, live participant totals and the on-demand map.
   An ES module (old browsers without modules get the plain form); translated messages come from data-msg-* attributes
   in the page. */
import { offline } from "./outbox.js";
import { fmt, number, report, uuid as newUuid } from "./lib/helpers.js";

(function () {
  "use strict";
  var form = document.querySelector("form.report-form");
  if (!form) return;

  function one(selector, root) { return (root || form).querySelector(selector); }
  function all(selector, root) { return Array.prototype.slice.call((root || form).querySelectorAll(selector)); }

  all("[data-js]").forEach(function (el) { el.hidden = false; });

  // A new form gets its device UUID on the phone, so a copy of the page kept in a cache never reuses one. A form shown
  // again after a mistake keeps the UUID it was posted with (no data-fresh).
  var uuidInput = one("input[name=uuid][data-fresh]");
  if (uuidInput) {
    uuidInput.value = newUuid();
    var now = new Date(), day = form.elements.activity_date;
    day.value = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  // GPS ---------------------------------------------------------------------------------------------------------------
  var gpsButton = one("[data-gps]");
  var gpsStatus = one("[data-gps-status]");
  var lat = form.elements.latitude, lon = form.elements.longitude, accuracy = form.elements.gps_accuracy_m;
  var warnM = Number(one("[data-gps-warn-m]").getAttribute("data-gps-warn-m"));

  function showAccuracy() {
    var m = number(accuracy.value);
    if (isNaN(m)) { gpsStatus.hidden = true; return; }
    var text = fmt(gpsButton.getAttribute("data-msg-accuracy"), { m: Math.round(m) });
    if (m > warnM) text += " " + gpsButton.getAttribute("data-msg-warn");
    gpsStatus.textContent = text;
    gpsStatus.classList.toggle("warn", m > warnM);
    gpsStatus.hidden = false;
  }

  if (navigator.geolocation) {
    gpsButton.hidden = false;
    gpsButton.addEventListener("click", function () {
      gpsStatus.hidden = false;
      gpsStatus.classList.remove("warn");
      gpsStatus.textContent = gpsButton.getAttribute("data-msg-wait");
      gpsButton.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        gpsButton.disabled = false;
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        accuracy.value = Math.round(position.coords.accuracy);
        showAccuracy();
        form.dispatchEvent(new CustomEvent("fieldapp:point"));
      }, function () {
        gpsButton.disabled = false;
        gpsStatus.classList.add("warn");
        gpsStatus.textContent = gpsButton.getAttribute("data-msg-denied");
      }, { enableHighAccuracy: true, timeout: 30000, maximumAge: 10000 });
    });
  }
  accuracy.addEventListener("input", showAccuracy);
  showAccuracy();

  // Site search: the list holds the picked site and a few others; typing finds the rest (the Find button is then not
  // needed) in the phone's copy of the sites the worker may pick (outbox/sites.js), at once and without a network.
  // Without a complete copy, or when it finds nothing (a site added since its last sync), the server is asked; if it
  // does not answer, the copy's matches, else the options present, are shown.
  all("[data-no-js]").forEach(function (el) { el.hidden = true; });
  all("[data-filter]").forEach(function (search) {
    var select = document.getElementById(search.getAttribute("data-filter"));
    var count = one("[data-filter-count]", search.parentNode.parentNode);
    var url = search.getAttribute("data-search-url");
    var limit = Number(search.getAttribute("data-search-limit")) || 0;
    var copy = offline && offline.sites;
    var known = {};  // id -> option, every site seen so far on this page
    Array.prototype.forEach.call(select.options, function (o) { if (o.value) known[o.value] = o; });
    var timer = null, asked = 0;
    function show(options, query) {
      var selected = select.value, empty = select.options[0] && !select.options[0].value ? select.options[0] : null;
      select.textContent = "";
      if (empty) select.appendChild(empty);
      if (selected && known[selected] && options.indexOf(known[selected]) === -1) select.appendChild(known[selected]);
      options.forEach(function (option) { select.appendChild(option); });
      select.value = options.length === 1 && query ? options[0].value : selected;
      if (select.value !== selected) select.dispatchEvent(new Event("change", { bubbles: true }));
      count.textContent = query ? fmt(search.getAttribute("data-msg-count"), { n: options.length }) : "";
    }
    function local(query) {
      return Object.keys(known).map(function (id) { return known[id]; }).filter(function (o) {
        return !query || o.text.toLowerCase().indexOf(query) !== -1;
      });
    }
    function option(site) {
      var o = known[site.id] || document.createElement("option");
      o.value = site.id;
      o.text = site.label;
      ["name", "site-type", "priority", "classification", "evidence", "area"].forEach(function (key) {
        if (site[key] !== undefined && site[key] !== null) o.setAttribute("data-" + key, site[key]);
      });
      known[site.id] = o;
      return o;
    }
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // Enter searches; it does not send the report
    });
    search.addEventListener("input", function () {
      var query = search.value.trim().toLowerCase(), mine = ++asked;
      clearTimeout(timer);
      if (!query) { show(local(query), query); return; }
      var kept = copy ? copy.search(query, limit).catch(function (error) { report(error, "site copy"); return null; })
        : Promise.resolve(null);
      kept.then(function (found) {
        if (mine !== asked) return;
        var fallback = function () { show(found && found.sites.length ? found.sites.map(option) : local(query), query); };
        if (found && found.complete) {
          show(found.sites.map(option), query);
          if (found.sites.length) return;
        }
        if (!url || !navigator.onLine) { fallback(); return; }
        timer = setTimeout(function () {
          fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin",
                                                           headers: { Accept: "application/json" } })
            .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
            .then(function (data) { if (mine === asked) show(data.sites.map(option), query); })
            .catch(function () { if (mine === asked) fallback(); });
        }, 250);
      });
    });

    // A draft restored with a site the page does not list (found by search when it was typed): from the copy.
    select.addEventListener("fieldapp:missing-option", function (event) {
      if (!copy) return;
      copy.find(event.detail).then(function (site) {
        if (!site || select.value) return;
        select.appendChild(option(site));
        select.value = String(site.id);
      }).catch(function (error) { report(error, "site copy"); });
    });

    // How many sites the phone holds for searching without a network.
    var held = one("[data-sites-kept]", search.parentNode.parentNode);
    var showHeld = function (n) {
      held.textContent = fmt(held.getAttribute("data-msg-sites"), { n: n });
      held.hidden = !n;
    };
    if (copy && held) {
      copy.count().then(showHeld, function (error) { report(error, "site copy"); });
      document.addEventListener("fieldapp:sites-synced", function (event) { showHeld(event.detail); });
    }
  });

  // Survey of an existing site: start from what is known about it.
  if (form.elements.site && form.elements.site_name) {
    form.elements.site.addEventListener("change", function () {
      var option = this.options[this.selectedIndex];
      if (!option || !option.value) return;
      var facts = { site_name: "name", site_type: "siteType", priority: "priority", classification: "classification",
                    evidence: "evidence" };
      Object.keys(facts).forEach(function (name) {
        var value = option.dataset[facts[name]];
        if (value && form.elements[name]) form.elements[name].value = value;
      });
      if (!form.elements.estimated_area_m2.value && option.dataset.area) {
        form.elements.estimated_area_m2.value = option.dataset.area;
      }
    });
  }

  // Sections shown only for one answer (the handover, for a completion report) ---------------------------------------
  all("[data-show-if]").forEach(function (block) {
    var parts = block.getAttribute("data-show-if").split("=");
    function update() {
      var field = form.elements[parts[0]];
      block.hidden = Boolean(field) && field.value !== parts[1];
    }
    form.addEventListener("change", function (event) { if (event.target.name === parts[0]) update(); });
    update();
  });

  // Item lines (a Django formset): add and remove on the phone --------------------------------------------------------
  all("[data-formset]").forEach(function (set) {
    var prefix = set.getAttribute("data-formset");
    var total = form.elements[prefix + "-TOTAL_FORMS"];
    var rows = one("[data-rows]", set), template = one("template[data-empty]", set), add = one("[data-add]", set);
    function wire(row) {
      var remove = one("[data-delete]", row);
      var check = remove.parentNode;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-danger w-100";
      button.textContent = one("label", check).textContent;
      button.addEventListener("click", function () { remove.checked = true; row.hidden = true; });
      check.hidden = true;
      row.appendChild(button);
      if (remove.checked) row.hidden = true;
    }
    all("[data-row]", rows).forEach(wire);
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = Number(total.value);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
      total.value = index + 1;
      var row = rows.lastElementChild;
      wire(row);
      one("select, input:not([type=hidden])", row).focus();
    });
  });

  // Participants: running totals as the worker types (the totals rules themselves are the rule set's: form-rules.js)
  var grid = one("[data-participants]");
  if (grid) {
    var total = form.elements.total_participants;
    var recount = function () {
      var sum = 0, columns = [0, 0];
      all("tbody tr", grid).forEach(function (row) {
        var rowSum = 0;
        all("input", row).forEach(function (input, i) {
          var value = number(input.value) || 0;
          rowSum += value;
          columns[i] += value;
        });
        one("[data-row-total]", row).textContent = rowSum;
        sum += rowSum;
      });
      all("[data-col-total]", grid).forEach(function (cell, i) { cell.textContent = columns[i]; });
      one("[data-sum]", grid).textContent = sum;
      total.placeholder = sum;
    };
    grid.addEventListener("input", recount);
    recount();
  }

  // The map: Leaflet (about 40 KB) loads only when the worker opens it; the form never needs it -----------------------
  var mapBlock = one("[data-map-block]");
  if (mapBlock) {
    mapBlock.hidden = false;
    one("[data-map-open]", mapBlock).addEventListener("click", function () {
      var button = this;
      button.disabled = true;
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = mapBlock.getAttribute("data-leaflet-css");
      document.head.appendChild(css);
      loadScript(mapBlock.getAttribute("data-leaflet-js"), function () {
        import(mapBlock.getAttribute("data-map-js")).then(function (map) {
          button.hidden = true;
          one("[data-map-tools]", mapBlock).hidden = false;
          map.initMap(mapBlock, form);
        }, function (error) { report(error, "map"); failed(); });
      }, failed);
      function failed() { button.disabled = false; }
    });
  }

  function loadScript(src, done, failed) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = done;
    script.onerror = function (error) { report(error, src); if (failed) failed(); };
    document.head.appendChild(script);
  }
})();
