// Tasklane dashboard: the task stream (live on status, zoomable on tasks).
// User text reaches the DOM only through textContent / setAttribute, never as HTML.
"use strict";

(function (T) {
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
   * rowHeight, interactive (wheel zoom + drag pan), onView(view) after each draw, range() the
   * span to fit (epoch ms {lo, hi}; default: the tasks loaded), onTaskClick(task) when a task's bar
   * (or one of its transfers) is clicked, not dragged.
   *
   * A window of a recorded run with too many tasks to draw one by one comes as a summary
   * (setSummary): per row, buckets of about a pixel, each drawn as a bar of its dominant group,
   * as opaque as the thread was busy, with transfers in red the same way.
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
    this.summary = null; // {from, bucket, groups, rows} of a recorded run's window, or null

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
    // a click on a task opens it, a little later: a double-click (fit the view) opens nothing
    let clickTimer = null;
    this.canvas.addEventListener("click", function (ev) {
      const box = self.canvas.getBoundingClientRect();
      if (self.hostOf && ev.clientX - box.left < LABEL_W && !self.dragMoved) {
        // a host's label opens its threads; the open host's label closes them
        const row = self.rows.get(self.rowOrder[Math.floor((ev.clientY - box.top) / self.opts.rowHeight)]);
        if (row) {
          const host = row.host != null ? row.host : self.hostOf.get(row.worker);
          self.setHostBands(self.hostOf, host === self.openHost ? null : host);
        }
        return;
      }
      if (!self.opts.onTaskClick || self.dragMoved || ev.detail > 1) {
        self.dragMoved = false;
        return;
      }
      const r = self.canvas.getBoundingClientRect();
      const b = self.hitTest(ev.clientX - r.left, ev.clientY - r.top);
      if (b && b.task) {
        const task = b.task;
        clearTimeout(clickTimer);
        clickTimer = setTimeout(function () {
          clickTimer = null;
          T.hideTooltip();
          self.opts.onTaskClick(task);
        }, 300);
      }
    });
    this.canvas.addEventListener("dblclick", function () {
      clearTimeout(clickTimer);
      clickTimer = null;
    });
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
    Object.defineProperty(api, "detail", {
      enumerable: true,
      get: function () {
        return self.summary ? "summary" : "tasks";
      },
    });
    Object.defineProperty(window, "tasklaneStream", { value: Object.freeze(api), writable: false });
  };

  P.setNow = function (fn) {
    this.nowFn = fn;
  };

  P.rowKey = function (t) {
    if (this.hostOf) {
      const host = this.hostOf.get(String(t.worker));
      if (host != null && host !== this.openHost) {
        return "\u0001" + host + "\u0000"; // a host's band: sorts before the open host's threads
      }
    }
    return String(t.worker) + "\u0000" + String(t.thread);
  };

  /**
   * A large cluster: one row per host (a band of all its threads' tasks) instead of one per thread,
   * and the threads of openHost (a click on a host's label opens or closes it). hostOf: worker name
   * -> host, or null for one row per thread again.
   */
  P.setHostBands = function (hostOf, openHost) {
    this.hostOf = hostOf;
    this.openHost = hostOf ? openHost || null : null;
    this.rows = new Map();
    this.rowOrder = [];
    this.rowIndex = new Map();
    this.tasks.forEach((t) => this.addRow(t));
    this.sortRows();
    this.draw();
  };

  P.addRow = function (t) {
    const k = this.rowKey(t);
    if (!this.rows.has(k)) {
      this.rows.set(k, k.charAt(0) === "\u0001"
        ? { worker: k.slice(1, -1), thread: "all threads", host: k.slice(1, -1) }
        : { worker: String(t.worker), thread: String(t.thread) });
      this.rowsDirty = true; // its callers sort once after a batch of tasks, not once per new row
    }
  };

  /** The rows in order (hosts' bands first, then by worker and thread, natural order) and their index. */
  P.sortRows = function () {
    this.rowsDirty = false;
    this.rowOrder = Array.from(this.rows.keys()).sort(function (a, b) {
      const [wa, ta] = a.split("\u0000");
      const [wb, tb] = b.split("\u0000");
      return T.naturalCompare(wa, wb) || T.naturalCompare(ta, tb);
    });
    this.rowIndex = new Map(this.rowOrder.map(function (key, i) {
      return [key, i];
    }));
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
    this.summary = null;
    this.rows = new Map();
    this.rowOrder = [];
    this.rowIndex = new Map();
    this.legendGroups = new Map();
    this.legend.replaceChildren();
    this.addTasks(list || []);
  };

  /**
   * A window of a recorded run (tasks.json?from&to&width): its tasks one by one, or its summary.
   * Rows and legend add up over windows, so that rows keep their place while zooming and panning.
   */
  P.setWindow = function (w) {
    this.tasks = [];
    this.ids = new Set();
    this.summary = null;
    if (w && w.detail === "summary") {
      const groups = (w.groups || []).map(String);
      const rows = (w.rows || []).map(function (r) {
        return {
          worker: String(r.worker), thread: String(r.thread), index: r.index || [], busy: r.busy || [],
          group: r.group || [], count: r.count || [], transferIndex: r.transferIndex || [],
          transferBusy: r.transferBusy || [], transferCount: r.transferCount || [],
        };
      });
      this.summary = { from: Number(w.from), bucket: Number(w.bucket), groups: groups, rows: rows };
      rows.forEach((r) => this.addRow(r));
      if (this.rowsDirty) {
        this.sortRows();
      }
      groups.forEach((g) => this.addLegend(g));
      this.requestDraw();
    } else {
      this.addTasks(w && Array.isArray(w.tasks) ? w.tasks : []);
    }
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
    if (this.rowsDirty) {
      this.sortRows();
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
    const r = this.opts.range ? this.opts.range() : this.dataRange();
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
    this.canvas.setAttribute("data-rows", String(this.rowOrder.length));
    this.canvas.classList.toggle("host-bands", !!this.hostOf);
    const height = nrows * rh;
    this.empty.hidden = this.tasks.length > 0 || this.summary !== null;

    this.drawAxis(width);
    const ctx = T.sizeCanvas(this.canvas, width, height);
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
    if (this.summary) {
      this.drawSummary(ctx, bars, left, right, pad, rh);
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
    const ctx = T.sizeCanvas(this.axis, width, AXIS_H);
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
    if (b.kind === "summary" || b.kind === "summary-transfer") {
      this.hoverSummary(b, p);
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
    if (this.opts.onTaskClick) {
      lines.push(["", "click for details"]);
    }
    T.showTooltip(t.key, lines, p.clientX, p.clientY, t.status === "erred" ? "tip-erred" : null);
  };

  /** The summary's buckets: a bar each, of its dominant group, as opaque as the thread was busy. */
  P.drawSummary = function (ctx, bars, left, right, pad, rh) {
    const s = this.summary;
    const h = rh - 2 * pad;
    for (let r = 0; r < s.rows.length; r++) {
      const row = s.rows[r];
      const y = this.rowIndex.get(this.rowKey(row)) * rh + pad;
      for (let i = 0; i < row.index.length; i++) {
        const t0 = s.from + row.index[i] * s.bucket;
        const t1 = t0 + s.bucket;
        if (t1 < this.view.t0 || t0 > this.view.t1) {
          continue;
        }
        const g = row.group[i];
        const color = g < 0 ? T.COLORS.erred : T.groupColor(s.groups[g]);
        const rect = this.clipRect(t0, t1, left, right);
        ctx.globalAlpha = 0.25 + 0.75 * Math.min(1, Math.max(0, Number(row.busy[i]) || 0));
        ctx.fillStyle = color;
        ctx.fillRect(rect.x, y, rect.w, h);
        bars.push({
          key: g < 0 ? "erred" : s.groups[g], kind: "summary", color: color, x: rect.x, y: y, w: rect.w, h: h,
          cell: { start: t0, stop: t1, busy: row.busy[i], count: row.count[i], group: g < 0 ? "erred" : s.groups[g],
            worker: row.worker, thread: row.thread },
        });
      }
      const ty = y + Math.round(h * 0.2);
      const th = h - 2 * Math.round(h * 0.2);
      ctx.fillStyle = T.COLORS.transfer;
      for (let i = 0; i < row.transferIndex.length; i++) {
        const t0 = s.from + row.transferIndex[i] * s.bucket;
        const t1 = t0 + s.bucket;
        if (t1 < this.view.t0 || t0 > this.view.t1) {
          continue;
        }
        const rect = this.clipRect(t0, t1, left, right);
        ctx.globalAlpha = 0.25 + 0.75 * Math.min(1, Math.max(0, Number(row.transferBusy[i]) || 0));
        ctx.fillRect(rect.x, ty, rect.w, th);
        bars.push({
          key: "transfers", kind: "summary-transfer", color: T.COLORS.transfer, x: rect.x, y: ty, w: rect.w, h: th,
          cell: { start: t0, stop: t1, busy: row.transferBusy[i], count: row.transferCount[i],
            worker: row.worker, thread: row.thread },
        });
      }
    }
    ctx.globalAlpha = 1;
  };

  /** The tooltip of a summary bucket. */
  P.hoverSummary = function (b, p) {
    const c = b.cell;
    const lines = [
      ["worker", c.worker],
      ["thread", c.thread],
      ["from", T.fmtTime(c.start)],
      ["span", T.fmtDuration(c.stop - c.start)],
      [b.kind === "summary" ? "busy" : "transferring", Math.round(100 * (Number(c.busy) || 0)) + " %"],
    ];
    if (b.kind === "summary") {
      lines.push(["mostly", c.group]);
    }
    const n = Number(c.count) || 0;
    const what = b.kind === "summary" ? (n === 1 ? " task started" : " tasks started")
      : (n === 1 ? " transfer started" : " transfers started");
    T.showTooltip(T.fmtInt(n) + what, lines, p.clientX, p.clientY, b.kind === "summary" ? null : "tip-transfer");
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
      self.dragMoved = false;
      self.canvas.classList.add("dragging");
      T.hideTooltip();
    });
    window.addEventListener("mousemove", function (ev) {
      const d = self.dragging;
      if (!d) {
        return;
      }
      if (Math.abs(ev.clientX - d.x) + Math.abs(ev.clientY - d.y) > 3) {
        self.dragMoved = true; // a pan, not a click
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

})(window.Tasklane);
