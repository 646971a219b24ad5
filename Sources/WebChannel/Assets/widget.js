// SupportBot chat widget. A site embeds it with one tag:
//   <script src="https://BOT-HOST/widget.js" defer></script>
// It loads BOT-HOST/widget.css, registers an anonymous visitor (POST /api/visitors, token kept in
// localStorage), and speaks the JSON line protocol (docs/protocol.md) over wss://BOT-HOST/ws, one
// JSON object per WebSocket text frame. Self-contained: no other script, no framework; every
// piece of server text reaches the page through textContent or the small Markdown renderer below,
// which builds DOM nodes and links only http(s) URLs.
(() => {
  "use strict";

  // Captured at top level: document.currentScript is null once any async work has started.
  const SCRIPT = document.currentScript;
  const ORIGIN = (() => {
    try {
      return new URL(SCRIPT && SCRIPT.src ? SCRIPT.src : location.href).origin;
    } catch {
      return location.origin;
    }
  })();
  if (window.__supportbotWidgetLoaded) return;
  window.__supportbotWidgetLoaded = true;

  const SOCKET_URL = ORIGIN.replace(/^http/, "ws") + "/ws";
  const KEY = "supportbot:" + ORIGIN + ":";
  const HANDOFF_TEXT = "I want to talk to a person";
  const MAX_BACKOFF_MS = 30000;
  const KEEPALIVE_MS = 60000;
  const TITLE = (SCRIPT && SCRIPT.dataset && SCRIPT.dataset.title) || "Support chat";

  // ---------------------------------------------------------------- storage (never throws)

  const store = {
    get(name) {
      try {
        return window.localStorage.getItem(KEY + name);
      } catch {
        return null;
      }
    },
    set(name, value) {
      try {
        window.localStorage.setItem(KEY + name, value);
      } catch {
        // Storage full or disabled: the chat still works for this page view.
      }
    },
    remove(name) {
      try {
        window.localStorage.removeItem(KEY + name);
      } catch {
        // ignore
      }
    },
  };

  function loadRatings() {
    try {
      const parsed = JSON.parse(store.get("ratings") || "{}");
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch {
      return {};
    }
  }

  function saveRating(message, rating) {
    const ratings = loadRatings();
    delete ratings[message];
    ratings[message] = rating;
    const keys = Object.keys(ratings);
    for (const key of keys.slice(0, Math.max(0, keys.length - 200))) delete ratings[key];
    store.set("ratings", JSON.stringify(ratings));
  }

  // ---------------------------------------------------------------- friendly texts

  const FRIENDLY = {
    rate_limited: "You're sending messages a little too fast. Please wait a moment and try again.",
    busy: "The assistant is busy, please try again in a moment.",
    unavailable: "We can't reach our chat service right now. Please try again shortly.",
    invalid_field: "That message can't be sent as it is. Please keep it under 8,000 characters and try again.",
    missing_field: "That message can't be sent as it is. Please type a question and try again.",
    line_too_long: "That message is too long. Please shorten it and try again.",
    unauthorized: "Your chat session has expired. Reconnecting…",
    not_found: "That conversation is no longer available. We'll start a new one.",
    bad_json: "Something went wrong sending that. Please try again.",
    bad_encoding: "Something went wrong sending that. Please try again.",
  };
  const GENERIC_ERROR = "Something went wrong. Please try again.";

  function friendly(code) {
    return FRIENDLY[code] || GENERIC_ERROR;
  }

  class ProtocolError extends Error {
    constructor(code, message) {
      super(message || code);
      this.code = code;
    }
  }

  class ConnectionLost extends Error {
    constructor(sent) {
      super("connection lost");
      this.sent = sent;
    }
  }

  class RegistrationError extends Error {
    constructor(message, retryMs) {
      super(message);
      this.retryMs = retryMs;
    }
  }

  // ---------------------------------------------------------------- safe Markdown

  function safeUrl(text) {
    try {
      const url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function link(href, label) {
    const a = el("a", "sb-link");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    if (label !== undefined) a.textContent = label;
    return a;
  }

  // code | **bold** | *italic* | [label](url) | bare http(s) URL
  const INLINE =
    /`([^`\n]+)`|\*\*(?=\S)([\s\S]*?\S)\*\*|\*(?=[^\s*])([^*\n]*?[^\s*]|[^\s*])\*|\[([^\]\n]+)\]\(\s*([^()\s]+)\s*\)|(https?:\/\/[^\s<>"'`]+)/g;

  function appendInline(parent, text, allowLinks) {
    const pattern = new RegExp(INLINE.source, "g");
    let last = 0;
    let match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      let consumed = match[0];
      if (match[1] !== undefined) {
        parent.appendChild(el("code", "sb-code", match[1]));
      } else if (match[2] !== undefined) {
        const strong = el("strong");
        appendInline(strong, match[2], allowLinks);
        parent.appendChild(strong);
      } else if (match[3] !== undefined) {
        const em = el("em");
        appendInline(em, match[3], allowLinks);
        parent.appendChild(em);
      } else if (match[4] !== undefined) {
        const href = allowLinks ? safeUrl(match[5]) : null;
        if (href) {
          const a = link(href);
          appendInline(a, match[4], false);
          parent.appendChild(a);
        } else {
          parent.appendChild(document.createTextNode(match[0]));
        }
      } else {
        // A bare URL: leave trailing punctuation (and an unbalanced ")") outside the link.
        let url = match[6];
        const trailing = /[.,;:!?)\]]+$/.exec(url);
        if (trailing) {
          let cut = trailing[0];
          if (cut.startsWith(")") && url.includes("(")) cut = cut.slice(1);
          url = url.slice(0, url.length - cut.length);
          consumed = url;
          pattern.lastIndex = match.index + url.length;
        }
        const href = allowLinks ? safeUrl(url) : null;
        parent.appendChild(href ? link(href, url) : document.createTextNode(url));
      }
      last = match.index + consumed.length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendLines(parent, lines) {
    lines.forEach((line, index) => {
      if (index > 0) parent.appendChild(el("br"));
      appendInline(parent, line, true);
    });
  }

  /** Markdown to a fragment: paragraphs, line breaks, emphasis, code, http(s) links, lists. */
  function renderMarkdown(text) {
    const fragment = document.createDocumentFragment();
    const lines = String(text).replace(/\r\n?/g, "\n").split("\n");
    let paragraph = null;
    let list = null;
    let item = null;

    const flushParagraph = () => {
      if (paragraph && paragraph.length) {
        const p = el("p", "sb-p");
        appendLines(p, paragraph);
        fragment.appendChild(p);
      }
      paragraph = null;
    };
    const flushList = () => {
      if (list) fragment.appendChild(list.node);
      list = null;
      item = null;
    };

    for (const raw of lines) {
      const line = raw.replace(/\s+$/, "");
      const bullet = /^\s{0,3}[-*+]\s+(.*)$/.exec(line);
      const numbered = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/.exec(line);
      if (!line.trim()) {
        flushParagraph();
        flushList();
        continue;
      }
      if (bullet || numbered) {
        flushParagraph();
        const kind = bullet ? "ul" : "ol";
        if (!list || list.kind !== kind) {
          flushList();
          const node = el(kind, "sb-list");
          if (numbered && numbered[1] !== "1") node.start = Number(numbered[1]);
          list = { kind, node };
        }
        item = el("li");
        appendInline(item, bullet ? bullet[1] : numbered[2], true);
        list.node.appendChild(item);
        continue;
      }
      if (list && item && /^\s+\S/.test(line)) {
        item.appendChild(el("br"));
        appendInline(item, line.trim(), true);
        continue;
      }
      flushList();
      const heading = /^\s{0,3}#{1,6}\s+(.*)$/.exec(line);
      if (heading) {
        flushParagraph();
        const p = el("p", "sb-p sb-heading");
        const strong = el("strong");
        appendInline(strong, heading[1].replace(/\s+#+$/, ""), true);
        p.appendChild(strong);
        fragment.appendChild(p);
        continue;
      }
      if (!paragraph) paragraph = [];
      paragraph.push(line.trim());
    }
    flushParagraph();
    flushList();
    return fragment;
  }

  // ---------------------------------------------------------------- DOM

  let ui = null;

  function uniqueId(base) {
    let n = 0;
    while (document.getElementById(base + (n || ""))) n++;
    return base + (n || "");
  }

  function injectStyles() {
    if (document.querySelector('link[data-supportbot-style]')) return;
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = ORIGIN + "/widget.css";
    sheet.setAttribute("data-supportbot-style", "");
    (document.head || document.documentElement).appendChild(sheet);
  }

  function buildUI() {
    const panelId = uniqueId("sb-panel");
    const inputId = uniqueId("sb-input");
    const titleId = uniqueId("sb-title");

    const root = el("div", "sb-root");
    root.setAttribute("data-supportbot", "");

    const launcher = el("button", "sb-launcher");
    launcher.type = "button";
    launcher.setAttribute("data-testid", "supportbot-launcher");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", panelId);
    const launcherIcon = svgBubble();
    const launcherText = el("span", "sb-launcher-text", "Chat with us");
    const badge = el("span", "sb-badge", "");
    badge.hidden = true;
    launcher.append(launcherIcon, launcherText, badge);

    const panel = el("section", "sb-panel");
    panel.id = panelId;
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-label", TITLE);

    const header = el("div", "sb-header");
    const title = el("h2", "sb-title", TITLE);
    title.id = titleId;
    const close = el("button", "sb-close");
    close.type = "button";
    close.setAttribute("aria-label", "Close chat");
    close.setAttribute("data-testid", "supportbot-close");
    close.appendChild(el("span", null, "×")).setAttribute("aria-hidden", "true");
    header.append(title, close);

    const messages = el("div", "sb-messages");
    messages.setAttribute("role", "log");
    messages.setAttribute("aria-live", "polite");
    messages.setAttribute("aria-relevant", "additions text");
    messages.setAttribute("aria-label", "Chat messages");
    messages.setAttribute("data-testid", "supportbot-messages");
    messages.tabIndex = 0;

    const empty = el("p", "sb-empty", "Hi! Ask us anything about orders, shipping, returns and more.");

    const typing = el("div", "sb-typing");
    typing.hidden = true;
    typing.setAttribute("aria-hidden", "true");
    typing.append(el("span", "sb-dot"), el("span", "sb-dot"), el("span", "sb-dot"));

    const status = el("p", "sb-status");
    status.setAttribute("role", "status");
    status.setAttribute("data-testid", "supportbot-status");

    const composer = el("div", "sb-composer");
    const label = el("label", "sb-visually-hidden", "Type your message");
    label.htmlFor = inputId;
    const input = el("input", "sb-input");
    input.id = inputId;
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = 8000;
    input.placeholder = "Type your question…";
    input.setAttribute("data-testid", "supportbot-input");
    input.setAttribute("enterkeyhint", "send");
    const send = el("button", "sb-send", "Send");
    send.type = "button";
    send.setAttribute("data-testid", "supportbot-send");
    composer.append(label, input, send);

    const handoff = el("button", "sb-handoff", "Talk to a person");
    handoff.type = "button";
    handoff.setAttribute("data-testid", "supportbot-handoff");

    panel.append(header, messages, typing, status, composer, handoff);
    messages.appendChild(empty);
    root.append(launcher, panel);
    document.body.appendChild(root);

    return { root, launcher, badge, launcherText, panel, close, messages, empty, typing, status, input, send, handoff };
  }

  function svgBubble() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "sb-launcher-icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  function svgThumb(down) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute(
      "d",
      "M2 21h3.5V9.5H2V21zm20-10.5c0-1.1-.9-2-2-2h-6.2l.95-4.6.03-.3c0-.4-.17-.8-.44-1.07L13.3 1.5 7.6 7.2c-.37.36-.6.86-.6 1.4V19c0 1.1.9 2 2 2h8.6c.83 0 1.54-.5 1.84-1.22l2.96-6.9c.1-.23.2-.48.2-.73v-1.65z",
    );
    path.setAttribute("fill", "currentColor");
    if (down) path.setAttribute("transform", "rotate(180 12 12)");
    svg.appendChild(path);
    return svg;
  }

  function isOpen() {
    return ui && !ui.panel.hidden;
  }

  function openPanel() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.root.classList.add("sb-open");
    ui.badge.hidden = true;
    ui.launcherText.textContent = "Close chat";
    ui.launcher.setAttribute("aria-label", "Close chat");
    scrollToEnd();
    ui.input.focus();
    if (!ws && !connecting && !retryTimer) connect();
  }

  function closePanel(returnFocus) {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.root.classList.remove("sb-open");
    ui.launcherText.textContent = "Chat with us";
    ui.launcher.removeAttribute("aria-label");
    if (returnFocus) ui.launcher.focus();
  }

  function markUnread() {
    if (isOpen()) return;
    ui.badge.hidden = false;
    ui.badge.textContent = "new";
    ui.launcher.setAttribute("aria-label", "Chat with us (new message)");
  }

  function setStatus(text, kind) {
    ui.status.textContent = text || "";
    ui.status.className = "sb-status" + (kind ? " sb-status-" + kind : "");
  }

  function scrollToEnd() {
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function showTyping(on) {
    ui.typing.hidden = !on;
    if (on) scrollToEnd();
  }

  function roleLabel(role, agentName) {
    switch (role) {
      case "user":
        return "You";
      case "agent":
        return agentName ? agentName + " (support team)" : "Support team";
      case "system":
        return "Notice";
      default:
        return "Assistant";
    }
  }

  /** A message element: data-testid supportbot-message, data-role user|bot|agent|system. */
  function messageElement(role, agentName) {
    const node = el("div", "sb-msg sb-msg-" + role);
    node.setAttribute("data-testid", "supportbot-message");
    node.setAttribute("data-role", role);
    const who = el("span", role === "agent" ? "sb-who" : "sb-who sb-visually-hidden", roleLabel(role, agentName));
    const body = el("div", "sb-body");
    node.append(who, body);
    return node;
  }

  function appendMessage(node) {
    ui.empty.hidden = true;
    ui.messages.appendChild(node);
    scrollToEnd();
    return node;
  }

  function addUser(text) {
    const node = messageElement("user");
    node.querySelector(".sb-body").textContent = text;
    return appendMessage(node);
  }

  function addSystem(text) {
    const node = messageElement("system");
    node.querySelector(".sb-body").textContent = text;
    return appendMessage(node);
  }

  function addAgent(text, agentName, live) {
    const node = messageElement("agent", agentName);
    node.querySelector(".sb-body").appendChild(renderMarkdown(text));
    appendMessage(node);
    if (live) markUnread();
    return node;
  }

  /** Fills a bot message element from a reply or a stored message. */
  function fillBot(node, data) {
    const body = node.querySelector(".sb-body");
    body.textContent = "";
    body.appendChild(renderMarkdown(data.text || ""));
    node.classList.remove("sb-streaming");
    for (const extra of node.querySelectorAll(".sb-extra")) extra.remove();

    const sources = Array.isArray(data.sources) ? data.sources : [];
    if (sources.length) {
      const box = el("div", "sb-extra sb-sources");
      box.appendChild(el("span", "sb-sources-label", sources.length === 1 ? "Source:" : "Sources:"));
      const list = el("ul", "sb-source-list");
      for (const source of sources) {
        const li = el("li");
        const href = source && typeof source.url === "string" ? safeUrl(source.url) : null;
        const title = String((source && (source.title || source.id)) || "Source");
        const item = href ? link(href, title) : el("span", "sb-source-text", title);
        item.setAttribute("data-testid", "supportbot-source");
        li.appendChild(item);
        list.appendChild(li);
      }
      box.appendChild(list);
      node.appendChild(box);
    }

    const options = Array.isArray(data.options) ? data.options : [];
    if (data.route === "clarify" && options.length && data.live) {
      const box = el("div", "sb-extra sb-options");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Choose what you meant");
      for (const option of options) {
        const label = String(option).replace(/_/g, " ");
        const button = el("button", "sb-option", label);
        button.type = "button";
        button.setAttribute("data-testid", "supportbot-option");
        button.addEventListener("click", () => {
          for (const other of box.querySelectorAll("button")) other.disabled = true;
          button.classList.add("sb-chosen");
          submit(label);
        });
        box.appendChild(button);
      }
      node.appendChild(box);
    }

    if (data.message && data.route !== "agent" && data.route !== "handoff") {
      node.appendChild(feedbackControls(data.message));
    }
  }

  function feedbackControls(messageId) {
    const box = el("div", "sb-extra sb-feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Rate this answer");
    const current = loadRatings()[messageId];
    const make = (rating, label) => {
      const button = el("button", "sb-rate sb-rate-" + rating);
      button.type = "button";
      button.setAttribute("data-testid", "supportbot-feedback-" + rating);
      button.setAttribute("aria-label", label);
      button.setAttribute("aria-pressed", current === rating ? "true" : "false");
      button.title = label;
      button.appendChild(svgThumb(rating === "down"));
      return button;
    };
    const up = make("up", "This answer helped");
    const down = make("down", "This answer did not help");
    const thanks = el("span", "sb-thanks");
    thanks.setAttribute("data-testid", "supportbot-feedback-thanks");
    const rate = async (rating, button, other) => {
      if (button.getAttribute("aria-pressed") === "true") return;
      button.disabled = other.disabled = true;
      try {
        await request({ type: "feedback", message: messageId, rating });
        button.setAttribute("aria-pressed", "true");
        other.setAttribute("aria-pressed", "false");
        saveRating(messageId, rating);
        thanks.textContent = "Thanks for your feedback";
      } catch (error) {
        thanks.textContent =
          error instanceof ProtocolError ? friendly(error.code) : "Couldn't send your rating. Please try again.";
        if (error instanceof ConnectionLost && !ws && !connecting) connect();
      } finally {
        button.disabled = other.disabled = false;
      }
    };
    up.addEventListener("click", () => rate("up", up, down));
    down.addEventListener("click", () => rate("down", down, up));
    box.append(up, down, thanks);
    return box;
  }

  function addBot(data) {
    const node = messageElement("bot");
    fillBot(node, data);
    return appendMessage(node);
  }

  function clearMessages() {
    for (const node of ui.messages.querySelectorAll(".sb-msg")) {
      if (!node.classList.contains("sb-unsent")) node.remove();
    }
    ui.empty.hidden = !!ui.messages.querySelector(".sb-msg") ? true : false;
  }

  function renderHistory(messages) {
    const unsent = Array.from(ui.messages.querySelectorAll(".sb-msg.sb-unsent"));
    for (const node of ui.messages.querySelectorAll(".sb-msg")) node.remove();
    awaitingAgent = false;
    for (const message of messages || []) {
      const role = ["user", "bot", "agent", "system"].includes(message.role) ? message.role : "system";
      if (role === "user") addUser(message.text || "");
      else if (role === "agent") addAgent(message.text || "", null, false);
      else if (role === "system") addSystem(message.text || "");
      else addBot({ text: message.text, sources: message.sources, route: message.route, message: message.id });
      if (role === "agent" || (role === "bot" && message.route === "handoff")) awaitingAgent = true;
    }
    for (const node of unsent) appendMessage(node);
    ui.empty.hidden = !!ui.messages.querySelector(".sb-msg");
    scrollToEnd();
  }

  // ---------------------------------------------------------------- connection

  let ws = null;
  let welcomed = false;
  let connecting = null;
  let retryTimer = null;
  let attempt = 0;
  let dormant = false;
  let byeReason = null;
  let nextId = 1;
  const pending = new Map();
  let conversationId = store.get("conversation");
  let needsNewConversation = false;
  let awaitingAgent = false;
  let unconfirmed = null;
  let quietClose = false;

  function setConnection(state) {
    if (ui) ui.root.setAttribute("data-connection", state);
  }

  function isReady() {
    return !!ws && ws.readyState === WebSocket.OPEN && welcomed;
  }

  /** Sends one request; resolves with its response, rejects with ProtocolError or ConnectionLost. */
  function request(fields, onDelta, socket) {
    return new Promise((resolve, reject) => {
      const target = socket || ws;
      if (!target || target.readyState !== WebSocket.OPEN || (!socket && !welcomed)) {
        reject(new ConnectionLost(false));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject, onDelta });
      target.send(JSON.stringify(Object.assign({ type: fields.type, id }, fields)));
    });
  }

  function failPending() {
    const waiting = Array.from(pending.values());
    pending.clear();
    for (const entry of waiting) entry.reject(new ConnectionLost(true));
  }

  function onFrame(event) {
    if (typeof event.data !== "string") return;
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== "object") return;
    if (frame.id !== undefined && frame.id !== null && pending.has(frame.id)) {
      const entry = pending.get(frame.id);
      if (frame.type === "delta") {
        if (entry.onDelta) entry.onDelta(String(frame.text || ""));
        return;
      }
      pending.delete(frame.id);
      if (frame.type === "error") entry.reject(new ProtocolError(frame.code, frame.message));
      else entry.resolve(frame);
      return;
    }
    if (frame.type === "error") {
      // Errors raised before a request could be read carry no id; requests are answered in
      // order, so it belongs to the oldest one still waiting.
      const oldest = pending.entries().next();
      if (!oldest.done) {
        pending.delete(oldest.value[0]);
        oldest.value[1].reject(new ProtocolError(frame.code, frame.message));
      } else {
        setStatus(friendly(frame.code), "error");
      }
      return;
    }
    if (frame.type === "bye") {
      byeReason = frame.reason === "idle" ? "idle" : "shutdown";
      return;
    }
    onPush(frame);
  }

  function onPush(frame) {
    if (frame.conversation && conversationId && frame.conversation !== conversationId) return;
    if (frame.type === "reply" && frame.route === "agent") {
      addAgent(String(frame.text || ""), typeof frame.agent === "string" ? frame.agent : null, true);
      awaitingAgent = true;
    } else if (frame.type === "reply") {
      addBot(Object.assign({}, frame, { live: true }));
      markUnread();
    } else if (frame.type === "ended") {
      conversationEnded();
    }
  }

  function conversationEnded() {
    addSystem("This conversation has been closed by our team.");
    if (conversationId) store.set("ended", conversationId);
    needsNewConversation = true;
    awaitingAgent = false;
    setStatus("");
    markUnread();
  }

  async function register() {
    let response;
    try {
      response = await fetch(ORIGIN + "/api/visitors", {
        method: "POST",
        credentials: "omit",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
    } catch {
      throw new RegistrationError("Can't reach the chat service. Check your connection; we'll keep trying.", null);
    }
    if (response.status === 429) {
      throw new RegistrationError("Too many new chats from this network; try again in a minute", 60000);
    }
    if (response.status !== 201 && response.status !== 200) {
      throw new RegistrationError("The chat is not available on this site right now. Please try again later.", null);
    }
    const body = await response.json().catch(() => null);
    if (!body || typeof body.token !== "string" || !body.token) {
      throw new RegistrationError("The chat service answered unexpectedly. Please try again later.", null);
    }
    store.set("token", body.token);
    return body.token;
  }

  function openSocket() {
    return new Promise((resolve, reject) => {
      let socket;
      try {
        socket = new WebSocket(SOCKET_URL);
      } catch {
        reject(new ConnectionLost(false));
        return;
      }
      let opened = false;
      ws = socket;
      welcomed = false;
      byeReason = null;
      socket.addEventListener("open", () => {
        opened = true;
        resolve(socket);
      });
      socket.addEventListener("message", (event) => {
        if (ws === socket) onFrame(event);
      });
      socket.addEventListener("close", () => {
        if (!opened) reject(new ConnectionLost(false));
        if (ws === socket) onSocketClosed();
      });
    });
  }

  function onSocketClosed() {
    ws = null;
    welcomed = false;
    failPending();
    showTyping(false);
    setConnection("offline");
    if (quietClose) {
      // Closed by connect() after a failed start; it has scheduled the retry itself.
      quietClose = false;
      return;
    }
    if (byeReason === "idle") {
      // Quietly: reconnect when the visitor next types.
      dormant = true;
      setStatus("");
      return;
    }
    scheduleReconnect(
      byeReason === "shutdown"
        ? "The chat service is restarting. Reconnecting…"
        : "Connection lost. Reconnecting…",
    );
  }

  function scheduleReconnect(message, fixedDelay) {
    clearTimeout(retryTimer);
    const base = fixedDelay || Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, attempt));
    const delay = fixedDelay || Math.round(base * (0.75 + Math.random() * 0.5));
    attempt = Math.min(attempt + 1, 10);
    setStatus(message, "warning");
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  async function hello(socket, token) {
    return request({ type: "hello", token, client: "widget" }, null, socket);
  }

  function connect() {
    if (connecting) return connecting;
    clearTimeout(retryTimer);
    retryTimer = null;
    dormant = false;
    connecting = openSession()
      .catch((error) => {
        if (error instanceof ConnectionLost) return; // the socket's close handler retries
        if (ws && !welcomed) {
          quietClose = true;
          ws.close();
        }
        if (error instanceof RegistrationError) {
          scheduleReconnect(error.message, error.retryMs || undefined);
        } else if (error instanceof ProtocolError && ["busy", "unavailable", "rate_limited"].includes(error.code)) {
          scheduleReconnect(friendly(error.code));
        } else {
          scheduleReconnect("We couldn't start the chat. Retrying…");
        }
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  }

  async function openSession() {
    if (ws) return;
    setStatus("Connecting…", "info");
    setConnection("connecting");
    let token = store.get("token");
    if (!token) token = await register();
    const socket = await openSocket();
    try {
      await hello(socket, token);
    } catch (error) {
      if (!(error instanceof ProtocolError) || error.code !== "unauthorized") throw error;
      // The token was revoked or the server's database was reset: register again, once.
      store.remove("token");
      token = await register();
      await hello(socket, token);
    }
    if (ws !== socket || socket.readyState !== WebSocket.OPEN) throw new ConnectionLost(false);
    welcomed = true;
    attempt = 0;
    await restoreConversation();
    setConnection("online");
    setStatus(awaitingAgent ? "Waiting for a person from our team…" : "", awaitingAgent ? "info" : null);
  }

  async function restoreConversation() {
    if (!conversationId) {
      clearMessages();
      return;
    }
    try {
      await request({ type: "start", conversation: conversationId });
    } catch (error) {
      if (error instanceof ProtocolError && error.code === "not_found") {
        forgetConversation();
        clearMessages();
        return;
      }
      throw error;
    }
    const history = await request({ type: "history", conversation: conversationId });
    renderHistory(Array.isArray(history.messages) ? history.messages : []);
    if (store.get("ended") === conversationId) {
      addSystem("This conversation has been closed by our team.");
      needsNewConversation = true;
      awaitingAgent = false;
    }
    if (unconfirmed) {
      // A message sent just before the connection dropped: if the store has it, it is shown
      // above; otherwise it goes back into the input.
      const users = (history.messages || []).filter((m) => m.role === "user");
      const lastUser = users.length ? users[users.length - 1].text : null;
      if (lastUser !== unconfirmed && !ui.input.value.trim()) ui.input.value = unconfirmed;
      unconfirmed = null;
    }
  }

  function forgetConversation() {
    conversationId = null;
    store.remove("conversation");
    store.remove("ended");
  }

  function adoptConversation(id) {
    if (!id || id === conversationId) return;
    conversationId = id;
    store.set("conversation", id);
    store.remove("ended");
  }

  async function startConversation() {
    const started = await request({ type: "start", metadata: { page: location.pathname } });
    if (needsNewConversation && ui.messages.querySelector(".sb-msg")) {
      const divider = addSystem("New conversation");
      divider.classList.add("sb-divider");
      // Keep the visitor's pending message after the divider.
      for (const node of ui.messages.querySelectorAll(".sb-msg.sb-unsent")) appendMessage(node);
    }
    needsNewConversation = false;
    adoptConversation(started.conversation);
  }

  // ---------------------------------------------------------------- sending

  let sendChain = Promise.resolve();

  function submit(rawText) {
    const text = String(rawText || "").trim();
    if (!text) return;
    if (!isReady() && !connecting) {
      // Offline: keep the text where it is and reconnect now.
      if (ui.input.value.trim() !== text && !ui.input.value.trim()) ui.input.value = text;
      setStatus("You're offline. Your message is kept here; reconnecting…", "warning");
      connect();
      return;
    }
    if (ui.input.value.trim() === text) ui.input.value = "";
    const bubble = addUser(text);
    bubble.classList.add("sb-unsent");
    sendChain = sendChain.then(() => deliver(text, bubble));
  }

  async function deliver(text, bubble) {
    let streaming = null;
    let streamed = "";
    try {
      if (connecting) {
        setStatus("Connecting…", "info");
        await connecting;
      }
      if (!isReady()) throw new ConnectionLost(false);
      if (needsNewConversation || !conversationId) await startConversation();
      showTyping(true);
      unconfirmed = text;
      const reply = await request({ type: "message", text }, (delta) => {
        if (!streaming) {
          showTyping(false);
          streaming = messageElement("bot");
          streaming.classList.add("sb-streaming");
          appendMessage(streaming);
        }
        streamed += delta;
        streaming.querySelector(".sb-body").textContent = streamed;
        scrollToEnd();
      });
      unconfirmed = null;
      bubble.classList.remove("sb-unsent");
      showTyping(false);
      adoptConversation(reply.conversation);
      const node = streaming || appendMessage(messageElement("bot"));
      fillBot(node, Object.assign({}, reply, { live: true }));
      scrollToEnd();
      if (reply.route === "handoff") {
        awaitingAgent = true;
        setStatus("Waiting for a person from our team…", "info");
      } else if (!awaitingAgent) {
        setStatus("");
      }
    } catch (error) {
      showTyping(false);
      if (streaming) streaming.remove();
      bubble.remove();
      ui.empty.hidden = !!ui.messages.querySelector(".sb-msg");
      if (error instanceof ConnectionLost) {
        if (!error.sent && !ui.input.value.trim()) ui.input.value = text;
        if (!error.sent) unconfirmed = null;
        if (dormant) {
          connect();
        } else if (!connecting && !retryTimer && !ws) {
          scheduleReconnect("Connection lost. Reconnecting…");
        }
      } else if (error instanceof ProtocolError) {
        unconfirmed = null;
        if (!ui.input.value.trim()) ui.input.value = text;
        setStatus(friendly(error.code), "error");
        if (error.code === "not_found") {
          forgetConversation();
          needsNewConversation = false;
        } else if (error.code === "unauthorized") {
          store.remove("token");
          if (ws) ws.close();
        }
      } else {
        if (!ui.input.value.trim()) ui.input.value = text;
        setStatus(GENERIC_ERROR, "error");
      }
    }
  }

  // A conversation waiting for a person only receives pushes: keep its connection from idling out.
  setInterval(() => {
    if (awaitingAgent && isReady()) request({ type: "ping" }).catch(() => {});
  }, KEEPALIVE_MS);

  // ---------------------------------------------------------------- start-up

  function init() {
    if (ui) return;
    injectStyles();
    ui = buildUI();
    setConnection("offline");
    ui.launcher.addEventListener("click", () => {
      if (isOpen()) closePanel(true);
      else openPanel();
    });
    ui.close.addEventListener("click", () => closePanel(true));
    ui.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && isOpen()) {
        event.preventDefault();
        closePanel(true);
      }
    });
    ui.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit(ui.input.value);
      }
    });
    ui.input.addEventListener("input", () => {
      if (dormant && !connecting) connect();
    });
    ui.send.addEventListener("click", () => {
      submit(ui.input.value);
      ui.input.focus();
    });
    ui.handoff.addEventListener("click", () => submit(HANDOFF_TEXT));
    window.addEventListener("online", () => {
      if (!ws && !connecting && retryTimer) connect();
    });
    // A returning visitor with a conversation reconnects at once, so a person's answer arrives
    // even before the panel is opened.
    if (store.get("token") && conversationId) connect();
  }

  if (document.body) init();
  else document.addEventListener("DOMContentLoaded", init, { once: true });
})();
