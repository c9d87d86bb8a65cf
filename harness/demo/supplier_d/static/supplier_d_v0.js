/* Supplier D Forms 3.1 page scripts. */
function sdConsent(value) {
  var banner = document.getElementById("sd-cookie-banner");
  var name = banner.getAttribute("data-cookie");
  document.cookie = name + "=" + value + "; path=/; max-age=31536000; SameSite=Lax";
  banner.style.display = "none";
}
function sdSubmit(formId) {
  document.getElementById(formId).submit();
}
function sdExpireAfter(seconds, url) {
  window.setTimeout(function () { window.location.href = url; }, seconds * 1000);
}
