// mhqa chat page: streams replies from /v1/chat/completions and shows help lines for crisis replies.
// Privacy: the conversation lives in `history` (this tab's memory) only. No cookies, no
// localStorage/sessionStorage, no third-party requests (the server's CSP forbids them anyway).
"use strict";

const state = {
  history: [],          // [{role, content}] sent with each request
  countries: new Map(), // country_code -> {country, emergency, resources}
  apiKey: "",           // only when the server asks for one; kept in memory
  busy: false,
  controller: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

// ---- phone and text links ------------------------------------------------------------------

// "14416 or 1-800-891-4416" -> ["14416", "1-800-891-4416"]; text that is not a number -> []
function phoneNumbers(value) {
  if (!value) return [];
  return value.split(/\s+or\s+|,\s*/i).map((s) => s.trim()).filter((s) => /^\+?[\d][\d\s().-]*$/.test(s));
}

const telHref = (number) => "tel:" + number.replace(/[^\d+]/g, "");

// "Text HOME to 741741" -> sms:741741?body=HOME ; "988" -> sms:988
function smsLink(value) {
  if (!value) return null;
  const m = value.match(/^text\s+(\S+)\s+to\s+(\+?[\d\s-]+)$/i);
  if (m) return { href: `sms:${m[2].replace(/[^\d+]/g, "")}?body=${encodeURIComponent(m[1])}`, label: value };
  const numbers = phoneNumbers(value);
  if (numbers.length) return { href: "sms:" + numbers[0].replace(/[^\d+]/g, ""), label: "Text " + numbers[0] };
  return null;
}

function emergencyNode(emergency) {
  const numbers = phoneNumbers(emergency);
  if (!numbers.length) return document.createTextNode(emergency);
  const span = el("span");
  numbers.forEach((n, i) => {
    if (i) span.append(" or ");
    span.append(el("a", { href: telHref(n), class: "tel", text: n }));
  });
  return span;
}

// ---- help card ------------------------------------------------------------------------------

function helpCard(info, { urgent = true } = {}) {
  const card = el("section", { class: "help-card" + (urgent ? " urgent" : ""), "aria-label": "Help lines",
                               role: urgent ? "alert" : null });
  card.append(el("h2", { text: urgent ? "Please reach out to someone now" : `Help lines: ${info.country}` }));
  const emergency = el("p", { class: "emergency" });
  emergency.append("If you or someone else is in immediate danger, call ", emergencyNode(info.emergency), ".");
  card.append(emergency);
  const list = el("ul", { class: "lines" });
  for (const r of info.resources || []) {
    const actions = el("div", { class: "actions" });
    for (const n of phoneNumbers(r.phone)) {
      actions.append(el("a", { class: "btn call", href: telHref(n), text: `Call ${n}` }));
    }
    const sms = smsLink(r.text);
    if (sms) actions.append(el("a", { class: "btn text", href: sms.href, text: sms.label }));
    if (r.url) actions.append(el("a", { class: "btn web", href: r.url, target: "_blank",
                                        rel: "noopener noreferrer", text: "Website" }));
    const item = el("li", {}, el("strong", { text: r.name }));
    if (r.hours) item.append(el("span", { class: "hours", text: r.hours }));
    item.append(actions);
    list.append(item);
  }
  card.append(list);
  return card;
}

function currentInfo() {
  const code = $("country").value;
  return state.countries.get(code) || { country: "your country", emergency: "your local emergency number", resources: [] };
}

function localeFor(code) {
  return code === "INTL" ? "en" : `en-${code}`;
}

// ---- conversation view ---------------------------------------------------------------------

function addMessage(role, text) {
  const body = el("div", { class: "text", text });
  const item = el("li", { class: `msg ${role}` },
                  el("span", { class: "visually-hidden", text: role === "user" ? "You said:" : "Assistant:" }), body);
  $("log").append(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

// Put the top of `item` just below the sticky header (the help card must be seen first).
function scrollToTop(item) {
  const header = document.querySelector(".top").getBoundingClientRect().height;
  window.scrollBy({ top: item.getBoundingClientRect().top - header - 8 });
}

function showSources(item, sources) {
  if (!sources || !sources.length) return;
  const list = el("ul", { class: "sources", "aria-label": "Sources" });
  for (const s of sources) list.append(el("li", { text: s }));
  item.append(el("p", { class: "sources-label", text: "Sources" }), list);
}

function showError(item, message) {
  item.classList.add("error");
  item.querySelector(".text").textContent = message;
}

// ---- server calls --------------------------------------------------------------------------

function headers() {
  const h = { "Content-Type": "application/json", Accept: "text/event-stream" };
  if (state.apiKey) h.Authorization = `Bearer ${state.apiKey}`;
  return h;
}

// Reads an SSE body and calls onEvent(obj) for every JSON `data:` line until [DONE].
async function readEvents(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) !== -1) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") return;
        onEvent(JSON.parse(data));
      }
    }
  }
}

async function send(text) {
  state.history.push({ role: "user", content: text });
  addMessage("user", text);
  const item = addMessage("assistant", "");
  item.setAttribute("aria-busy", "true");
  const textNode = item.querySelector(".text");
  let chunks = 0, content = "", ext = null, failure = null;
  setBusy(true);
  try {
    const response = await fetch("/v1/chat/completions", {
      method: "POST", headers: headers(), signal: state.controller.signal, credentials: "omit",
      body: JSON.stringify({ model: "mhqa", messages: state.history, stream: true,
                             locale: localeFor($("country").value) }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      if (response.status === 401) { $("key-box").hidden = false; $("api-key").focus(); }
      throw new Error((body.error && body.error.message) || `the server answered ${response.status}`);
    }
    await readEvents(response, (obj) => {
      if (obj.error) { failure = obj.error.message; return; }
      const choice = obj.choices && obj.choices[0];
      const piece = choice && choice.delta && choice.delta.content;
      if (piece) {
        content += piece;
        chunks += 1;
        textNode.textContent = content;
        item.dataset.chunks = String(chunks);
        item.scrollIntoView({ block: "end" });
      }
      if (obj.mhqa) ext = obj.mhqa;
    });
    if (failure) throw new Error(failure);
    if (ext && ext.final_text) { content = ext.final_text; textNode.textContent = content; }
    state.history.push({ role: "assistant", content });
    if (ext && ext.crisis) {
      item.classList.add("crisis");
      const info = { ...currentInfo(), emergency: ext.emergency || currentInfo().emergency };
      if (ext.resources && ext.resources.length) info.resources = ext.resources;
      item.insertBefore(helpCard(info), textNode);
      scrollToTop(item);
    } else if (ext) {
      showSources(item, ext.source_questions && ext.source_questions.length ? ext.source_questions : ext.sources);
    }
  } catch (err) {
    state.history.pop(); // the question was not answered: let the user send it again
    if (err.name === "AbortError") showError(item, "Stopped.");
    else showError(item, `Sorry, something went wrong: ${err.message}`);
  } finally {
    item.removeAttribute("aria-busy");
    item.dataset.done = "true";
    setBusy(false);
  }
}

function setBusy(busy) {
  state.busy = busy;
  state.controller = busy ? new AbortController() : null;
  $("send").textContent = busy ? "Stop" : "Send";
  $("send").setAttribute("aria-label", busy ? "Stop the answer" : "Send message");
}

// ---- country picker ------------------------------------------------------------------------

async function loadCountries() {
  try {
    const response = await fetch("/v1/safety/resources", { credentials: "omit" });
    const data = await response.json();
    const select = $("country");
    select.replaceChildren();
    for (const c of data.countries) {
      state.countries.set(c.country_code, c);
      const label = c.country_code === "INTL" ? "Another country" : c.country;
      select.append(el("option", { value: c.country_code, text: label }));
    }
    select.value = guessCountry();
    updateNotice();
  } catch (err) {
    // The page still works with the built-in US default; crisis replies carry their own help lines.
  }
}

function guessCountry() {
  for (const lang of navigator.languages || [navigator.language || ""]) {
    const region = (lang.split("-")[1] || "").toUpperCase();
    const code = region === "UK" ? "GB" : region;
    if (state.countries.has(code)) return code;
  }
  return state.countries.has("US") ? "US" : "INTL";
}

function updateNotice() {
  const info = currentInfo();
  const span = $("notice-emergency");
  span.replaceChildren("In an emergency call ", emergencyNode(info.emergency), ".");
}

// ---- wiring --------------------------------------------------------------------------------

function init() {
  const form = $("composer");
  const box = $("message");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (state.busy) { state.controller.abort(); return; }
    const text = box.value.trim();
    if (!text) return;
    box.value = "";
    send(text);
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (!state.busy) form.requestSubmit();
    }
  });
  $("country").addEventListener("change", updateNotice);
  $("show-help").addEventListener("click", () => {
    const item = el("li", { class: "msg assistant help" }, helpCard(currentInfo(), { urgent: false }));
    $("log").append(item);
    item.scrollIntoView({ block: "end" });
    item.querySelector("a") && item.querySelector("a").focus();
  });
  $("new-chat").addEventListener("click", () => {
    if (state.busy) state.controller.abort();
    state.history = [];
    $("log").replaceChildren($("log").firstElementChild);
    box.focus();
  });
  $("api-key").addEventListener("change", (event) => { state.apiKey = event.target.value.trim(); });
  loadCountries();
  box.focus();
}

document.addEventListener("DOMContentLoaded", init);
