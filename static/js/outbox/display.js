/* What the worker sees of the outbox: the panel at the top of every signed-in page (a summary line, a list with
   buttons, a progress bar). Its state is also written as data attributes for tests and styles to read, never as
   wording: data-waiting (queued reports), data-attention (reports the worker must decide about), data-drafts
   (unfinished reports), data-outbox-state
   ("idle", "sending", "offline", "signed-out", "other-user", "retry"), data-sent (references sent from this page). */
import { fmt, formatDateTime } from "../lib/helpers.js";
import { fraction } from "./sync.js";

export function createDisplay(panel, options) {
  var msg = options.msg, lang = options.lang;
  var summary = panel.querySelector("[data-outbox-summary]");
  var list = panel.querySelector("[data-outbox-list]");
  var sendNow = panel.querySelector("[data-send-now]");
  var bar = panel.querySelector("[data-outbox-progress]");
  var details = panel.querySelector("[data-outbox-details]");
  var shownAttention = 0;

  function count(name, n) { return n === 1 ? msg(name + "-one") : fmt(msg(name + "-many"), { n: n }); }

  function title(record) {
    var parts = [msg("kind-" + record.kind), record.title || msg("untitled")];
    if (record.date) parts.push(record.date);
    return parts.join(" · ");
  }

  function time(ms) {
    try { return formatDateTime(ms, lang); } catch (e) {
      return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
    }
  }

  function phase(state, queued) {
    if (!queued.length) return "idle";
    if (state.current && queued.some(function (r) { return r.uuid === state.current.uuid; })) return "sending";
    if (!options.online() || (state.noConnection && !state.syncing)) return "offline";
    if (state.signedOut) return "signed-out";
    if (state.otherUser) return "other-user";
    if (state.retryAt) return "retry";
    return state.syncing ? "sending" : "idle";
  }

  // records: this user's outbox records, each with photoCount; editing: the draft open on this page (not "waiting").
  function draw(records, state, editing) {
    var queued = records.filter(function (r) { return r.state === "queued"; });
    var attention = records.filter(function (r) {
      return r.state === "failed" || r.state === "conflict" || (r.state === "draft" && r.errors);
    });
    // An existing report's draft that its page posted is the server's business now, and the draft open on this page
    // is not "on the phone" to its writer (drafts.js).
    records = records.filter(function (r) { return !(r.state === "draft" && (r.posted || r.uuid === editing)); });
    var drafts = records.filter(function (r) { return r.state === "draft" && !r.errors; });
    var now = phase(state, queued), lines = [];
    if (queued.length) {
      lines.push(count("waiting", queued.length) + ".");
      if (now === "sending" && state.current) {
        lines.push(state.current.step === "report" ? msg("sending-report")
          : fmt(msg("sending-photo"), { i: state.current.i, n: state.current.n }));
      } else if (now === "retry") {
        lines.push(fmt(msg("retry"), { error: state.lastError,
                                       s: Math.max(1, Math.round((state.retryAt - Date.now()) / 1000)) }));
      } else if (now !== "idle") {
        lines.push(msg(now));
      }
    }
    if (attention.length) lines.push(count("attention", attention.length) + ".");
    if (drafts.length) lines.push(count("drafts", drafts.length) + ".");
    var refs = state.sent.filter(Boolean);
    if (refs.length) lines.push(fmt(msg("sent"), { refs: refs.join(", ") }));
    summary.textContent = lines.join(" ");
    sendNow.hidden = !queued.length || state.syncing;
    panel.hidden = !lines.length;
    panel.classList.toggle("outbox-attention", attention.length > 0);
    // Something new needs the worker: show the list, with its buttons.
    if (attention.length > shownAttention) details.open = true;
    shownAttention = attention.length;
    panel.setAttribute("data-waiting", queued.length);
    panel.setAttribute("data-attention", attention.length);
    panel.setAttribute("data-drafts", drafts.length);
    panel.setAttribute("data-outbox-state", now);
    panel.setAttribute("data-sent", refs.join(" "));
    list.textContent = "";
    records.forEach(function (record) { list.appendChild(item(record)); });
    progress(state);
  }

  function progress(state) {
    bar.hidden = !state.current;
    if (state.current) bar.value = Math.round(fraction(state.current) * 100);
  }

  function item(record) {
    var li = document.createElement("li");
    li.className = "outbox-item outbox-" + record.state;
    li.setAttribute("data-uuid", record.uuid);
    li.setAttribute("data-state", record.state);
    var head = document.createElement("strong");
    head.textContent = title(record);
    li.appendChild(head);
    var text = document.createElement("div");
    var actions = [];
    if (record.state === "queued") {
      text.textContent = record.reportSent
        ? fmt(msg("received"), { ref: record.reference || "", n: record.photoCount })
        : msg("queued") + " · " + fmt(msg("photos"), { n: record.photoCount }) +
          (record.lastError ? " · " + record.lastError : "");
    } else if (record.state === "draft") {
      text.textContent = record.errors ? record.error : fmt(msg("unfinished"), { time: time(record.updated) });
      actions.push(link(record.errors ? msg("correct") : msg("continue"), record));
      actions.push(button(msg("delete"), "delete", function () { options.remove(record); }));
    } else if (record.state === "failed") {
      text.textContent = fmt(msg("failed"), { error: record.error });
      actions.push(button(msg("try-again"), "requeue", function () { options.requeue(record); }));
      actions.push(button(msg("delete"), "delete", function () { options.remove(record); }));
    } else if (record.state === "conflict") {
      text.textContent = fmt(msg("conflict"), { error: record.error });
      if (!record.reportSent) actions.push(button(msg("as-new"), "as-new", function () { options.sendAsNew(record); }));
      actions.push(button(msg("delete"), "delete", function () { options.remove(record); }));
    }
    li.appendChild(text);
    if (actions.length) {
      var row = document.createElement("div");
      row.className = "outbox-actions";
      actions.forEach(function (a) { row.appendChild(a); });
      li.appendChild(row);
    }
    return li;
  }

  function link(label, record) {
    var a = document.createElement("a");
    a.className = "btn btn-outline-primary";
    a.href = record.isNew ? options.newUrl(record.kind) + "#draft=" + record.uuid : record.path;
    a.textContent = label;
    return a;
  }

  function button(label, action, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-outline-secondary";
    b.setAttribute("data-action", action);
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  return { draw: draw, progress: progress, time: time };
}
