// Couloir's one script: an improvement only, every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  // A refused form: its error summary takes the focus, so that a keyboard or
  // screen-reader user hears first what to fix.
  var summary = document.getElementById("error-summary") || document.getElementById("stale");
  if (summary) { summary.focus(); }
  // A form that undoes something (removing an organisation) asks first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // The secret shown once is selected, ready to copy.
  var secret = document.getElementById("secret");
  if (secret) { secret.select(); }
});
