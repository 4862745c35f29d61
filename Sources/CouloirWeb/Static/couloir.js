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

// A dashboard follows its operation's changes (Server-Sent Events) and, at each,
// fetches itself again and swaps its figures, map and charts in place. Without the
// script it shows the figures as of its rendering, with a link to refresh them.
document.addEventListener("DOMContentLoaded", function () {
  var status = document.querySelector("[data-live-source]");
  if (!status || !window.EventSource || !window.fetch || !window.DOMParser) { return; }
  var live = window.couloirLive = { state: "connecting", events: [], refreshes: 0, opens: 0, source: null };
  // At most one fetch at a time, and the next no sooner than three times as long as the
  // last took (300 ms at least): a busy server is asked less often.
  var busy = false, again = false, started = 0, gap = 300;

  function say(state) {
    live.state = state;
    status.textContent = status.getAttribute("data-say-" + state);
    status.className = "live-status live-" + state;
  }

  function refresh() {
    if (busy) { again = true; return; }
    var wait = started + gap - Date.now();
    if (wait > 0) { busy = true; setTimeout(function () { busy = false; refresh(); }, wait); return; }
    busy = true; again = false; started = Date.now();
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected || !response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (part) {
          var name = part.getAttribute("data-live");
          var next = fresh.querySelector('[data-live="' + name + '"]');
          if (next) { part.replaceWith(document.importNode(next, true)); }
        });
        live.refreshes += 1;
        if (live.source.readyState === 1) { say("live"); }
      })
      .catch(function () { say(live.source.readyState === 2 ? "ended" : "reconnecting"); })
      .then(function () {
        gap = Math.max(300, 3 * (Date.now() - started));
        busy = false;
        if (again) { refresh(); }
      });
  }

  function connect() {
    var source = live.source = new EventSource(status.getAttribute("data-live-source"));
    source.addEventListener("open", function () { live.opens += 1; say("live"); });
    source.addEventListener("change", function (event) {
      var change = JSON.parse(event.data);
      live.events.push({ id: event.lastEventId, kind: change.kind, record: change.id, at: Date.now() });
      if (live.events.length > 2000) { live.events.shift(); }
      refresh();
    });
    // Too much was missed to catch up event by event: the figures are fetched anew.
    source.addEventListener("reset", refresh);
    source.addEventListener("error", function () {
      // Refused (the session ended, the operation is out of reach): the browser gives up.
      say(source.readyState === 2 ? "ended" : "reconnecting");
    });
  }
  say("connecting");
  connect();
});
