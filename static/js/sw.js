/* The service worker of Regard croisé, served at /sw.js by core/webapp.py (which puts the line
   `self.SHELL = {release, static, pages, offline}` before this code).

   - The app shell (stylesheet, scripts, icon) is kept when the worker installs, in a cache
     named after the release.
   - Pages: from the network first; a copy of each page a member opens (exchanges, their forms,
     this device's outbox) is kept, and shown when there is no connection. A page never opened
     here falls back to the outbox page, which says what this device keeps; with no page at
     all, a sentence in the page's language (SHELL.offline, translated by the server).
   - What is kept of pages belongs to one account and one release: the server says whose a
     page is (X-Account), the cache's name holds the release and the account
     ("pages-<release>-<account>", "thumbs-<account>"), and the pages and photos of every other
     account are forgotten as soon as a page of another account arrives (a shared phone: the
     next officer sees none of them). At most SHELL.pages pages are kept, the oldest go first.
   - A new release's worker takes the kept pages of the former release again from the network
     (they name static files that the new release no longer has), then forgets the former
     caches: a page kept before a deploy is never shown without its stylesheet and scripts.
   - Photos' thumbnails and static files: from the cache first (their addresses never change
     content).
   - Nothing is kept of the admin, the accounts pages, downloads or any POST; nothing of an
     answer that was redirected (to the login page, say), is not a success, or is nobody's.
   - A page after a logout (Clear-Site-Data) has the browser empty everything here. */
"use strict";

var SHELL = self.SHELL || { release: "dev", static: [], pages: 30, offline: {} };
var STATIC_CACHE = "static-" + SHELL.release;
var PAGES = "pages-" + SHELL.release + "-";  // + the account's id
var THUMBS = "thumbs-";  // + the account's id: a thumbnail never changes, whatever the release
var MAX_PAGES = SHELL.pages || 30;
var MAX_THUMBS = 200;
var LANGUAGES = /^\/(fr|en)\//;
var NOT_KEPT = /\/(admin|accounts|i18n)\/|\/export\.csv$|\/attachments\/\d+\/$|\/pdf\/|\/download\/|\/versions\/|\/outbox\/account\/$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      return cache.addAll(SHELL.static);
    }).then(function () { return self.skipWaiting(); })
  );
});

/* The former release's static files go; its kept pages are fetched again (same addresses,
   this session's account), then the former caches go. */
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      var formerStatic = names.filter(function (name) {
        return name.indexOf("static-") === 0 && name !== STATIC_CACHE;
      });
      var formerPages = names.filter(function (name) {
        return name.indexOf("pages-") === 0 && name.indexOf(PAGES) !== 0;
      });
      return Promise.all(formerPages.map(function (name) {
        return caches.open(name).then(function (cache) { return cache.keys(); });
      })).then(function (lists) {
        var addresses = [].concat.apply([], lists).map(function (request) { return request.url; });
        return Promise.all(formerStatic.concat(formerPages).map(function (name) {
          return caches.delete(name);
        })).then(function () { return fetchAndKeep(addresses.slice(-MAX_PAGES)); });
      });
    }).then(function () { return self.clients.claim(); })
  );
});

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

/* Every other account's pages and thumbnails are forgotten, whatever their release. (A
   former release's caches are forgotten only by the next worker's activation: a former worker
   still finishing its work must never remove what the new one keeps.) */
function onlyFor(account) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      var kept = name.indexOf("pages-") === 0 || name.indexOf(THUMBS) === 0;
      return kept && name.slice(name.lastIndexOf("-") + 1) !== account;
    }).map(function (name) { return caches.delete(name); }));
  });
}

/* Keeps a copy of `response` for the account it was made for, at most `limit` of them. */
function keep(prefix, limit, key, response) {
  if (!keepable(response)) return Promise.resolve();
  var account = response.headers.get("X-Account");
  if (!account) return Promise.resolve();  // nobody's page (signed out): not kept
  var copy = response.clone();
  return onlyFor(account).then(function () {
    return caches.open(prefix + account);
  }).then(function (cache) {
    return cache.put(key, copy).then(function () {
      return cache.keys().then(function (keys) {  // oldest first
        return Promise.all(keys.slice(0, Math.max(0, keys.length - limit)).map(function (old) {
          return cache.delete(old);
        }));
      });
    });
  }).catch(function () { /* storage full: nothing more to do */ });
}

/* The account whose pages this device keeps (of this release), or null. */
function keptAccount() {
  return caches.keys().then(function (names) {
    var name = names.filter(function (each) { return each.indexOf(PAGES) === 0; })[0];
    return name ? name.slice(PAGES.length) : null;
  });
}

function fetchAndKeep(addresses) {
  return addresses.reduce(function (chain, address) {
    return chain.then(function () {
      return fetch(address, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
        .then(function (response) { return keep(PAGES, MAX_PAGES, address, response); })
        .catch(function () { /* offline: kept next time */ });
    });
  }, Promise.resolve());
}

function pageKey(url) {
  return url.origin + url.pathname + url.search;
}

function escape(text) {
  return String(text || "").replace(/[&<>"]/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
  });
}

/* No page kept at all: the server's sentence, in the page's language. */
function noPage(language) {
  var said = (SHELL.offline || {})[language] || {};
  return new Response(
    "<!DOCTYPE html><html lang=\"" + escape(language) + "\"><meta charset=utf-8>" +
    "<meta name=viewport content=\"width=device-width, initial-scale=1\">" +
    "<title>" + escape(said.title) + "</title><p>" + escape(said.text) + "</p></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
  );
}

/* A page without a connection: this very page, else the same page in the other language, else
   the outbox page (in the page's language, else the other). */
function offlinePage(url) {
  var match = url.pathname.match(LANGUAGES);
  var language = match ? match[1] : "fr";
  return keptAccount().then(function (account) {
    if (account === null) return noPage(language);
    return caches.open(PAGES + account).then(function (cache) { return fromKept(cache, url, language); });
  });
}

function fromKept(cache, url, language) {
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
    if (index >= tries.length) return noPage(language);
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
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.open(STATIC_CACHE).then(function (cache) {
        return cache.match(request).then(function (found) {
          return found || fetch(request).then(function (response) {
            if (keepable(response)) cache.put(request, response.clone());
            return response;
          });
        });
      })
    );
    return;
  }
  if (/\/attachments\/\d+\/thumbnail\/$/.test(url.pathname)) {
    event.respondWith(
      keptAccount().then(function (account) {
        return account === null ? null : caches.open(THUMBS + account).then(function (cache) {
          return cache.match(request);
        });
      }).then(function (found) {
        return found || fetch(request).then(function (response) {
          keep(THUMBS, MAX_THUMBS, request, response);
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
      keep(PAGES, MAX_PAGES, pageKey(url), response);
      return response;
    }).catch(function () {
      return offlinePage(url);
    })
  );
});

/* outbox.js asks to keep pages for use without a connection: {keep: [addresses]}; the ones
   already kept (for the account signed in) are fetched again only when `refresh` is set.
   {forget: true} empties everything (after a logout). */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.forget) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }));
    return;
  }
  if (!data.keep) return;
  var addresses = data.keep.map(function (path) { return pageKey(new URL(path, self.location.origin)); });
  event.waitUntil(keptAccount().then(function (account) {
    if (data.refresh || account === null) return addresses;
    return caches.open(PAGES + account).then(function (cache) {
      return Promise.all(addresses.map(function (address) {
        return cache.match(address).then(function (found) { return found ? null : address; });
      }));
    }).then(function (missing) { return missing.filter(Boolean); });
  }).then(fetchAndKeep));
});
