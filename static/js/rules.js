/* The phone's rule checker: the server's rule set (surveys/rules.py, as_json) checked on the phone, offline, with the
   same messages on the same paths. No DOM: form-rules.js reads the form and shows the errors; tests/js/rules.test.mjs
   and tests/test_rules_parity.py run this module without it.

   check(ruleSet, reportType, raw, items, today) mirrors surveys.rules.check_raw: values as a form holds them (strings,
   lists for multiple choices, null for a blank or deleted item line), normalised and parsed by the field's own
   number or date rule, the EORE total derived from the grid when left empty; then every rule, every error at once:
   {path: [messages]}, paths "field", "items.<i>.<field>" or "__all__". Each kind below follows its Python twin; a
   kind this module does not know throws, so that a rule added on the server cannot be skipped here in silence. */
import { latinDigits } from "./lib/helpers.js";

var NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
var BAD = { bad: true };
var JSON_MAX_DEPTH = 32;

function empty(value) {
  if (value == null) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

// A number, or BAD (parse_number's Invalid); null when empty.
function parseNumber(value, integer) {
  if (empty(value)) return null;
  if (typeof value === "boolean") return BAD;
  var n;
  if (typeof value === "number") {
    n = value;  // parsed already (prepare): Infinity stands for a number too large for a double, like "1e400"
    if (isNaN(n) || (integer && isFinite(n) && !Number.isInteger(n))) return BAD;
    return n;
  } else if (typeof value === "string") {
    var text = latinDigits(value).trim();
    if (text.length > 64 || !NUMBER.test(text)) return BAD;
    n = Number(text);
    // Decimal("1e400") is finite for the server, and out of any range: so is Infinity here.
    if (!isFinite(n)) return /e/i.test(text) ? n : BAD;
    if (integer && !Number.isInteger(n)) return BAD;
    return n;
  }
  return BAD;
}

// "YYYY-MM-DD" of a real day, or BAD; null when empty. Compared as text (ISO dates sort as days do).
function parseDate(value) {
  if (empty(value)) return null;
  if (typeof value !== "string") return BAD;
  var text = latinDigits(value).trim();
  var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return BAD;
  var y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return BAD;
  var days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d > days[mo - 1] ? BAD : text;
}

function parserOf(rules, scope, name) {
  for (var i = 0; i < rules.length; i++) {
    var r = rules[i];
    if ((r.scope || "report") !== scope || r.field !== name) continue;
    if (r.kind === "number") return function (v) { return parseNumber(v, r.integer); };
    if (r.kind === "date") return parseDate;
  }
  return null;
}

function typed(rules, scope, data, name) {
  var value = data[name];
  if (empty(value)) return null;
  var parser = parserOf(rules, scope, name);
  return parser ? parser(value) : value;
}

// surveys.rules.prepare: blank text is null, numbers and dates parsed where they parse, the EORE total from the grid.
function prepare(rules, reportType, raw, scope) {
  var data = {};
  Object.keys(raw || {}).forEach(function (name) {
    var value = raw[name], parser = parserOf(rules, scope, name);
    if (typeof value === "string" && !value.trim()) data[name] = null;
    else if (parser) { var parsed = parser(value); data[name] = parsed === BAD ? value : parsed; }
    else data[name] = value;
  });
  if (scope === "report" && reportType === "eore" && empty(data.total_participants)) {
    var sum = rules.filter(function (r) { return r.kind === "sum_equals"; })[0];
    if (sum) {
      var parts = sum.fields.map(function (name) { return data[name]; });
      if (parts.every(function (p) { return p == null || (typeof p === "number" && Number.isInteger(p)); })) {
        data.total_participants = parts.reduce(function (a, p) { return a + (p || 0); }, 0);
      }
    }
  }
  return data;
}

// Every kind the checker knows: (rule, data, path, ctx) -> a message or null. The parity test asserts that every kind
// in the server's rule set is here.
export var KINDS = {
  required: function (rule, data) {
    var unless = rule.unless_field;
    return empty(data[rule.field]) && !(unless && !empty(data[unless])) ? rule.message : null;
  },
  required_if: function (rule, data) {
    return empty(data[rule.field]) && rule["in"].indexOf(data[rule.if_field]) !== -1 ? rule.message : null;
  },
  number: function (rule, data) {
    var n = parseNumber(data[rule.field], rule.integer);
    if (n === BAD) return rule.invalid_message;
    return n < rule.min || n > rule.max ? rule.message : null;
  },
  date: function (rule, data, ctx) {
    var day = parseDate(data[rule.field]);
    if (day === BAD) return rule.invalid_message;
    return day < rule.min || (rule.not_future && day > ctx.today) ? rule.message : null;
  },
  max_length: function (rule, data) {
    return Array.from(String(data[rule.field])).length > rule.max ? rule.message : null;
  },
  choice: function (rule, data) {
    var value = data[rule.field], values = Array.isArray(value) ? value : [value];
    return values.every(function (v) { return typeof v === "string" && rule.choices.indexOf(v) !== -1; })
      ? null : rule.message;
  },
  gte_field: function (rule, data, ctx) { return compare(rule, data, ctx, function (a, b) { return a < b; }); },
  lte_field: function (rule, data, ctx) { return compare(rule, data, ctx, function (a, b) { return a > b; }); },
  sum_equals: function (rule, data, ctx) {
    var total = typed(ctx.rules, ctx.scope, data, rule.field);
    var parts = rule.fields.map(function (name) { return typed(ctx.rules, ctx.scope, data, name); });
    if (total === BAD || parts.indexOf(BAD) !== -1) return null;
    return total !== parts.reduce(function (a, p) { return a + (p || 0); }, 0) ? rule.message : null;
  },
  coordinate: null,  // applied before the empty check, with its own path: see apply()
  outline: function (rule, data) {
    return outlineProblem(data[rule.field], rule.max_points) ? rule.message : null;
  }
};

function compare(rule, data, ctx, wrong) {
  var mine = typed(ctx.rules, ctx.scope, data, rule.field), other = typed(ctx.rules, ctx.scope, data, rule.other);
  if (mine == null || other == null || mine === BAD || other === BAD) return null;
  return wrong(mine, other) ? rule.message : null;
}

function add(errors, path, message) {
  var list = errors[path] || (errors[path] = []);
  if (list.indexOf(message) === -1) list.push(message);
}

function apply(rule, data, prefix, ctx, errors) {
  if (!(rule.kind in KINDS)) throw new Error("Unknown rule kind " + rule.kind + " (" + rule.id + ")");
  var path = prefix + (rule.error_field || rule.field);
  if (rule.kind === "coordinate") {
    var lat = empty(data[rule.lat_field]), lon = empty(data[rule.lon_field]);
    if (lat !== lon) add(errors, prefix + (lat ? rule.lat_field : rule.lon_field), rule.message);
    return;
  }
  if (rule.kind !== "required" && rule.kind !== "required_if" && empty(data[rule.field])) return;
  var message = KINDS[rule.kind](rule, data, ctx);
  if (message) add(errors, path, message);
}

// The rules of one report type: every rule whose scope is "report", then each item line against the "item" rules.
export function check(ruleSet, reportType, raw, items, today) {
  var rules = ruleSet.types[reportType].rules, errors = {};
  var ctx = { rules: rules, scope: "report", today: today || localToday() };
  var data = prepare(rules, reportType, raw, "report");
  rules.forEach(function (rule) { if ((rule.scope || "report") === "report") apply(rule, data, "", ctx, errors); });
  var itemCtx = { rules: rules, scope: "item", today: ctx.today };
  (items || []).forEach(function (line, i) {
    if (line == null) return;
    var typedLine = prepare(rules, reportType, line, "item");
    rules.forEach(function (rule) {
      if (rule.scope === "item") apply(rule, typedLine, "items." + i + ".", itemCtx, errors);
    });
  });
  return errors;
}

// Today on the phone, as YYYY-MM-DD in its own time zone.
export function localToday(now) {
  var d = now || new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

// Outlines (surveys.geo.outline_problem) --------------------------------------------------------------------------------

function nesting(text) {
  var depth = 0, deepest = 0, inString = false, escaped = false;
  for (var i = 0; i < text.length; i++) {
    var c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") { depth++; if (depth > deepest) deepest = depth; }
    else if (c === "]" || c === "}") depth--;
  }
  return deepest;
}

function isCoordinate(c) { return typeof c === "number" && isFinite(c); }

/* Why a value is not a valid outline (a short code, as the server's), or null. The value is a GeoJSON Polygon or its
   JSON text: closed rings of >= 4 positions of real coordinates, at most maxPoints in all, none wider than 180° of
   longitude, not crossing itself or another ring, its holes inside its shell. */
export function outlineProblem(value, maxPoints) {
  if (typeof value === "string") {
    if (nesting(value) > JSON_MAX_DEPTH) return "json";
    try { value = JSON.parse(value); } catch (e) { return "json"; }
  }
  if (!value || typeof value !== "object" || Array.isArray(value) || value.type !== "Polygon") return "type";
  var raw = value.coordinates;
  if (!Array.isArray(raw) || !raw.length) return "empty";
  var rings = [], total = 0;
  for (var r = 0; r < raw.length; r++) {
    if (!Array.isArray(raw[r])) return "empty";
    total += raw[r].length;
    if (total > (maxPoints || 2000)) return "too_many_points";
    var ring = [];
    for (var p = 0; p < raw[r].length; p++) {
      var point = raw[r][p];
      if (!Array.isArray(point) || point.length < 2 || !isCoordinate(point[0]) || !isCoordinate(point[1])) return "point";
      if (point[0] < -180 || point[0] > 180 || point[1] < -90 || point[1] > 90) return "range";
      ring.push([point[0], point[1]]);
    }
    if (ring.length < 4) return "short";
    var first = ring[0], last = ring[ring.length - 1];
    if (first[0] !== last[0] || first[1] !== last[1]) return "open";
    var lons = ring.map(function (c) { return c[0]; });
    if (Math.max.apply(null, lons) - Math.min.apply(null, lons) > 180) return "antimeridian";
    rings.push(ring);
  }
  return validPolygon(rings) ? null : "invalid";
}

// Planar validity, as GEOS judges a Polygon (shapely's is_valid): every ring encloses an area, no two edges cross or
// touch except consecutive edges of a ring at their shared corner, every hole lies inside the shell and outside the
// other holes.
function validPolygon(rings) {
  var cleaned = rings.map(dropRepeats);
  for (var r = 0; r < cleaned.length; r++) {
    if (cleaned[r].length < 4 || ringArea(cleaned[r]) === 0) return false;
  }
  var edges = [];
  cleaned.forEach(function (ring, r) {
    for (var i = 0; i < ring.length - 1; i++) edges.push({ r: r, i: i, n: ring.length - 1, a: ring[i], b: ring[i + 1] });
  });
  for (var x = 0; x < edges.length; x++) {
    for (var y = x + 1; y < edges.length; y++) {
      var e = edges[x], f = edges[y];
      if (e.r === f.r && (f.i === e.i + 1 || (e.i === 0 && f.i === e.n - 1))) {
        // Consecutive edges share one corner; they must not fold back over each other.
        if (collinearOverlap(e, f)) return false;
        continue;
      }
      if (segmentsTouch(e.a, e.b, f.a, f.b)) return false;
    }
  }
  for (var h = 1; h < cleaned.length; h++) {
    if (!inside(cleaned[h][0], cleaned[0])) return false;
    for (var k = 1; k < cleaned.length; k++) {
      if (k !== h && inside(cleaned[h][0], cleaned[k])) return false;
    }
  }
  return true;
}

function dropRepeats(ring) {
  return ring.filter(function (c, i) { return i === 0 || c[0] !== ring[i - 1][0] || c[1] !== ring[i - 1][1]; });
}

function ringArea(ring) {
  var sum = 0;
  for (var i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

function orient(a, b, c) {
  var v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a, b, c) {
  return Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
}

function segmentsTouch(a, b, c, d) {
  var o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4 && o1 * o2 <= 0 && o3 * o4 <= 0) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

// Two edges sharing a corner that run back along each other (a spike).
function collinearOverlap(e, f) {
  var shared = samePoint(e.b, f.a) ? e.b : e.a;
  var p = samePoint(e.a, shared) ? e.b : e.a, q = samePoint(f.a, shared) ? f.b : f.a;
  if (orient(shared, p, q) !== 0) return false;
  return (p[0] - shared[0]) * (q[0] - shared[0]) + (p[1] - shared[1]) * (q[1] - shared[1]) > 0;
}

function samePoint(a, b) { return a[0] === b[0] && a[1] === b[1]; }

// Ray casting: is the point strictly inside the ring?
function inside(point, ring) {
  var x = point[0], y = point[1], within = false;
  for (var i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    var a = ring[i], b = ring[j];
    if ((a[1] > y) !== (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) within = !within;
  }
  return within;
}
