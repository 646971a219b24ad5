// SupportBot agent inbox (/agent): signs in over wss://SAME-ORIGIN/ws with an agent token
// (kept in sessionStorage, sent only in the hello frame), polls the handoff queue every 3 s,
// joins a conversation, shows its transcript with the bot's routing, and answers the customer
// (docs/protocol.md, "Agents and handoff"). Every piece of server text is set with textContent.
(() => {
  "use strict";

  const TOKEN_KEY = "supportbot:agent:token";
  const SOCKET_URL = location.origin.replace(/^http/, "ws") + "/ws";
  const QUEUE_INTERVAL_MS = 3000;
  const MAX_BACKOFF_MS = 30000;

  const $ = (id) => document.getElementById(id);
  const ui = {
    status: $("agent-status"),
    signIn: $("sign-in"),
    token: $("agent-token"),
    signInButton: $("agent-sign-in"),
    error: $("agent-error"),
    workspace: $("workspace"),
    who: $("agent-who"),
    signOut: $("agent-sign-out"),
    queue: $("agent-queue"),
    queueEmpty: $("agent-queue-empty"),
    conversationTitle: $("conversation-title"),
    noConversation: $("agent-no-conversation"),
    conversation: $("agent-conversation"),
    meta: $("agent-conversation-meta"),
    transcript: $("agent-transcript"),
    ended: $("agent-ended"),
    reply: $("agent-reply"),
    send: $("agent-send"),
    end: $("agent-end"),
  };

  const FRIENDLY = {
    rate_limited: "Too many requests at once. Wait a moment and try again.",
    busy: "The server is busy. Try again in a moment.",
    unavailable: "The conversation store is unavailable. Try again shortly.",
    invalid_field: "That can't be sent as it is (empty, too long, or the conversation has ended).",
    missing_field: "Something is missing from that request. Try again.",
    line_too_long: "That message is too long. Shorten it and try again.",
    unauthorized: "This token is not allowed to do that.",
    not_found: "That conversation no longer exists.",
  };

  function friendly(error) {
    if (error instanceof ProtocolError) return FRIENDLY[error.code] || error.message || "Something went wrong.";
    if (error instanceof ConnectionLost) return "Connection lost. Reconnecting…";
    return "Something went wrong. Try again.";
  }

  class ProtocolError extends Error {
    constructor(code, message) {
      super(message || code);
      this.code = code;
    }
  }

  class ConnectionLost extends Error {
    constructor() {
      super("connection lost");
    }
  }

  class SignInError extends Error {}

  const session = {
    get() {
      try {
        return window.sessionStorage.getItem(TOKEN_KEY);
      } catch {
        return null;
      }
    },
    set(token) {
      try {
        window.sessionStorage.setItem(TOKEN_KEY, token);
      } catch {
        // The tab then has to sign in again after a reload.
      }
    },
    clear() {
      try {
        window.sessionStorage.removeItem(TOKEN_KEY);
      } catch {
        // ignore
      }
    },
  };

  // ---------------------------------------------------------------- state

  let ws = null;
  let welcomed = false;
  let nextId = 1;
  const pending = new Map();
  let token = null;
  let agentName = null;
  let signedIn = false;
  let connecting = null;
  let retryTimer = null;
  let queueTimer = null;
  let attempt = 0;
  let queueInFlight = false;
  let current = null; // {id, client, status}
  const rendered = new Set();
  const unread = new Set();
  let lastQueue = [];

  function setStatus(text) {
    ui.status.textContent = text || "";
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // ---------------------------------------------------------------- protocol

  function request(fields, socket) {
    return new Promise((resolve, reject) => {
      const target = socket || ws;
      if (!target || target.readyState !== WebSocket.OPEN || (!socket && !welcomed)) {
        reject(new ConnectionLost());
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      target.send(JSON.stringify(Object.assign({ type: fields.type, id }, fields)));
    });
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
      if (frame.type === "delta") return;
      const entry = pending.get(frame.id);
      pending.delete(frame.id);
      if (frame.type === "error") entry.reject(new ProtocolError(frame.code, frame.message));
      else entry.resolve(frame);
      return;
    }
    if (frame.type === "error") {
      const oldest = pending.entries().next();
      if (!oldest.done) {
        pending.delete(oldest.value[0]);
        oldest.value[1].reject(new ProtocolError(frame.code, frame.message));
      } else {
        setStatus(friendly(new ProtocolError(frame.code, frame.message)));
      }
      return;
    }
    if (frame.type === "bye") {
      setStatus(frame.reason === "shutdown" ? "The server is restarting. Reconnecting…" : "Reconnecting…");
      return;
    }
    onPush(frame);
  }

  function onPush(frame) {
    if (frame.type === "customer") {
      if (current && frame.conversation === current.id) {
        appendMessage({
          id: frame.message,
          role: "user",
          text: frame.text,
          created_at: new Date().toISOString(),
        });
      } else if (frame.conversation) {
        unread.add(frame.conversation);
        renderQueue(lastQueue);
      }
    } else if (frame.type === "ended") {
      if (current && frame.conversation === current.id) {
        markEnded("The customer ended this conversation.");
      }
      pollQueue();
    }
  }

  function openSocket() {
    return new Promise((resolve, reject) => {
      let socket;
      try {
        socket = new WebSocket(SOCKET_URL);
      } catch {
        reject(new ConnectionLost());
        return;
      }
      let opened = false;
      ws = socket;
      welcomed = false;
      socket.addEventListener("open", () => {
        opened = true;
        resolve(socket);
      });
      socket.addEventListener("message", (event) => {
        if (ws === socket) onFrame(event);
      });
      socket.addEventListener("close", () => {
        if (!opened) reject(new ConnectionLost());
        if (ws === socket) onClosed();
      });
    });
  }

  function onClosed() {
    ws = null;
    welcomed = false;
    const waiting = Array.from(pending.values());
    pending.clear();
    for (const entry of waiting) entry.reject(new ConnectionLost());
    stopQueue();
    if (signedIn) scheduleReconnect();
  }

  function closeSocket() {
    const socket = ws;
    ws = null;
    welcomed = false;
    if (socket) socket.close(1000);
    const waiting = Array.from(pending.values());
    pending.clear();
    for (const entry of waiting) entry.reject(new ConnectionLost());
  }

  function scheduleReconnect() {
    clearTimeout(retryTimer);
    const base = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, attempt));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    attempt = Math.min(attempt + 1, 10);
    setStatus("Connection lost. Reconnecting in " + Math.max(1, Math.round(delay / 1000)) + " s…");
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  /** Opens the connection and authenticates; throws SignInError for a token that cannot be used. */
  async function openSession() {
    const socket = await openSocket();
    let welcome;
    try {
      welcome = await request({ type: "hello", token, client: "agent-inbox" }, socket);
    } catch (error) {
      if (error instanceof ProtocolError && error.code === "unauthorized") {
        const text = String(error.message || "");
        if (/admin/i.test(text)) {
          throw new SignInError("This is an admin token: it opens the analytics page only. Sign in with an agent token.");
        }
        if (/unknown|revoked/i.test(text)) {
          throw new SignInError("This token is unknown or has been revoked. Check it and try again.");
        }
        throw new SignInError("This token is not an agent token.");
      }
      throw error;
    }
    welcomed = true;
    try {
      const queue = await request({ type: "queue" });
      renderQueue(queue.conversations || []);
    } catch (error) {
      if (error instanceof ProtocolError && error.code === "unauthorized") {
        throw new SignInError("This token is not an agent token. Use a token made with --role agent.");
      }
      throw error;
    }
    agentName = String(welcome.client || "agent");
    attempt = 0;
    session.set(token);
    signedIn = true;
    showWorkspace();
    setStatus("Signed in as " + agentName);
    startQueue();
    if (current) await join(current.id, { quiet: true });
  }

  function connect() {
    if (connecting) return connecting;
    clearTimeout(retryTimer);
    retryTimer = null;
    connecting = openSession()
      .catch((error) => {
        if (error instanceof SignInError) {
          signOut(false);
          showSignInError(error.message);
        } else if (error instanceof ConnectionLost) {
          if (!signedIn) {
            showSignInError("Can't reach the server. Check your connection and try again.");
          }
          // Signed in: the close handler has scheduled the next attempt.
        } else if (signedIn) {
          closeSocket();
          scheduleReconnect();
        } else {
          closeSocket();
          showSignInError(friendly(error));
        }
      })
      .finally(() => {
        connecting = null;
        ui.signInButton.disabled = false;
      });
    return connecting;
  }

  // ---------------------------------------------------------------- sign in / out

  function showSignInError(text) {
    ui.error.textContent = text;
    setStatus("");
    ui.token.setAttribute("aria-invalid", "true");
    ui.token.focus();
  }

  function showWorkspace() {
    ui.signIn.hidden = true;
    ui.workspace.hidden = false;
    ui.error.textContent = "";
    ui.token.value = "";
    ui.token.removeAttribute("aria-invalid");
    ui.who.textContent = "Signed in as " + agentName;
  }

  function startSignIn() {
    const value = ui.token.value.trim();
    if (!value) {
      showSignInError("Enter your agent token.");
      return;
    }
    ui.error.textContent = "";
    ui.signInButton.disabled = true;
    setStatus("Signing in…");
    token = value;
    closeSocket();
    connect();
  }

  function signOut(announce) {
    signedIn = false;
    token = null;
    agentName = null;
    session.clear();
    clearTimeout(retryTimer);
    retryTimer = null;
    stopQueue();
    closeSocket();
    current = null;
    rendered.clear();
    unread.clear();
    lastQueue = [];
    ui.queue.textContent = "";
    ui.transcript.textContent = "";
    ui.conversation.hidden = true;
    ui.noConversation.hidden = false;
    ui.workspace.hidden = true;
    ui.signIn.hidden = false;
    if (announce) {
      setStatus("Signed out.");
      ui.token.focus();
    }
  }

  // ---------------------------------------------------------------- queue

  function startQueue() {
    stopQueue();
    queueTimer = setInterval(pollQueue, QUEUE_INTERVAL_MS);
  }

  function stopQueue() {
    clearInterval(queueTimer);
    queueTimer = null;
  }

  async function pollQueue() {
    if (queueInFlight || !welcomed || !signedIn) return;
    queueInFlight = true;
    try {
      const queue = await request({ type: "queue" });
      renderQueue(queue.conversations || []);
    } catch (error) {
      if (error instanceof ProtocolError) setStatus(friendly(error));
    } finally {
      queueInFlight = false;
    }
  }

  function waited(since) {
    const started = Date.parse(since);
    if (Number.isNaN(started)) return "";
    const minutes = Math.max(0, Math.floor((Date.now() - started) / 60000));
    if (minutes < 1) return "waiting less than a minute";
    if (minutes < 60) return "waiting " + minutes + " min";
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return "waiting " + hours + " h " + (minutes % 60) + " min";
    return "waiting " + Math.floor(hours / 24) + " days";
  }

  function renderQueue(conversations) {
    lastQueue = Array.isArray(conversations) ? conversations : [];
    const focusedId =
      document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.conversation : null;
    const fragment = document.createDocumentFragment();
    for (const entry of lastQueue) {
      const li = el("li");
      const button = el("button", "queue-item");
      button.type = "button";
      button.setAttribute("data-testid", "agent-queue-item");
      button.dataset.conversation = String(entry.conversation);
      if (current && current.id === entry.conversation) button.setAttribute("aria-current", "true");
      const client = el("span", "queue-client", String(entry.client || "customer"));
      const when = el("span", "queue-wait", waited(entry.updated_at || entry.created_at));
      const idText = el("span", "queue-id", "conversation " + String(entry.conversation).slice(0, 8));
      button.append(client, when, idText);
      if (unread.has(entry.conversation) && !(current && current.id === entry.conversation)) {
        button.appendChild(el("span", "badge", "new message"));
      }
      button.addEventListener("click", () => join(entry.conversation, { focus: true }));
      li.appendChild(button);
      fragment.appendChild(li);
    }
    ui.queue.textContent = "";
    ui.queue.appendChild(fragment);
    ui.queueEmpty.hidden = lastQueue.length > 0;
    if (focusedId) {
      const again = ui.queue.querySelector('[data-conversation="' + CSS.escape(focusedId) + '"]');
      if (again) again.focus();
    }
  }

  // ---------------------------------------------------------------- conversation

  const ROLE_NAMES = { user: "Customer", bot: "Bot", agent: "Agent", system: "System" };

  function formatTime(text) {
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) return "";
    return date.toLocaleString(undefined, {
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  }

  function appendMessage(message) {
    if (message.id && rendered.has(message.id)) return;
    if (message.id) rendered.add(message.id);
    const role = ["user", "bot", "agent", "system"].includes(message.role) ? message.role : "system";
    const node = el("article", "message message-" + role);
    node.setAttribute("data-testid", "agent-message");
    node.setAttribute("data-role", role);
    const head = el("div", "message-head");
    head.appendChild(el("span", "message-role", ROLE_NAMES[role]));
    if (message.created_at) {
      const time = el("time", null, formatTime(message.created_at));
      time.dateTime = message.created_at;
      head.appendChild(time);
    }
    node.appendChild(head);
    node.appendChild(el("p", "message-text", String(message.text || "")));
    if (role === "bot") {
      const meta = el("p", "message-meta");
      meta.setAttribute("data-testid", "agent-message-meta");
      const parts = [];
      if (message.route) parts.push("route " + message.route);
      if (message.intent) parts.push("intent " + message.intent);
      if (typeof message.confidence === "number") parts.push("confidence " + message.confidence.toFixed(2));
      meta.textContent = parts.join(" · ");
      if (message.route) node.dataset.route = message.route;
      if (message.intent) node.dataset.intent = message.intent;
      node.appendChild(meta);
      const sources = Array.isArray(message.sources) ? message.sources : [];
      if (sources.length) {
        const list = el("p", "message-meta");
        list.textContent =
          "Sources: " + sources.map((source) => String((source && (source.title || source.id)) || "")).join("; ");
        node.appendChild(list);
      }
    }
    ui.transcript.appendChild(node);
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }

  function setReplyEnabled(enabled) {
    ui.reply.disabled = !enabled;
    ui.send.disabled = !enabled;
    ui.end.disabled = !enabled;
  }

  function markEnded(reason) {
    if (!current) return;
    current.status = "ended";
    ui.ended.hidden = false;
    ui.ended.textContent = "Conversation ended";
    setReplyEnabled(false);
    updateMeta();
    if (reason) setStatus(reason);
  }

  function updateMeta() {
    if (!current) return;
    ui.meta.textContent =
      "Customer " + current.client + " · status " + current.status + " · conversation " + current.id;
  }

  async function join(conversationId, options) {
    const opts = options || {};
    try {
      const joined = await request({ type: "join", conversation: conversationId });
      current = { id: joined.conversation, client: String(joined.client || ""), status: String(joined.status || "") };
      unread.delete(current.id);
      rendered.clear();
      ui.transcript.textContent = "";
      for (const message of joined.messages || []) appendMessage(message);
      ui.noConversation.hidden = true;
      ui.conversation.hidden = false;
      ui.conversationTitle.textContent = "Conversation with " + current.client;
      updateMeta();
      if (current.status === "ended") {
        markEnded(null);
      } else {
        ui.ended.hidden = true;
        setReplyEnabled(true);
      }
      renderQueue(lastQueue);
      if (!opts.quiet) setStatus("Joined the conversation with " + current.client + ".");
      if (opts.focus) ui.conversationTitle.focus();
    } catch (error) {
      if (error instanceof ConnectionLost) return;
      setStatus(friendly(error));
    }
  }

  async function sendReply() {
    if (!current || current.status === "ended") return;
    const text = ui.reply.value;
    if (!text.trim()) {
      setStatus("Type a reply first.");
      ui.reply.focus();
      return;
    }
    ui.send.disabled = true;
    const conversation = current.id;
    try {
      const sent = await request({ type: "agent_message", conversation, text });
      if (current && current.id === conversation) {
        appendMessage({
          id: sent.message,
          role: "agent",
          text,
          route: "agent",
          created_at: new Date().toISOString(),
        });
        current.status = "handoff";
        updateMeta();
      }
      if (ui.reply.value === text) ui.reply.value = "";
      setStatus("Sent.");
    } catch (error) {
      if (error instanceof ProtocolError && error.code === "invalid_field" && /ended/i.test(error.message || "")) {
        markEnded("This conversation has ended; the reply was not sent.");
      } else {
        setStatus(friendly(error) + " Your reply is kept.");
      }
    } finally {
      if (current && current.status !== "ended") ui.send.disabled = false;
      ui.reply.focus();
    }
  }

  async function endConversation() {
    if (!current || current.status === "ended") return;
    ui.end.disabled = true;
    try {
      const ended = await request({ type: "end", conversation: current.id });
      if (current && ended.conversation === current.id) markEnded("Conversation ended.");
      pollQueue();
    } catch (error) {
      setStatus(friendly(error));
      if (current && current.status !== "ended") ui.end.disabled = false;
    }
  }

  // ---------------------------------------------------------------- start-up

  ui.signInButton.addEventListener("click", startSignIn);
  ui.token.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      startSignIn();
    }
  });
  ui.token.addEventListener("input", () => ui.token.removeAttribute("aria-invalid"));
  ui.signOut.addEventListener("click", () => signOut(true));
  ui.send.addEventListener("click", sendReply);
  ui.reply.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      sendReply();
    }
  });
  ui.end.addEventListener("click", endConversation);
  window.addEventListener("online", () => {
    if (signedIn && !ws && !connecting) connect();
  });

  const saved = session.get();
  if (saved) {
    token = saved;
    setStatus("Signing in…");
    ui.signInButton.disabled = true;
    connect();
  }
})();
