// The form patterns of every page (core/_error_summary.html, core/_field.html), loaded with defer:
// - a rejected submit: the error summary takes the focus, so it is read out and seen first; its links
//   move the focus to the field in error (or the first control of a group of radios);
// - a textarea with a length limit: a live counter of the characters left (the server refuses what is
//   too long; the browser is not told to cut it).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[href^='#']") : null;
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      var control = target.matches("input, select, textarea, button")
        ? target
        : target.querySelector("input, select, textarea, button");
      event.preventDefault();
      var field = target.closest(".field") || target;
      field.scrollIntoView({ block: "start" });
      if (control) control.focus({ preventScroll: true });
    });
  }

  function length(text) {
    // What the server counts: characters (code points), a line break as one.
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var box = document.getElementById(counter.getAttribute("data-counter-for"));
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    if (!box || !limit) return;
    counter.setAttribute("aria-live", "polite");
    function update() {
      var left = limit - length(box.value);
      var over = left < 0;
      var template = counter.getAttribute(over ? "data-over" : "data-left");
      counter.textContent = template.replace("%(count)s", String(Math.abs(left)));
      counter.classList.toggle("counter-over", over);
    }
    box.addEventListener("input", update);
    update();
  });
})();
