// The sandbox page: the world, a room as its users see it, acting as a user through the
// simulation API (/_sandbox/simulate/...), a shortcut search and what the user got, the
// delivery log (with every search) and the fault plan, kept live by the server-sent events of
// /_sandbox/ui/api/events.

import { el, explainAttempt, renderAttempt, renderMessage, renderSearch, renderSearchRow } from "./render.js";

const $ = (id) => document.getElementById(id);

const FAULTS = [
  ["callback_failure_rate", "Callback deliveries fail"],
  ["duplicate_delivery_rate", "Events delivered twice"],
  ["error_rate", "API calls answer 500"],
  ["drop_before_rate", "Connections drop before processing"],
  ["drop_after_rate", "Connections drop after processing"],
  ["token_revocation_rate", "Tokens revoked"],
  ["recipient_error_rate", "Recipients fail"],
];
const LOG_ROWS = 500;

const view = {
  world: null,
  worldRequest: 0,
  as: null, // fcid acted as
  app: null, // app_id whose bot the actions address
  room: null, // room_id shown
  messages: new Map(), // event_id -> message of the room shown
  attempts: new Map(), // key -> callback attempt, or a search (its event id)
  searching: 0, // the search whose answer is awaited: an earlier one's, come late, is not shown
  secrets: new Map(), // app_id -> secret, once asked for
};

// ---- the simulation API -----------------------------------------------------------------------

async function call(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const why = data && data.error ? `${data.errcode}: ${data.error}` : `HTTP ${response.status}`;
    throw new Error(why);
  }
  return data;
}

function say(text, isError = false) {
  const toast = $("toast");
  toast.textContent = text;
  toast.className = isError ? "toast error" : "toast";
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { toast.textContent = ""; }, isError ? 8000 : 4000);
}

async function act(what, method, path, body) {
  try {
    return await call(method, path, body);
  } catch (error) {
    say(`${what}: ${error.message}`, true);
    return null;
  }
}

// ---- the world --------------------------------------------------------------------------------

function users() { return view.world ? view.world.users : []; }
function apps() { return view.world ? view.world.apps : []; }
function rooms() { return view.world ? view.world.rooms : []; }
function app(appId) { return apps().find((a) => a.app_id === appId) || null; }
function room(roomId) { return rooms().find((r) => r.room_id === roomId) || null; }
function bots() { return new Set(apps().map((a) => a.bot)); }

function names() {
  const out = new Map();
  for (const user of users()) out.set(user.fcid, (user.profile && user.profile.name) || user.fcid);
  return out;
}

function roomName(r) {
  return r.name || r.room_id;
}

function roomSummary(r) {
  const who = names();
  const members = r.members.map((m) => who.get(m) || m);
  const kind = r.type === "direct_room" ? "direct" : r.type === "multi_room" ? "group" : r.type;
  const count = r.messages === 1 ? "1 message" : `${r.messages} messages`;
  return `${kind} · ${members.join(", ")} · ${count}`;
}

async function loadWorld() {
  const ticket = ++view.worldRequest;
  const world = await act("Loading the world", "GET", "api/world");
  if (!world || ticket !== view.worldRequest) return;
  const before = view.world;
  view.world = world;
  const humans = users().filter((u) => !u.is_bot);
  if (!view.as || !users().some((u) => u.fcid === view.as)) view.as = humans.length ? humans[0].fcid : null;
  if (!view.app || !app(view.app)) view.app = world.default_app_id;
  // Redraw only what changed: a form being filled in (a callback URL) keeps its text and focus.
  const changed = (part) => !before || JSON.stringify(before[part]) !== JSON.stringify(world[part]);
  if (changed("users") || changed("apps")) showPickers();
  if (changed("rooms") || changed("users")) showRooms();
  if (changed("apps")) showApps();
  if (changed("users")) showUsers();
  if (changed("apps") || changed("global_faults")) showFaults();
  showRoomHead();
  showSearchNote();
}

function showPickers() {
  const who = $("as-user");
  who.replaceChildren(...users().filter((u) => !u.is_bot).map((u) =>
    el("option", { value: u.fcid, selected: u.fcid === view.as, text: `${(u.profile && u.profile.name) || u.fcid} (${u.fcid})` })));
  const bot = $("as-app");
  bot.replaceChildren(...apps().map((a) =>
    el("option", { value: a.app_id, selected: a.app_id === view.app, text: a.name || a.app_id })));
}

function showRooms() {
  const mine = rooms().filter((r) => r.members.includes(view.as));
  const others = rooms().filter((r) => !r.members.includes(view.as));
  const item = (r) => {
    const button = el("button", { type: "button", class: "room-link", "data-room": r.room_id, "aria-current": r.room_id === view.room ? "true" : undefined, text: roomName(r) });
    button.addEventListener("click", () => openRoom(r.room_id));
    return el("li", { class: r.members.includes(view.as) ? "" : "not-member" }, button, el("small", { class: "muted", text: roomSummary(r) }));
  };
  const list = $("rooms");
  list.replaceChildren(...mine.map(item));
  if (others.length) {
    list.append(el("li", { class: "group-title muted", text: "Rooms this user is not in" }), ...others.map(item));
  }
}

function showApps() {
  const list = $("apps");
  list.replaceChildren(...apps().map((a) => {
    const badges = [a.published ? "published" : "not published", a.admin ? "admin" : null].filter(Boolean).join(" · ");
    const secret = el("span", { class: "secret" });
    const shown = view.secrets.get(a.app_id);
    if (shown !== undefined) {
      secret.append(el("code", { text: shown }), " ");
      const hide = el("button", { type: "button", class: "small", text: "Hide secret" });
      hide.addEventListener("click", () => { view.secrets.delete(a.app_id); showApps(); });
      secret.append(hide);
    } else {
      const show = el("button", { type: "button", class: "small", text: `Show secret of ${a.name || a.app_id}` });
      show.addEventListener("click", async () => {
        const answer = await act("Reading the secret", "GET", `api/apps/${encodeURIComponent(a.app_id)}/secret`);
        if (answer) { view.secrets.set(a.app_id, answer.secret); showApps(); }
      });
      secret.append(show);
    }
    return el("li", {},
      el("strong", { text: a.name || a.app_id }), " ", el("small", { class: "muted", text: badges }),
      el("br"), el("code", { text: a.app_id }), el("br"),
      el("small", { text: `bot ${a.bot}` }), el("br"),
      callbackForm(a), secret);
  }));
}

function callbackForm(a) {
  const form = el("form", { class: "callback" });
  const label = a.name || a.app_id;
  const url = el("input", { type: "url", required: true, placeholder: "http://127.0.0.1:9000/callback", value: a.callback_url || "", "aria-label": `Callback URL of ${label}` });
  const token = el("input", { type: "password", required: true, placeholder: "verification token", autocomplete: "off", "aria-label": `Verification token of ${label}` });
  const save = el("button", { type: "submit", class: "small", text: "Set callback" });
  form.append(el("small", { text: a.callback_url ? "events go to" : "no callback: its events go nowhere" }), url, token, save);
  if (a.callback_url) {
    const remove = el("button", { type: "button", class: "small", text: "Remove callback" });
    remove.addEventListener("click", () => act("Removing the callback", "DELETE", `../apps/${encodeURIComponent(a.app_id)}/callback`));
    form.append(remove);
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { url: url.value, token: token.value };
    token.value = ""; // the token is not kept on the page
    await act("Setting the callback", "PUT", `../apps/${encodeURIComponent(a.app_id)}/callback`, body);
  });
  return form;
}

function showUsers() {
  $("users").replaceChildren(...users().map((u) => el("li", {},
    el("span", { text: (u.profile && u.profile.name) || u.fcid }), " ",
    el("small", { class: "muted", text: u.is_bot ? `${u.fcid} · bot` : u.fcid }))));
}

// ---- the room ---------------------------------------------------------------------------------

// Which app a message typed in room `r` goes to, and how: a direct room with a bot, or a group
// room where the chosen bot (else the first bot there) is a member.
function target(r) {
  if (!r || !view.as) return { why: "Pick a room." };
  if (!r.members.includes(view.as)) return { why: `${names().get(view.as) || view.as} is not in this room.` };
  const inRoom = apps().filter((a) => r.members.includes(a.bot));
  if (!inRoom.length) return { why: "No bot is in this room: nothing would reach an app." };
  const chosen = inRoom.find((a) => a.app_id === view.app) || inRoom[0];
  if (r.type === "direct_room") return { app: chosen, how: "direct" };
  return { app: chosen, how: "mention" };
}

function showRoomHead() {
  const r = room(view.room);
  $("room-title").textContent = r ? roomName(r) : "Pick a room";
  $("room-info").textContent = r ? roomSummary(r) : "";
  const aim = target(r);
  const usable = Boolean(aim.app);
  $("message").disabled = !usable;
  $("send").disabled = !usable;
  let note = aim.why || "";
  if (usable) {
    const botName = names().get(aim.app.bot) || aim.app.bot;
    note = aim.how === "direct"
      ? `A direct message to ${botName}: the app receives m.room.message (m.text).`
      : `A group message @-mentioning ${botName}: the app receives m.room.message (m.alert).`;
    if (!aim.app.callback_url) note += ` ${aim.app.name || aim.app.app_id} has no callback URL: set one under Apps.`;
  }
  $("composer-note").textContent = note;
  for (const button of document.querySelectorAll(".room-link")) {
    if (button.dataset.room === view.room) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
}

function renderContext() {
  const r = room(view.room);
  return {
    names: names(),
    bots: bots(),
    me: view.as,
    interactive: (message) => Boolean(r && r.members.includes(view.as) && bots().has(message.sender)),
    submit: submitCard,
  };
}

async function openRoom(roomId) {
  performance.mark("room-open");
  view.room = roomId;
  saveHash();
  showRoomHead();
  const list = $("messages");
  list.setAttribute("aria-busy", "true");
  delete document.body.dataset.rendered;
  const messages = await act("Loading the room", "GET", `../rooms/${encodeURIComponent(roomId)}/messages`);
  if (view.room !== roomId) return;
  view.messages = new Map();
  const ctx = renderContext();
  const nodes = document.createDocumentFragment();
  for (const message of messages || []) {
    view.messages.set(message.event_id, message);
    nodes.append(renderMessage(message, ctx));
  }
  list.replaceChildren(nodes);
  list.removeAttribute("aria-busy");
  list.scrollTop = list.scrollHeight; // lays the room out
  // Painted once the frame after this one begins: what `scripts/bench ui` measures.
  requestAnimationFrame(() => setTimeout(() => {
    performance.measure("room-render", "room-open");
    document.body.dataset.rendered = String(list.childElementCount);
  }));
}

function version(message) {
  return Array.isArray(message.history) ? message.history.length : 0;
}

// A message of the room shown, new or updated: a CUI card changes in place.
function upsertMessage(message) {
  if (message.room_id !== view.room) return;
  const known = view.messages.get(message.event_id);
  if (known && version(known) > version(message)) return; // an older copy, come late
  view.messages.set(message.event_id, message);
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const node = renderMessage(message, renderContext());
  const old = list.querySelector(`[data-event="${CSS.escape(message.event_id)}"]`);
  if (old) old.replaceWith(node);
  else list.append(node);
  if (atBottom || message.sender === view.as) list.scrollTop = list.scrollHeight;
}

// ---- acting as the user -----------------------------------------------------------------------

async function send(event) {
  event.preventDefault();
  const box = $("message");
  const text = box.value;
  const r = room(view.room);
  const aim = target(r);
  if (!text.trim() || !aim.app) return;
  box.value = "";
  if (aim.how === "direct") {
    await act("Sending", "POST", "../simulate/user-message?wait=false", { fcid: view.as, body: text, app_id: aim.app.app_id });
  } else {
    const botName = names().get(aim.app.bot) || aim.app.bot;
    const body = text.includes(`@${botName}`) ? text : `@${botName} ${text}`;
    await act("Sending", "POST", "../simulate/mention?wait=false", { fcid: view.as, room_id: r.room_id, body, app_id: aim.app.app_id });
  }
  box.focus();
}

async function submitCard(message, info, action) {
  const answer = await act("Submitting the card", "POST", "../simulate/submit-cui?wait=false", {
    fcid: view.as, origin_event: message.event_id, info, action, app_id: message.app_id || view.app,
  });
  if (answer) say("Card submitted: the app receives finstore.room.interactcui.");
}

async function openDirect() {
  const answer = await act("Opening a direct room", "POST", "../simulate/open-direct-room?wait=false", { fcid: view.as, app_id: view.app });
  if (!answer) return;
  await loadWorld();
  openRoom(answer.event.room_id);
}

async function apply() {
  const answer = await act("Applying", "POST", "../simulate/apply-for-app?wait=false", { fcid: view.as, app_id: view.app });
  if (answer) say("Applied: every admin app receives finstore.app.application.");
}

// ---- shortcut search --------------------------------------------------------------------------

function canSearch() {
  return Boolean(view.world && view.world.simulate.includes("simulate_search") && view.as && app(view.app));
}

function showSearchNote() {
  const usable = canSearch();
  $("search-text").disabled = !usable;
  $("search-go").disabled = !usable;
  const a = app(view.app);
  let note = "";
  if (view.world && !view.world.simulate.includes("simulate_search")) note = "This sandbox's simulation API has no search.";
  else if (a) {
    const who = names().get(view.as) || view.as;
    const where = a.search_url ? `its search URL ${a.search_url}`
      : a.callback_url ? `its callback URL ${a.callback_url}` : null;
    note = where
      ? `${who} searches ${a.name || a.app_id}: finstore.shortcut.search is POSTed once to ${where}; FinChat waits 5 s at most for the answer.`
      : `${a.name || a.app_id} has no search URL or callback URL: a search reaches no bot.`;
  }
  $("search-note").textContent = note;
}

function number(id, fallback) {
  const value = Number.parseInt($(id).value, 10);
  return Number.isNaN(value) ? fallback : value;
}

async function search(event) {
  if (event) event.preventDefault();
  const text = $("search-text").value;
  if (!text.trim() || !canSearch()) return;
  const ticket = ++view.searching;
  const results = $("search-results");
  const button = $("search-go");
  results.setAttribute("aria-busy", "true");
  results.replaceChildren(el("p", { class: "muted", text: "Searching… (FinChat waits 5 s at most)" }));
  button.disabled = true;
  const body = { fcid: view.as, search_text: text, page_no: number("search-page", 0), page_size: number("search-size", 10), app_id: view.app };
  const record = await act("Searching", "POST", "../simulate/search", body);
  if (ticket !== view.searching) return;
  button.disabled = !canSearch();
  results.removeAttribute("aria-busy");
  if (!record) {
    results.replaceChildren();
    return;
  }
  addSearch(record);
  results.replaceChildren(renderSearch(record, { page: (n) => { $("search-page").value = String(n); search(); } }));
  results.scrollIntoView({ block: "nearest" }); // the world's column may be scrolled away from it
}

// ---- the delivery log -------------------------------------------------------------------------

function attemptKey(a) {
  return `${a.app_id} ${a.event_id} ${a.attempt} ${a.duplicate ? 1 : 0} ${a.at}`;
}

function appNames() {
  return new Map(apps().map((a) => [a.app_id, a.name || a.app_id]));
}

function addAttempt(a, render = true) {
  const key = attemptKey(a);
  if (view.attempts.has(key)) return;
  view.attempts.set(key, a);
  if (!render) return;
  const body = $("log").tBodies[0];
  body.prepend(renderAttempt(a, appNames()));
  while (body.rows.length > LOG_ROWS) body.deleteRow(-1);
  if (!a.delivered) say(`Delivery of ${a.event_type} failed: ${explainAttempt(a)}`, true);
}

// A search is one POST to the app, shown in the log beside the deliveries.
function addSearch(record, render = true) {
  const key = `search ${record.event_id}`;
  if (view.attempts.has(key)) return;
  view.attempts.set(key, { ...record, search: true });
  if (!render) return;
  const body = $("log").tBodies[0];
  body.prepend(renderSearchRow(record, appNames()));
  while (body.rows.length > LOG_ROWS) body.deleteRow(-1);
}

async function loadAttempts() {
  const [all, searches] = await Promise.all([
    act("Loading the delivery log", "GET", "../callbacks"),
    act("Loading the searches", "GET", "../searches"),
  ]);
  if (!all) return;
  view.attempts = new Map();
  for (const a of all) addAttempt(a, false);
  for (const record of searches || []) addSearch(record, false);
  // Sorted is stable: attempts and searches of the same moment keep the order they came in.
  const rows = [...view.attempts.values()].sort((x, y) => x.at - y.at).slice(-LOG_ROWS).reverse();
  const names = appNames();
  $("log").tBodies[0].replaceChildren(...rows.map((a) => (a.search ? renderSearchRow(a, names) : renderAttempt(a, names))));
}

// ---- the fault plan ---------------------------------------------------------------------------

function buildFaultToggles() {
  const box = $("fault-toggles");
  for (const [field, label] of FAULTS) {
    const check = el("input", { type: "checkbox", id: `fault-${field}`, "data-field": field });
    const rate = el("input", { type: "number", min: "0", max: "1", step: "0.1", value: "1", "data-rate": field, "aria-label": `Rate: ${label}` });
    box.append(el("div", { class: "fault" }, check, el("label", { for: check.id, text: label }), rate));
  }
  const slow = el("input", { type: "checkbox", id: "fault-latency", "data-field": "latency" });
  const seconds = el("input", { type: "number", min: "0", step: "0.5", value: "2", "data-rate": "latency", "aria-label": "Seconds: Slow API calls" });
  box.append(el("div", { class: "fault" }, slow, el("label", { for: slow.id, text: "Slow API calls (seconds)" }), seconds));
}

function currentPlan() {
  const scope = $("fault-scope").value;
  if (!view.world) return null;
  if (!scope) return view.world.global_faults;
  const a = app(scope);
  return a ? a.faults : null;
}

function showFaults() {
  const scope = $("fault-scope");
  const chosen = scope.value;
  scope.replaceChildren(el("option", { value: "", text: "every app" }),
    ...apps().map((a) => el("option", { value: a.app_id, selected: a.app_id === chosen, text: a.name || a.app_id })));
  const plan = currentPlan();
  for (const check of document.querySelectorAll("#fault-toggles [data-field]")) {
    const field = check.dataset.field;
    const value = plan ? plan[field] : 0;
    check.checked = Boolean(value);
    if (value) document.querySelector(`[data-rate="${field}"]`).value = String(value);
  }
  $("fault-seed").value = String(plan ? plan.seed : 0);
}

async function applyFaults() {
  const scope = $("fault-scope").value;
  const plan = { seed: Number.parseInt($("fault-seed").value, 10) || 0 };
  let any = false;
  for (const check of document.querySelectorAll("#fault-toggles [data-field]")) {
    if (!check.checked) continue;
    const field = check.dataset.field;
    const value = Number.parseFloat(document.querySelector(`[data-rate="${field}"]`).value);
    if (!(value > 0)) continue;
    plan[field] = field === "latency" ? value : Math.min(value, 1);
    any = true;
  }
  if (scope) plan.app_id = scope;
  if (any) await act("Installing the fault plan", "PUT", "../faults", plan);
  else await act("Removing the fault plan", "DELETE", scope ? `../faults?app_id=${encodeURIComponent(scope)}` : "../faults");
}

// ---- live updates -----------------------------------------------------------------------------

let reloadTimer = null;
function reloadWorldSoon() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(loadWorld, 50);
}

async function reloadAll() {
  await loadWorld();
  await Promise.all([view.room ? openRoom(view.room) : null, loadAttempts()]);
}

function follow() {
  const live = $("live");
  const source = new EventSource("api/events");
  source.addEventListener("open", () => { live.textContent = "live"; live.className = "live on"; });
  source.addEventListener("error", () => { live.textContent = "reconnecting…"; live.className = "live off"; });
  source.addEventListener("hello", reloadAll);
  source.addEventListener("reset", reloadAll);
  source.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    upsertMessage(message);
    reloadWorldSoon(); // the rooms' message counts, a room not seen yet
  });
  source.addEventListener("room", reloadWorldSoon);
  source.addEventListener("world", reloadWorldSoon);
  source.addEventListener("delivery", (event) => addAttempt(JSON.parse(event.data)));
  source.addEventListener("search", (event) => addSearch(JSON.parse(event.data)));
}

// ---- where the page is: #as=...&app=...&room=... ------------------------------------------

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  view.as = params.get("as") || view.as;
  view.app = params.get("app") || view.app;
  view.room = params.get("room") || view.room;
}

function saveHash() {
  const params = new URLSearchParams();
  if (view.as) params.set("as", view.as);
  if (view.app) params.set("app", view.app);
  if (view.room) params.set("room", view.room);
  history.replaceState(null, "", `#${params}`);
}

function start() {
  readHash();
  buildFaultToggles();
  $("composer").addEventListener("submit", send);
  $("message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("as-user").addEventListener("change", (event) => {
    view.as = event.target.value;
    // Show the user's direct room with the bot, if there is one.
    const chosen = app(view.app);
    const direct = rooms().find((r) => r.type === "direct_room" && chosen && r.members.includes(view.as) && r.members.includes(chosen.bot));
    if (direct) view.room = direct.room_id;
    saveHash();
    showRooms();
    showRoomHead();
    showSearchNote();
    if (view.room) openRoom(view.room);
  });
  $("as-app").addEventListener("change", (event) => { view.app = event.target.value; saveHash(); showRoomHead(); showSearchNote(); });
  $("search").addEventListener("submit", search);
  $("open-direct").addEventListener("click", openDirect);
  $("apply").addEventListener("click", apply);
  $("fault-scope").addEventListener("change", showFaults);
  $("faults").addEventListener("change", (event) => { if (event.target.id !== "fault-scope") applyFaults(); });
  $("faults").addEventListener("submit", (event) => event.preventDefault());
  follow();
}

start();
