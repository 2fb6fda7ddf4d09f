/* Helpers shared by the field pages' modules (forms, photos, drafts, the outbox, the rule checker): device UUIDs,
   message formatting, digits as phones type them, the server's error answers flattened, and one request with upload
   progress. No DOM beyond what a request needs, so that `node --test tests/js` can check them without a browser. */

export function uuid() {
  var c = globalThis.crypto;
  if (c.randomUUID) return c.randomUUID();
  var b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
}

// Django's "%(name)s" placeholders, as the templates hand messages over in data-msg-* attributes.
export function fmt(template, values) {
  return String(template).replace(/%\((\w+)\)s/g, function (match, key) {
    return values && key in values ? values[key] : match;
  });
}

// Digits as phones type them, as the server normalises them (surveys.rules.normalise_digits): Arabic-Indic and
// Persian digits to Latin, the Arabic decimal separator and the minus sign (U+2212) to ASCII; thousands separators
// (Arabic, no-break and thin spaces, spaces) dropped.
// The locale the pages format with: Western digits in Arabic too (as the server's formats do), day before month.
export function displayLocale(lang) {
  return (lang === "ar" ? "ar" : "en-GB") + "-u-nu-latn";
}

export function formatNumber(value, lang) {
  return Number(value).toLocaleString(displayLocale(lang));
}

export function formatDateTime(ms, lang) {
  return new Date(ms).toLocaleString(displayLocale(lang), {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

export function latinDigits(value) {
  return String(value == null ? "" : value)
    .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
    .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
    .replace(/\u066B/g, ".").replace(/\u2212/g, "-").replace(/[\u066C\u00A0\u202F\u2009 ]/g, "");
}

var NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

// A number typed on a phone, or NaN: empty text, "1,5", "abc" and "1e" are not numbers (as surveys.rules.parse_number).
export function number(value) {
  if (typeof value === "number") return isFinite(value) ? value : NaN;
  var latin = latinDigits(value).trim();
  if (latin.length > 64 || !NUMBER.test(latin)) return NaN;
  return Number(latin);
}

// Every message in a server's error answer ({field: [messages]}, nested lists and objects), in order.
export function flatten(value) {
  if (value == null) return [];
  if (typeof value !== "object") return [String(value)];
  var out = [];
  Object.keys(value).forEach(function (key) { out = out.concat(flatten(value[key])); });
  return out;
}

// The server's answer as one line of text: its "detail", else every message in it.
export function detail(response, networkMessage) {
  var data = response.data;
  if (!data) return response.status ? String(response.status) : networkMessage || "";
  if (typeof data === "string") return data;
  if (data.detail) return String(data.detail);
  return flatten(data).join(" ");
}

export function csrfToken(cookie) {
  var match = String(cookie || "").match(/(?:^|;\s*)csrftoken=([^;]+)/);  // Django's default CSRF cookie
  return match ? decodeURIComponent(match[1]) : "";
}

/* One request with upload progress (fetch cannot report it): resolves {status, data, retryAfter (seconds)}, status 0
   when no answer came. Never rejects: a lost connection is an answer the caller decides about. */
export function request(method, url, body, options) {
  options = options || {};
  return new Promise(function (resolve) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, url);
    var isForm = typeof FormData !== "undefined" && body instanceof FormData;
    xhr.timeout = isForm ? 5 * 60 * 1000 : 60 * 1000;
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", options.csrf != null ? options.csrf : csrfToken(document.cookie));
    if (body && !isForm) {
      xhr.setRequestHeader("Content-Type", "application/json");
      body = JSON.stringify(body);
    }
    if (options.onProgress && xhr.upload) {
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) options.onProgress(event.loaded / event.total);
      };
    }
    xhr.onload = function () {
      var data = null;
      if (xhr.responseText) {
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }  // an error page, not JSON
      }
      resolve({ status: xhr.status, data: data, retryAfter: retryAfterSeconds(xhr.getResponseHeader("Retry-After")) });
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({ status: 0, data: null, retryAfter: 0 }); };
    xhr.send(body || null);
  });
}

// Retry-After is seconds or an HTTP date.
export function retryAfterSeconds(header, now) {
  if (!header) return 0;
  var seconds = Number(header);
  if (isFinite(seconds)) return Math.max(0, seconds);
  var date = Date.parse(header);
  return isFinite(date) ? Math.max(0, Math.round((date - (now == null ? Date.now() : now)) / 1000)) : 0;
}

// Errors are never swallowed: they go to the console, where a tester or a remote debugging session sees them.
export function report(error, context) {
  if (globalThis.console) console.error("fieldapp" + (context ? " (" + context + ")" : "") + ":", error);
}
