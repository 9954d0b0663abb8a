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

  window.Tasklane = Object.freeze(T);
})();
