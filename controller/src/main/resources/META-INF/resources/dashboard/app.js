// The E3 dashboard: polls the controller's JSON API once a second and shows nodes, apps, placement, migrations and
// the data plane's events. The cluster token comes from the URL fragment (#token=...), which browsers never send to
// the server, or from the token box. The page moves it to session storage (this tab only, gone when it closes) and
// clears it from the address bar, so it stays out of the history, bookmarks and screenshots; it goes only into the
// Authorization header of this page's own requests. Every value from the API reaches the page as text (textContent),
// never as HTML.
"use strict";

(function () {
  const POLL_MILLIS = 1000;
  const LATEST_EVENTS = 15;
  const ENDPOINTS = {
    cluster: "/v1/cluster",
    nodes: "/v1/nodes",
    apps: "/v1/apps",
    placements: "/v1/placements",
    migrations: "/v1/migrations",
    events: "/v1/events",
  };

  const $ = (id) => document.getElementById(id);

  let token = null;
  let timer = null;
  // Bumped by every start(): a poll still awaiting answers for an older token drops them and does not go on.
  let generation = 0;
  let previousHeartbeats = null;

  /** An element with attributes and children; strings become text nodes, so data is never parsed as HTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, value);
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const TOKEN_KEY = "e3.token";

  /** Moves a token in the URL fragment to session storage and takes the fragment off the address bar. */
  function adoptTokenFromFragment() {
    const value = new URLSearchParams(window.location.hash.slice(1)).get("token");
    if (value === null) {
      return;
    }
    if (value.trim()) {
      window.sessionStorage.setItem(TOKEN_KEY, value.trim());
    }
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }

  function storedToken() {
    const value = window.sessionStorage.getItem(TOKEN_KEY);
    return value && value.trim() ? value.trim() : null;
  }

  /** Thrown when the controller refuses the token (401), so polling stops and the token box shows. */
  class Unauthorized extends Error {
  }

  async function fetchJson(path) {
    const response = await fetch(path, {
      headers: {Authorization: "Bearer " + token, Accept: "application/json"},
      cache: "no-store",
    });
    if (response.status === 401) {
      const body = await response.json().catch(() => ({}));
      throw new Unauthorized(body.error || "the controller refused the token");
    }
    if (!response.ok) {
      throw new Error(path + " answered " + response.status);
    }
    return response.json();
  }

  async function poll(pollGeneration) {
    timer = null;
    try {
      const names = Object.keys(ENDPOINTS);
      const bodies = await Promise.all(names.map((name) => fetchJson(ENDPOINTS[name])));
      if (pollGeneration !== generation) {
        return;
      }
      const data = Object.fromEntries(names.map((name, i) => [name, bodies[i]]));
      render(data);
      showBoard();
      setStatus("Live: updated " + new Date().toLocaleTimeString(), "ok");
    } catch (e) {
      if (pollGeneration !== generation) {
        return;
      }
      if (e instanceof Unauthorized) {
        window.sessionStorage.removeItem(TOKEN_KEY);
        showAuth("The controller refused the token: " + e.message + ".");
        return;
      }
      setStatus("Cannot reach the controller (" + e.message + "); retrying every second.", "error");
    }
    timer = window.setTimeout(() => poll(pollGeneration), POLL_MILLIS);
  }

  function start() {
    generation += 1;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    adoptTokenFromFragment();
    token = storedToken();
    previousHeartbeats = null;
    if (token === null) {
      showAuth("No token yet: open the dashboard as /dashboard/#token=TOKEN, or give the token here.");
      return;
    }
    setStatus("Connecting…", "");
    poll(generation);
  }

  function setStatus(text, kind) {
    const status = $("status");
    status.textContent = text;
    status.className = "status " + kind;
  }

  function showAuth(message) {
    $("auth-message").textContent = message;
    $("auth").hidden = false;
    $("board").hidden = true;
    setStatus("Not connected.", "error");
    $("token-input").focus();
  }

  function showBoard() {
    $("auth").hidden = true;
    $("board").hidden = false;
  }

  function render(data) {
    renderCluster(data.cluster);
    renderHeartbeats(data.events);
    renderNodes(data.nodes);
    renderApps(data.apps);
    renderPlacement(data.nodes, data.placements);
    renderMigrations(data.migrations);
    renderEvents(data.events);
  }

  function renderCluster(cluster) {
    $("cluster-name").textContent = cluster.name;
    $("cluster-facts").textContent = cluster.servers + " servers, " + cluster.nodes + " compute nodes on "
        + cluster.addressBlock + "; placement " + cluster.placement;
  }

  function renderHeartbeats(events) {
    const now = performance.now();
    let rate = "–";
    if (previousHeartbeats !== null) {
      const seconds = (now - previousHeartbeats.at) / 1000;
      rate = Math.max(0, Math.round((events.heartbeatsReceived - previousHeartbeats.received) / seconds)) + "/s";
    }
    previousHeartbeats = {at: now, received: events.heartbeatsReceived};
    const counters = [
      ["accepted", events.heartbeatsReceived],
      ["rate", rate],
      ["malformed", events.heartbeatsMalformed],
      ["misaddressed", events.heartbeatsMisaddressed],
      ["forged", events.heartbeatsForged],
      ["replayed", events.heartbeatsReplayed],
      ["stale", events.heartbeatsStale],
      ["decisions", events.decisions.length],
      ["membership changes", events.membership.length],
    ];
    $("heartbeats").replaceChildren(...counters.map(([name, value]) =>
        el("div", {}, el("dt", {}, name), el("dd", {}, value))));
  }

  function kindBadge(kind) {
    return el("span", {class: "kind kind-" + kind.toLowerCase()}, kind);
  }

  function upBadge(up) {
    return el("span", {class: up ? "state up" : "state down"}, up ? "up" : "down");
  }

  function renderNodes(nodes) {
    $("nodes").replaceChildren(...nodes.map((n) => el("tr", {class: n.up ? "" : "row-down"},
        el("td", {}, n.id),
        el("td", {}, kindBadge(n.kind)),
        el("td", {}, upBadge(n.up)),
        el("td", {class: "num"}, n.instances),
        el("td", {class: "num"}, n.cores + " " + n.coreClass.toLowerCase()),
        el("td", {class: "num"}, n.memoryMiB + " MiB"),
        el("td", {class: "num"}, n.bandwidthGbps + " Gb/s"),
        el("td", {class: "mono"}, n.address))));
  }

  function renderApps(apps) {
    if (apps.length === 0) {
      $("apps").replaceChildren(emptyRow(6, "No apps yet: e3 apply -f APP.yaml"));
      return;
    }
    $("apps").replaceChildren(...apps.map((a) => el("tr", {},
        el("td", {}, a.name),
        el("td", {}, el("span", {class: "phase phase-" + a.phase.toLowerCase()}, a.phase)),
        el("td", {}, a.reason || ""),
        el("td", {class: "num"}, a.services),
        el("td", {class: "num"}, a.instances),
        el("td", {}, formatTime(a.appliedAt)))));
  }

  /**
   * One card per node, in the order /v1/nodes gives (each server's host, then its SmartNICs). In a card, the instances
   * of one service and role share a line, each shown by what follows "APP/SERVICE." in its id.
   */
  function renderPlacement(nodes, placements) {
    const byNode = new Map(nodes.map((n) => [n.id, []]));
    for (const p of placements) {
      if (!byNode.has(p.node)) {
        byNode.set(p.node, []);
      }
      byNode.get(p.node).push(p);
    }
    const nodesById = new Map(nodes.map((n) => [n.id, n]));
    const cards = [];
    for (const [nodeId, instances] of byNode) {
      const node = nodesById.get(nodeId);
      const kind = node ? node.kind : "UNKNOWN";
      const list = instances.length === 0
          ? el("p", {class: "muted"}, "no instances")
          : el("ul", {}, ...byService(instances).map((g) => el("li", {},
              el("span", {class: "mono"}, g.app + "/" + g.service), " ",
              el("span", {class: "muted"}, g.type + (g.role === "backup" ? ", backup" : "") + " ×" + g.ids.length),
              el("div", {class: "ids mono"}, g.ids.join(" ")))));
      cards.push(el("article", {class: "node-card card-" + kind.toLowerCase() + (node && !node.up ? " row-down" : "")},
          el("h3", {}, nodeId, " ", kindBadge(kind), " ", node ? upBadge(node.up) : "",
              " ", el("span", {class: "muted"}, instances.length + " instances")),
          list));
    }
    $("placement").replaceChildren(...cards);
  }

  /** Placements grouped by app, service and role, in the order they come, with the short id of each instance. */
  function byService(placements) {
    const groups = new Map();
    for (const p of placements) {
      const key = p.app + "/" + p.service + "/" + p.role;
      if (!groups.has(key)) {
        groups.set(key, {app: p.app, service: p.service, type: p.type, role: p.role, ids: []});
      }
      const prefix = p.app + "/" + p.service + ".";
      groups.get(key).ids.push(p.instance.startsWith(prefix) ? p.instance.slice(prefix.length) : p.instance);
    }
    return [...groups.values()];
  }

  function renderMigrations(migrations) {
    if (migrations.length === 0) {
      $("migrations").replaceChildren(emptyRow(7, "No migrations yet."));
      return;
    }
    const newestFirst = migrations.slice().reverse();
    $("migrations").replaceChildren(...newestFirst.map((m) => el("tr", {},
        el("td", {class: "num"}, m.id),
        el("td", {class: "mono"}, m.instance),
        el("td", {class: "mono"}, m.from + " → " + m.to),
        el("td", {}, m.reason),
        el("td", {}, el("span", {class: "phase phase-" + m.phase.toLowerCase()}, m.phase),
            m.error ? el("div", {class: "muted"}, m.error) : ""),
        el("td", {class: "num"}, duration(m)),
        el("td", {}, el("ol", {class: "steps"}, ...m.steps.map((s) => el("li", {}, s)))))));
  }

  function renderEvents(events) {
    const decisions = events.decisions.slice(-LATEST_EVENTS).reverse();
    $("decisions").replaceChildren(...(decisions.length === 0 ? [el("li", {class: "muted"}, "none yet")]
        : decisions.map((d) => el("li", {},
            el("span", {class: "phase phase-failed"}, d.reason), " ",
            el("span", {class: "mono"}, d.instanceId), " off ", el("span", {class: "mono"}, d.fromNode),
            " (" + d.cpuShare.toFixed(1) + " cores busy)",
            el("div", {class: "muted"}, d.detail)))));
    const membership = events.membership.slice(-LATEST_EVENTS).reverse();
    $("membership").replaceChildren(...(membership.length === 0 ? [el("li", {class: "muted"}, "no changes")]
        : membership.map((e) => el("li", {},
            el("span", {class: "mono"}, e.nodeId), " ", upBadge(e.up), " ",
            el("span", {class: "muted"}, e.reason)))));
  }

  function emptyRow(columns, text) {
    return el("tr", {}, el("td", {colspan: String(columns), class: "muted"}, text));
  }

  /** Milliseconds since the epoch of an ISO-8601 instant from the API (any number of fraction digits). */
  function instantMillis(iso) {
    return Date.parse(String(iso).replace(/(\.\d{3})\d+/, "$1"));
  }

  function formatTime(iso) {
    return iso ? new Date(instantMillis(iso)).toLocaleTimeString() : "";
  }

  function duration(migration) {
    const end = migration.finishedAt ? instantMillis(migration.finishedAt) : Date.now();
    const millis = Math.max(0, end - instantMillis(migration.startedAt));
    const text = millis < 10_000 ? millis + " ms" : (millis / 1000).toFixed(1) + " s";
    return migration.finishedAt ? text : text + " so far";
  }

  $("auth-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("token-input").value.trim();
    if (!value) {
      return;
    }
    $("token-input").value = "";
    window.sessionStorage.setItem(TOKEN_KEY, value);
    start();
  });
  window.addEventListener("hashchange", start);
  start();
})();
