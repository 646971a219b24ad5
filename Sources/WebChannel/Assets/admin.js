// SupportBot analytics (/admin): reads GET /api/report?days=N with an admin token
// (Authorization: Bearer, token kept in sessionStorage) and renders the report (the JSON of
// `supportbot report --json`, see Sources/Reports/ConversationReport.swift) with inline SVG charts
// and data tables. Every piece of server text is set with textContent.
(() => {
  "use strict";

  const TOKEN_KEY = "supportbot:admin:token";
  const SVG = "http://www.w3.org/2000/svg";
  // Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
  const ROUTE_COLOURS = {
    canned: "#0072B2",
    faq: "#009E73",
    clarify: "#E69F00",
    fallback: "#D55E00",
    handoff: "#CC79A7",
    agent: "#56B4E9",
    unknown: "#7F7F7F",
  };
  const EXTRA_COLOURS = ["#F0E442", "#000000", "#8C564B", "#17BECF"];
  const ROUTE_ORDER = ["canned", "faq", "clarify", "fallback", "handoff"];

  const $ = (id) => document.getElementById(id);
  const ui = {
    status: $("admin-status"),
    signIn: $("sign-in"),
    token: $("admin-token"),
    signInButton: $("admin-sign-in"),
    error: $("admin-error"),
    dashboard: $("dashboard"),
    period: $("admin-period"),
    refresh: $("admin-refresh"),
    signOut: $("admin-sign-out"),
    report: $("admin-report"),
  };

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
        // ignore
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

  let token = null;
  let generation = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function number(value) {
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
  }

  function percent(fraction) {
    const value = number(fraction) * 100;
    return (value >= 10 || value === 0 ? value.toFixed(0) : value.toFixed(1)) + "%";
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function capitalise(text) {
    const value = String(text || "");
    return value.charAt(0).toUpperCase() + value.slice(1);
  }

  function formatDate(text, withTime) {
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) return "";
    const options = { year: "numeric", month: "short", day: "numeric" };
    if (withTime) Object.assign(options, { hour: "2-digit", minute: "2-digit" });
    return date.toLocaleString(undefined, options);
  }

  function dayLabel(day) {
    const date = new Date(day + "T00:00:00Z");
    if (Number.isNaN(date.getTime())) return day;
    return date.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
  }

  function colourFor(route, extras) {
    if (ROUTE_COLOURS[route]) return ROUTE_COLOURS[route];
    if (!extras.has(route)) extras.set(route, EXTRA_COLOURS[extras.size % EXTRA_COLOURS.length]);
    return extras.get(route);
  }

  // ---------------------------------------------------------------- loading

  function showError(text) {
    ui.error.textContent = text;
  }

  async function load() {
    const days = Number(ui.period.value) || 30;
    const mine = ++generation;
    showError("");
    ui.status.textContent = "Loading the report…";
    ui.report.setAttribute("aria-busy", "true");
    ui.signInButton.disabled = true;
    let response;
    try {
      response = await fetch("/api/report?days=" + encodeURIComponent(String(days)), {
        headers: { Authorization: "Bearer " + token, Accept: "application/json" },
        credentials: "omit",
        cache: "no-store",
      });
    } catch {
      if (mine !== generation) return;
      finish();
      ui.status.textContent = "";
      showError("Can't reach the server. Check your connection and try again.");
      return;
    }
    const body = await response.json().catch(() => null);
    if (mine !== generation) return;
    finish();
    if (!response.ok) {
      const message = body && body.error && body.error.message ? String(body.error.message) : "";
      ui.status.textContent = "";
      if (response.status === 401) {
        signOutQuietly();
        showError("This token is unknown or has been revoked" + (message ? " (" + message + ")." : "."));
      } else if (response.status === 403) {
        signOutQuietly();
        showError("This is not an admin token: " + (message || "the analytics need an admin token") + ".");
      } else if (response.status === 503) {
        showError(capitalise(message || "the report is not available right now; try again shortly") + ".");
      } else {
        showError(capitalise(message || "the report could not be loaded (HTTP " + response.status + ")") + ".");
      }
      return;
    }
    if (!body || typeof body !== "object" || !body.totals) {
      showError("The server answered with something that is not a report.");
      return;
    }
    session.set(token);
    ui.signIn.hidden = true;
    ui.dashboard.hidden = false;
    ui.token.value = "";
    render(body, days);
    ui.status.textContent = "Report for the last " + days + " days loaded.";
  }

  function finish() {
    ui.report.setAttribute("aria-busy", "false");
    ui.signInButton.disabled = false;
  }

  function signOutQuietly() {
    session.clear();
    token = null;
    ui.report.textContent = "";
    ui.dashboard.hidden = true;
    ui.signIn.hidden = false;
  }

  // ---------------------------------------------------------------- rendering

  function render(report, days) {
    const extras = new Map();
    const root = ui.report;
    root.textContent = "";

    const totals = report.totals || {};
    const replies = number(totals.botReplies);

    const period = el("p", "item-meta");
    period.setAttribute("data-testid", "admin-window");
    const since = report.since ? formatDate(report.since) : null;
    const until = report.until ? formatDate(report.until) : null;
    period.textContent =
      "Bot replies " +
      (since ? "from " + since : "from the beginning") +
      (until ? " until " + until : " until now") +
      " (last " +
      days +
      " days, UTC).";
    root.appendChild(period);

    root.appendChild(renderFigures(report));

    if (replies === 0) {
      const empty = el("p", "card empty", "No replies in this period.");
      empty.setAttribute("data-testid", "admin-empty");
      root.appendChild(empty);
    }

    root.appendChild(renderDaily(report, days, extras));
    root.appendChild(renderRoutes(report, extras));
    root.appendChild(renderDownRated(report));
    root.appendChild(renderClusters(report));
  }

  function figure(label, value, note, testId, compact) {
    const wrap = el("div", compact ? "figure figure-compact" : "figure");
    wrap.appendChild(el("dt", null, label));
    const dd = el("dd", null, String(value));
    dd.setAttribute("data-testid", testId);
    if (note) dd.appendChild(el("span", "figure-note", note));
    wrap.appendChild(dd);
    return wrap;
  }

  function renderFigures(report) {
    const totals = report.totals || {};
    const feedback = report.feedback || {};
    const replies = number(totals.botReplies);
    const handoffs = number(totals.handoffReplies);
    const section = el("section", "section");
    section.setAttribute("aria-labelledby", "summary-title");
    const heading = el("h2", null, "Summary");
    heading.id = "summary-title";
    section.appendChild(heading);
    const list = el("dl", "figures");
    list.append(
      figure("Conversations", number(totals.conversations), null, "admin-conversations"),
      figure("Bot replies", replies, null, "admin-bot-replies"),
      figure("Fallback rate", percent(totals.fallbackRate), "answered “I don't know”", "admin-fallback-rate"),
      figure(
        "Handoff rate",
        percent(replies ? handoffs / replies : 0),
        plural(handoffs, "handoff reply", "handoff replies"),
        "admin-handoff-rate",
      ),
      figure(
        "Waiting for a person",
        number(totals.handoffConversations),
        "conversations in handoff now",
        "admin-waiting",
      ),
      figure(
        "Feedback",
        number(feedback.up) + " up · " + number(feedback.down) + " down",
        percent(feedback.ratedShare) + " of replies rated" +
          (number(feedback.comments) ? ", " + plural(number(feedback.comments), "comment", "comments") : ""),
        "admin-feedback",
        true,
      ),
    );
    section.appendChild(list);
    return section;
  }

  /** Every UTC day of the window, oldest first, as YYYY-MM-DD. */
  function windowDays(report, days, daily) {
    const dayMs = 86400000;
    const until = report.until ? new Date(report.until) : new Date();
    let end = Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate());
    if (report.until && until.getTime() === end) end -= dayMs; // an exclusive midnight bound
    let start;
    if (report.since) {
      const since = new Date(report.since);
      start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
    } else {
      start = end - (days - 1) * dayMs;
    }
    if (Number.isNaN(start) || Number.isNaN(end) || end < start || (end - start) / dayMs > 4000) {
      return daily.map((entry) => entry.day);
    }
    const result = [];
    for (let t = start; t <= end; t += dayMs) result.push(new Date(t).toISOString().slice(0, 10));
    for (const entry of daily) if (!result.includes(entry.day)) result.push(entry.day);
    return result.sort();
  }

  function routeNames(report, daily) {
    const names = [];
    const add = (name) => {
      if (name && !names.includes(name)) names.push(name);
    };
    for (const name of ROUTE_ORDER) add(name);
    for (const share of report.routes || []) add(share.route);
    for (const entry of daily) for (const name of Object.keys(entry.routes || {})) add(name);
    return names;
  }

  function legend(names, extras) {
    const list = el("ul", "legend");
    list.setAttribute("aria-hidden", "true");
    for (const name of names) {
      const item = el("li");
      const swatch = svg("svg", { width: 14, height: 14, viewBox: "0 0 14 14", class: "swatch", focusable: "false" });
      swatch.appendChild(svg("rect", { width: 14, height: 14, rx: 3, fill: colourFor(name, extras) }));
      item.append(swatch, document.createTextNode(name));
      list.appendChild(item);
    }
    return list;
  }

  function niceMax(value) {
    if (value <= 5) return Math.max(1, value);
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * power >= value) return step * power;
    }
    return value;
  }

  function renderDaily(report, days, extras) {
    const section = el("section", "section card");
    section.setAttribute("aria-labelledby", "daily-title");
    const heading = el("h2", null, "Replies per day, by route");
    heading.id = "daily-title";
    section.appendChild(heading);

    if (!Array.isArray(report.daily)) {
      section.appendChild(el("p", "empty", "This server does not report daily figures."));
      return section;
    }
    const daily = report.daily
      .filter((entry) => entry && typeof entry.day === "string")
      .map((entry) => ({ day: entry.day, botReplies: number(entry.botReplies), routes: entry.routes || {} }));
    const byDay = new Map(daily.map((entry) => [entry.day, entry]));
    const allDays = windowDays(report, days, daily);
    const names = routeNames(report, daily).filter((name) => daily.some((entry) => number(entry.routes[name]) > 0));

    const width = 720;
    const height = 260;
    const left = 44;
    const right = 12;
    const top = 12;
    const bottom = 36;
    const plotWidth = width - left - right;
    const plotHeight = height - top - bottom;
    const totalOf = (entry) =>
      entry ? Math.max(entry.botReplies, Object.values(entry.routes).reduce((a, b) => a + number(b), 0)) : 0;
    const max = niceMax(Math.max(0, ...allDays.map((day) => totalOf(byDay.get(day)))));
    const total = daily.reduce((sum, entry) => sum + totalOf(entry), 0);

    const summary =
      total === 0
        ? "No replies in this period."
        : plural(total, "bot reply", "bot replies") +
          " over " +
          plural(allDays.length, "day", "days") +
          "; busiest day " +
          (() => {
            const best = daily.reduce((a, b) => (totalOf(b) > totalOf(a) ? b : a));
            return dayLabel(best.day) + " with " + totalOf(best);
          })() +
          ".";

    const chart = svg("svg", {
      class: "chart",
      viewBox: "0 0 " + width + " " + height,
      role: "img",
      "aria-describedby": "daily-chart-desc",
      "aria-label": "Bot replies per day by route. " + summary,
      "data-testid": "admin-chart-daily",
      focusable: "false",
    });
    const title = svg("title", { id: "daily-chart-title" }, "Bot replies per day by route");
    const desc = svg("desc", { id: "daily-chart-desc" }, summary + " The table after the chart lists the figures.");
    chart.append(title, desc);

    // Grid and y axis.
    const ticks = [5, 4, 3, 2, 1].find((count) => max % count === 0) || 1;
    for (let i = 0; i <= ticks; i++) {
      const value = (max * i) / ticks;
      const y = top + plotHeight - (plotHeight * i) / ticks;
      chart.appendChild(
        svg("line", { x1: left, x2: width - right, y1: y, y2: y, stroke: "#d5dae1", "stroke-width": 1 }),
      );
      const label = Number.isInteger(value) ? String(value) : value.toFixed(1);
      chart.appendChild(
        svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", "font-size": 11, fill: "#4a5361" }, label),
      );
    }

    // Bars.
    const slot = plotWidth / Math.max(1, allDays.length);
    const barWidth = Math.max(1, Math.min(28, slot * 0.7));
    const labelEvery = Math.max(1, Math.ceil(allDays.length / 8));
    allDays.forEach((day, index) => {
      const entry = byDay.get(day);
      const x = left + index * slot + (slot - barWidth) / 2;
      let y = top + plotHeight;
      const group = svg("g");
      if (entry) {
        for (const name of names) {
          const count = number(entry.routes[name]);
          if (count <= 0) continue;
          const h = (plotHeight * count) / max;
          y -= h;
          const rect = svg("rect", {
            x: x.toFixed(2),
            y: y.toFixed(2),
            width: barWidth.toFixed(2),
            height: h.toFixed(2),
            fill: colourFor(name, extras),
          });
          rect.appendChild(svg("title", null, dayLabel(day) + ": " + name + " " + count));
          group.appendChild(rect);
        }
      }
      chart.appendChild(group);
      if ((allDays.length - 1 - index) % labelEvery === 0) {
        chart.appendChild(
          svg(
            "text",
            {
              x: (x + barWidth / 2).toFixed(2),
              y: height - bottom + 16,
              "text-anchor": "middle",
              "font-size": 11,
              fill: "#4a5361",
            },
            dayLabel(day),
          ),
        );
      }
    });
    chart.appendChild(
      svg("line", {
        x1: left,
        x2: width - right,
        y1: top + plotHeight,
        y2: top + plotHeight,
        stroke: "#4a5361",
        "stroke-width": 1,
      }),
    );
    section.appendChild(chart);
    if (names.length) section.appendChild(legend(names, extras));
    if (total === 0) section.appendChild(el("p", "empty", "No replies in this period."));

    // The same figures as a table, for screen readers.
    const table = el("table", "visually-hidden data-table");
    table.setAttribute("data-testid", "admin-daily-table");
    table.appendChild(el("caption", null, "Bot replies per day by route (UTC days with replies)"));
    const head = el("tr");
    head.appendChild(el("th", null, "Day"));
    head.appendChild(el("th", null, "Replies"));
    for (const name of names) head.appendChild(el("th", null, name));
    for (const cell of head.children) cell.setAttribute("scope", "col");
    const thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    const tbody = el("tbody");
    for (const entry of daily) {
      const row = el("tr");
      const dayCell = el("th", null, entry.day);
      dayCell.setAttribute("scope", "row");
      row.append(dayCell, el("td", null, String(totalOf(entry))));
      for (const name of names) row.appendChild(el("td", null, String(number(entry.routes[name]))));
      tbody.appendChild(row);
    }
    if (!daily.length) {
      const row = el("tr");
      const cell = el("td", null, "No replies in this period.");
      cell.colSpan = 2 + names.length;
      row.appendChild(cell);
      tbody.appendChild(row);
    }
    table.appendChild(tbody);
    section.appendChild(table);
    return section;
  }

  function renderRoutes(report, extras) {
    const section = el("section", "section card");
    section.setAttribute("aria-labelledby", "routes-title");
    const heading = el("h2", null, "How replies were routed");
    heading.id = "routes-title";
    section.appendChild(heading);
    const routes = (Array.isArray(report.routes) ? report.routes : []).filter((r) => r && r.route);
    const total = routes.reduce((sum, r) => sum + number(r.count), 0);
    if (!routes.length || total === 0) {
      section.appendChild(el("p", "empty", "No replies in this period."));
    }

    const rowHeight = 30;
    const width = 720;
    const labelWidth = 110;
    const valueWidth = 110;
    const height = Math.max(1, routes.length) * rowHeight + 8;
    const barSpace = width - labelWidth - valueWidth;
    const description = routes.map((r) => r.route + " " + percent(r.share) + " (" + number(r.count) + ")").join(", ");
    const chart = svg("svg", {
      class: "chart",
      viewBox: "0 0 " + width + " " + height,
      role: "img",
      "aria-label": "Share of bot replies by route: " + (description || "no replies"),
      "data-testid": "admin-chart-routes",
      focusable: "false",
    });
    chart.appendChild(svg("title", null, "Share of bot replies by route"));
    routes.forEach((route, index) => {
      const y = 4 + index * rowHeight;
      chart.appendChild(
        svg("text", { x: labelWidth - 8, y: y + 19, "text-anchor": "end", "font-size": 13, fill: "#1b1f24" }, route.route),
      );
      chart.appendChild(
        svg("rect", { x: labelWidth, y: y + 4, width: barSpace, height: rowHeight - 10, fill: "#eef1f5", rx: 3 }),
      );
      const share = Math.min(1, Math.max(0, number(route.share)));
      if (share > 0) {
        const bar = svg("rect", {
          x: labelWidth,
          y: y + 4,
          width: Math.max(2, barSpace * share).toFixed(2),
          height: rowHeight - 10,
          fill: colourFor(route.route, extras),
          rx: 3,
        });
        bar.appendChild(svg("title", null, route.route + ": " + number(route.count) + " replies, " + percent(share)));
        chart.appendChild(bar);
      }
      chart.appendChild(
        svg(
          "text",
          { x: labelWidth + barSpace + 8, y: y + 19, "font-size": 13, fill: "#1b1f24" },
          percent(share) + " (" + number(route.count) + ")",
        ),
      );
    });
    section.appendChild(chart);

    const table = el("table", "visually-hidden data-table");
    table.appendChild(el("caption", null, "Bot replies by route"));
    const head = el("tr");
    for (const name of ["Route", "Replies", "Share"]) {
      const th = el("th", null, name);
      th.setAttribute("scope", "col");
      head.appendChild(th);
    }
    const thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    const tbody = el("tbody");
    for (const route of routes) {
      const row = el("tr");
      const name = el("th", null, route.route);
      name.setAttribute("scope", "row");
      row.append(name, el("td", null, String(number(route.count))), el("td", null, percent(route.share)));
      tbody.appendChild(row);
    }
    table.appendChild(tbody);
    section.appendChild(table);
    return section;
  }

  function renderDownRated(report) {
    const section = el("section", "section card");
    section.setAttribute("aria-labelledby", "down-title");
    const heading = el("h2", null, "Answers rated down");
    heading.id = "down-title";
    section.appendChild(heading);
    const items = Array.isArray(report.downRated) ? report.downRated : [];
    if (!items.length) {
      section.appendChild(el("p", "empty", "No answer was rated down in this period."));
      return section;
    }
    const list = el("ul", "items");
    list.setAttribute("data-testid", "admin-down-rated");
    for (const item of items) {
      const li = el("li", "card");
      li.setAttribute("data-testid", "admin-down-rated-item");
      li.appendChild(el("div", "item-title", item.question ? "“" + item.question + "”" : "(no question recorded)"));
      li.appendChild(el("p", "quote", String(item.answerExcerpt || "")));
      const meta = [];
      if (item.route) meta.push("route " + item.route);
      if (item.intent) meta.push("intent " + item.intent);
      if (typeof item.confidence === "number") meta.push("confidence " + item.confidence.toFixed(2));
      if (item.createdAt) meta.push(formatDate(item.createdAt, true));
      li.appendChild(el("div", "item-meta", meta.join(" · ")));
      if (Array.isArray(item.sources) && item.sources.length) {
        li.appendChild(el("div", "item-meta", "Cited: " + item.sources.join(", ")));
      }
      if (item.comment) li.appendChild(el("p", "quote", "Comment: " + item.comment));
      list.appendChild(li);
    }
    section.appendChild(list);
    return section;
  }

  function renderClusters(report) {
    const section = el("section", "section card");
    section.setAttribute("aria-labelledby", "clusters-title");
    const heading = el("h2", null, "Unanswered questions");
    heading.id = "clusters-title";
    section.appendChild(heading);
    const unanswered = report.unanswered || {};
    const clusters = Array.isArray(unanswered.clusters) ? unanswered.clusters : [];
    const summary = el("p", "item-meta");
    summary.textContent =
      plural(number(unanswered.questions), "question", "questions") +
      " the bot could not answer or answered badly (" +
      number(unanswered.distinct) +
      " distinct), in " +
      plural(number(unanswered.clusterCount), "cluster", "clusters") +
      (unanswered.clustering ? ", compared by " + unanswered.clustering + " similarity" : "") +
      (clusters.length < number(unanswered.clusterCount) ? "; the largest " + clusters.length + " are shown." : ".");
    section.appendChild(summary);

    const list = el("ol", "items");
    list.setAttribute("data-testid", "admin-clusters");
    if (!clusters.length) {
      const empty = el("li", "empty", "No unanswered questions in this period.");
      list.appendChild(empty);
    }
    for (const cluster of clusters) {
      const li = el("li", "card");
      li.setAttribute("data-testid", "admin-cluster");
      const title = el("div", "item-title");
      title.append(
        el("span", "badge", plural(number(cluster.count), "question", "questions")),
        document.createTextNode(" “" + String(cluster.representative || "") + "”"),
      );
      li.appendChild(title);
      const counts = [];
      if (number(cluster.fallbacks)) counts.push(plural(number(cluster.fallbacks), "fallback", "fallbacks"));
      if (number(cluster.handoffs)) counts.push(plural(number(cluster.handoffs), "handoff", "handoffs"));
      if (number(cluster.downRated)) counts.push(number(cluster.downRated) + " rated down");
      if (cluster.lastAsked) counts.push("last asked " + formatDate(cluster.lastAsked, true));
      li.appendChild(el("div", "item-meta", counts.join(" · ")));
      const examples = Array.isArray(cluster.examples) ? cluster.examples : [];
      if (examples.length) {
        const label = el("div", "item-meta", "Also asked:");
        const ul = el("ul", "examples");
        for (const example of examples) ul.appendChild(el("li", null, String(example)));
        li.append(label, ul);
      }
      const suggestion = cluster.suggestion;
      if (suggestion && typeof suggestion === "object") {
        const box = el("div", "suggestion");
        box.setAttribute("data-testid", "admin-suggestion");
        const strategy = suggestion.strategy === "rag" ? "rag" : "retrain";
        const badge = el(
          "span",
          "badge badge-" + strategy,
          strategy === "rag" ? "RAG: extend the FAQ" : "Retrain the classifier",
        );
        box.appendChild(badge);
        box.appendChild(el("p", null, String(suggestion.action || "")));
        if (suggestion.reason) box.appendChild(el("p", "item-meta", String(suggestion.reason)));
        const details = [];
        if (suggestion.rule) details.push("rule " + suggestion.rule);
        if (suggestion.intent) details.push("intent " + suggestion.intent);
        if (suggestion.source) details.push("FAQ entry " + suggestion.source);
        if (details.length) box.appendChild(el("p", "item-meta", details.join(" · ")));
        li.appendChild(box);
      }
      list.appendChild(li);
    }
    section.appendChild(list);
    return section;
  }

  // ---------------------------------------------------------------- start-up

  function signIn() {
    const value = ui.token.value.trim();
    if (!value) {
      showError("Enter your admin token.");
      ui.token.focus();
      return;
    }
    token = value;
    load();
  }

  ui.signInButton.addEventListener("click", signIn);
  ui.token.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      signIn();
    }
  });
  ui.period.addEventListener("change", () => {
    if (token) load();
  });
  ui.refresh.addEventListener("click", () => {
    if (token) load();
  });
  ui.signOut.addEventListener("click", () => {
    generation++;
    signOutQuietly();
    showError("");
    ui.status.textContent = "Signed out.";
    ui.token.focus();
  });

  const saved = session.get();
  if (saved) {
    token = saved;
    load();
  }
})();
