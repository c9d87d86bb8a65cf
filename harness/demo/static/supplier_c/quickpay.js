// Small enhancements to QuickPay's pages; every page works without them.
(function () {
  "use strict";

  // Move focus to the error summary, so screen reader users hear the problems first.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // Links styled as buttons (role="button") also answer the Space key, as real buttons do.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === " " && target.tagName === "A" && target.getAttribute("role") === "button") {
      event.preventDefault();
      target.click();
    }
  });
})();
