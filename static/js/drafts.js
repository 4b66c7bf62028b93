/* Unsent drafts: what is typed in a form is kept in this browser until the server says it
   saved it, so a connection that drops while sending loses nothing.

   - A form with data-draft-key="<its address>" saves its fields to localStorage as they are
     typed (hidden fields too, so a restored draft keeps the version it was based on and a
     conflicting save is caught by the server; never the CSRF token nor files).
   - When the page opens with a stored draft that differs from the form, the form's
     [data-draft-banner] offers to restore it or to discard it.
   - A page that follows a successful save carries [data-draft-saved="<form address>"]:
     that draft is forgotten.
   - The page after a logout carries [data-clear-drafts]: every draft is forgotten (the
     logout's Clear-Site-Data header does the same where the browser applies it).
   - A draft is the same in French and in English: its key is the form's address without the
     language (/fr/exchanges/new/ and /en/exchanges/new/ share one).
   - A draft belongs to the account that typed it (a phone may be shared): its key holds the
     account's id, read from the page (#webapp-config), so another account is never offered
     it.
   - The form's submission key and version alone never make a draft worth offering.
   - A conflict page (form[data-draft-conflict]) shows what was typed, now based on the version
     saved meanwhile: the draft takes that version at once, so restoring it later never brings
     the stale version back (which led to the conflict page again and again).
   Progressive enhancement: the form posts normally, with or without this script. */
(function () {
  "use strict";

  var PREFIX = "regard-croise:draft:";
  var configNode = document.getElementById("webapp-config");
  var account = "";
  try {
    account = String((configNode && JSON.parse(configNode.textContent).user) || "");
  } catch (error) { /* no account: drafts of nobody */ }
  var SKIPPED_TYPES = ["file", "password", "submit", "button", "reset"];
  var NOT_A_CHANGE = ["submission_key", "version"];
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(PREFIX + "probe", "1");
    storage.removeItem(PREFIX + "probe");
  } catch (error) {
    return; // private browsing or storage disabled: the forms still work, without drafts
  }

  function each(list, callback) {
    Array.prototype.forEach.call(list, callback);
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name !== "csrfmiddlewaretoken" &&
        SKIPPED_TYPES.indexOf(field.type) === -1;
    });
  }

  function read(form) {
    var values = {};
    draftFields(form).forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        values[field.name] = values[field.name] || [];
        if (field.checked) values[field.name].push(field.value);
      } else if (field.multiple) {
        values[field.name] = [];
        each(field.selectedOptions, function (option) { values[field.name].push(option.value); });
      } else {
        values[field.name] = field.value;
      }
    });
    return values;
  }

  function write(form, values) {
    draftFields(form).forEach(function (field) {
      if (!Object.prototype.hasOwnProperty.call(values, field.name)) return;
      var value = values[field.name];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = value.indexOf(field.value) !== -1;
      } else if (field.multiple) {
        each(field.options, function (option) { option.selected = value.indexOf(option.value) !== -1; });
      } else {
        field.value = value;
      }
    });
  }

  function differs(draft, page) {
    return Object.keys(draft).some(function (name) {
      if (NOT_A_CHANGE.indexOf(name) !== -1) return false;
      return JSON.stringify(draft[name]) !== JSON.stringify(page[name]);
    });
  }

  function load(key) {
    try {
      return JSON.parse(storage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function keep(form, key) {
    try {
      storage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: read(form) }));
    } catch (error) {
      /* storage full: nothing more can be done */
    }
  }

  function offerRestore(form, key, draft) {
    var banner = form.querySelector("[data-draft-banner]");
    if (!banner) return;
    banner.hidden = false;
    banner.querySelector("[data-draft-restore]").addEventListener("click", function () {
      write(form, draft.values);
      keep(form, key);
      banner.hidden = true;
    });
    banner.querySelector("[data-draft-discard]").addEventListener("click", function () {
      storage.removeItem(key);
      banner.hidden = true;
    });
  }

  function keyOf(address) {
    return PREFIX + account + ":" + String(address || "").replace(/^\/(fr|en)\//, "/");
  }

  function watch(form) {
    var key = keyOf(form.getAttribute("data-draft-key"));
    var draft = load(key);
    if (form.hasAttribute("data-draft-conflict")) {
      keep(form, key);  // what was typed, based on the version the conflict showed
    } else if (draft && draft.values && differs(draft.values, read(form))) {
      offerRestore(form, key, draft);
    }
    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { keep(form, key); }, 300);
    });
    form.addEventListener("change", function () { keep(form, key); });
    form.addEventListener("submit", function () { keep(form, key); });
  }

  if (document.querySelector("[data-clear-drafts]")) {
    Object.keys(storage).forEach(function (key) {
      if (key.indexOf(PREFIX) === 0) storage.removeItem(key);
    });
  }
  each(document.querySelectorAll("[data-draft-saved]"), function (marker) {
    storage.removeItem(keyOf(marker.getAttribute("data-draft-saved")));
  });
  each(document.querySelectorAll("form[data-draft-key]"), watch);
})();
