/* The installable app and its outbox: what an officer saves is kept in this browser (IndexedDB)
   until the server has it, and sent in order, each item exactly once.

   - Registers the service worker (/sw.js), which keeps the pages for use without a connection.
   - A form marked data-outbox="exchange|changes|cross_view|attachment" is not posted by the
     browser: its fields (and its files, photos made smaller here first) become an item of the
     outbox, with the form's submission key. The item is sent at once when there is a
     connection, else as soon as it returns, with `X-Outbox: 1`: the server answers in JSON
     (exchanges/answers.py). A retry after an answer lost on the way carries the same key, and
     the server gives the first result again instead of saving twice (exchanges/submissions.py).
   - Photos chosen with a new exchange become items of their own, sent after the exchange.
   - A file heavier than an attachment may weigh (the file input's data-max-bytes) is refused
     at once, with the limit, and never sent. A document above PIECES_ABOVE is sent in pieces
     (exchanges/uploads.py): the server says how many bytes it holds, and a sending cut on the
     way resumes from there instead of starting again.
   - Each item shows its state: waiting, sending (with a progress bar), sent, refused (with the
     server's reasons) or in conflict (opened on the conflict page, which shows both versions).
     Nothing is removed from the device unless it is sent or the officer deletes it.
   - The page after a logout carries [data-clear-drafts]: the outbox, the list of recent
     exchanges and the kept pages are forgotten (logging out with unsent items asks first).
   - Every item belongs to the account that made it (a phone may be shared): it is sent only
     when this browser's session is that account's (asked of the server first, and said in
     `X-Outbox-Author`, which the server checks), shown to that account only, and the others
     are told how many items wait for another account. A session that ended (expired cookie,
     cleared cookies) asks to log in again; nothing is lost.
   Without this script (or IndexedDB), the forms post as usual. */
(function () {
  "use strict";

  var configNode = document.getElementById("webapp-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var text = config.text || {};
  var MAX_SIDE = 2000;
  // Small enough to leave in about 10 s at 150 kbit/s; a photo over it is compressed more, then
  // made smaller (2 000, 1 600, then 1 280 px on its long side).
  var TARGET_BYTES = 200 * 1024;
  var SIDES = [MAX_SIDE, 1600, 1280];
  var QUALITIES = [0.8, 0.7, 0.6];
  var DRAFT_PREFIX = "regard-croise:draft:";
  var SHOW_SENT_FOR = 10 * 60 * 1000;
  var KEEP_SENT_FOR = 24 * 60 * 60 * 1000;
  // Above this, a file travels in pieces of PIECE bytes: a cut costs the piece on its way
  // (about 7 s at 150 kbit/s), not the whole file.
  var PIECES_ABOVE = 512 * 1024;
  var PIECE = 128 * 1024;

  if ("serviceWorker" in navigator && config.worker) {
    navigator.serviceWorker.register(config.worker, { scope: "/" }).catch(function () {});
  }
  if (!("indexedDB" in window)) return;

  // ---- storage ---------------------------------------------------------------------------------

  var database = null;
  function db() {
    if (database) return database;
    database = new Promise(function (resolve, reject) {
      var opening = indexedDB.open("regard-croise", 1);
      opening.onupgradeneeded = function () {
        var store = opening.result;
        store.createObjectStore("outbox", { keyPath: "key" });
        store.createObjectStore("recent", { keyPath: "url" });
      };
      opening.onsuccess = function () { resolve(opening.result); };
      opening.onerror = function () { reject(opening.error); };
    });
    return database;
  }

  function request(storeName, mode, action) {
    return db().then(function (store) {
      return new Promise(function (resolve, reject) {
        var transaction = store.transaction(storeName, mode);
        var result = action(transaction.objectStore(storeName));
        transaction.oncomplete = function () { resolve(result && result.result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function all(storeName) {
    return request(storeName, "readonly", function (store) { return store.getAll(); });
  }
  function put(storeName, value) {
    return request(storeName, "readwrite", function (store) { return store.put(value); });
  }
  function remove(storeName, key) {
    return request(storeName, "readwrite", function (store) { return store.delete(key); });
  }
  function clear(storeName) {
    return request(storeName, "readwrite", function (store) { return store.clear(); });
  }

  function mine() {
    return all("outbox").then(function (items) {
      return items.filter(function (item) { return item.user === config.user; })
        .sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  /* How many unsent items on this device belong to other accounts. */
  function othersWaiting() {
    return all("outbox").then(function (items) {
      return items.filter(function (item) { return item.user !== config.user && item.state !== "sent"; }).length;
    });
  }

  /* Whose session this browser holds now: the account's id, or null when it ended. */
  function sessionAccount() {
    return fetch(config.account, {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("no answer");
      return response.json();
    }).then(function (answer) { return answer.user; });
  }

  // ---- after a logout: forget everything ------------------------------------------------------

  if (document.querySelector("[data-clear-drafts]")) {
    Promise.all([clear("outbox"), clear("recent")]).catch(function () {});
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ forget: true });
    }
  }
  if (!config.user) return;

  // ---- small helpers ---------------------------------------------------------------------------

  function format(sentence, values) {
    return String(sentence || "").replace(/%\((\w+)\)s/g, function (_, name) {
      return values[name] === undefined ? "" : values[name];
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var sequence = 0;
  function nextSeq() { sequence += 1; return Date.now() * 1000 + sequence; }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // A draft belongs to its account (drafts.js keys it the same way).
  function draftKey(path, user) { return DRAFT_PREFIX + user + ":" + String(path || "").replace(/^\/(fr|en)\//, "/"); }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function keepPages(paths, refresh) {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ keep: paths, refresh: !!refresh });
    });
  }

  // ---- photos: smaller before they leave the device --------------------------------------------

  function exifSegment(bytes) {
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
    var at = 2;
    while (at + 4 <= bytes.length && bytes[at] === 0xff) {
      var marker = bytes[at + 1];
      var length = (bytes[at + 2] << 8) | bytes[at + 3];
      if (marker === 0xe1 && String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]) === "Exif") {
        return bytes.slice(at, at + 2 + length);
      }
      if (marker === 0xda) break;
      at += 2 + length;
    }
    return null;
  }

  function encode(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
  }

  /* A photo as a JPEG whose long side is at most 2 000 px, under about 400 KB, turned upright.
     Its metadata go (the place where it was taken with them), unless `keepLocation`: then
     the camera's EXIF block is copied into the new file (the server resets its orientation). */
  function resize(file, keepLocation) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve({ blob: file, name: file.name, upright: false });
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.type === "image/jpeg" && file.size <= TARGET_BYTES) {
        bitmap.close();
        return { blob: file, name: file.name, upright: false };
      }
      function draw(side) {
        var ratio = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * ratio);
        canvas.height = Math.round(bitmap.height * ratio);
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return canvas;
      }
      function attempt(step) {
        var canvas = draw(SIDES[Math.floor(step / QUALITIES.length)]);
        return encode(canvas, QUALITIES[step % QUALITIES.length]).then(function (blob) {
          canvas.width = canvas.height = 0;
          if (blob.size > TARGET_BYTES && step + 1 < SIDES.length * QUALITIES.length) return attempt(step + 1);
          bitmap.close();
          return blob;
        });
      }
      return attempt(0).then(function (blob) {
        var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
        if (!keepLocation || file.type !== "image/jpeg") return { blob: blob, name: name, upright: true };
        return file.slice(0, 256 * 1024).arrayBuffer().then(function (head) {
          var segment = exifSegment(new Uint8Array(head));
          if (!segment) return { blob: blob, name: name, upright: true };
          var spliced = new Blob([blob.slice(0, 2), segment, blob.slice(2)], { type: "image/jpeg" });
          return { blob: spliced, name: name, upright: true };
        });
      });
    }).catch(function () {
      // Not a picture this browser can read: sent as it is, the server says what it is.
      return { blob: file, name: file.name, upright: false };
    });
  }

  // ---- from a form to items ----------------------------------------------------------------------

  function fieldsOf(form) {
    var fields = [];
    var files = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File) {
        if (value.size || value.name) files.push([name, value, value.name]);
      } else {
        fields.push([name, value]);
      }
    });
    return { fields: fields, files: files };
  }

  function fieldValue(fields, name) {
    for (var i = 0; i < fields.length; i += 1) if (fields[i][0] === name) return fields[i][1];
    return "";
  }

  function setField(fields, name, value) {
    var kept = fields.filter(function (field) { return field[0] !== name; });
    kept.push([name, value]);
    return kept;
  }

  function labelOf(form, kind, fields, files) {
    var label = form.getAttribute("data-outbox-label") ||
      fieldValue(fields, "title_fr") || fieldValue(fields, "caption_fr") || "…";
    if (kind === "attachment") return attachmentLabel(files[0] && files[0][1], label);
    var sentence = { exchange: text.exchange, changes: text.changes, cross_view: text.crossView, change: text.policyChange }[kind];
    return format(sentence, { label: label });
  }

  /* "Photo: …" for a picture, "Document: …" for anything else. */
  function attachmentLabel(file, label) {
    var photo = !file || /^image\//.test(file.type || "");
    return format(photo ? text.photo : text.document, { label: label });
  }

  function maxBytes(form) {
    var input = form.querySelector("[data-max-bytes]");
    return Number(input ? input.getAttribute("data-max-bytes") : config.attachmentMaxBytes) || 0;
  }

  function sizeText(size) {
    var amount = size / (1024 * 1024);
    var shown = amount.toLocaleString(config.language || "fr", { maximumFractionDigits: amount < 10 ? 1 : 0 });
    return format(text.megabytes, { size: shown }).replace(/ /g, "\u00a0");
  }

  /* The refusal of the first file heavier than the limit among `items`, or "". */
  function tooHeavy(items, limit) {
    var found = "";
    items.forEach(function (item) {
      item.files.forEach(function (file) {
        if (!found && limit && file[1].size > limit) {
          found = format(text.tooBig, { size: sizeText(file[1].size), limit: sizeText(limit) });
        }
      });
    });
    return found;
  }

  /* Photos chosen with an exchange that the server refused wait in the outbox: they go with
     the next sending of the same form (the corrected exchange). */
  function adoptOrphans() {
    return mine().then(function (items) {
      var keys = items.map(function (other) { return other.key; });
      return Promise.all(items.filter(function (other) {
        return other.parent && keys.indexOf(other.parent) === -1 && other.origin === capturing.draft &&
          capturing.kind === "exchange";
      }).map(function (orphan) {
        orphan.parent = capturing.key;
        orphan.seq = nextSeq();
        return put("outbox", orphan);
      }));
    });
  }
  var capturing = null;

  function capture(form) {
    var kind = form.getAttribute("data-outbox");
    var url = form.getAttribute("action") || window.location.pathname;
    var taken = fieldsOf(form);
    var key = fieldValue(taken.fields, "submission_key") || newKey();
    taken.fields = setField(taken.fields, "submission_key", key);
    var item = {
      key: key, seq: nextSeq(), user: config.user, kind: kind, url: url, parent: null,
      fields: taken.fields, files: [], label: labelOf(form, kind, taken.fields, taken.files),
      state: "waiting", reason: "", created: Date.now(), draft: form.getAttribute("data-draft-key") || url,
    };
    capturing = item;
    var keepLocation = fieldValue(taken.fields, "keep_location") === "on";
    var prepared = taken.files.map(function (entry) {
      return resize(entry[1], keepLocation).then(function (photo) {
        if (photo.upright) item.fields = setField(item.fields, "upright", "on");
        item.files.push([entry[0], photo.blob, photo.name]);
      });
    });
    return Promise.all(prepared).then(adoptOrphans).then(function () {
      var items = [item];
      var photos = form.querySelector("[data-outbox-photos]");
      var chosen = photos && photos.querySelector("input[type=file]");
      if (kind !== "exchange" || !chosen || !chosen.files.length) return items;
      var caption = photos.querySelector("#id_photos_caption").value.trim() || fieldValue(item.fields, "title_fr");
      var credit = photos.querySelector("#id_photos_credit").value.trim();
      var keep = photos.querySelector("#id_photos_keep_location").checked;
      var address = form.getAttribute("data-outbox-photo-url").replace("/0/", "/{exchange}/");
      return Array.prototype.reduce.call(chosen.files, function (chain, file) {
        return chain.then(function () {
          return resize(file, keep).then(function (photo) {
            var fields = [["caption_fr", caption], ["credit", credit], ["submission_key", newKey()]];
            if (keep) fields.push(["keep_location", "on"]);
            if (photo.upright) fields.push(["upright", "on"]);
            items.push({
              key: fieldValue(fields, "submission_key"), seq: nextSeq(), user: config.user,
              kind: "attachment", url: address, parent: item.key, fields: fields,
              files: [["file", photo.blob, photo.name]], label: attachmentLabel(photo.blob, caption),
              state: "waiting", reason: "", created: Date.now(), draft: null, origin: item.draft,
            });
          });
        });
      }, Promise.resolve()).then(function () { return items; });
    });
  }

  // ---- sending -----------------------------------------------------------------------------------

  var progress = {};

  function headers(xhr, item) {
    xhr.setRequestHeader("X-Outbox", "1");
    xhr.setRequestHeader("X-Outbox-Author", String(item.user));
    if (item.key === shownKey) xhr.setRequestHeader("X-Outbox-Shown", "1");
    xhr.setRequestHeader("X-CSRFToken", cookie("csrftoken"));
    xhr.setRequestHeader("Accept", "application/json");
  }

  function send(item, url) {
    var file = item.kind === "attachment" && item.files.length === 1 ? item.files[0] : null;
    if (file && file[1].size > PIECES_ABOVE) return sendInPieces(item, url, file);
    return new Promise(function (resolve) {
      var body = new FormData();
      item.fields.forEach(function (field) { body.append(field[0], field[1]); });
      item.files.forEach(function (file) { body.append(file[0], file[1], file[2]); });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      headers(xhr, item);
      xhr.timeout = 5 * 60 * 1000;
      xhr.upload.onprogress = function (event) {
        if (!event.lengthComputable) return;
        progress[item.key] = Math.round((event.loaded / event.total) * 100);
        showProgress(item.key);
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({ retry: true }); };
      xhr.onload = function () { resolve(outcomeOf(xhr, item)); };
      xhr.send(body);
    });
  }

  /* What the server's answer to a sending means for its item (a promise of the outcome). */
  function outcomeOf(xhr, item) {
    return new Promise(function (resolve) {
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (error) { answer = null; }
        if (/\/accounts\/login\//.test(xhr.responseURL || "")) return resolve({ login: true });
        if (answer && answer.state === "account") return resolve({ account: true });
        if (answer && answer.state === "sent") return resolve({ state: "sent", result: answer });
        if (answer && answer.state === "refused") {
          return resolve({ state: "refused", reason: answer.message, errors: answer.errors });
        }
        if (answer && answer.state === "conflict") return resolve({ state: "conflict", reason: text.conflictReason });
        if (xhr.status >= 500 || xhr.status === 429) return resolve({ retry: true });
        var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
        var said = page.querySelector("main [role=alert], main .notice, main p");
        var refused = {
          state: "refused",
          reason: (said && said.textContent.trim()) || format(text.reasonUnknown, { status: xhr.status }),
        };
        if (xhr.status !== 401 && xhr.status !== 403) return resolve(refused);
        // A session that ended (its cookies cleared, the CSRF check then failing): log in
        // again, the item waits. Refused only if its author's session was refused.
        sessionAccount().then(function (user) {
          resolve(user === item.user ? refused : { login: true });
        }).catch(function () { resolve({ retry: true }); });
    });
  }

  /* One request of a sending in pieces: {xhr} once answered, {cut: true} if the connection
     failed on the way. */
  function pieceRequest(method, url, item, body, extra, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      headers(xhr, item);
      Object.keys(extra || {}).forEach(function (name) { xhr.setRequestHeader(name, extra[name]); });
      xhr.timeout = 2 * 60 * 1000;
      if (onProgress) xhr.upload.onprogress = function (event) { onProgress(event.loaded); };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({ cut: true }); };
      xhr.onload = function () {
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (error) { answer = null; }
        resolve({ xhr: xhr, answer: answer });
      };
      xhr.send(body);
    });
  }

  function fingerprint(blob) {
    if (!(window.crypto && crypto.subtle && blob.arrayBuffer)) return Promise.resolve("");
    return blob.arrayBuffer().then(function (bytes) { return crypto.subtle.digest("SHA-256", bytes); })
      .then(function (digest) {
        return Array.prototype.map.call(new Uint8Array(digest), function (b) { return (b + 256).toString(16).slice(1); }).join("");
      }).catch(function () { return ""; });
  }

  /* A large document: opened as an upload on the server (the same item opens the same one
     again, with the bytes the server holds), sent piece by piece from there, then finished
     with the item's fields: the server answers as the attachment form does. */
  function sendInPieces(item, url, file) {
    var blob = file[1];
    var shown = function (held) {
      progress[item.key] = Math.round((held / blob.size) * 100);
      showProgress(item.key);
    };
    return fingerprint(blob).then(function (sha256) {
      var opening = new URLSearchParams();
      opening.append("name", file[2] || blob.name || "document");
      opening.append("size", String(blob.size));
      opening.append("content_type", blob.type || "");
      opening.append("sha256", sha256);
      opening.append("submission_key", item.key);
      var address = url.replace(/\/attachments\/new\/$/, "/attachments/uploads/");
      return pieceRequest("POST", address, item, opening);
    }).then(function (opened) {
      if (opened.cut) return { retry: true };
      if (!opened.answer || opened.answer.state !== "upload") return outcomeOf(opened.xhr, item);
      var upload = opened.answer;
      var piece = Math.min(PIECE, upload.chunk || PIECE);
      var next = function (held) {
        shown(held);
        if (held >= blob.size) {
          var fields = new URLSearchParams();
          item.fields.forEach(function (field) { fields.append(field[0], field[1]); });
          return pieceRequest("POST", upload.finish, item, fields).then(function (done) {
            if (done.cut) return { retry: true };
            if (done.xhr.status === 409 && done.answer && done.answer.state === "upload") return next(done.answer.offset);
            return outcomeOf(done.xhr, item);
          });
        }
        var end = Math.min(held + piece, blob.size);
        var range = "bytes " + held + "-" + (end - 1) + "/" + blob.size;
        return pieceRequest("PUT", upload.url, item, blob.slice(held, end), {
          "Content-Range": range, "Content-Type": "application/octet-stream",
        }, function (loaded) { shown(held + loaded); }).then(function (stored) {
          if (stored.cut) return { retry: true };  // resumes from what the server holds
          var answer = stored.answer;
          if (answer && typeof answer.offset === "number" && (stored.xhr.status === 200 || stored.xhr.status === 409)) {
            return next(answer.offset);
          }
          return outcomeOf(stored.xhr, item);
        });
      };
      return next(upload.offset);
    });
  }

  var shownKey = null;  // the item saved from this page's form: its page opens next
  var running = null;
  var retryTimer = null;
  var retryDelay = 3000;

  function sync() {
    if (running) return running;
    var work = function () { return drain(); };
    running = (navigator.locks ? navigator.locks.request("regard-croise-outbox", work) : work())
      .catch(function () {})
      .then(function () { running = null; render(); });
    return running;
  }

  function scheduleRetry() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(sync, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  /* Items are sent only by their author's session: asked of the server first, since this page
     may be a copy kept while the session lasted. */
  function drain() {
    return mine().then(function (items) {
      var unsent = items.filter(function (item) { return item.state === "waiting" || item.state === "sending"; });
      if (!unsent.length) return null;
      return sessionAccount().then(function (user) {
        if (user === config.user) return sendAll(items);
        var reason = user === null ? text.loginAgain : text.otherAccount;
        return Promise.all(unsent.map(function (item) {
          item.state = "waiting";
          item.reason = reason;
          return put("outbox", item);
        }));
      }, function () { scheduleRetry(); });
    });
  }

  function sendAll(items) {
    return Promise.resolve(items).then(function (items) {
      var byKey = {};
      items.forEach(function (item) { byKey[item.key] = item; });
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (goOn) {
          if (!goOn || (item.state !== "waiting" && item.state !== "sending")) return goOn;
          var url = item.url;
          if (item.parent) {
            var parent = byKey[item.parent];
            if (!parent || parent.state !== "sent") return goOn;  // waits for its exchange
            url = url.replace("{exchange}", parent.result.exchange);
          }
          item.state = "sending";
          item.reason = "";
          progress[item.key] = 0;
          return put("outbox", item).then(function () {
            render();
            return send(item, url);
          }).then(function (outcome) {
            if (outcome.retry || outcome.login || outcome.account) {
              item.state = "waiting";
              item.reason = outcome.login ? text.loginAgain : outcome.account ? text.otherAccount : "";
              return put("outbox", item).then(function () {
                if (outcome.retry) scheduleRetry();
                return false;  // in order: nothing after it goes first
              });
            }
            item.state = outcome.state;
            item.reason = outcome.reason || "";
            item.errors = outcome.errors || null;
            item.result = outcome.result || null;
            item.done = Date.now();
            retryDelay = 3000;
            if (item.state === "sent") {
              try { if (item.draft) window.localStorage.removeItem(draftKey(item.draft, item.user)); } catch (error) { /* no storage */ }
              keepPages([item.result.url], true);
            }
            return put("outbox", item).then(function () { return true; });
          });
        });
      });
      return chain;
    });
  }

  // ---- showing the items -------------------------------------------------------------------------

  function stateLabel(item) { return text[item.state] || item.state; }

  function showProgress(key) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-outbox-progress="' + key + '"]'), function (bar) {
      bar.value = progress[key] || 0;
    });
  }

  function itemNode(item, byKey) {
    var reason = item.reason;
    if (item.state === "waiting" && item.parent && byKey[item.parent] && byKey[item.parent].state !== "sent") {
      reason = format(text.waitsFor, { label: byKey[item.parent].label });
    }
    var node = element("li", { class: "outbox-item state-" + item.state, "data-outbox-item": item.key }, [
      element("span", { class: "outbox-label", text: item.label }),
      element("span", { class: "outbox-state", text: stateLabel(item) }),
    ]);
    if (item.state === "sending") {
      node.appendChild(element("progress", {
        max: "100", value: String(progress[item.key] || 0), "data-outbox-progress": item.key,
        "aria-label": text.progress + " — " + item.label,
      }));
    }
    if (reason) node.appendChild(element("p", { class: "outbox-reason", text: reason }));
    var actions = element("p", { class: "outbox-actions" });
    if (item.state === "sent" && item.result) {
      actions.appendChild(element("a", { href: item.result.url, text: text.open }));
    }
    if (item.state === "refused" || item.state === "conflict") {
      var open = element("button", { type: "button", class: "button secondary", text: item.state === "conflict" ? text.compare : text.correct });
      open.addEventListener("click", function () { openOnServer(item); });
      actions.appendChild(open);
    }
    if (item.state !== "sent" && item.state !== "sending") {
      var drop = element("button", { type: "button", class: "link-button", text: text.remove });
      drop.addEventListener("click", function () {
        if (window.confirm(format(text.confirmRemove, { label: item.label }))) {
          remove("outbox", item.key).then(render);
        }
      });
      actions.appendChild(drop);
    }
    if (actions.childNodes.length) node.appendChild(actions);
    return node;
  }

  function render() {
    return Promise.all([mine(), othersWaiting()]).then(function (found) {
      var items = found[0];
      var others = found[1];
      var now = Date.now();
      var stale = items.filter(function (item) { return item.state === "sent" && now - item.done > KEEP_SENT_FOR; });
      stale.forEach(function (item) { remove("outbox", item.key); });
      var byKey = {};
      items.forEach(function (item) { byKey[item.key] = item; });
      var here = document.querySelector("[data-outbox-here]");
      var shown = items.filter(function (item) {
        if (stale.indexOf(item) !== -1) return false;
        return here || item.state !== "sent" || now - item.done < SHOW_SENT_FOR;
      });
      var panel = here || document.querySelector("[data-outbox-panel]");
      if (!here && !shown.length && !others && navigator.onLine) {
        if (panel) panel.remove();
        return;
      }
      if (!panel) {
        panel = element("section", { class: "outbox-panel", "data-outbox-panel": "", "aria-labelledby": "outbox-panel-title" });
        panel.appendChild(element("h2", { id: "outbox-panel-title", text: text.title }));
        var main = document.getElementById("main");
        main.insertBefore(panel, main.firstChild);
      }
      Array.prototype.forEach.call(panel.querySelectorAll("[data-outbox-generated]"), function (node) { node.remove(); });
      var empty = panel.querySelector("[data-outbox-empty]");
      if (empty) empty.hidden = shown.length > 0;
      if (!navigator.onLine) {
        panel.appendChild(element("p", { class: "notice outbox-offline", "data-outbox-generated": "", role: "status", text: text.offline }));
      }
      if (others) {
        panel.appendChild(element("p", {
          class: "notice outbox-others", "data-outbox-generated": "", "data-outbox-others": String(others),
          text: format(text.othersWaiting, { count: others }),
        }));
      }
      if (shown.length) {
        var list = element("ul", { class: "outbox-items", "data-outbox-generated": "", "aria-live": "polite" });
        shown.forEach(function (item) { list.appendChild(itemNode(item, byKey)); });
        panel.appendChild(list);
      }
    }).catch(function () {});
  }

  /* A refused item or one in conflict, posted the ordinary way: the server's page then shows the
     reasons next to the fields, or both versions side by side, with what was typed in the form
     (and kept as the form's draft). The item leaves the outbox: the page holds it now. */
  function openOnServer(item) {
    var form = element("form", { method: "post", action: item.url.replace("{exchange}", "0"), enctype: "multipart/form-data", hidden: "" });
    form.setAttribute("data-outbox-native", "");
    form.appendChild(element("input", { type: "hidden", name: "csrfmiddlewaretoken", value: cookie("csrftoken") }));
    item.fields.forEach(function (field) {
      form.appendChild(element("input", { type: "hidden", name: field[0], value: field[1] }));
    });
    item.files.forEach(function (file) {
      var input = element("input", { type: "file", name: file[0] });
      var transfer = new DataTransfer();
      transfer.items.add(new File([file[1]], file[2], { type: file[1].type }));
      input.files = transfer.files;
      form.appendChild(input);
    });
    document.body.appendChild(form);
    remove("outbox", item.key).then(function () { form.submit(); });
  }

  // ---- the forms ---------------------------------------------------------------------------------

  function statusArea(form) {
    var area = form.querySelector("[data-outbox-status]");
    if (!area) {
      area = element("div", { class: "outbox-status", "data-outbox-status": "", role: "status" });
      var actions = form.querySelector(".form-actions");
      form.insertBefore(area, actions);
    }
    return area;
  }

  function showSubmission(form, keys, message) {
    return mine().then(function (items) {
      var byKey = {};
      items.forEach(function (item) { byKey[item.key] = item; });
      var area = statusArea(form);
      area.textContent = "";
      if (message) area.appendChild(element("p", { text: message }));
      var list = element("ul", { class: "outbox-items" });
      keys.forEach(function (key) { if (byKey[key]) list.appendChild(itemNode(byKey[key], byKey)); });
      area.appendChild(list);
      return byKey;
    });
  }

  function watch(form) {
    var keyField = form.elements.submission_key;
    if (keyField) keyField.value = newKey();  // a kept copy of this page must not reuse one
    var photos = form.querySelector("[data-outbox-photos]");
    if (photos) photos.hidden = false;
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-outbox-native")) return;
      event.preventDefault();
      if (busy) return;
      busy = true;
      var button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      if (form.querySelector("input[type=file]")) {
        statusArea(form).textContent = form.getAttribute("data-outbox") === "attachment" ? text.preparingFile : text.preparing;
      }
      capture(form).then(function (items) {
        var refusal = tooHeavy(items, maxBytes(form));
        if (refusal) throw { tooHeavy: refusal };
        return items.reduce(function (chain, item) {
          return chain.then(function () { return put("outbox", item); });
        }, Promise.resolve()).then(function () { return items; });
      }).then(function (items) {
        var keys = items.map(function (item) { return item.key; });
        shownKey = keys[0];
        if (keyField) keyField.value = newKey();  // the next sending of this form is another one
        var follow = function () {
          return showSubmission(form, keys, navigator.onLine ? "" : text.kept).then(function (byKey) {
            var first = byKey[keys[0]];
            var pending = keys.some(function (key) { return byKey[key] && (byKey[key].state === "waiting" || byKey[key].state === "sending"); });
            return { first: first, pending: pending, byKey: byKey };
          });
        };
        var timer = window.setInterval(follow, 700);
        return sync().then(follow).then(function (state) {
          window.clearInterval(timer);
          var first = state.first;
          // Refused, or in conflict: the server's page shows why, next to the fields, or both
          // versions; photos chosen with a refused exchange wait for the corrected one.
          if (first && (first.state === "refused" || first.state === "conflict")) {
            openOnServer(first);
            return;
          }
          if (first && first.state === "sent" && !state.pending) {
            window.location.href = first.result.url;
            return;
          }
          // Kept on this device, to be sent later: the outbox page says what becomes of it.
          window.location.href = config.outbox;
        });
      }).catch(function (error) {
        if (error && error.tooHeavy) {  // never sent: said at once, next to the form
          var area = statusArea(form);
          area.textContent = "";
          area.appendChild(element("p", { class: "notice error", role: "alert", "data-outbox-too-heavy": "", text: error.tooHeavy }));
          return;
        }
        form.setAttribute("data-outbox-native", "");
        form.submit();  // no outbox here after all: the ordinary way
      }).then(function () {
        busy = false;
        if (button) button.disabled = false;
      });
    });
  }

  // ---- this page ---------------------------------------------------------------------------------

  function recordRecent() {
    var heading = document.querySelector("[data-recent-exchange]");
    if (!heading) return Promise.resolve();
    return put("recent", {
      url: window.location.pathname.replace(/^\/(fr|en)\//, "/"),
      title: heading.getAttribute("data-recent-title") || heading.textContent.trim(),
      when: heading.getAttribute("data-recent-when") || "",
      seen: Date.now(),
      user: config.user,
    }).then(function () {
      return all("recent").then(function (recent) {
        recent.sort(function (a, b) { return b.seen - a.seen; });
        recent.slice(30).forEach(function (old) { remove("recent", old.url); });
      });
    });
  }

  function showRecent() {
    var list = document.querySelector("[data-recent-list]");
    if (!list) return;
    var language = "/" + (config.language || "fr");
    all("recent").then(function (recent) {
      recent = recent.filter(function (entry) { return entry.user === config.user; })
        .sort(function (a, b) { return b.seen - a.seen; });
      list.textContent = "";
      if (!recent.length) list.appendChild(element("li", { class: "muted", text: text.noRecent }));
      recent.forEach(function (entry) {
        list.appendChild(element("li", {}, [
          element("a", { href: language + entry.url, text: entry.title }),
          document.createTextNode(" "),
          element("span", { class: "muted", text: entry.when }),
        ]));
      });
    });
  }

  var notKept = document.querySelector("[data-outbox-not-kept]");
  if (notKept && !notKept.hidden) notKept.textContent = text.notKept;

  Array.prototype.forEach.call(document.querySelectorAll("form[data-outbox]"), watch);

  var logout = document.querySelector("form.logout");
  if (logout) {
    logout.addEventListener("submit", function (event) {
      if (logout.hasAttribute("data-confirmed")) return;
      event.preventDefault();
      all("outbox").then(function (items) {  // the logout empties this device: everyone's
        var unsent = items.filter(function (item) { return item.state !== "sent"; }).length;
        if (!unsent || window.confirm(format(text.confirmLogout, { count: unsent }))) {
          logout.setAttribute("data-confirmed", "");
          logout.submit();
        }
      }).catch(function () { logout.setAttribute("data-confirmed", ""); logout.submit(); });
    });
  }

  recordRecent().catch(function () {}).then(showRecent);
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
  keepPages(config.warm || [], false);
  window.addEventListener("online", function () { retryDelay = 3000; render(); sync(); });
  window.addEventListener("offline", render);
  render().then(sync);
})();
