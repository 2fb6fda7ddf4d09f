/* Photos on report forms. On the phone, before anything is sent: read the capture time and GPS point from the
   camera's EXIF, then redraw the photo at most 1600 px on its long edge as a JPEG (quality 0.8, lower only if that is
   still over the size budget) — a 12-megapixel photo leaves the phone at a few hundred KB instead of several MB.
   Each photo is sent on its own, as soon as it is chosen, with a progress bar; the server keeps it for the report
   (surveys.capture) and checks it again. Without this file the photos go with the form as plain file inputs.
   Offline-first forms (drafts.js) take the downscaled photos instead through setKeeper(): they travel with the report
   through the outbox. */
import { fmt, request, uuid } from "./lib/helpers.js";

var keeper = null;
// keep(card, id, prepared or null when unreadable): the photo stays on the phone instead of being sent now.
export function setKeeper(keep) { keeper = keep; }
export var photoCard = null;

(function () {
  "use strict";
  var form = document.querySelector("form.report-form");
  var box = form && form.querySelector("[data-photos]");
  if (!box) return;

  var MAX_EDGE = 1600;
  var MAX_BYTES = 480 * 1024;
  var list = box.querySelector("[data-photo-list]");
  var template = box.querySelector("template[data-photo-card]");
  var busy = 0, failed = 0, waitingSubmitter = null, notice = null, queue = Promise.resolve();

  function msg(name) { return box.getAttribute("data-msg-" + name); }

  Array.prototype.forEach.call(box.querySelectorAll("[data-photo-input]"), function (input) {
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, addPhoto);
      input.value = "";
    });
  });

  function makeCard(id) {
    var card = template.content.firstElementChild.cloneNode(true);
    var caption = card.querySelector("[data-caption]"), remove = card.querySelector("[data-remove]");
    caption.name = "photo-" + id + "-caption";
    caption.id = "caption-" + id;
    card.querySelector(".form-label").htmlFor = caption.id;
    remove.name = "photo-" + id + "-remove";
    remove.id = "remove-" + id;
    remove.nextElementSibling.htmlFor = remove.id;
    list.appendChild(card);
    return card;
  }
  photoCard = makeCard;

  function addPhoto(file) {
    var id = uuid();
    var card = makeCard(id);
    setStatus(card, msg("preparing"));
    busy++;
    // One photo at a time: a cheap phone decodes one 12-megapixel photo at once, and on 3G each photo arrives sooner
    // than if all shared the connection.
    queue = queue.then(function () {
      return prepare(file).then(function (prepared) {
        card.querySelector("img").src = URL.createObjectURL(prepared.blob);
        // Offline-first forms (drafts.js) keep the downscaled photo on the phone; it travels with the report.
        if (keeper) { keeper(card, id, prepared); settle(); return; }
        return upload(card, id, prepared);
      }, function () {
        if (keeper) { keeper(card, id, null); settle(); return; }
        // The browser could not decode it (an unusual format): send it as it is; the server says what it is.
        return upload(card, id, { blob: file, facts: {} });
      });
    });
  }

  function setStatus(card, text) { card.querySelector("[data-status]").textContent = text; }

  // Downscaling ---------------------------------------------------------------------------------------------------------
  function prepare(file) {
    return readExif(file).then(function (facts) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        var scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        if (bitmap.close) bitmap.close();
        return encode(canvas, 0.8).then(function (blob) {
          canvas.width = canvas.height = 0;
          return { blob: blob, facts: facts };
        });
      });
    });
  }

  function encode(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); }).then(function (blob) {
      if (!blob) throw new Error("encode");
      return blob.size > MAX_BYTES && quality > 0.45 ? encode(canvas, quality - 0.1) : blob;
    });
  }

  // EXIF: DateTimeOriginal and the GPS point, from the first 256 KB of a JPEG --------------------------------------------
  function readExif(file) {
    return file.slice(0, 256 * 1024).arrayBuffer().then(function (buffer) {
      try { return parseExif(new DataView(buffer)); } catch (e) { return {}; }  // not a JPEG with EXIF: no facts
    }, function () { return {}; });
  }

  function parseExif(view) {
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) return {};
    var offset = 2;
    while (offset + 10 <= view.byteLength) {
      var marker = view.getUint16(offset);
      if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) break;
      if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) return readTiff(view, offset + 10);
      offset += 2 + view.getUint16(offset + 2);
    }
    return {};
  }

  function readTiff(view, start) {
    var little = view.getUint16(start) === 0x4949, facts = {};
    function u16(at) { return view.getUint16(start + at, little); }
    function u32(at) { return view.getUint32(start + at, little); }
    function entries(ifd) {
      var found = {}, count = u16(ifd);
      for (var i = 0; i < count; i++) {
        var at = ifd + 2 + i * 12;
        found[u16(at)] = { count: u32(at + 4), at: at + 8 };
      }
      return found;
    }
    function ascii(entry) {
      var at = entry.count > 4 ? u32(entry.at) : entry.at, text = "";
      for (var i = 0; i < entry.count - 1; i++) text += String.fromCharCode(view.getUint8(start + at + i));
      return text;
    }
    function degrees(entry) {
      var at = u32(entry.at), parts = [];
      for (var i = 0; i < 3; i++) parts.push(u32(at + i * 8) / u32(at + i * 8 + 4));
      return parts[0] + parts[1] / 60 + parts[2] / 3600;
    }
    var ifd0 = entries(u32(4));
    var exif = ifd0[0x8769] ? entries(u32(ifd0[0x8769].at)) : {};
    var time = exif[0x9003] || ifd0[0x0132];
    var match = time && /^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)/.exec(ascii(time));
    if (match) facts.taken_at = match[1] + "-" + match[2] + "-" + match[3] + "T" + match[4] + ":" + match[5] + ":" + match[6];
    var gps = ifd0[0x8825] ? entries(u32(ifd0[0x8825].at)) : {};
    if (gps[2] && gps[4]) {
      var latitude = degrees(gps[2]), longitude = degrees(gps[4]);
      if (gps[1] && ascii(gps[1]) === "S") latitude = -latitude;
      if (gps[3] && ascii(gps[3]) === "W") longitude = -longitude;
      if (isFinite(latitude) && isFinite(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
        facts.latitude = latitude.toFixed(6);
        facts.longitude = longitude.toFixed(6);
      }
    }
    return facts;
  }

  // Sending -------------------------------------------------------------------------------------------------------------
  function upload(card, id, prepared) {
    var bar = card.querySelector("progress"), retry = card.querySelector("[data-retry]");
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("form_uuid", form.elements.uuid.value);
    data.append("photo_id", id);
    data.append("image", prepared.blob, "photo.jpg");
    ["taken_at", "latitude", "longitude"].forEach(function (key) {
      if (prepared.facts[key]) data.append(key, prepared.facts[key]);
    });
    card.classList.remove("failed");
    retry.hidden = true;
    bar.value = 0;
    setStatus(card, msg("sending"));
    var onProgress = function (fraction) { bar.value = Math.max(bar.value, Math.round(fraction * 100)); };
    var csrf = form.elements.csrfmiddlewaretoken.value;
    return request("POST", form.getAttribute("data-upload-url"), data, { onProgress: onProgress, csrf: csrf })
      .then(function (response) {
        if (response.status === 201) {
          bar.value = 100;
          setStatus(card, msg("sent"));
          settle();
        } else if (response.status === 0) {
          fail(card, id, prepared, msg("offline"), true);
        } else {
          fail(card, id, prepared, (response.data && response.data.error) || String(response.status),
               response.status >= 500);
        }
      });
  }

  function fail(card, id, prepared, error, canRetry) {
    card.classList.add("failed");
    setStatus(card, fmt(msg("failed"), { error: error }));
    var remove = card.querySelector("[data-remove]"), retry = card.querySelector("[data-retry]");
    if (canRetry) {
      failed++;
      retry.hidden = false;
      retry.onclick = function () {
        failed--;
        busy++;
        queue = queue.then(function () { return upload(card, id, prepared); });
      };
      remove.onchange = function () { if (remove.checked) { failed--; card.remove(); } };
    } else {
      // Refused by the server: nothing was stored, so the card only says why until the worker removes it.
      card.querySelector("[data-caption]").removeAttribute("name");
      remove.removeAttribute("name");
      remove.onchange = function () { card.remove(); };
    }
    settle();
  }

  function settle() {
    busy--;
    if (busy === 0 && waitingSubmitter) {
      var submitter = waitingSubmitter;
      waitingSubmitter = null;
      if (failed === 0) form.requestSubmit(submitter);
      else showNotice(msg("retry"));
    }
  }

  function showNotice(text) {
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "alert alert-info";
      notice.setAttribute("role", "status");
      form.querySelector(".form-actions").prepend(notice);
      notice.style.gridColumn = "1 / -1";
    }
    notice.hidden = !text;
    notice.textContent = text || "";
  }

  // Saving waits for photos still on their way, and does not leave behind a photo that could not be sent.
  form.addEventListener("submit", function (event) {
    if (busy > 0) {
      event.preventDefault();
      waitingSubmitter = event.submitter || form.querySelector("[name=save]");
      showNotice(msg("waiting"));
    } else if (failed > 0) {
      event.preventDefault();
      showNotice(msg("retry"));
    }
  });
})();
