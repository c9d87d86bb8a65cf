// Release 2.0's card page: when the time is up, go to "session expired" with no warning beforehand and no
// way to ask for more time. This is the barrier time-limit (WCAG 2.2.1) that release 2.0 introduced.
(function () {
  "use strict";
  var script = document.currentScript;
  var minutes = Number(script.dataset.minutes);
  var expiredUrl = script.dataset.expiredUrl;
  window.setTimeout(function () {
    window.location.assign(expiredUrl);
  }, minutes * 60 * 1000);
})();
