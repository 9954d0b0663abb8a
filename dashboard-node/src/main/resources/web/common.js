// Tasklane dashboard: what every page shares (colours, formatting, the live event feed, the tooltip).
// The task stream, the worker table and the resource plot each have a file of their own.
// Plain DOM and canvas, no library. Everything a user wrote (task keys, group names, errors,
// worker names) reaches the DOM only through textContent / setAttribute, never as HTML.
"use strict";

(function () {
  const T = {};

  // ---------- colours ----------
  T.COLORS = Object.freeze({
    memory: "#1f4e99",
    released: "#9ecae9",
    waiting: "#d0d0d0",
    erred: "#000000",
    transfer: "#e31a1c",
  });

  // Group colours from a hash of the name: any hue but red (transfers), never black (errors).
  function hslToHex(h, s, l) {
    s /= 100;
    l /= 100;
    const k = function (n) {
      return (n + h / 30) % 12;
    };
    const a = s * Math.min(l, 1 - l);
    const f = function (n) {
      const c = l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
      return Math.round(255 * c).toString(16).padStart(2, "0");
    };
    return "#" + f(0) + f(8) + f(4);
  }

  /** FNV-1a over UTF-16 code units: the same name gives the same colour on every page and load. */
  T.hash = function (s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
    return h >>> 0;
  };

  const colorCache = new Map();

  T.groupColor = function (group) {
    const name = String(group == null ? "" : group);
    let c = colorCache.get(name);
    if (c === undefined) {
      const h = T.hash(name);
      const hue = 28 + (h % 300); // 28..327: keeps clear of red
      const sat = 55 + ((h >>> 9) % 4) * 8; // 55..79 %
      const light = 42 + ((h >>> 12) % 4) * 7; // 42..63 %
      c = hslToHex(hue, sat, light);
      colorCache.set(name, c);
    }
    return c;
  };

  // ---------- formatting ----------
  const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  T.BYTE_UNITS = Object.freeze(UNITS.slice());

  /** 1234567 -> "1.2 MiB" */
  T.fmtBytes = function (n) {
    n = Number(n) || 0;
    if (n < 1024) {
      return n + " B";
    }
    let u = 0;
    while (n >= 1024 && u < UNITS.length - 1) {
      n /= 1024;
      u++;
    }
    return (n >= 100 ? n.toFixed(0) : n.toFixed(1)) + " " + UNITS[u];
  };

  /** milliseconds -> "850 µs", "12.3 ms", "1.25 s", "2 min 5 s" */
  T.fmtDuration = function (ms) {
    ms = Number(ms) || 0;
    if (ms < 1) {
      return Math.round(ms * 1000) + " µs";
    }
    if (ms < 100) {
      return ms.toFixed(1) + " ms";
    }
    if (ms < 1000) {
      return Math.round(ms) + " ms";
    }
    if (ms < 60000) {
      return (ms / 1000).toFixed(2) + " s";
    }
    const s = Math.round(ms / 1000);
    return Math.floor(s / 60) + " min " + (s % 60) + " s";
  };

  function pad(n, w) {
    return String(n).padStart(w || 2, "0");
  }

  /** epoch ms -> "16:59:03.250" (local time) */
  T.fmtTime = function (ms, withMillis) {
    const d = new Date(ms);
    let s = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    if (withMillis !== false) {
      s += "." + pad(d.getMilliseconds(), 3);
    }
    return s;
  };

  T.fmtInt = function (n) {
    return (Number(n) || 0).toLocaleString("en-US");
  };

  /** Natural order: "worker-2" before "worker-10". */
  // one collator for every comparison: localeCompare with options builds a collator per call
  // (1,000 tasks on 400 threads sorted their rows for 40 s of main thread)
  const NATURAL = new Intl.Collator("en", { numeric: true });
  T.naturalCompare = function (a, b) {
    return NATURAL.compare(String(a), String(b));
  };

  // ---------- DOM ----------
  /** createElement with an optional class and text (always as text). */
  T.el = function (tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text != null) {
      e.textContent = String(text);
    }
    return e;
  };

  // ---------- the live feed: one EventSource("events") per tab ----------
  /**
   * Opens the page's one SSE stream and keeps #connection honest. `handlers` may have
   * snapshot, progress, tasks, workers, resources, status, graphs, state(live: bool), and base (the path
   * back to the dashboard's root, "../" for a page one level down, like workers/NAME).
   * Events whose seq is not above the last snapshot's are already in it: ignored.
   */
  /** An SSE event's JSON data; null (and one console warning) if it is not JSON. */
  T.parseEvent = function (ev) {
    try {
      return JSON.parse(ev.data);
    } catch (e) {
      console.warn("tasklane: bad event data", ev.type, e);
      return null;
    }
  };

  /** The zoom-in, zoom-out and zoom-fit buttons of a page with one task stream. */
  T.wireZoomButtons = function (stream) {
    document.getElementById("zoom-in").addEventListener("click", function () {
      stream.zoomCenter(0.5);
    });
    document.getElementById("zoom-out").addEventListener("click", function () {
      stream.zoomCenter(2);
    });
    document.getElementById("zoom-fit").addEventListener("click", function () {
      stream.resetView();
    });
  };

  T.live = function (handlers) {
    if (T.replay) {
      return T.replay.feed(handlers); // a recorded run (replay.js): its stream, not the live one
    }
    const EVENTS = ["progress", "tasks", "workers", "resources", "status", "graphs"];
    const indicator = document.getElementById("connection");
    let source = null;
    let snapshotSeq = null; // null until the first snapshot of the current connection
    let open = false;
    let connected = false;
    let message = "";
    let retryMs = 1000;
    let retryTimer = null;

    let everOpen = false;
    let hadData = false;

    function render() {
      const live = open && connected && snapshotSeq !== null;
      let text;
      if (live) {
        text = "live";
      } else if (!everOpen || (open && snapshotSeq === null)) {
        text = "connecting…";
      } else if (!open) {
        text = "disconnected";
      } else {
        text = message || "disconnected from the scheduler";
      }
      if (indicator) {
        indicator.textContent = text;
        indicator.classList.toggle("conn-live", live);
        indicator.classList.toggle("conn-down", !live);
        indicator.setAttribute("title", live
          ? "Receiving live updates"
          : "Not live: the numbers on this page may be out of date");
      }
      // numbers once shown and no longer live are dimmed, so nobody takes them for live ones
      document.body.classList.toggle("stale", !live && hadData);
      if (handlers.state) {
        handlers.state(live);
      }
    }

    function connect() {
      retryTimer = null;
      snapshotSeq = null;
      source = new EventSource((handlers.base || "") + "events"); // base: "../" from a page one level down
      source.addEventListener("open", function () {
        open = true;
        everOpen = true;
        retryMs = 1000;
        render();
      });
      source.addEventListener("error", function () {
        open = false;
        everOpen = true; // from now on, not being open means disconnected
        snapshotSeq = null; // a reconnect starts with a fresh snapshot
        if (source.readyState === EventSource.CLOSED) {
          // the browser gave up (an HTTP error): try again ourselves, with backoff
          source = null;
          retryTimer = setTimeout(connect, retryMs);
          retryMs = Math.min(retryMs * 2, 15000);
        }
        render();
      });
      source.addEventListener("snapshot", function (ev) {
        const d = T.parseEvent(ev);
        if (!d) {
          return;
        }
        snapshotSeq = Number(d.seq);
        hadData = true;
        connected = d.connected !== false;
        message = "";
        open = true;
        if (handlers.snapshot) {
          handlers.snapshot(d);
        }
        render();
      });
      EVENTS.forEach(function (name) {
        source.addEventListener(name, function (ev) {
          const d = T.parseEvent(ev);
          if (!d || snapshotSeq === null || !(Number(d.seq) > snapshotSeq)) {
            return; // before the snapshot, or already in it
          }
          if (name === "status") {
            connected = d.connected !== false;
            message = d.message ? String(d.message) : "";
            render();
          }
          if (handlers[name]) {
            handlers[name](d);
          }
        });
      });
      render();
    }

    connect();
  };

  // ---------- JSON for the pages ----------
  /**
   * GET url as JSON; an answer that is not 200 fails with the server's one-line error. A 503 (the
   * server is busy: the run history reads a bounded number of runs at once) is asked again, up to
   * three times, after 0.5, 1 and 2 s.
   */
  T.getJson = function (url, signal) {
    function attempt(n) {
      return fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", signal: signal })
        .then(function (r) {
          if (r.status === 503 && n < 3) {
            return new Promise(function (resolve) {
              setTimeout(resolve, 500 * Math.pow(2, n));
            }).then(function () {
              return attempt(n + 1);
            });
          }
          if (!r.ok) {
            return r.json().catch(function () {
              return {};
            }).then(function (body) {
              throw new Error(body && body.error ? String(body.error) : "HTTP " + r.status);
            });
          }
          return r.json();
        });
    }
    return attempt(0);
  };

  // ---------- tooltip ----------
  function tooltipElement() {
    let tip = document.getElementById("tooltip");
    if (!tip) {
      tip = T.el("div", "tooltip");
      tip.id = "tooltip";
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  /** Fills the tooltip with [label, value] lines (text only) and puts it near the pointer. */
  T.showTooltip = function (title, lines, clientX, clientY, titleClass) {
    const tip = tooltipElement();
    tip.replaceChildren();
    const head = T.el("div", "tip-title" + (titleClass ? " " + titleClass : ""), title);
    tip.appendChild(head);
    const dl = T.el("dl", "tip-lines");
    lines.forEach(function (l) {
      dl.appendChild(T.el("dt", null, l[0]));
      dl.appendChild(T.el("dd", l[2] || null, l[1]));
    });
    tip.appendChild(dl);
    tip.hidden = false;
    const r = tip.getBoundingClientRect();
    let x = clientX + 14;
    let y = clientY + 14;
    if (x + r.width > window.innerWidth - 4) {
      x = Math.max(4, clientX - r.width - 14);
    }
    if (y + r.height > window.innerHeight - 4) {
      y = Math.max(4, clientY - r.height - 14);
    }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  };

  T.hideTooltip = function () {
    const tip = document.getElementById("tooltip");
    if (tip) {
      tip.hidden = true;
    }
  };

  // ---------- more formatting: rates, percent, latency ----------
  const RATE_UNITS = ["B/s", "KB/s", "MB/s", "GB/s", "TB/s"];

  /** bytes per second, decimal units as network tools show them: "0 B/s", "1.2 KB/s", "35 MB/s" */
  T.fmtRate = function (n) {
    n = Math.max(0, Number(n) || 0);
    let u = 0;
    while (n >= 999.5 && u < RATE_UNITS.length - 1) {
      n /= 1000;
      u++;
    }
    if (u === 0) {
      return Math.round(n) + " B/s";
    }
    return (n >= 9.95 ? String(Math.round(n)) : n.toFixed(1)) + " " + RATE_UNITS[u];
  };

  /** percent of one core: "0 %", "2.3 %", "105 %" */
  T.fmtPercent = function (p) {
    p = Math.max(0, Number(p) || 0);
    if (p === 0) {
      return "0 %";
    }
    return (p < 9.95 ? p.toFixed(1) : String(Math.round(p))) + " %";
  };

  /** a round trip in ms: "0.04 ms", "0.3 ms", "4 ms", "4.5 ms", "120 ms", "1.50 s"; "–" before the first */
  T.fmtLatency = function (ms) {
    ms = Number(ms) || 0;
    if (ms <= 0) {
      return "–";
    }
    if (ms < 0.095) {
      return ms.toFixed(2) + " ms";
    }
    if (ms < 9.95) {
      return ms.toFixed(1).replace(/\.0$/, "") + " ms";
    }
    if (ms < 999.5) {
      return Math.round(ms) + " ms";
    }
    return T.fmtDuration(ms);
  };

  /** A fraction in 0..1 of a meter's fill, as a CSS width (0 when there is no maximum). */
  /** A bar's CSS width for value out of max. */
  T.fillWidth = function (value, max) {
    return (max > 0 ? Math.max(0, Math.min(100, (100 * value) / max)) : 0).toFixed(1) + "%";
  };


  /** A number, or 0 for anything that is not a finite one. */
  T.num = function (v) {
    const n = Number(v);
    return isFinite(n) ? n : 0;
  };

  /** Sizes a canvas for the device's pixel ratio and returns its 2D context in CSS pixels. */
  T.sizeCanvas = function (canvas, w, h) {
    const dpr = window.devicePixelRatio || 1;
    const pw = Math.max(1, Math.round(w * dpr));
    const ph = Math.max(1, Math.round(h * dpr));
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  };

  /**
   * A worker's figures as the dashboard hands them over (docs/dashboard.md, "Worker": tasks,
   * transfers, process, host, memory), each part {} when missing, so a page reads f.tasks.queued.
   */
  T.workerFigures = function (w) {
    const f = (w && w.figures) || {};
    return { tasks: f.tasks || {}, transfers: f.transfers || {}, process: f.process || {}, host: f.host || {},
      memory: f.memory || {} };
  };

  // the page's other scripts (taskstream.js, workertable.js, resourceplot.js) add to this namespace
  window.Tasklane = T;
})();
