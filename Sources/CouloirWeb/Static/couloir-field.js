// The field form: counts kept in an outbox in IndexedDB until the server acknowledged
// them, sent in batches with backoff and jitter. A tally gets its UUID here, when it is
// saved, so a resend after a lost answer is a replay, never a second tally.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const texts = {};
  for (const node of document.querySelectorAll("#texts [data-key]")) texts[node.dataset.key] = node.textContent;
  const say = (key, values = {}) => (texts[key] || key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
  const number = new Intl.NumberFormat(texts.locale);
  const when = new Intl.DateTimeFormat(texts.locale, { dateStyle: "medium", timeStyle: "short" });
  const source = { name: "Field form", kind: "monitor" };
  const bands = ["female_children", "female_adults", "female_elderly", "male_children", "male_adults", "male_elderly"];
  // What the browser test reads: how the outbox behaved.
  const stats = (window.couloirField = { retries: 0, batches: 0, sent: 0, ready: false });

  // ---- Storage: one database, the outbox and a few settings.
  const database = new Promise((resolve, reject) => {
    const request = indexedDB.open("couloir-field", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("tallies", { keyPath: "id" });
      request.result.createObjectStore("settings", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const store = async (name, mode, use) => {
    const transaction = (await database).transaction(name, mode);
    const request = use(transaction.objectStore(name));
    return new Promise((resolve, reject) => {
      transaction.oncomplete = () => resolve(request && request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  };
  const allTallies = () => store("tallies", "readonly", (s) => s.getAll());
  const putTallies = (tallies) => store("tallies", "readwrite", (s) => { for (const t of tallies) s.put(t); });
  const deleteTally = (id) => store("tallies", "readwrite", (s) => s.delete(id));
  const setting = async (key) => { const found = await store("settings", "readonly", (s) => s.get(key)); return found && found.value; };
  const remember = (key, value) => store("settings", "readwrite", (s) => s.put({ key, value }));

  // ---- Time: datetime-local values are the phone's wall clock; they leave with its offset.
  const pad = (n) => String(n).padStart(2, "0");
  const localValue = (date) =>
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const withOffset = (date) => {
    const offset = -date.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    return `${localValue(date)}:00${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  };
  const uuid = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };

  let token = null;
  let places = null;
  let correcting = null;

  // ---- The form.
  const form = $("tally");
  const checkpoints = () => (places ? places.operations.flatMap((o) => o.checkpoints.map((c) => ({ ...c, operationId: o.id }))) : []);
  const chosen = () => checkpoints().find((c) => c.id === $("checkpoint").value);

  function showPlaces() {
    const select = $("checkpoint");
    const current = select.value;
    select.replaceChildren();
    for (const operation of places.operations) {
      const group = document.createElement("optgroup");
      group.label = operation.name;
      for (const checkpoint of operation.checkpoints) {
        group.append(new Option(`${checkpoint.corridor} · ${checkpoint.name}`, checkpoint.id));
      }
      select.append(group);
    }
    if (current) select.value = current;
    form.hidden = false;
    showGroups();
  }

  function showGroups() {
    const allowed = (chosen() || { groups: [] }).groups;
    for (const row of document.querySelectorAll(".group-count")) row.hidden = !allowed.includes(row.dataset.group);
  }

  async function prefill() {
    const last = await setting("lastInterval");
    const checkpoint = await setting("lastCheckpoint");
    if (checkpoint && checkpoints().some((c) => c.id === checkpoint)) $("checkpoint").value = checkpoint;
    showGroups();
    let start;
    let end;
    if (last) {
      start = new Date(last.end);
      end = new Date(start.getTime() + (last.end - last.start));
    } else {
      end = new Date();
      end.setMinutes(end.getMinutes() - (end.getMinutes() % 15), 0, 0);
      start = new Date(end.getTime() - 15 * 60000);
    }
    $("start").value = localValue(start);
    $("end").value = localValue(end);
  }

  function clearCounts() {
    for (const input of form.querySelectorAll('input[type="number"]')) input.value = "";
    for (const details of form.querySelectorAll("details")) details.open = false;
  }

  // Reads the form as the API's TallyInput, or the problems to show beside the fields.
  function read() {
    const errors = [];
    const fail = (id, message) => errors.push({ id, message });
    const whole = (id, max, message, required) => {
      const text = $(id).value.trim();
      if (text === "") { if (required) fail(id, message); return null; }
      const value = Number(text);
      if (!Number.isInteger(value) || value < 0 || value > max) { fail(id, message); return null; }
      return value;
    };
    const checkpoint = chosen();
    if (!checkpoint) fail("checkpoint", say("error_checkpoint"));
    const start = new Date($("start").value);
    const end = new Date($("end").value);
    if (isNaN(start)) fail("start", say("error_when"));
    if (isNaN(end)) fail("end", say("error_when"));
    else if (!isNaN(start) && end <= start) fail("end", say("error_interval"));
    else if (!isNaN(start) && end - start > 86400000) fail("end", say("error_span"));
    const counts = [];
    for (const group of checkpoint ? checkpoint.groups : []) {
      const people = whole(`count-${group}`, 1000000, say("error_count"), false);
      const filled = bands.filter((band) => $(`${band}-${group}`).value.trim() !== "");
      let breakdown = null;
      if (filled.length) {
        const values = bands.map((band) => whole(`${band}-${group}`, 1000000, say("error_count"), true));
        if (values.every((v) => v !== null)) {
          const sum = values.reduce((a, b) => a + b, 0);
          if (people !== null && sum !== people) fail(`male_elderly-${group}`, say("error_breakdown", { n: number.format(people) }));
          const [fc, fa, fe, mc, ma, me] = values;
          breakdown = { female: { children: fc, adults: fa, elderly: fe }, male: { children: mc, adults: ma, elderly: me } };
        }
      }
      const unaccompanied = whole(`unaccompanied-${group}`, 1000000, say("error_count"), false);
      if (people === null) continue;
      const children = breakdown ? breakdown.female.children + breakdown.male.children : people;
      if (unaccompanied !== null && unaccompanied > children) {
        fail(`unaccompanied-${group}`, say("error_unaccompanied", { n: number.format(children) }));
      }
      const count = { group, people };
      if (breakdown) count.breakdown = breakdown;
      if (unaccompanied !== null) count.unaccompaniedChildren = unaccompanied;
      counts.push(count);
    }
    if (checkpoint && !counts.length && !errors.length) fail(`count-${checkpoint.groups[0]}`, say("error_none"));
    const vehicles = {};
    for (const kind of ["cars", "buses", "ambulances"]) vehicles[kind] = whole(kind, 100000, say("error_vehicles"), false) || 0;
    if (errors.length) return { errors };
    const body = {
      id: uuid(), checkpointId: checkpoint.id, interval: { start: withOffset(start), end: withOffset(end) },
      direction: form.elements.direction.value, counts, vehicles, source,
    };
    if (correcting && correcting.state !== "refused") body.supersedes = correcting.id;
    return { body, operationId: checkpoint.operationId, span: { start: start.getTime(), end: end.getTime() } };
  }

  function showErrors(errors) {
    for (const old of form.querySelectorAll(".error-message")) old.remove();
    for (const field of form.querySelectorAll(".field.invalid")) field.classList.remove("invalid");
    const summary = $("error-summary");
    summary.hidden = !errors.length;
    const list = summary.querySelector("ul");
    list.replaceChildren();
    for (const { id, message } of errors) {
      const input = $(id);
      const details = input.closest("details");
      if (details) details.open = true;
      const field = input.closest(".field");
      field.classList.add("invalid");
      const note = document.createElement("p");
      note.className = "error-message";
      note.id = `${id}-error`;
      note.textContent = message;
      input.before(note);
      input.setAttribute("aria-describedby", note.id);
      const link = document.createElement("a");
      link.href = `#${id}`;
      link.textContent = `${field.querySelector("label").textContent}: ${message}`;
      const item = document.createElement("li");
      item.append(link);
      list.append(item);
    }
    if (errors.length) summary.focus();
  }

  async function save(event) {
    event.preventDefault();
    const { errors, body, operationId, span } = read();
    showErrors(errors || []);
    if (errors) return;
    const replaced = correcting;
    await putTallies([{ id: body.id, operationId, body, state: "waiting", savedAt: Date.now(), attempts: 0 }]);
    if (replaced && replaced.state === "refused") await deleteTally(replaced.id);
    // A correction goes back in time; the next tally follows the last one counted.
    if (!replaced) await remember("lastInterval", span);
    await remember("lastCheckpoint", body.checkpointId);
    stopCorrecting();
    clearCounts();
    await prefill();
    const saved = $("saved");
    saved.textContent = say("saved", { people: number.format(body.counts.reduce((n, c) => n + c.people, 0)) });
    saved.hidden = false;
    await showOutbox();
    send();
  }

  function correct(tally) {
    correcting = tally;
    const body = tally.body;
    clearCounts();
    $("checkpoint").value = body.checkpointId;
    showGroups();
    $("start").value = localValue(new Date(body.interval.start));
    $("end").value = localValue(new Date(body.interval.end));
    form.elements.direction.value = body.direction;
    for (const count of body.counts) {
      $(`count-${count.group}`).value = count.people;
      if (count.breakdown) {
        const { female, male } = count.breakdown;
        [female.children, female.adults, female.elderly, male.children, male.adults, male.elderly]
          .forEach((value, i) => { $(`${bands[i]}-${count.group}`).value = value; });
      }
      if (count.unaccompaniedChildren != null) $(`unaccompanied-${count.group}`).value = count.unaccompaniedChildren;
    }
    for (const kind of ["cars", "buses", "ambulances"]) $(kind).value = body.vehicles[kind] || "";
    const note = $("correcting");
    note.textContent = say("correcting", { when: when.format(new Date(body.interval.start)) });
    note.hidden = false;
    $("save").textContent = say("save_correction");
    $("cancel-correction").hidden = false;
    $("checkpoint").focus();
  }

  function stopCorrecting() {
    correcting = null;
    $("correcting").hidden = true;
    $("save").textContent = say("save");
    $("cancel-correction").hidden = true;
  }

  // ---- The outbox.
  let sending = false;
  let failures = 0;
  let timer = null;

  function later() {
    clearTimeout(timer);
    // Exponential backoff to a minute, with jitter so that phones coming back together spread out.
    const delay = Math.min(60000, 1000 * 2 ** failures) * (0.5 + Math.random());
    timer = setTimeout(send, delay);
  }

  async function send() {
    if (sending || !token) return;
    clearTimeout(timer);
    const waiting = (await allTallies()).filter((t) => t.state === "waiting").sort((a, b) => a.savedAt - b.savedAt);
    if (!waiting.length) { failures = 0; return; }
    sending = true;
    let more = false;
    try {
      const byOperation = new Map();
      for (const tally of waiting) byOperation.set(tally.operationId, [...(byOperation.get(tally.operationId) || []), tally]);
      for (const [operationId, tallies] of byOperation) {
        for (let i = 0; i < tallies.length; i += 100) {
          await sendBatch(operationId, tallies.slice(i, i + 100));
        }
      }
      failures = 0;
      more = (await allTallies()).some((t) => t.state === "waiting");
    } catch (error) {
      failures += 1;
      stats.retries += 1;
      for (const tally of waiting) tally.attempts += 1;
      more = true;
    } finally {
      sending = false;
      await showOutbox();
      if (more) later();
    }
  }

  async function sendBatch(operationId, tallies) {
    stats.batches += 1;
    const response = await fetch(`/api/v1/operations/${operationId}/tallies/batch`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ items: tallies.map((t) => t.body) }),
    });
    await reached();
    if (response.status === 401) { revoked(); throw new Error("revoked"); }
    if (response.status === 422) {
      // The whole batch was refused for one item: set that one aside, send the others again.
      const problem = await response.json().catch(() => ({}));
      const pointer = ((problem.invalidParams || [])[0] || {}).pointer || "";
      const item = tallies[Number(pointer.split("/")[2])];
      if (!item) throw new Error("422");
      item.state = "refused";
      item.problem = problem.detail || pointer;
      await putTallies([item]);
      return;
    }
    if (!response.ok) throw new Error(String(response.status));
    const { results } = await response.json();
    for (const result of results) {
      const tally = tallies[result.index];
      if (result.outcome === "created" || result.outcome === "replayed") {
        tally.state = "sent";
        tally.sentAt = Date.now();
        stats.sent += 1;
      } else if (result.outcome === "conflict") {
        tally.state = "conflict";
        tally.stored = result.tally || null;
      } else {
        tally.state = "refused";
        const problem = result.problem || {};
        tally.problem = (problem.invalidParams || []).map((p) => p.reason).join("; ") || problem.detail || "";
      }
    }
    await putTallies(tallies);
  }

  async function reached() {
    await remember("lastReached", Date.now());
  }

  function revoked() {
    $("connection").textContent = say("revoked");
  }

  const summary = (body) => {
    if (!body) return "—";
    const people = body.counts.reduce((n, c) => n + c.people, 0);
    const groups = body.counts.map((c) => `${say(`group_${c.group}`)} ${number.format(c.people)}`).join(", ");
    const end = new Date(body.interval.end).toLocaleTimeString(texts.locale, { hour: "2-digit", minute: "2-digit" });
    return say("summary", {
      interval: `${when.format(new Date(body.interval.start))}–${end}`, direction: say(`direction_${body.direction}`),
      people: number.format(people), groups,
    });
  };

  async function showOutbox() {
    const tallies = (await allTallies()).sort((a, b) => b.savedAt - a.savedAt);
    const waiting = tallies.filter((t) => t.state === "waiting").length;
    const sent = tallies.filter((t) => t.state === "sent").length;
    $("outbox").hidden = !tallies.length;
    $("outbox").dataset.waiting = waiting;
    $("outbox").dataset.sent = sent;
    $("waiting-count").textContent = say("waiting", { n: number.format(waiting) });
    $("sent-count").textContent = say("sent", { n: number.format(sent) });
    const last = await setting("lastReached");
    $("last-reached").textContent = last ? say("last_reached", { when: when.format(new Date(last)) }) : say("never_reached");
    const correctedBy = new Map(tallies.filter((t) => t.body.supersedes).map((t) => [t.body.supersedes, t]));
    const list = $("tallies");
    list.replaceChildren();
    for (const tally of tallies.slice(0, 100)) {
      const item = document.createElement("li");
      item.dataset.id = tally.id;
      item.dataset.state = tally.state;
      const line = document.createElement("p");
      line.textContent = `${summary(tally.body)} · ${say(`state_${tally.state}`)}`;
      item.append(line);
      const button = (label, action) => {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "secondary";
        b.textContent = label;
        b.addEventListener("click", action);
        item.append(b);
      };
      if (tally.state === "conflict") {
        const note = document.createElement("p");
        note.className = "notice";
        note.textContent = say("conflict", { server: summary(tally.stored), phone: summary(tally.body) });
        item.append(note);
        button(say("keep_as_new"), async () => {
          await deleteTally(tally.id);
          const body = { ...tally.body, id: uuid() };
          await putTallies([{ ...tally, id: body.id, body, state: "waiting", stored: undefined }]);
          await showOutbox();
          send();
        });
        button(say("discard"), async () => { await deleteTally(tally.id); await showOutbox(); });
      } else if (tally.state === "refused") {
        const note = document.createElement("p");
        note.className = "notice";
        note.textContent = say("refused", { reason: tally.problem || "" });
        item.append(note);
        button(say("correct"), () => correct(tally));
      } else if (!correctedBy.has(tally.id)) {
        button(say("correct"), () => correct(tally));
      }
      list.append(item);
    }
    // Acknowledged tallies beyond the 500 newest are let go: the server holds them.
    const old = tallies.filter((t) => t.state === "sent").slice(500);
    for (const tally of old) await deleteTally(tally.id);
  }

  function showConnection() {
    $("connection").textContent = navigator.onLine ? say("online") : say("offline");
  }

  async function loadPlaces() {
    try {
      const response = await fetch("/field/places", { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
      if (response.status === 401) { revoked(); return; }
      if (!response.ok) return;
      await reached();
      places = await response.json();
      await remember("places", places);
      showPlaces();
      await prefill();
    } catch (error) {
      // Offline: the places kept from last time serve.
    }
  }

  async function start() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get("token")) {
      await remember("token", fragment.get("token"));
      history.replaceState(null, "", location.pathname + location.search);
    }
    token = await setting("token");
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(() => {});
    if (navigator.storage && navigator.storage.persist) {
      const persisted = await navigator.storage.persist().catch(() => false);
      $("persistence").textContent = say(persisted ? "persisted" : "not_persisted");
    }
    form.addEventListener("submit", save);
    $("checkpoint").addEventListener("change", showGroups);
    $("cancel-correction").addEventListener("click", () => { stopCorrecting(); clearCounts(); prefill(); });
    $("send-now").addEventListener("click", () => { failures = 0; send(); });
    window.addEventListener("online", () => { showConnection(); failures = 0; send(); });
    window.addEventListener("offline", showConnection);
    showConnection();
    await showOutbox();
    if (!token) { $("no-token").hidden = false; stats.ready = true; return; }
    places = await setting("places");
    if (places) { showPlaces(); await prefill(); }
    await loadPlaces();
    stats.ready = Boolean(places);
    send();
  }

  start();
})();
