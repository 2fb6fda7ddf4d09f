/* Report forms: progressive enhancement only. Every form works and submits by plain POST without this file; it adds
   the device UUID, "Use my location", site search, item lines, live participant totals and the on-demand map.
   An ES module (old browsers without modules get the plain form); translated messages come from data-msg-* attributes
   in the page. */
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

  // Site search: narrow the site list to names or references containing what was typed -------------------------------
  all("[data-filter]").forEach(function (search) {
    var select = document.getElementById(search.getAttribute("data-filter"));
    var options = Array.prototype.slice.call(select.options);
    var count = one("[data-filter-count]", search.parentNode);
    search.addEventListener("input", function () {
      var query = search.value.trim().toLowerCase();
      var selected = select.value, matches = [];
      select.textContent = "";
      options.forEach(function (option) {
        var match = !query || option.text.toLowerCase().indexOf(query) !== -1;
        if (!option.value || match) select.appendChild(option);
        if (option.value && match) matches.push(option);
      });
      select.value = matches.length === 1 && query ? matches[0].value : selected;
      if (select.value !== selected) select.dispatchEvent(new Event("change", { bubbles: true }));
      count.textContent = query ? fmt(search.getAttribute("data-msg-count"), { n: matches.length }) : "";
    });
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
