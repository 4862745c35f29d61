// Couloir's one script: an improvement only, every page works without it.
// It brings the error summary of a refused form into focus, so that a keyboard or
// screen-reader user hears what to fix first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary") || document.getElementById("stale");
  if (summary) { summary.focus(); }
});
