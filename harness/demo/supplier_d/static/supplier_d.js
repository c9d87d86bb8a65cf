/* Supplier D Forms: small enhancements only. Every page works without this file. */
(function () {
  "use strict";
  // Move focus to the error summary, so screen reader users hear what went wrong first.
  var summary = document.querySelector("[data-sd-error-summary]");
  if (summary) { summary.focus(); }

  // Show the extra fields under a radio only when that radio is chosen.
  var groups = document.querySelectorAll("[data-sd-reveal]");
  Array.prototype.forEach.call(groups, function (group) {
    var target = document.getElementById(group.getAttribute("data-sd-reveal"));
    var trigger = group.querySelector("input[data-sd-reveals]");
    if (!target || !trigger) { return; }
    var radios = group.querySelectorAll("input[type=radio][name='" + trigger.name + "']");
    function sync() {
      target.hidden = !trigger.checked;
    }
    Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", sync); });
    var hint = document.getElementById(target.id + "-nojs");
    if (hint) { hint.hidden = true; }
    sync();
  });
})();
