// Small enhancements after GOV.UK Frontend's error summary and button scripts; every page works without them.
(function () {
  "use strict";

  // Move focus to the error summary so screen reader users hear the problems first.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.hash.slice(1));
      if (!field) {
        return;
      }
      // Scroll the question into view, not just the input, then put the cursor in the field.
      event.preventDefault();
      var fieldset = field.closest("fieldset");
      var caption = fieldset ? fieldset.querySelector("legend") : document.querySelector("label[for='" + field.id + "']");
      (caption || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  // A second press of Pay or Send while the first is on its way is ignored, so nobody pays or applies twice
  // (the server refuses a repeat too). No timer: coming back to the page (Back, bfcache) allows it again.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-prevent-double-click")) {
      return;
    }
    if (form.getAttribute("data-submitted") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitted", "true");
  });
  window.addEventListener("pageshow", function () {
    var forms = document.querySelectorAll("form[data-submitted]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute("data-submitted");
    }
  });

  // Links styled as buttons (role="button") also answer the Space key, as real buttons do.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === " " && target.tagName === "A" && target.getAttribute("role") === "button") {
      event.preventDefault();
      target.click();
    }
  });
})();
