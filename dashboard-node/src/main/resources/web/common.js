// Tasklane dashboard: code shared by the pages (formatting, the live event feed, the task stream).
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
  T.naturalCompare = function (a, b) {
    return String(a).localeCompare(String(b), "en", { numeric: true });
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
   * snapshot, progress, tasks, workers, resources, status, state(live: bool).
   * Events whose seq is not above the last snapshot's are already in it: ignored.
   */
  T.live = function (handlers) {
    const EVENTS = ["progress", "tasks", "workers", "resources", "status"];
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

    function parse(ev) {
      try {
        return JSON.parse(ev.data);
      } catch (e) {
        console.warn("tasklane: bad event data", ev.type, e);
        return null;
      }
    }

    function connect() {
      retryTimer = null;
      snapshotSeq = null;
      source = new EventSource("events");
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
        const d = parse(ev);
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
          const d = parse(ev);
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

  // ---------- the task stream ----------
  const LABEL_W = 170;
  const AXIS_H = 24;
  const PAD_RIGHT = 12;
  const NICE_STEPS = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000,
    600000, 900000, 1800000, 3600000, 7200000, 21600000, 43200000, 86400000,
  ];
  // live spans grow from 10 s in steps of 10 %: the scale changes now and then, not every redraw,
  // and the data never leaves more than a tenth of the stream empty
  const LIVE_MIN_SPAN = 10000;
  const LIVE_MAX_SPAN = 3600000;
  const LIVE_STEP = 1.1;

  /**
   * A task stream: one row per worker thread, a bar per task from start to stop coloured by its
   * group (black if erred), each transfer of its inputs a red bar on the same row before it.
   *
   * options: live (follow "now", auto-fit, redraw every 200 ms), maxTasks (live: keep the last N),
   * rowHeight, interactive (wheel zoom + drag pan), onView(view) after each draw.
   */
  T.TaskStream = function (container, options) {
    this.opts = Object.assign({ live: false, maxTasks: 1000, rowHeight: 20 }, options || {});
    this.container = container;
    this.tasks = [];
    this.ids = new Set();
    this.rows = new Map(); // "worker\u0000thread" -> {worker, thread}
    this.rowOrder = [];
    this.bars = []; // what was drawn, topmost last (with refs to the data, internal)
    this.view = null; // {t0, t1} epoch ms
    this.userView = false; // tasks page: the user zoomed or panned
    this.paused = false;
    this.pointer = null; // {x, y, clientX, clientY} while over the rows
    this.nowFn = null;
    this.drawPending = false;

    container.classList.add("stream");
    this.axis = T.el("canvas", "stream-axis");
    this.body = T.el("div", "stream-body");
    this.canvas = T.el("canvas", "stream-rows");
    this.body.appendChild(this.canvas);
    this.empty = T.el("div", "stream-empty", this.opts.live ? "No tasks have run yet" : "No tasks");
    this.note = T.el("div", "stream-note");
    container.replaceChildren(this.axis, this.body, this.empty, this.note);
    this.legend = T.el("div", "legend");
    container.appendChild(this.legend);
    this.legendGroups = new Map();

    const self = this;
    this.canvas.addEventListener("mousemove", function (ev) {
      self.onPointer(ev);
    });
    this.canvas.addEventListener("mouseleave", function () {
      self.pointer = null;
      self.paused = false;
      T.hideTooltip();
      self.updateNote();
      self.requestDraw();
    });
    if (this.opts.interactive) {
      this.installZoomPan();
    }
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () {
        self.requestDraw();
      }).observe(container);
    } else {
      window.addEventListener("resize", function () {
        self.requestDraw();
      });
    }
    if (this.opts.live) {
      setInterval(function () {
        self.draw();
      }, 200);
    }
    this.exposeForTests();
    this.updateNote();
  };

  const P = T.TaskStream.prototype;

  /** window.tasklaneStream: read-only copies of what is drawn, in canvas CSS pixels. */
  P.exposeForTests = function () {
    const self = this;
    const api = {};
    Object.defineProperty(api, "bars", {
      enumerable: true,
      get: function () {
        return self.bars.map(function (b) {
          return Object.freeze({ key: b.key, kind: b.kind, color: b.color, x: b.x, y: b.y, w: b.w, h: b.h });
        });
      },
    });
    Object.defineProperty(api, "view", {
      enumerable: true,
      get: function () {
        const v = self.drawnView;
        return v ? Object.freeze({ t0: v.t0, t1: v.t1 }) : null;
      },
    });
    Object.defineProperty(api, "taskCount", {
      enumerable: true,
      get: function () {
        return self.tasks.length;
      },
    });
    Object.defineProperty(window, "tasklaneStream", { value: Object.freeze(api), writable: false });
  };

  P.setNow = function (fn) {
    this.nowFn = fn;
  };

  P.rowKey = function (t) {
    return String(t.worker) + "\u0000" + String(t.thread);
  };

  P.addRow = function (t) {
    const k = this.rowKey(t);
    if (!this.rows.has(k)) {
      this.rows.set(k, { worker: String(t.worker), thread: String(t.thread) });
      this.rowOrder = Array.from(this.rows.keys()).sort(function (a, b) {
        const [wa, ta] = a.split("\u0000");
        const [wb, tb] = b.split("\u0000");
        return T.naturalCompare(wa, wb) || T.naturalCompare(ta, tb);
      });
      this.rowIndex = new Map(this.rowOrder.map(function (key, i) {
        return [key, i];
      }));
    }
  };

  function normalize(t) {
    return {
      id: t.id,
      key: String(t.key),
      group: String(t.group == null ? "" : t.group),
      graph: t.graph == null ? "" : String(t.graph),
      worker: String(t.worker == null ? "?" : t.worker),
      thread: String(t.thread == null ? "?" : t.thread),
      start: Number(t.start),
      stop: Number(t.stop),
      status: t.status === "erred" ? "erred" : "memory",
      nbytes: Number(t.nbytes) || 0,
      error: t.error == null ? null : String(t.error),
      transfers: Array.isArray(t.transfers) ? t.transfers.map(function (x) {
        return {
          key: String(x.key),
          peer: String(x.peer == null ? "?" : x.peer),
          bytes: Number(x.bytes) || 0,
          start: Number(x.start),
          stop: Number(x.stop),
        };
      }) : [],
    };
  }

  /** Replaces every task (a snapshot, or the tasks page's one load). */
  P.setTasks = function (list) {
    this.tasks = [];
    this.ids = new Set();
    this.rows = new Map();
    this.rowOrder = [];
    this.rowIndex = new Map();
    this.legendGroups = new Map();
    this.legend.replaceChildren();
    this.addTasks(list || []);
  };

  /** Adds tasks (oldest first), skipping ids already present; a live stream keeps the last maxTasks. */
  P.addTasks = function (list) {
    for (let i = 0; i < list.length; i++) {
      const raw = list[i];
      if (raw == null) {
        continue;
      }
      if (raw.id != null) {
        if (this.ids.has(raw.id)) {
          continue;
        }
        this.ids.add(raw.id);
      }
      const t = normalize(raw);
      if (!isFinite(t.start) || !isFinite(t.stop)) {
        continue;
      }
      this.tasks.push(t);
      this.addRow(t);
      this.addLegend(t.group);
    }
    if (this.opts.live && this.tasks.length > this.opts.maxTasks) {
      const gone = this.tasks.splice(0, this.tasks.length - this.opts.maxTasks);
      for (let i = 0; i < gone.length; i++) {
        if (gone[i].id != null) {
          this.ids.delete(gone[i].id);
        }
      }
    }
    this.requestDraw();
  };

  P.addLegend = function (group) {
    if (this.legendGroups.has(group)) {
      return;
    }
    const item = T.el("span", "legend-item");
    const sw = T.el("span", "swatch");
    sw.style.backgroundColor = T.groupColor(group);
    item.appendChild(sw);
    item.appendChild(T.el("span", "legend-name", group));
    item.setAttribute("data-legend-group", group);
    this.legendGroups.set(group, item);
    // keep the legend sorted by name, with transfers and errors at the end
    const names = Array.from(this.legendGroups.keys()).sort(T.naturalCompare);
    const items = names.map((n) => this.legendGroups.get(n));
    const extra = [
      legendSwatch(T.COLORS.transfer, "transfer"),
      legendSwatch(T.COLORS.erred, "erred"),
    ];
    this.legend.replaceChildren.apply(this.legend, items.concat(extra));
  };

  function legendSwatch(color, name) {
    const item = T.el("span", "legend-item legend-fixed");
    const sw = T.el("span", "swatch");
    sw.style.backgroundColor = color;
    item.appendChild(sw);
    item.appendChild(T.el("span", "legend-name", name));
    return item;
  }

  P.dataRange = function () {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.tasks.length; i++) {
      const t = this.tasks[i];
      let s = t.start;
      for (let j = 0; j < t.transfers.length; j++) {
        if (t.transfers[j].start < s) {
          s = t.transfers[j].start;
        }
      }
      if (s < lo) {
        lo = s;
      }
      if (t.stop > hi) {
        hi = t.stop;
      }
    }
    return lo <= hi ? { lo: lo, hi: hi } : null;
  };

  /** The live view: ends at now, spans the data (snapped to a nice span, at least 10 s). */
  P.liveView = function () {
    const now = this.nowFn ? this.nowFn() : Date.now();
    const r = this.dataRange();
    const need = r ? (now - r.lo) * 1.01 : 0;
    let span = LIVE_MIN_SPAN;
    if (need > LIVE_MIN_SPAN) {
      span = LIVE_MIN_SPAN * Math.pow(LIVE_STEP, Math.ceil(Math.log(need / LIVE_MIN_SPAN) / Math.log(LIVE_STEP)));
    }
    span = Math.min(span, LIVE_MAX_SPAN);
    return { t0: now - span, t1: now };
  };

  P.fitView = function () {
    const r = this.dataRange();
    if (!r) {
      const now = Date.now();
      return { t0: now - 10000, t1: now };
    }
    const span = Math.max(r.hi - r.lo, 1);
    return { t0: r.lo - span * 0.01, t1: r.hi + span * 0.01 };
  };

  P.requestDraw = function () {
    if (this.drawPending) {
      return;
    }
    this.drawPending = true;
    const self = this;
    requestAnimationFrame(function () {
      self.drawPending = false;
      self.draw();
    });
  };

  P.plotWidth = function () {
    return Math.max(50, this.cssWidth - LABEL_W - PAD_RIGHT);
  };

  P.xOf = function (t) {
    const v = this.view;
    return LABEL_W + ((t - v.t0) / (v.t1 - v.t0)) * this.plotWidth();
  };

  P.timeAt = function (x) {
    const v = this.view;
    return v.t0 + ((x - LABEL_W) / this.plotWidth()) * (v.t1 - v.t0);
  };

  function sizeCanvas(canvas, w, h) {
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
  }

  P.draw = function () {
    const width = this.container.clientWidth;
    if (width <= 0) {
      return; // not laid out (hidden)
    }
    this.cssWidth = width;
    if (this.opts.live) {
      if (!this.paused || !this.view) {
        this.view = this.liveView();
      }
    } else if (!this.userView || !this.view) {
      this.view = this.fitView();
    }
    const rh = this.opts.rowHeight;
    const nrows = Math.max(this.rowOrder.length, 1);
    const height = nrows * rh;
    this.empty.hidden = this.tasks.length > 0;

    this.drawAxis(width);
    const ctx = sizeCanvas(this.canvas, width, height);
    ctx.clearRect(0, 0, width, height);

    // row backgrounds and labels
    ctx.font = "12px system-ui, -apple-system, 'Segoe UI', sans-serif";
    ctx.textBaseline = "middle";
    let lastWorker = null;
    for (let i = 0; i < this.rowOrder.length; i++) {
      const row = this.rows.get(this.rowOrder[i]);
      const y = i * rh;
      if (i % 2 === 1) {
        ctx.fillStyle = "#f6f8fb";
        ctx.fillRect(LABEL_W, y, width - LABEL_W, rh);
      }
      if (row.worker !== lastWorker && i > 0) {
        ctx.fillStyle = "#c9d1dc";
        ctx.fillRect(0, y, width, 1);
      }
      ctx.fillStyle = row.worker !== lastWorker ? "#1b2430" : "#5b6675";
      const label = row.worker !== lastWorker ? row.worker + " · " + row.thread : "· " + row.thread;
      ctx.fillText(fitText(ctx, label, LABEL_W - 12), 6, y + rh / 2);
      lastWorker = row.worker;
    }
    ctx.fillStyle = "#c9d1dc";
    ctx.fillRect(LABEL_W - 1, 0, 1, height);

    // bars, clipped to the plot area
    const bars = [];
    const left = LABEL_W;
    const right = width - PAD_RIGHT;
    const v = this.view;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, right - left, height);
    ctx.clip();
    const pad = Math.max(1, Math.round(rh * 0.12));
    const transfers = [];
    for (let i = 0; i < this.tasks.length; i++) {
      const t = this.tasks[i];
      const row = this.rowIndex.get(this.rowKey(t));
      const y = row * rh + pad;
      const h = rh - 2 * pad;
      for (let j = 0; j < t.transfers.length; j++) {
        const x = t.transfers[j];
        if (x.stop >= v.t0 && x.start <= v.t1) {
          transfers.push([x, t, y, h]);
        }
      }
      if (t.stop < v.t0 || t.start > v.t1) {
        continue;
      }
      const rect = this.clipRect(t.start, t.stop, left, right);
      const color = t.status === "erred" ? T.COLORS.erred : T.groupColor(t.group);
      ctx.fillStyle = color;
      ctx.fillRect(rect.x, y, rect.w, h);
      bars.push({ key: t.key, kind: "task", color: color, x: rect.x, y: y, w: rect.w, h: h, task: t });
    }
    // transfers on top, a little thinner, so a transfer overlapping the previous task shows
    ctx.fillStyle = T.COLORS.transfer;
    for (let i = 0; i < transfers.length; i++) {
      const [x, t, y, h] = transfers[i];
      const rect = this.clipRect(x.start, x.stop, left, right);
      const ty = y + Math.round(h * 0.2);
      const th = h - 2 * Math.round(h * 0.2);
      ctx.fillRect(rect.x, ty, rect.w, th);
      bars.push({
        key: x.key, kind: "transfer", color: T.COLORS.transfer, x: rect.x, y: ty, w: rect.w, h: th,
        transfer: x, task: t,
      });
    }
    ctx.restore();
    if (this.opts.live) {
      ctx.fillStyle = "#8a94a3";
      ctx.fillRect(right, 0, 1, height);
    }
    this.bars = bars;
    this.drawnView = { t0: v.t0, t1: v.t1 };

    if (this.pointer) {
      this.hover(); // keep the tooltip true to what is under the pointer
    }
    if (this.opts.onView) {
      this.opts.onView(this.view);
    }
  };

  /** A bar from time a to b in CSS pixels, at least 1 px wide, within [left, right]. */
  P.clipRect = function (a, b, left, right) {
    let x0 = this.xOf(a);
    let x1 = this.xOf(b);
    if (x1 - x0 < 1) {
      const c = (x0 + x1) / 2;
      x0 = c - 0.5;
      x1 = c + 0.5;
    }
    x0 = Math.max(x0, left);
    x1 = Math.min(x1, right);
    return { x: x0, w: Math.max(x1 - x0, 0.5) };
  };

  function fitText(ctx, s, maxW) {
    if (ctx.measureText(s).width <= maxW) {
      return s;
    }
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(s.slice(0, mid) + "…").width <= maxW) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return s.slice(0, lo) + "…";
  }

  P.drawAxis = function (width) {
    const ctx = sizeCanvas(this.axis, width, AXIS_H);
    ctx.clearRect(0, 0, width, AXIS_H);
    const v = this.view;
    const span = v.t1 - v.t0;
    const pw = this.plotWidth();
    const target = span * (110 / pw);
    let step = NICE_STEPS[NICE_STEPS.length - 1];
    for (let i = 0; i < NICE_STEPS.length; i++) {
      if (NICE_STEPS[i] >= target) {
        step = NICE_STEPS[i];
        break;
      }
    }
    const millis = step < 1000;
    ctx.font = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
    ctx.textBaseline = "top";
    ctx.textAlign = "center";
    ctx.fillStyle = "#c9d1dc";
    ctx.fillRect(LABEL_W, AXIS_H - 1, pw, 1);
    // ticks in local time: align to the local-time grid
    const tz = new Date(v.t0).getTimezoneOffset() * 60000;
    let t = Math.ceil((v.t0 - tz) / step) * step + tz;
    for (; t <= v.t1; t += step) {
      const x = this.xOf(t);
      ctx.fillStyle = "#9aa4b2";
      ctx.fillRect(Math.round(x), AXIS_H - 6, 1, 5);
      ctx.fillStyle = "#4a5563";
      ctx.fillText(T.fmtTime(t, millis), x, 4);
    }
    ctx.textAlign = "left";
    ctx.fillStyle = "#6b7584";
    ctx.fillText(this.opts.live ? "worker · thread" : "worker · thread", 6, 4);
  };

  P.updateNote = function () {
    if (this.opts.live) {
      this.note.textContent = this.paused
        ? "Paused while the pointer is over the stream"
        : "Last " + this.opts.maxTasks + " tasks; hover a bar for details";
    } else {
      this.note.textContent = "Wheel to zoom, drag to pan, double-click to fit; hover a bar for details";
    }
  };

  P.onPointer = function (ev) {
    const r = this.canvas.getBoundingClientRect();
    this.pointer = { x: ev.clientX - r.left, y: ev.clientY - r.top, clientX: ev.clientX, clientY: ev.clientY };
    if (this.opts.live && !this.paused) {
      this.paused = true; // hold the view still so what is under the pointer stays there
      this.updateNote();
    }
    if (this.dragging) {
      return;
    }
    this.hover();
  };

  /** The topmost bar under a point (transfers over tasks), with a pixel of slack for thin bars. */
  P.hitTest = function (x, y) {
    for (let i = this.bars.length - 1; i >= 0; i--) {
      const b = this.bars[i];
      if (y >= b.y && y <= b.y + b.h && x >= b.x - 1 && x <= b.x + b.w + 1) {
        return b;
      }
    }
    return null;
  };

  P.hover = function () {
    const p = this.pointer;
    const b = p ? this.hitTest(p.x, p.y) : null;
    if (!b) {
      T.hideTooltip();
      return;
    }
    const t = b.task;
    if (b.kind === "transfer") {
      const x = b.transfer;
      T.showTooltip(x.key, [
        ["transfer", "input of " + t.key],
        ["from", x.peer],
        ["to", t.worker + " · " + t.thread],
        ["bytes", T.fmtBytes(x.bytes)],
        ["start", T.fmtTime(x.start)],
        ["duration", T.fmtDuration(x.stop - x.start)],
      ], p.clientX, p.clientY, "tip-transfer");
      return;
    }
    const lines = [
      ["group", t.group],
      ["worker", t.worker],
      ["thread", t.thread],
      ["start", T.fmtTime(t.start)],
      ["duration", T.fmtDuration(t.stop - t.start)],
      ["status", t.status],
    ];
    if (t.status !== "erred") {
      lines.push(["result", T.fmtBytes(t.nbytes)]);
    }
    if (t.transfers.length > 0) {
      let bytes = 0;
      t.transfers.forEach(function (x) {
        bytes += x.bytes;
      });
      lines.push(["inputs moved", t.transfers.length + " (" + T.fmtBytes(bytes) + ")"]);
    }
    if (t.error != null) {
      lines.push(["error", t.error, "tip-error"]);
    }
    T.showTooltip(t.key, lines, p.clientX, p.clientY, t.status === "erred" ? "tip-erred" : null);
  };

  // ---------- zoom and pan (tasks page) ----------
  P.installZoomPan = function () {
    const self = this;
    this.canvas.addEventListener("wheel", function (ev) {
      if (ev.shiftKey || !self.view) {
        return; // shift+wheel scrolls the rows
      }
      ev.preventDefault();
      const r = self.canvas.getBoundingClientRect();
      const x = Math.max(LABEL_W, ev.clientX - r.left);
      self.zoomAt(self.timeAt(x), Math.pow(1.0015, ev.deltaY));
    }, { passive: false });
    this.canvas.addEventListener("mousedown", function (ev) {
      if (ev.button !== 0 || !self.view) {
        return;
      }
      ev.preventDefault();
      self.dragging = { x: ev.clientX, y: ev.clientY, view: self.view, scrollTop: self.body.scrollTop };
      self.canvas.classList.add("dragging");
      T.hideTooltip();
    });
    window.addEventListener("mousemove", function (ev) {
      const d = self.dragging;
      if (!d) {
        return;
      }
      const dt = ((ev.clientX - d.x) / self.plotWidth()) * (d.view.t1 - d.view.t0);
      self.setView(d.view.t0 - dt, d.view.t1 - dt);
      self.body.scrollTop = d.scrollTop - (ev.clientY - d.y);
    });
    window.addEventListener("mouseup", function () {
      if (self.dragging) {
        self.dragging = null;
        self.canvas.classList.remove("dragging");
      }
    });
    this.canvas.addEventListener("dblclick", function () {
      self.resetView();
    });
  };

  /** Zooms by factor (< 1 in, > 1 out) keeping time `at` where it is. */
  P.zoomAt = function (at, factor) {
    const v = this.view;
    const span = Math.min(Math.max((v.t1 - v.t0) * factor, 0.05), 1000 * 86400000);
    const frac = (at - v.t0) / (v.t1 - v.t0);
    this.setView(at - frac * span, at - frac * span + span);
  };

  P.zoomCenter = function (factor) {
    if (this.view) {
      this.zoomAt((this.view.t0 + this.view.t1) / 2, factor);
    }
  };

  P.setView = function (t0, t1) {
    this.view = { t0: t0, t1: t1 };
    this.userView = true;
    this.requestDraw();
  };

  P.resetView = function () {
    this.userView = false;
    this.requestDraw();
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
  function fillWidth(value, max) {
    return (max > 0 ? Math.max(0, Math.min(100, (100 * value) / max)) : 0).toFixed(1) + "%";
  }

  // ---------- the worker table, grouped by host ----------
  function num(v) {
    const n = Number(v);
    return isFinite(n) ? n : 0;
  }

  /** What a host row shows: sums over its workers, but the host's own rates (every worker reports them) once. */
  function hostTotals(ws) {
    const t = {
      nthreads: 0, executing: 0, queued: 0, processing: 0, heldResults: 0, heldBytes: 0, transfersIn: 0,
      bytesIn: 0, transfersOut: 0, bytesOut: 0, tasksCompleted: 0, cpu: 0, memory: 0, memoryLimit: 0,
      latency: 0, netIn: 0, netOut: 0, diskRead: 0, diskWrite: 0, lastSeen: null,
    };
    let latencySum = 0;
    let latencyN = 0;
    ws.forEach(function (w) {
      ["nthreads", "executing", "queued", "processing", "heldResults", "heldBytes", "transfersIn", "bytesIn",
        "transfersOut", "bytesOut", "tasksCompleted", "cpu", "memory", "memoryLimit"].forEach(function (k) {
        t[k] += num(w[k]);
      });
      ["netIn", "netOut", "diskRead", "diskWrite"].forEach(function (k) {
        t[k] = Math.max(t[k], num(w[k]));
      });
      if (num(w.latency) > 0) {
        latencySum += num(w.latency);
        latencyN++;
      }
      if (w.lastSeen != null && isFinite(Number(w.lastSeen))) {
        t.lastSeen = t.lastSeen == null ? Number(w.lastSeen) : Math.max(t.lastSeen, Number(w.lastSeen));
      }
    });
    t.cpu = Math.round(t.cpu * 10) / 10;
    t.latency = latencyN > 0 ? Math.round((latencySum / latencyN) * 100) / 100 : 0;
    return t;
  }

  function meterClass(frac) {
    return frac >= 0.9 ? "meter-high" : frac >= 0.7 ? "meter-warn" : "";
  }

  /**
   * The worker columns. Each: id (the cell's data-field), label, group (a header over several
   * columns), title, and show(w, ctx) -> {value, text, title?, meter?: {value, max, cls}} for a
   * worker or a host's totals (ctx.host is true for a host row; ctx.maxHeldBytes over all workers).
   */
  const WORKER_COLUMNS = {
    nthreads: { label: "Threads", title: "Task threads", show: function (w) {
      return { value: num(w.nthreads), text: T.fmtInt(w.nthreads) };
    } },
    cpu: { label: "CPU", title: "CPU use of the worker process, in percent of one core (the bar: of 100 % per task thread)",
      cls: "col-cpu", show: function (w) {
        const max = 100 * Math.max(1, num(w.nthreads));
        return { value: num(w.cpu), text: T.fmtPercent(w.cpu), meter: { value: num(w.cpu), max: max, cls: "meter-cpu" } };
      } },
    memory: { label: "Memory", title: "Resident memory of the worker process, against the memory it may use",
      cls: "col-memory", show: function (w) {
        const mem = num(w.memory);
        const limit = num(w.memoryLimit);
        const frac = limit > 0 ? mem / limit : 0;
        return {
          value: mem,
          limit: limit,
          text: T.fmtBytes(mem) + " / " + (limit > 0 ? T.fmtBytes(limit) : "–"),
          title: limit > 0 ? (100 * frac).toFixed(1) + " % of the limit" : "no limit known yet",
          meter: { value: mem, max: limit, cls: "meter-memory " + meterClass(frac) },
        };
      } },
    heldResults: { group: "Results held", label: "count", title: "Task results the worker holds",
      show: function (w) {
        return { value: num(w.heldResults), text: T.fmtInt(w.heldResults) };
      } },
    heldBytes: { group: "Results held", label: "bytes", title: "Bytes of the results it holds", cls: "col-bytes",
      show: function (w, ctx) {
        return { value: num(w.heldBytes), text: T.fmtBytes(w.heldBytes),
          meter: ctx.host ? null : { value: num(w.heldBytes), max: ctx.maxHeldBytes, cls: "meter-held" } };
      } },
    executing: { group: "Tasks", label: "executing", title: "Tasks running now (the bar: of its threads)",
      cls: "col-exec", show: function (w) {
        return { value: num(w.executing), text: T.fmtInt(w.executing),
          meter: { value: num(w.executing), max: num(w.nthreads), cls: "meter-exec" } };
      } },
    queued: { group: "Tasks", label: "queued", title: "Tasks assigned to it that wait for a thread", show: function (w) {
      return { value: num(w.queued), text: T.fmtInt(w.queued) };
    } },
    processing: { group: "Tasks", label: "processing", title: "Tasks the scheduler has given it (running or queued)",
      show: function (w) {
        return { value: num(w.processing), text: T.fmtInt(w.processing) };
      } },
    tasksCompleted: { group: "Tasks", label: "done", title: "Tasks it has finished", show: function (w) {
      return { value: num(w.tasksCompleted), text: T.fmtInt(w.tasksCompleted) };
    } },
    transfersIn: { group: "Transfers", label: "in", title: "Inputs it fetched from peers, and their bytes",
      show: function (w) {
        return { value: num(w.transfersIn), bytes: num(w.bytesIn),
          text: T.fmtInt(w.transfersIn), sub: T.fmtBytes(w.bytesIn) };
      } },
    transfersOut: { group: "Transfers", label: "out", title: "Results peers fetched from it, and their bytes",
      show: function (w) {
        return { value: num(w.transfersOut), bytes: num(w.bytesOut),
          text: T.fmtInt(w.transfersOut), sub: T.fmtBytes(w.bytesOut) };
      } },
    latency: { label: "Latency", title: "The scheduler's ping round trip (a host: the mean of its workers)",
      show: function (w) {
        return { value: num(w.latency), text: T.fmtLatency(w.latency),
          title: num(w.latency) > 0 ? null : "not measured yet" };
      } },
    netIn: { group: "Network", label: "in", title: "The host's network traffic received, per second", show: function (w) {
      return { value: num(w.netIn), text: T.fmtRate(w.netIn) };
    } },
    netOut: { group: "Network", label: "out", title: "The host's network traffic sent, per second", show: function (w) {
      return { value: num(w.netOut), text: T.fmtRate(w.netOut) };
    } },
    diskRead: { group: "Disk", label: "read", title: "The host's disk reads, per second", show: function (w) {
      return { value: num(w.diskRead), text: T.fmtRate(w.diskRead) };
    } },
    diskWrite: { group: "Disk", label: "write", title: "The host's disk writes, per second", show: function (w) {
      return { value: num(w.diskWrite), text: T.fmtRate(w.diskWrite) };
    } },
    lastSeen: { label: "Last seen", title: "When the dashboard last heard of it", cls: "last-seen",
      show: function (w, ctx) {
        if (w.lastSeen == null || !isFinite(Number(w.lastSeen))) {
          return { value: "", text: "–" };
        }
        const ms = Math.max(0, ctx.now() - Number(w.lastSeen));
        return { value: Number(w.lastSeen), text: ms < 1000 ? "now" : Math.round(ms / 1000) + " s ago" };
      } },
  };

  /**
   * The worker table of a page: a header row per physical host with its totals, then its workers
   * (natural order). Rows are kept by name and updated in place; the list handed to update() is
   * the whole table (a worker not in it leaves). Every value cell has data-field (the column) and
   * data-value (the raw number); host rows have data-host, worker rows data-worker.
   *
   * options: columns (ids of WORKER_COLUMNS, in order), now() (the server's clock, for "last seen").
   */
  T.WorkerTable = function (table, options) {
    this.opts = Object.assign({ now: Date.now }, options || {});
    this.columns = this.opts.columns.map(function (id) {
      const c = WORKER_COLUMNS[id];
      if (!c) {
        throw new Error("no worker column " + id);
      }
      return Object.assign({ id: id }, c);
    });
    this.thead = table.tHead || table.createTHead();
    this.tbody = table.tBodies[0] || table.createTBody();
    this.workerRows = new Map(); // name -> {tr, cells}
    this.hostRows = new Map(); // host -> {tr, cells, summary}
    this.list = [];
    this.buildHead();
  };

  const W = T.WorkerTable.prototype;

  W.buildHead = function () {
    const top = T.el("tr", "head-groups");
    const sub = T.el("tr", "head-columns");
    const first = T.el("th", "col-name", "Host / worker");
    first.rowSpan = 2;
    first.setAttribute("scope", "col");
    top.appendChild(first);
    let i = 0;
    while (i < this.columns.length) {
      const c = this.columns[i];
      if (!c.group) {
        const th = T.el("th", "num " + (c.cls || ""), c.label);
        th.rowSpan = 2;
        th.setAttribute("scope", "col");
        th.setAttribute("title", c.title);
        top.appendChild(th);
        i++;
        continue;
      }
      let j = i;
      while (j < this.columns.length && this.columns[j].group === c.group) {
        const s = this.columns[j];
        const th = T.el("th", "num sub " + (s.cls || ""), s.label);
        th.setAttribute("scope", "col");
        th.setAttribute("title", s.title);
        sub.appendChild(th);
        j++;
      }
      const g = T.el("th", "group-head", c.group);
      g.colSpan = j - i;
      g.setAttribute("scope", "colgroup");
      top.appendChild(g);
      i = j;
    }
    this.thead.replaceChildren(top, sub);
  };

  function makeCells(tr, columns) {
    const cells = new Map();
    columns.forEach(function (c) {
      const td = T.el("td", "num " + (c.cls || ""));
      td.setAttribute("data-field", c.id);
      const text = T.el("span", "cell-text");
      td.appendChild(text);
      tr.appendChild(td);
      cells.set(c.id, { td: td, text: text, meter: null, fill: null, sub: null });
    });
    return cells;
  }

  function fillCells(cells, columns, w, ctx) {
    columns.forEach(function (c) {
      const cell = cells.get(c.id);
      const s = c.show(w, ctx);
      cell.td.setAttribute("data-value", String(s.value));
      if (s.limit != null) {
        cell.td.setAttribute("data-limit", String(s.limit));
      }
      if (s.bytes != null) {
        cell.td.setAttribute("data-bytes", String(s.bytes));
      }
      if (cell.text.textContent !== s.text) {
        cell.text.textContent = s.text;
      }
      if (s.sub != null) {
        if (!cell.sub) {
          cell.sub = T.el("div", "cell-sub");
          cell.td.appendChild(cell.sub);
        }
        if (cell.sub.textContent !== s.sub) {
          cell.sub.textContent = s.sub;
        }
      }
      if (s.title) {
        cell.td.setAttribute("title", s.title);
      } else {
        cell.td.removeAttribute("title");
      }
      if (s.meter) {
        if (!cell.meter) {
          cell.meter = T.el("span", "meter");
          cell.fill = T.el("span", "meter-fill");
          cell.meter.appendChild(cell.fill);
          cell.td.insertBefore(cell.meter, cell.text);
        }
        cell.meter.className = "meter " + s.meter.cls;
        cell.fill.style.width = fillWidth(s.meter.value, s.meter.max);
      } else if (cell.meter) {
        cell.meter.remove();
        cell.meter = null;
        cell.fill = null;
      }
    });
  }

  /** Shows exactly these workers (the server's full list), grouped by host. */
  W.update = function (list) {
    this.list = Array.isArray(list) ? list.filter(function (w) {
      return w != null && w.name != null;
    }) : [];
    this.render();
    return this.list.length;
  };

  /** Renders the last list again (e.g. so that "last seen" counts on). */
  W.render = function () {
    const columns = this.columns;
    const byHost = new Map();
    let maxHeldBytes = 0;
    this.list.forEach(function (w) {
      const host = String(w.host == null || w.host === "" ? "?" : w.host);
      if (!byHost.has(host)) {
        byHost.set(host, []);
      }
      byHost.get(host).push(w);
      maxHeldBytes = Math.max(maxHeldBytes, num(w.heldBytes));
    });
    const ctx = { host: false, maxHeldBytes: maxHeldBytes, now: this.opts.now };
    const hostCtx = Object.assign({}, ctx, { host: true });
    const ordered = [];
    const seenWorkers = new Set();
    const seenHosts = new Set();
    const self = this;
    Array.from(byHost.keys()).sort(T.naturalCompare).forEach(function (host) {
      const ws = byHost.get(host).sort(function (a, b) {
        return T.naturalCompare(a.name, b.name);
      });
      seenHosts.add(host);
      let h = self.hostRows.get(host);
      if (!h) {
        const tr = T.el("tr", "host-row");
        tr.setAttribute("data-host", host);
        const th = T.el("th", "host-cell");
        th.setAttribute("scope", "rowgroup");
        const name = T.el("span", "host-name", host);
        const summary = T.el("span", "host-summary");
        th.append(name, summary);
        tr.appendChild(th);
        h = { tr: tr, summary: summary, cells: makeCells(tr, columns) };
        self.hostRows.set(host, h);
      }
      h.summary.textContent = ws.length + (ws.length === 1 ? " worker" : " workers");
      h.tr.setAttribute("data-workers", String(ws.length));
      fillCells(h.cells, columns, hostTotals(ws), hostCtx);
      ordered.push(h.tr);
      ws.forEach(function (w) {
        const name = String(w.name);
        seenWorkers.add(name);
        let r = self.workerRows.get(name);
        if (!r) {
          const tr = T.el("tr", "worker-row");
          tr.setAttribute("data-worker", name);
          const td = T.el("td", "worker-name");
          const nameEl = T.el("div", "name", name);
          const address = T.el("div", "address");
          td.append(nameEl, address);
          tr.appendChild(td);
          r = { tr: tr, address: address, cells: makeCells(tr, columns) };
          self.workerRows.set(name, r);
        }
        r.tr.setAttribute("data-worker-host", host);
        const addr = w.address == null ? "" : String(w.address);
        if (r.address.textContent !== addr) {
          r.address.textContent = addr;
        }
        fillCells(r.cells, columns, w, ctx);
        ordered.push(r.tr);
      });
    });
    this.workerRows.forEach(function (r, name) {
      if (!seenWorkers.has(name)) {
        self.workerRows.delete(name);
      }
    });
    this.hostRows.forEach(function (h, host) {
      if (!seenHosts.has(host)) {
        self.hostRows.delete(host);
      }
    });
    const current = this.tbody.children;
    let same = current.length === ordered.length;
    for (let i = 0; same && i < ordered.length; i++) {
      same = current[i] === ordered[i];
    }
    if (!same) {
      this.tbody.replaceChildren.apply(this.tbody, ordered);
    }
  };

  // ---------- the cluster resource plot ----------
  const PLOT_HISTORY_MS = 300000; // five minutes
  const PLOT_CAPACITY = 300;
  const PLOT_SPANS = [60000, 120000, 300000];
  const PLOT_GAP_MS = 2500; // points further apart than this are not joined
  const PLOT_FONT = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
  const PLOT_SERIES = Object.freeze([
    Object.freeze({ name: "cpu", label: "CPU", unit: "%", color: "#1f4e99", pane: "cpu", dashed: false }),
    Object.freeze({ name: "memory", label: "Memory", unit: "bytes", color: "#2c8c5a", pane: "memory", dashed: false }),
    Object.freeze({ name: "memoryLimit", label: "Memory limit", unit: "bytes", color: "#8a94a3", pane: "memory",
      dashed: true }),
  ]);

  /** 1-2-5 steps: the smallest step that cuts [0, max] into at most `ticks` parts. */
  function niceStep(max, ticks) {
    const raw = max / ticks;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
  }

  function decimalsOf(step) {
    return Math.max(0, Math.min(3, -Math.floor(Math.log10(step) + 1e-9)));
  }

  /** A bytes axis: ticks in a binary unit (MiB, GiB) at 1-2-5 steps of that unit. */
  function bytesAxis(maxBytes) {
    let u = 0;
    let unit = 1;
    while (maxBytes / unit >= 1000 && u < UNITS.length - 1) {
      unit *= 1024;
      u++;
    }
    const step = niceStep(maxBytes / unit, 4);
    const top = Math.ceil(maxBytes / unit / step - 1e-9) * step;
    const ticks = [];
    const d = decimalsOf(step);
    for (let v = 0; v <= top + step / 2; v += step) {
      ticks.push({ value: v * unit, label: v === 0 ? "0" : v.toFixed(d) + " " + UNITS[u] });
    }
    return { max: top * unit, ticks: ticks };
  }

  function percentAxis(max) {
    const step = niceStep(max, 4);
    const top = Math.ceil(max / step - 1e-9) * step;
    const ticks = [];
    const d = decimalsOf(step);
    for (let v = 0; v <= top + step / 2; v += step) {
      ticks.push({ value: v, label: v === 0 ? "0 %" : v.toFixed(d) + " %" });
    }
    return { max: top, ticks: ticks };
  }

  /**
   * The cluster resource plot: total CPU (percent of one core, summed over the workers) and total
   * memory (bytes, with the summed limit dashed when it is on the scale) of the last five minutes,
   * in two panes over one time axis, with a legend of the latest values. Points follow the
   * history rule of docs/dashboard.md: a point replaces every point at or after its time, and
   * points five minutes or more older than the newest are dropped.
   *
   * Exposes window.tasklanePlot (read-only copies): points drawn with their canvas coordinates,
   * series, axes (ticks and labels), view {t0, t1}.
   */
  T.ResourcePlot = function (container, options) {
    this.opts = Object.assign({ height: 260 }, options || {});
    this.container = container;
    this.points = [];
    this.drawn = { points: [], series: [], axes: { time: [], cpu: [], memory: [] }, view: null };
    this.hoverIndex = -1;
    this.drawPending = false;
    container.classList.add("plot");
    this.box = T.el("div", "plot-box");
    this.canvas = T.el("canvas", "plot-canvas");
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", "Cluster CPU and memory over the last five minutes");
    this.box.appendChild(this.canvas);
    this.legend = T.el("div", "legend plot-legend");
    this.legendValues = new Map();
    const self = this;
    PLOT_SERIES.forEach(function (s) {
      const item = T.el("span", "legend-item");
      item.setAttribute("data-series", s.name);
      const sw = T.el("span", "line-swatch" + (s.dashed ? " line-swatch-dashed" : ""));
      sw.style.borderTopColor = s.color;
      const value = T.el("span", "legend-value", "–");
      item.append(sw, T.el("span", "legend-label", s.label), value);
      self.legend.appendChild(item);
      self.legendValues.set(s.name, { item: item, value: value });
    });
    container.replaceChildren(this.box, this.legend);

    this.canvas.addEventListener("mousemove", function (ev) {
      self.onPointer(ev);
    });
    this.canvas.addEventListener("mouseleave", function () {
      self.hoverIndex = -1;
      T.hideTooltip();
      self.requestDraw();
    });
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () {
        self.requestDraw();
      }).observe(this.box);
    } else {
      window.addEventListener("resize", function () {
        self.requestDraw();
      });
    }
    this.exposeForTests();
    this.requestDraw();
  };

  const R = T.ResourcePlot.prototype;

  R.exposeForTests = function () {
    const self = this;
    const api = {};
    Object.defineProperty(api, "points", {
      enumerable: true,
      get: function () {
        return self.drawn.points.map(function (p) {
          return Object.freeze(Object.assign({}, p));
        });
      },
    });
    Object.defineProperty(api, "series", {
      enumerable: true,
      get: function () {
        return self.drawn.series.map(function (s) {
          return Object.freeze(Object.assign({}, s, {
            points: Object.freeze(s.points.map(function (p) {
              return Object.freeze(Object.assign({}, p));
            })),
          }));
        });
      },
    });
    Object.defineProperty(api, "axes", {
      enumerable: true,
      get: function () {
        const a = self.drawn.axes;
        const copy = function (list) {
          return Object.freeze(list.map(function (t) {
            return Object.freeze(Object.assign({}, t));
          }));
        };
        return Object.freeze({ time: copy(a.time), cpu: copy(a.cpu), memory: copy(a.memory) });
      },
    });
    Object.defineProperty(api, "view", {
      enumerable: true,
      get: function () {
        return self.drawn.view ? Object.freeze(Object.assign({}, self.drawn.view)) : null;
      },
    });
    Object.defineProperty(window, "tasklanePlot", { value: Object.freeze(api), writable: false });
  };

  function normalizePoint(p) {
    if (p == null) {
      return null;
    }
    const q = {
      time: Number(p.time),
      cpu: Math.max(0, num(p.cpu)),
      memory: Math.max(0, num(p.memory)),
      memoryLimit: Math.max(0, num(p.memoryLimit)),
      workers: Math.max(0, num(p.workers)),
    };
    return isFinite(q.time) ? q : null;
  }

  /** The history rule (docs/dashboard.md), without drawing. */
  R.insert = function (raw) {
    const p = normalizePoint(raw);
    if (!p) {
      return;
    }
    const pts = this.points;
    while (pts.length > 0 && pts[pts.length - 1].time >= p.time) {
      pts.pop();
    }
    pts.push(p);
    const oldest = p.time - PLOT_HISTORY_MS;
    let drop = 0;
    while (drop < pts.length && (pts[drop].time <= oldest || pts.length - drop > PLOT_CAPACITY)) {
      drop++;
    }
    if (drop > 0) {
      pts.splice(0, drop);
    }
  };

  /** Replaces the history (a snapshot's, oldest first). */
  R.setHistory = function (list) {
    this.points = [];
    (Array.isArray(list) ? list : []).forEach(this.insert, this);
    this.requestDraw();
  };

  /** Adds one point (a resources event's). */
  R.add = function (point) {
    this.insert(point);
    this.requestDraw();
  };

  R.requestDraw = function () {
    if (this.drawPending) {
      return;
    }
    this.drawPending = true;
    const self = this;
    requestAnimationFrame(function () {
      self.drawPending = false;
      self.draw();
    });
  };

  R.updateLegend = function (memoryLimitShown) {
    const last = this.points[this.points.length - 1];
    const v = this.legendValues;
    v.get("cpu").value.textContent = last ? T.fmtPercent(last.cpu) : "–";
    v.get("memory").value.textContent = last ? T.fmtBytes(last.memory) : "–";
    v.get("memoryLimit").value.textContent = last
      ? T.fmtBytes(last.memoryLimit) + (memoryLimitShown ? "" : " (off the scale)") : "–";
    v.get("memoryLimit").item.classList.toggle("legend-off", !memoryLimitShown);
  };

  R.draw = function () {
    const width = this.box.clientWidth;
    const height = this.opts.height;
    if (width <= 0) {
      return; // not laid out
    }
    const ctx = sizeCanvas(this.canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.font = PLOT_FONT;

    const pts = this.points;
    const left = 62;
    const right = width - 14;
    const top = 8;
    const bottom = height - 22;
    const gap = 20;
    const paneH = (bottom - top - gap) / 2;
    const panes = {
      cpu: { y0: top, y1: top + paneH, title: "CPU (% of one core)" },
      memory: { y0: top + paneH + gap, y1: bottom, title: "Memory" },
    };

    // the time window: ends at the newest point, 1, 2 or 5 minutes wide
    const t1 = pts.length > 0 ? pts[pts.length - 1].time : Math.floor(Date.now() / 1000) * 1000;
    const have = pts.length > 0 ? t1 - pts[0].time : 0;
    let span = PLOT_SPANS[PLOT_SPANS.length - 1];
    for (let i = 0; i < PLOT_SPANS.length; i++) {
      if (PLOT_SPANS[i] >= have) {
        span = PLOT_SPANS[i];
        break;
      }
    }
    const t0 = t1 - span;
    const xOf = function (t) {
      return left + ((t - t0) / span) * (right - left);
    };

    // scales
    let maxCpu = 0;
    let maxMem = 0;
    let maxLimit = 0;
    pts.forEach(function (p) {
      maxCpu = Math.max(maxCpu, p.cpu);
      maxMem = Math.max(maxMem, p.memory);
      maxLimit = Math.max(maxLimit, p.memoryLimit);
    });
    const cpuAxis = percentAxis(Math.max(100, maxCpu * 1.1));
    const memTop = Math.max(maxMem * 1.15, 64 * 1024 * 1024);
    // the summed limit is drawn when it is near enough to show the memory line against it
    const limitShown = maxLimit > 0 && maxLimit <= 2.5 * memTop;
    const memAxis = bytesAxis(limitShown ? Math.max(memTop, maxLimit * 1.05) : memTop);
    const yOf = function (pane, max, v) {
      return pane.y1 - (max > 0 ? (v / max) * (pane.y1 - pane.y0) : 0);
    };
    const yCpu = function (v) {
      return yOf(panes.cpu, cpuAxis.max, v);
    };
    const yMem = function (v) {
      return yOf(panes.memory, memAxis.max, v);
    };

    // grid, y labels
    const axes = { time: [], cpu: [], memory: [] };
    ctx.textBaseline = "middle";
    ctx.textAlign = "right";
    [["cpu", cpuAxis, yCpu], ["memory", memAxis, yMem]].forEach(function (a) {
      const pane = panes[a[0]];
      ctx.fillStyle = "#fafbfd";
      ctx.fillRect(left, pane.y0, right - left, pane.y1 - pane.y0);
      a[1].ticks.forEach(function (tick) {
        const y = Math.round(a[2](tick.value)) + 0.5;
        ctx.fillStyle = tick.value === 0 ? "#c9d1dc" : "#e7ebf0";
        ctx.fillRect(left, y - 0.5, right - left, 1);
        ctx.fillStyle = "#4a5563";
        ctx.fillText(tick.label, left - 6, y);
        axes[a[0]].push({ value: tick.value, y: y, label: tick.label });
      });
    });

    // time ticks: 10 s, 20 s, 30 s or a minute apart, on the local clock
    const stepT = span <= 60000 ? 10000 : span <= 120000 ? 20000 : 60000;
    const tz = new Date(t0).getTimezoneOffset() * 60000;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let t = Math.ceil((t0 - tz) / stepT) * stepT + tz; t <= t1; t += stepT) {
      const x = Math.round(xOf(t)) + 0.5;
      ctx.fillStyle = "#eef1f5";
      ctx.fillRect(x - 0.5, panes.cpu.y0, 1, panes.cpu.y1 - panes.cpu.y0);
      ctx.fillRect(x - 0.5, panes.memory.y0, 1, panes.memory.y1 - panes.memory.y0);
      ctx.fillStyle = "#9aa4b2";
      ctx.fillRect(x - 0.5, bottom, 1, 4);
      const label = stepT >= 60000 ? T.fmtTime(t, false).slice(0, 5) : T.fmtTime(t, false);
      ctx.fillStyle = "#4a5563";
      const half = ctx.measureText(label).width / 2;
      const labelled = x - half >= left - 20 && x + half <= width - 1;
      if (labelled) {
        ctx.fillText(label, x, bottom + 6); // a label the canvas would cut is left out (its tick stays)
      }
      axes.time.push({ time: t, x: x, label: label, labelled: labelled });
    }

    // pane frames and titles
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    Object.keys(panes).forEach(function (k) {
      const pane = panes[k];
      ctx.strokeStyle = "#c9d1dc";
      ctx.lineWidth = 1;
      ctx.strokeRect(left + 0.5, pane.y0 + 0.5, right - left - 1, pane.y1 - pane.y0 - 1);
    });

    // the series
    const drawnPoints = pts.map(function (p) {
      return {
        time: p.time, cpu: p.cpu, memory: p.memory, memoryLimit: p.memoryLimit, workers: p.workers,
        x: xOf(p.time), yCpu: yCpu(p.cpu), yMemory: yMem(p.memory),
        yMemoryLimit: limitShown ? yMem(p.memoryLimit) : null,
      };
    });
    const series = [];
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, right - left, bottom - top);
    ctx.clip();
    PLOT_SERIES.forEach(function (s) {
      const yKey = s.name === "cpu" ? "yCpu" : s.name === "memory" ? "yMemory" : "yMemoryLimit";
      const shown = s.name !== "memoryLimit" || limitShown;
      series.push({
        name: s.name, label: s.label, unit: s.unit, color: s.color, dashed: s.dashed, shown: shown,
        points: shown ? drawnPoints.map(function (p) {
          return { time: p.time, value: p[s.name], x: p.x, y: p[yKey] };
        }) : [],
      });
      if (!shown || drawnPoints.length === 0) {
        return;
      }
      const pane = panes[s.pane];
      // runs of points no more than PLOT_GAP_MS apart
      const runs = [];
      let run = [];
      drawnPoints.forEach(function (p, i) {
        if (i > 0 && p.time - drawnPoints[i - 1].time > PLOT_GAP_MS) {
          runs.push(run);
          run = [];
        }
        run.push(p);
      });
      runs.push(run);
      runs.forEach(function (r) {
        if (!s.dashed) {
          ctx.beginPath();
          ctx.moveTo(r[0].x, pane.y1);
          r.forEach(function (p) {
            ctx.lineTo(p.x, p[yKey]);
          });
          ctx.lineTo(r[r.length - 1].x, pane.y1);
          ctx.closePath();
          ctx.globalAlpha = 0.13;
          ctx.fillStyle = s.color;
          ctx.fill();
          ctx.globalAlpha = 1;
        }
        ctx.beginPath();
        r.forEach(function (p, i) {
          if (i === 0) {
            ctx.moveTo(p.x, p[yKey]);
          } else {
            ctx.lineTo(p.x, p[yKey]);
          }
        });
        if (r.length === 1) {
          ctx.lineTo(r[0].x + 1, r[0][yKey]);
        }
        ctx.setLineDash(s.dashed ? [5, 4] : []);
        ctx.strokeStyle = s.color;
        ctx.lineWidth = s.dashed ? 1.25 : 1.75;
        ctx.lineJoin = "round";
        ctx.stroke();
        ctx.setLineDash([]);
      });
    });
    ctx.restore();

    // pane titles over the plot, on a light background
    Object.keys(panes).forEach(function (k) {
      const pane = panes[k];
      const w = ctx.measureText(pane.title).width;
      ctx.globalAlpha = 0.85;
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(left + 1, pane.y0 + 1, w + 10, 16);
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#4a5563";
      ctx.fillText(pane.title, left + 6, pane.y0 + 3);
    });

    if (pts.length === 0) {
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillStyle = "#6b7584";
      ctx.fillText("No resource figures yet", (left + right) / 2, (top + bottom) / 2);
    }

    // the hovered point
    if (this.hoverIndex >= 0 && this.hoverIndex < drawnPoints.length) {
      const p = drawnPoints[this.hoverIndex];
      ctx.fillStyle = "rgba(27, 36, 48, 0.35)";
      ctx.fillRect(Math.round(p.x), top, 1, bottom - top);
      [["yCpu", PLOT_SERIES[0].color], ["yMemory", PLOT_SERIES[1].color]].forEach(function (d) {
        ctx.beginPath();
        ctx.arc(p.x, p[d[0]], 3.5, 0, 2 * Math.PI);
        ctx.fillStyle = d[1];
        ctx.fill();
      });
    }

    this.geometry = { left: left, right: right, top: top, bottom: bottom };
    this.drawn = { points: drawnPoints, series: series, axes: axes, view: { t0: t0, t1: t1 } };
    this.updateLegend(limitShown);
  };

  R.onPointer = function (ev) {
    const pts = this.drawn.points;
    const g = this.geometry;
    if (!g || pts.length === 0) {
      return;
    }
    const r = this.canvas.getBoundingClientRect();
    const x = ev.clientX - r.left;
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < pts.length; i++) {
      const d = Math.abs(pts[i].x - x);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best < 0 || bestD > 30 || x < g.left - 4 || x > g.right + 4) {
      this.hoverIndex = -1;
      T.hideTooltip();
    } else {
      this.hoverIndex = best;
      const p = pts[best];
      T.showTooltip(T.fmtTime(p.time, false), [
        ["CPU", T.fmtPercent(p.cpu)],
        ["memory", T.fmtBytes(p.memory)],
        ["limit", T.fmtBytes(p.memoryLimit)],
        ["workers", T.fmtInt(p.workers)],
      ], ev.clientX, ev.clientY);
    }
    this.draw();
  };

  window.Tasklane = Object.freeze(T);
})();
