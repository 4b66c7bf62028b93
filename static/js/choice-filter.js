/* Type-ahead search over a long list of checkboxes (the establishments of the exchange form).
   Progressive enhancement: without this script the list is plain checkboxes grouped by
   territory. With it, a search box shows only the boxes whose label holds every typed word,
   ignoring accents and case ("ehpad chambery" finds "EHPAD de Chambéry"); ticked boxes stay
   shown, and a status line tells screen readers how many are shown. No inline code: the CSP
   allows none. */
(function () {
  "use strict";

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae");
  }

  function setUp(container) {
    var box = container.querySelector("[data-choice-search]");
    var status = container.querySelector("[data-choice-status]");
    if (!box) { return; }
    var groups = Array.prototype.map.call(container.querySelectorAll("[data-choice-group]"), function (group) {
      return {
        element: group,
        items: Array.prototype.map.call(group.querySelectorAll("label"), function (label) {
          return { label: label, input: label.querySelector("input"), text: normalise(label.textContent) };
        })
      };
    });
    var timer = null;

    function apply() {
      var words = normalise(box.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      groups.forEach(function (group) {
        var groupShown = 0;
        group.items.forEach(function (item) {
          var match = item.input.checked || words.every(function (word) { return item.text.indexOf(word) !== -1; });
          item.label.hidden = !match;
          if (match) { groupShown += 1; }
        });
        group.element.hidden = groupShown === 0;
        shown += groupShown;
      });
      if (!words.length) {
        status.textContent = "";
      } else if (shown === 0) {
        status.textContent = status.getAttribute("data-none");
      } else {
        status.textContent = status.getAttribute("data-some").replace("%(count)s", String(shown));
      }
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 120); // a phone types faster than it redraws 1 000 rows
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); } // Enter must not send the form
    });
    box.closest("[hidden]") && box.closest("[hidden]").removeAttribute("hidden");
    if (box.value) { apply(); } // a value the browser restored after going back
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-choice-filter]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
