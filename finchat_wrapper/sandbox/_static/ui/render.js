// What a room shows, built as DOM nodes: messages of every type and CUI cards of every element
// of the CUI format (context/text, divider, image, text-input, dropdown-input, submit, reply,
// openurl); what a user got from a shortcut search; the delivery log's rows. Whatever a bot
// sent is set as text or as attributes, never parsed as HTML, and only http(s) links are made
// clickable.

const MEDIA = "../media?uri=";

export function mediaUrl(uri) {
  return MEDIA + encodeURIComponent(uri);
}

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function safeLink(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function outLink(url, label, cls) {
  const href = safeLink(url);
  if (href === null) {
    return el("span", { class: `${cls} dead`, title: `not an http(s) link: ${url}`, text: label });
  }
  return el("a", { class: cls, href, target: "_blank", rel: "noopener noreferrer", text: label });
}

function size(bytes) {
  if (typeof bytes !== "number") return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const clock = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
});
const day = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });

// The time of day; the date too when it is not today (a world file's messages may be old).
export function time(ms) {
  const when = new Date(ms);
  const today = new Date().toDateString() === when.toDateString();
  return today ? clock.format(when) : `${day.format(when)} ${clock.format(when)}`;
}

function str(value) {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

// ---- messages ---------------------------------------------------------------------------------

// ctx: {names: Map fcid -> display name, me: fcid acted as, bots: Set of bot fcids,
//       interactive(message) -> bool, submit(message, info, action)}
export function renderMessage(message, ctx) {
  const content = message.content || {};
  const fromBot = ctx.bots.has(message.sender);
  const classes = ["msg", fromBot ? "from-bot" : "from-user"];
  if (message.sender === ctx.me) classes.push("mine");
  const item = el("li", { class: classes.join(" "), "data-event": message.event_id });
  const name = ctx.names.get(message.sender) || message.sender || "FinChat";
  item.append(
    el("div", { class: "meta" },
      el("span", { class: "who", title: message.sender, text: name }),
      el("time", { datetime: new Date(message.timestamp).toISOString(), text: time(message.timestamp) }),
    ),
    renderContent(message, content, ctx),
  );
  return item;
}

function renderContent(message, content, ctx) {
  switch (content.msgtype) {
    case "m.text":
    case "m.alert":
    case "m.notice":
      return el("p", { class: "text", text: str(content.body) });
    case "m.image":
      return renderImage(content);
    case "m.file":
      return renderFile(content);
    case "m.textcard":
      return renderTextCard(content);
    case "m.cui":
      return renderCard(message, content, ctx);
    default:
      return el("pre", { class: "raw", text: JSON.stringify(content, null, 2) });
  }
}

function renderImage(content) {
  const info = content.info || {};
  const img = el("img", {
    src: mediaUrl(str(content.o_url)),
    alt: str(content.body) || "image",
    loading: "lazy",
    width: Number.isInteger(info.w) ? info.w : undefined,
    height: Number.isInteger(info.h) ? info.h : undefined,
  });
  return el("figure", { class: "image" }, img, el("figcaption", { text: str(content.body) }));
}

function renderFile(content) {
  const info = content.info || {};
  const name = str(content.body) || "file";
  return el("p", { class: "file" },
    el("a", { href: mediaUrl(str(content.o_url)), download: name, text: name }),
    el("span", { class: "muted", text: [info.mimetype, size(info.size)].filter(Boolean).join(", ") }),
  );
}

function renderTextCard(content) {
  const info = content.info || {};
  const card = el("article", { class: "textcard" });
  if (content.o_url) card.append(el("img", { src: mediaUrl(str(content.o_url)), alt: "", loading: "lazy" }));
  card.append(el("h3", { text: str(info.title) }), el("p", { text: str(info.description) }));
  if (info.url) {
    const where = info.opentype === "inapp" ? "opens in the app" : "opens in the browser";
    card.append(outLink(info.url, str(info.btntext) || "Open", "button"), el("span", { class: "muted", text: ` ${where}` }));
  }
  return card;
}

// ---- CUI cards --------------------------------------------------------------------------------

let fieldIds = 0;

export function renderCard(message, content, ctx) {
  const info = content.info || {};
  const status = info.status || "input";
  const elements = Array.isArray(info.elements) ? info.elements : [];
  const form = el("form", { class: `cui status-${status}`, "data-event": message.event_id, "aria-busy": status === "loading" });
  const title = elements.find((e) => e && e.subtype === "text");
  form.setAttribute("aria-label", title ? str(title.value) : "Card");
  const body = el("fieldset", { class: "cui-body" });
  body.disabled = status !== "input" || !ctx.interactive(message);
  for (const element of elements) body.append(renderElement(element || {}, message, ctx));
  form.append(body);
  const notes = [];
  if (status === "loading") notes.push("loading…");
  if (status === "disable") notes.push("read-only");
  if (info.shared === false) notes.push("a copy per user");
  const updates = Array.isArray(message.history) ? message.history.length : 0;
  if (updates) notes.push(updates === 1 ? "updated once" : `updated ${updates} times`);
  if (notes.length) form.append(el("p", { class: "cui-notes muted", text: notes.join(" · ") }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = event.submitter;
    ctx.submit(message, cardInputs(form), (button && button.dataset.action) || "submit");
  });
  return form;
}

function cardInputs(form) {
  const info = {};
  for (const field of form.querySelectorAll("[data-key]")) {
    if (field.tagName === "INPUT" || field.tagName === "SELECT") info[field.dataset.key] = field.value;
  }
  return info;
}

function renderElement(element, message, ctx) {
  const label = str(element.placeholder) || str(element.key);
  switch (`${element.type}/${element.subtype}`) {
    case "context/text":
      return el("p", { class: "cui-text", text: str(element.value) });
    case "divider/divider": {
      const rule = el("hr", { class: "cui-divider" });
      const height = Number.parseInt(element.height, 10);
      if (height > 0) rule.style.borderTopWidth = `${Math.min(height, 16)}px`;
      if (typeof element.background === "string") rule.style.borderTopColor = element.background;
      return rule;
    }
    case "image/image":
      return el("img", { class: "cui-image", src: mediaUrl(str(element.o_url)), alt: "", loading: "lazy" });
    case "input/text-input": {
      const id = `cui-field-${++fieldIds}`;
      return el("div", { class: "cui-field" },
        el("input", {
          id, type: "text", "aria-label": label, placeholder: str(element.placeholder),
          value: str(element.value), "data-key": str(element.key), title: `submitted as ${str(element.key)}`,
        }),
      );
    }
    case "input/dropdown-input": {
      const select = el("select", { "aria-label": label, "data-key": str(element.key), title: `submitted as ${str(element.key)}` });
      const chosen = str(element.value);
      select.append(el("option", { value: "", disabled: true, selected: chosen === "", text: str(element.placeholder) || "Choose…" }));
      for (const option of Array.isArray(element.options) ? element.options : []) {
        const value = str(option && option.value);
        select.append(el("option", { value, selected: value !== "" && value === chosen, text: str(option && option.label) }));
      }
      return el("div", { class: "cui-field" }, select);
    }
    case "button/submit":
      return el("button", { type: "submit", class: "cui-submit", "data-action": str(element.action) || "submit", text: str(element.value) || "Submit" });
    case "button/reply": {
      const button = el("button", { type: "button", class: "cui-reply", "data-status": str(element.status) || undefined, text: str(element.value) });
      button.addEventListener("click", () => {
        const form = button.closest("form");
        ctx.submit(message, { ...cardInputs(form), [str(element.key)]: str(element.value) }, "submit");
      });
      return button;
    }
    case "button/openurl":
      return outLink(element.action, str(element.value) || str(element.action), "cui-openurl button");
    default:
      return el("p", { class: "cui-unknown muted", text: `[${str(element.type)}/${str(element.subtype)}: not an element of the CUI format]` });
  }
}

// ---- shortcut search --------------------------------------------------------------------------

const OPENS = { inapp: "opens in the app", inbrowser: "opens in the browser" };

function seconds(record) {
  return typeof record.seconds === "number" ? `${record.seconds.toFixed(2)} s` : "";
}

function count(n) {
  return n === 1 ? "1 result" : `${n} results`;
}

// A search as the delivery log says it: what the user got, or why they got nothing.
export function explainSearch(record) {
  if (!record.answered) return `the user got nothing: ${str(record.error) || "no answer"}`;
  const content = (record.result && record.result.content) || {};
  const shown = Array.isArray(content.list) ? content.list.length : 0;
  return `answered in ${seconds(record)}: ${count(shown)} of ${str(content.total)}`;
}

// What the user got from a search (a `SearchRecord` of the simulation API), as FinChat lists it.
// ctx: {page(n): search again for page n}
export function renderSearch(record, ctx) {
  const box = el("div", { class: "search-answer", "data-event": record.event_id });
  const asked = `“${str(record.search_text)}”, page ${record.page_no} (${record.page_size} a page)`;
  box.append(el("p", { class: "search-asked muted", text: asked }));
  if (!record.answered) {
    box.append(
      el("p", { class: "search-failed", text: `The user sees no results: ${str(record.error) || "no answer"}` }),
      el("p", { class: "muted small", text: `${record.seconds >= 0.005 ? `After ${seconds(record)}. ` : ""}A search is sent once: FinChat does not ask again.` }),
    );
    return box;
  }
  const result = record.result || {};
  const content = result.content || {};
  const items = Array.isArray(content.list) ? content.list : [];
  const opens = OPENS[content.opentype] || `opens: ${str(content.opentype)}`;
  const list = el("ol", { class: "search-list", "aria-label": `Results for ${str(record.search_text)}` });
  for (const item of items) {
    const entry = item || {};
    const title = str(entry.title);
    const head = entry.url
      ? el("span", {}, outLink(entry.url, title, "search-title"), el("small", { class: "muted", text: ` ${opens}` }))
      : el("span", { class: "search-title", title: "no url: tapping it does nothing", text: title });
    const kind = entry.type && entry.type !== "text" ? el("small", { class: "muted", text: ` [${str(entry.type)}]` }) : null;
    list.append(el("li", {}, head, kind, el("p", { text: str(entry.description) })));
  }
  if (items.length) box.append(list);
  else {
    box.append(
      el("p", { class: "search-empty", text: "No results." }),
      el("p", { class: "muted small", text: "A WebhookReceiver answers its search_fallback (no results by default) when the handler overruns its deadline, fails or returns something else: the bot's log says which." }),
    );
  }
  const total = Number.isInteger(content.total) ? content.total : items.length;
  box.append(el("p", { class: "search-summary muted", text: `layout ${str(result.layout)} · ${count(items.length)} shown of ${total} · answered in ${seconds(record)}` }));
  const pages = el("div", { class: "search-pages" });
  if (record.page_no > 0) pages.append(pageButton("Previous page", record.page_no - 1, ctx));
  if ((record.page_no + 1) * record.page_size < total) pages.append(pageButton("Next page", record.page_no + 1, ctx));
  if (pages.childElementCount) box.append(pages);
  return box;
}

function pageButton(label, n, ctx) {
  const button = el("button", { type: "button", class: "small", text: label });
  button.addEventListener("click", () => ctx.page(n));
  return button;
}

// A search in the delivery log: one POST to the app, never sent again.
export function renderSearchRow(record, appNames) {
  const row = el("tr", { class: record.answered ? "ok search" : "failed search", "data-event": record.event_id });
  const app = appNames.get(record.app_id) || record.app_id;
  row.append(
    el("td", {}, el("span", { text: record.at ? time(record.at * 1000) : "" }), el("br"), el("small", { class: "muted", text: "search, once" })),
    el("td", {}, el("span", { class: "etype", text: "finstore.shortcut.search" }), el("br"), el("small", { class: "muted", title: record.event_id, text: app })),
    el("td", { class: "status", text: typeof record.status === "number" ? String(record.status) : "—" }),
    el("td", { class: "why", text: explainSearch(record) }),
  );
  return row;
}

// ---- the delivery log -------------------------------------------------------------------------

// Why an attempt failed, in the words a bot developer looks for.
export function explainAttempt(attempt) {
  if (attempt.delivered) return attempt.duplicate ? "delivered again (a duplicate, on purpose)" : "delivered";
  const error = str(attempt.error);
  if (error === "injected delivery failure") return "failed on purpose: the fault plan's callback failures";
  if (attempt.status === 401 || attempt.status === 403) return `refused (${attempt.status}): wrong verification token?`;
  if (typeof attempt.status === "number") {
    return attempt.status >= 500 ? `the bot failed: it answered ${attempt.status}` : `the bot answered ${attempt.status}, not 200`;
  }
  if (/timeout/i.test(error)) return `timeout: no answer in time (${error})`;
  if (/connect/i.test(error)) return `no connection: is the bot listening at its callback URL? (${error})`;
  return error || "failed";
}

export function renderAttempt(attempt, appNames) {
  const ok = attempt.delivered;
  const row = el("tr", { class: ok ? "ok" : "failed", "data-event": attempt.event_id });
  const when = attempt.at ? time(attempt.at * 1000) : "";
  const app = appNames.get(attempt.app_id) || attempt.app_id;
  let tries = attempt.attempt > 1 ? `retry ${attempt.attempt - 1}` : "first try";
  if (attempt.duplicate) tries += ", duplicate";
  row.append(
    el("td", {}, el("span", { text: when }), el("br"), el("small", { class: "muted", text: tries })),
    el("td", {}, el("span", { class: "etype", text: attempt.event_type }), el("br"), el("small", { class: "muted", title: attempt.event_id, text: app })),
    el("td", { class: "status", text: attempt.status === null || attempt.status === undefined ? "—" : String(attempt.status) }),
    el("td", { class: "why", text: explainAttempt(attempt) }),
  );
  return row;
}
