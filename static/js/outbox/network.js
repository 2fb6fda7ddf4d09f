/* The outbox's network: which answers are worth retrying, how long to wait (exponential backoff with jitter, never
   less than the server's Retry-After), and a request that survives a rotated CSRF cookie. */
import { detail, request as plainRequest } from "../lib/helpers.js";

export var BACKOFF_BASE_MS = 1000;
export var BACKOFF_CAP_MS = 5 * 60 * 1000;

// No answer, a timeout, "too many requests" or a server error: the same request may succeed later.
export function isTransient(status) { return status === 0 || status === 408 || status === 429 || status >= 500; }

/* The wait before retry number `failures` (1, 2, …): 1 s, 2 s, 4 s … up to 5 minutes, ±10 % so that phones coming
   back online together do not retry together, and at least the server's Retry-After (ms). random() is in [0, 1). */
export function backoffDelay(failures, retryAfterMs, random) {
  var delay = Math.min(BACKOFF_BASE_MS * Math.pow(2, Math.max(0, failures - 1)), BACKOFF_CAP_MS);
  delay = Math.round(delay * (0.9 + (random ? random() : Math.random()) * 0.2));
  return Math.min(Math.max(delay, retryAfterMs || 0), BACKOFF_CAP_MS);
}

/* A request as the outbox sends it. A 403 because the CSRF cookie is missing or rotated (signing in changes it): one
   page load gets a fresh cookie, then the request goes once more. `send` is the request function (tests pass a fake). */
export function makeSender(homeUrl, send) {
  send = send || plainRequest;
  return function (method, url, body, onProgress) {
    return send(method, url, body, { onProgress: onProgress }).then(function (response) {
      if (response.status !== 403 || !/CSRF/i.test(detail(response))) return response;
      return fetch(homeUrl, { credentials: "same-origin" }).then(function () {
        return send(method, url, body, { onProgress: onProgress });
      }, function () { return { status: 0, data: null, retryAfter: 0 }; });
    });
  };
}
