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
     (they name static files that the new release no longer has). A former page goes only once
     its new copy is kept (or the server answers that it is no more), and the former static
     files only with the former release's last page: a phone that loses the connection while a
     deploy takes over still shows the pages it kept, never without their stylesheet and
     scripts; what could not be fetched again is tried again at the next page opened online.
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

/* A former release's kept pages are fetched again (same addresses, this session's account) into
   this release's cache; each page leaves the former cache only once its new copy is kept (or the
   server says it is no more), and the former static files go only with the former release's
   last page: a phone that loses the connection while a deploy takes over still shows its pages,
   with the stylesheet and scripts they name. What could not be fetched now is tried again at
   the next page a member opens (the "keep" message). */
self.addEventListener("activate", function (event) {
  event.waitUntil(refetchFormer().then(function () { return self.clients.claim(); }));
});

function isFormerPages(name) {
  return name.indexOf("pages-") === 0 && name.indexOf(PAGES) !== 0;
}

/* The addresses still kept only by a former release. */
function formerAddresses() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(isFormerPages).map(function (name) {
      return caches.open(name).then(function (cache) { return cache.keys(); });
    }));
  }).then(function (lists) {
    return [].concat.apply([], lists).map(function (request) { return request.url; });
  });
}

function refetchFormer() {
  return formerAddresses().then(function (addresses) {
    return fetchAndKeep(addresses.slice(-MAX_PAGES));
  }).then(tidyFormer);
}

/* `address` is kept by this release now (or is no more): the former releases forget it. */
function forgetFormer(address) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(isFormerPages).map(function (name) {
      return caches.open(name).then(function (cache) { return cache.delete(address); });
    }));
  }).then(tidyFormer);
}

/* A former pages cache goes when empty; the former static files when no former page is left. */
function tidyFormer() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(isFormerPages).map(function (name) {
      return caches.open(name).then(function (cache) { return cache.keys(); }).then(function (keys) {
        return keys.length ? name : caches.delete(name).then(function () { return null; });
      });
    })).then(function (left) {
      if (left.filter(Boolean).length) return;
      return Promise.all(names.filter(function (name) {
        return name.indexOf("static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    });
  });
}

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

/* Every other account's pages and thumbnails are forgotten, whatever their release. (A
   former release's pages of this account are forgotten one by one as this release keeps them
   again, forgetFormer: never all at once, and never by a former worker still finishing its
   work.) */
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
  if (!keepable(response)) return Promise.resolve(false);
  var account = response.headers.get("X-Account");
  if (!account) return Promise.resolve(false);  // nobody's page (signed out): not kept
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
  }).then(function () { return true; }, function () { return false; /* storage full */ });
}

/* The account whose pages this device keeps (of this release), or null. */
function keptAccount() {
  return caches.keys().then(function (names) {
    var name = names.filter(function (each) { return each.indexOf(PAGES) === 0; })[0];
    return name ? name.slice(PAGES.length) : null;
  });
}

/* The caches of kept pages to read without a connection: this release's first, then what a
   former release keeps that is not fetched again yet. */
function keptPages() {
  return caches.keys().then(function (names) {
    var current = names.filter(function (each) { return each.indexOf(PAGES) === 0; });
    return Promise.all(current.concat(names.filter(isFormerPages)).map(function (name) {
      return caches.open(name);
    }));
  });
}

function fetchAndKeep(addresses) {
  return addresses.reduce(function (chain, address) {
    return chain.then(function () {
      return fetch(address, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
        .then(function (response) {
          return keep(PAGES, MAX_PAGES, address, response).then(function (kept) {
            // Kept again, or the server says the page is no more: the former copy goes.
            if (kept || (!response.ok && !response.redirected)) return forgetFormer(address);
          });
        })
        .catch(function () { /* offline: the former copy stays, fetched again next time */ });
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
   the outbox page (in the page's language, else the other); each from this release's kept pages,
   else from a former release's not fetched again yet. */
function offlinePage(url) {
  var match = url.pathname.match(LANGUAGES);
  var language = match ? match[1] : "fr";
  return keptPages().then(function (kept) { return fromKept(kept, url, language); });
}

function fromKept(kept, url, language) {
  var other = language === "fr" ? "en" : "fr";
  var path = url.pathname.replace(LANGUAGES, "/");
  var tries = [
    pageKey(url),
    url.origin + url.pathname,
    url.origin + "/" + other + path,
    url.origin + "/" + language + "/exchanges/outbox/",
    url.origin + "/" + other + "/exchanges/outbox/",
  ];
  function next(index, at) {
    if (index >= tries.length) return noPage(language);
    if (at >= kept.length) return next(index + 1, 0);
    return kept[at].match(tries[index]).then(function (found) {
      if (!found) return next(index, at + 1);
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
  return next(0, 0);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.open(STATIC_CACHE).then(function (cache) {
        // Else a former release's (the pages it still keeps name them): an address under
        // /static/ never changes content.
        return cache.match(request).then(function (found) {
          return found || caches.match(request);
        }).then(function (found) {
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
      keep(PAGES, MAX_PAGES, pageKey(url), response).then(function (kept) {
        if (kept) forgetFormer(pageKey(url));
      });
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
  }).then(fetchAndKeep).then(refetchFormer));
});
