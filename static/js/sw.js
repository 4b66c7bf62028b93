/* The service worker of Regard croisé, served at /sw.js by core/webapp.py (which puts the line
   `self.SHELL = {release, static}` before this code).

   - The app shell (stylesheet, scripts, icon) is kept when the worker installs.
   - Pages: from the network first; a copy of each page a member opens (exchanges, their forms,
     this device's outbox) is kept, and shown when there is no connection. A page never opened
     here falls back to the outbox page, which says what this device keeps.
   - Photos' thumbnails and static files: from the cache first (their addresses never change
     content).
   - Nothing is kept of the admin, the accounts pages, downloads or any POST; nothing of an
     answer that was redirected (to the login page, say) or is not a success.
   - A page after a logout (Clear-Site-Data) has the browser empty everything here. */
"use strict";

var SHELL = self.SHELL || { release: "dev", static: [] };
var STATIC_CACHE = "static-" + SHELL.release;
var PAGES_CACHE = "pages-v1";
var LANGUAGES = /^\/(fr|en)\//;
var NOT_KEPT = /\/(admin|accounts|i18n)\/|\/export\.csv$|\/attachments\/\d+\/$|\/pdf\/|\/download\/|\/versions\//;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      return cache.addAll(SHELL.static);
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function keep(cacheName, request, response) {
  if (!keepable(response)) return;
  var copy = response.clone();
  caches.open(cacheName).then(function (cache) { return cache.put(request, copy); });
}

function pageKey(url) {
  return url.origin + url.pathname + url.search;
}

/* A page without a connection: this very page, else the same page in the other language, else
   the outbox page (in the page's language, else the other). */
function offlinePage(url) {
  return caches.open(PAGES_CACHE).then(function (cache) {
    var match = url.pathname.match(LANGUAGES);
    var language = match ? match[1] : "fr";
    var other = language === "fr" ? "en" : "fr";
    var path = url.pathname.replace(LANGUAGES, "/");
    var tries = [
      pageKey(url),
      url.origin + url.pathname,
      url.origin + "/" + other + path,
      url.origin + "/" + language + "/exchanges/outbox/",
      url.origin + "/" + other + "/exchanges/outbox/",
    ];
    function next(index) {
      if (index >= tries.length) {
        return new Response(
          "<!DOCTYPE html><meta charset=utf-8><title>Regard croisé</title>" +
          "<p>Pas de connexion. — No connection.</p>",
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
        );
      }
      return cache.match(tries[index]).then(function (found) {
        if (!found) return next(index + 1);
        if (index >= 3) {
          // The outbox page stands in for a page not kept: it says so (outbox.js reads this).
          return found.text().then(function (html) {
            return new Response(html.replace("data-outbox-not-kept hidden", "data-outbox-not-kept"), {
              headers: { "Content-Type": "text/html; charset=utf-8" },
            });
          });
        }
        return found;
      });
    }
    return next(0);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.indexOf("/static/") === 0 || /\/attachments\/\d+\/thumbnail\/$/.test(url.pathname)) {
    var cacheName = url.pathname.indexOf("/static/") === 0 ? STATIC_CACHE : PAGES_CACHE;
    event.respondWith(
      caches.match(request).then(function (found) {
        return found || fetch(request).then(function (response) {
          keep(cacheName, request, response);
          return response;
        });
      })
    );
    return;
  }

  var isPage = request.mode === "navigate" ||
    (request.headers.get("Accept") || "").indexOf("text/html") !== -1;
  if (!isPage || !LANGUAGES.test(url.pathname) || NOT_KEPT.test(url.pathname)) return;
  event.respondWith(
    fetch(request).then(function (response) {
      keep(PAGES_CACHE, pageKey(url), response);
      return response;
    }).catch(function () {
      return offlinePage(url);
    })
  );
});

/* outbox.js asks to keep pages for use without a connection: {keep: [addresses]}; the ones
   already kept are fetched again only when `refresh` is set. {forget: true} empties
   everything (after a logout). */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.forget) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }));
    return;
  }
  if (!data.keep) return;
  event.waitUntil(caches.open(PAGES_CACHE).then(function (cache) {
    return Promise.all(data.keep.map(function (path) {
      var url = new URL(path, self.location.origin);
      return cache.match(pageKey(url)).then(function (found) {
        if (found && !data.refresh) return null;
        return fetch(url.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
          .then(function (response) { if (keepable(response)) return cache.put(pageKey(url), response); })
          .catch(function () { /* offline: kept next time */ });
      });
    }));
  }));
});
