// Tasklane dashboard: the worker table, grouped by host.
// User text reaches the DOM only through textContent / setAttribute, never as HTML.
"use strict";

(function (T) {
  // ---------- the worker table, grouped by host ----------

  const figuresOf = T.workerFigures;

  /** Adds b's numeric fields into a (both plain objects of numbers). */
  function addInto(a, b, keys) {
    keys.forEach(function (k) {
      a[k] = T.num(a[k]) + T.num(b[k]);
    });
  }

  /**
   * What a host row shows, in a worker's shape: sums over its workers, but the host's own rates
   * (every worker reports them) once; memory.pausedWorkers counts its paused workers.
   */
  function hostTotals(ws) {
    const t = { nthreads: 0, processing: 0, latency: 0, lastSeen: null, figures: {
      tasks: {}, transfers: {}, process: {}, host: {}, memory: { paused: false, pausedWorkers: 0 } } };
    const tf = t.figures;
    let latencySum = 0;
    let latencyN = 0;
    ws.forEach(function (w) {
      const f = figuresOf(w);
      t.nthreads += T.num(w.nthreads);
      t.processing += T.num(w.processing);
      addInto(tf.tasks, f.tasks, ["executing", "queued", "heldResults", "heldBytes", "completed"]);
      addInto(tf.transfers, f.transfers, ["in", "bytesIn", "out", "bytesOut"]);
      addInto(tf.process, f.process, ["cpuPercent", "rssBytes", "memoryLimitBytes"]);
      ["netIn", "netOut", "diskRead", "diskWrite"].forEach(function (k) {
        tf.host[k] = Math.max(T.num(tf.host[k]), T.num(f.host[k]));
      });
      addInto(tf.memory, f.memory, ["managedBytes", "unmanagedBytes", "spilledBytes", "spilledResults", "limitBytes"]);
      tf.memory.pausedWorkers += f.memory.paused === true ? 1 : 0;
      if (T.num(w.latency) > 0) {
        latencySum += T.num(w.latency);
        latencyN++;
      }
      if (w.lastSeen != null && isFinite(Number(w.lastSeen))) {
        t.lastSeen = t.lastSeen == null ? Number(w.lastSeen) : Math.max(t.lastSeen, Number(w.lastSeen));
      }
    });
    tf.process.cpuPercent = Math.round(T.num(tf.process.cpuPercent) * 10) / 10;
    t.latency = latencyN > 0 ? Math.round((latencySum / latencyN) * 100) / 100 : 0;
    return t;
  }
  T.workerHostTotals = hostTotals;

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
      return { value: T.num(w.nthreads), text: T.fmtInt(w.nthreads) };
    } },
    cpu: { label: "CPU", title: "CPU use of the worker process, in percent of one core (the bar: of 100 % per task thread)",
      cls: "col-cpu", show: function (w) {
        const max = 100 * Math.max(1, T.num(w.nthreads));
        const cpu = T.num(figuresOf(w).process.cpuPercent);
        return { value: cpu, text: T.fmtPercent(cpu), meter: { value: cpu, max: max, cls: "meter-cpu" } };
      } },
    memory: { label: "Memory", title: "Resident memory of the worker process, against the memory it may use",
      cls: "col-memory", show: function (w) {
        const p = figuresOf(w).process;
        const mem = T.num(p.rssBytes);
        const limit = T.num(p.memoryLimitBytes);
        const frac = limit > 0 ? mem / limit : 0;
        return {
          value: mem,
          limit: limit,
          text: T.fmtBytes(mem) + " / " + (limit > 0 ? T.fmtBytes(limit) : "–"),
          title: limit > 0 ? (100 * frac).toFixed(1) + " % of the limit" : "no limit known yet",
          meter: { value: mem, max: limit, cls: "meter-memory " + meterClass(frac) },
        };
      } },
    heap: { label: "Heap", title: "The JVM heap as Dask shows memory: managed (results in memory) + unmanaged "
      + "(the rest), against the memory limit; below, the results spilled to disk. The bar turns amber past the "
      + "spill line and red past the pause line; paused: the worker takes no new tasks",
      cls: "col-heap", show: function (w, ctx) {
        const h = figuresOf(w).memory;
        const managed = T.num(h.managedBytes);
        const unmanaged = T.num(h.unmanagedBytes);
        const spilled = T.num(h.spilledBytes);
        const limit = T.num(h.limitBytes);
        const used = managed + unmanaged;
        const frac = limit > 0 ? used / limit : 0;
        const pausedNow = ctx.host ? T.num(h.pausedWorkers) > 0 : h.paused === true;
        const pauseLine = T.num(h.pause) > 0 ? T.num(h.pause) : 0.8;
        const spillLine = T.num(h.spill) > 0 ? T.num(h.spill) : 0.7;
        const lines = ctx.host ? "" : ["target", "spill", "pause", "terminate"].map(function (k) {
          return k + " " + (T.num(h[k]) > 0 ? Math.round(100 * T.num(h[k])) + " %" : "off");
        }).join(", ");
        return {
          value: used,
          text: limit > 0 ? T.fmtBytes(managed) + " + " + T.fmtBytes(unmanaged) + (pausedNow ? " paused" : "") : "–",
          sub: spilled > 0 ? T.fmtBytes(spilled) + " spilled (" + T.fmtInt(h.spilledResults) + ")" : null,
          title: limit > 0 ? "managed " + T.fmtBytes(managed) + ", unmanaged " + T.fmtBytes(unmanaged) + ", spilled "
            + T.fmtBytes(spilled) + " of limit " + T.fmtBytes(limit) + " (" + (100 * frac).toFixed(1) + " %)"
            + (lines ? "; " + lines : "") + (pausedNow ? (ctx.host ? "; " + T.fmtInt(h.pausedWorkers)
              + " paused" : "; paused: takes no new tasks") : "") : "no heap figures from this worker",
          meter: limit > 0 ? { value: used, max: limit, cls: "meter-memory "
            + (pausedNow || frac > pauseLine ? "meter-high" : frac > spillLine ? "meter-warn" : "") } : null,
        };
      } },
    heldResults: { group: "Results held", label: "count", title: "Task results the worker holds",
      show: function (w) {
        const n = figuresOf(w).tasks.heldResults;
        return { value: T.num(n), text: T.fmtInt(n) };
      } },
    heldBytes: { group: "Results held", label: "bytes", title: "Bytes of the results it holds", cls: "col-bytes",
      show: function (w, ctx) {
        const b = T.num(figuresOf(w).tasks.heldBytes);
        return { value: b, text: T.fmtBytes(b),
          meter: ctx.host ? null : { value: b, max: ctx.maxHeldBytes, cls: "meter-held" } };
      } },
    executing: { group: "Tasks", label: "executing", title: "Tasks running now (the bar: of its threads)",
      cls: "col-exec", show: function (w) {
        const n = T.num(figuresOf(w).tasks.executing);
        return { value: n, text: T.fmtInt(n), meter: { value: n, max: T.num(w.nthreads), cls: "meter-exec" } };
      } },
    queued: { group: "Tasks", label: "queued", title: "Tasks assigned to it that wait for a thread", show: function (w) {
      const n = T.num(figuresOf(w).tasks.queued);
      return { value: n, text: T.fmtInt(n) };
    } },
    processing: { group: "Tasks", label: "processing", title: "Tasks the scheduler has given it (running or queued)",
      show: function (w) {
        return { value: T.num(w.processing), text: T.fmtInt(w.processing) };
      } },
    tasksCompleted: { group: "Tasks", label: "done", title: "Tasks it has finished", show: function (w) {
      const n = T.num(figuresOf(w).tasks.completed);
      return { value: n, text: T.fmtInt(n) };
    } },
    transfersIn: { group: "Transfers", label: "in", title: "Inputs it fetched from peers, and their bytes",
      show: function (w) {
        const x = figuresOf(w).transfers;
        return { value: T.num(x.in), bytes: T.num(x.bytesIn), text: T.fmtInt(x.in), sub: T.fmtBytes(x.bytesIn) };
      } },
    transfersOut: { group: "Transfers", label: "out", title: "Results peers fetched from it, and their bytes",
      show: function (w) {
        const x = figuresOf(w).transfers;
        return { value: T.num(x.out), bytes: T.num(x.bytesOut), text: T.fmtInt(x.out), sub: T.fmtBytes(x.bytesOut) };
      } },
    latency: { label: "Latency", title: "The scheduler's ping round trip (a host: the mean of its workers)",
      show: function (w) {
        return { value: T.num(w.latency), text: T.fmtLatency(w.latency),
          title: T.num(w.latency) > 0 ? null : "not measured yet" };
      } },
    netIn: { group: "Network", label: "in", title: "The host's network traffic received, per second", show: function (w) {
      const r = T.num(figuresOf(w).host.netIn);
      return { value: r, text: T.fmtRate(r) };
    } },
    netOut: { group: "Network", label: "out", title: "The host's network traffic sent, per second", show: function (w) {
      const r = T.num(figuresOf(w).host.netOut);
      return { value: r, text: T.fmtRate(r) };
    } },
    diskRead: { group: "Disk", label: "read", title: "The host's disk reads, per second", show: function (w) {
      const r = T.num(figuresOf(w).host.diskRead);
      return { value: r, text: T.fmtRate(r) };
    } },
    diskWrite: { group: "Disk", label: "write", title: "The host's disk writes, per second", show: function (w) {
      const r = T.num(figuresOf(w).host.diskWrite);
      return { value: r, text: T.fmtRate(r) };
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
    this.table = table;
    this.workerRows = new Map(); // name -> {tr, cells}: the rows in the DOM (in a large cluster, those on screen)
    this.hostRows = new Map(); // host -> {tr, cells, summary}
    this.list = [];
    this.large = false;
    this.expanded = new Set(); // hosts opened in a large cluster
    this.filter = "";
    this.sortColumn = null;
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
        th.setAttribute("data-col", c.id);
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
        th.setAttribute("data-col", s.id);
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
        cell.fill.style.width = T.fillWidth(s.meter.value, s.meter.max);
      } else if (cell.meter) {
        cell.meter.remove();
        cell.meter = null;
        cell.fill = null;
      }
    });
  }

  /**
   * Shows exactly these workers (the server's full list), grouped by host. large (the server's
   * largeCluster flag): hosts collapsed with their totals (a click opens one), a filter and sortable
   * columns, and only the rows on screen in the DOM.
   */
  W.update = function (list, large) {
    this.list = Array.isArray(list) ? list.filter(function (w) {
      return w != null && w.name != null;
    }) : [];
    this.setLarge(large === true);
    this.model = null;
    this.render();
    return this.list.length;
  };

  /** How many hosts the last list has (however many rows are in the DOM). */
  W.hostCount = function () {
    if (!this.model) {
      this.model = this.buildModel();
    }
    return this.model.hosts.length;
  };

  /** The hosts, each with its workers (natural order) and totals; rebuilt on update only. */
  W.buildModel = function () {
    const byHost = new Map();
    let maxHeldBytes = 0;
    this.list.forEach(function (w) {
      const host = String(w.host == null || w.host === "" ? "?" : w.host);
      if (!byHost.has(host)) {
        byHost.set(host, []);
      }
      byHost.get(host).push(w);
      maxHeldBytes = Math.max(maxHeldBytes, T.num(figuresOf(w).tasks.heldBytes));
    });
    const hosts = Array.from(byHost.keys()).sort(T.naturalCompare).map(function (host) {
      const ws = byHost.get(host).sort(function (a, b) {
        return T.naturalCompare(a.name, b.name);
      });
      return { host: host, ws: ws, totals: hostTotals(ws) };
    });
    return { hosts: hosts, maxHeldBytes: maxHeldBytes };
  };

  /** The rows to show, in order: [{host, ws, totals}] for a host, [{host, w}] for a worker. */
  W.entries = function (model) {
    const out = [];
    if (!this.large) {
      model.hosts.forEach(function (h) {
        out.push(h);
        h.ws.forEach(function (w) {
          out.push({ host: h.host, w: w });
        });
      });
      return out;
    }
    const f = this.filter;
    const expanded = this.expanded;
    const sorter = this.sorter(model);
    const hosts = model.hosts.slice();
    if (sorter) {
      hosts.sort(function (a, b) {
        return sorter(b.totals, a.totals, true) || T.naturalCompare(a.host, b.host);
      });
    }
    hosts.forEach(function (h) {
      const hostMatches = !f || h.host.toLowerCase().indexOf(f) >= 0;
      let ws = h.ws;
      if (!hostMatches) {
        ws = ws.filter(function (w) {
          return String(w.name).toLowerCase().indexOf(f) >= 0;
        });
        if (ws.length === 0) {
          return;
        }
      } else if (!expanded.has(h.host)) {
        ws = [];
      }
      out.push(h);
      if (sorter && ws.length > 1) {
        ws = ws.slice().sort(function (a, b) {
          return sorter(b, a, false) || T.naturalCompare(a.name, b.name);
        });
      }
      ws.forEach(function (w) {
        out.push({ host: h.host, w: w });
      });
    });
    return out;
  };

  /** compare(a, b, isHost) by the sort column's value, or null for the natural order. */
  W.sorter = function (model) {
    const col = this.sortColumn && this.columns.find(function (c) {
      return c.id === this.sortColumn;
    }, this);
    if (!col) {
      return null;
    }
    const ctx = { host: false, maxHeldBytes: model.maxHeldBytes, now: this.opts.now };
    const hostCtx = Object.assign({}, ctx, { host: true });
    return function (a, b, isHost) {
      const va = Number(col.show(a, isHost ? hostCtx : ctx).value) || 0;
      const vb = Number(col.show(b, isHost ? hostCtx : ctx).value) || 0;
      return va - vb;
    };
  };

  /** Turns the large-cluster mode on or off: the filter box, sortable headers, a scrolling window. */
  W.setLarge = function (large) {
    if (large === this.large) {
      return;
    }
    this.large = large;
    this.table.classList.toggle("large", large);
    const scroller = this.table.parentElement;
    scroller.classList.toggle("large-scroll", large);
    if (large && !this.tools) {
      this.buildTools(scroller);
    }
    if (this.tools) {
      this.tools.hidden = !large;
    }
    this.tbody.replaceChildren();
    this.workerRows.clear();
    this.hostRows.clear();
  };

  W.buildTools = function (scroller) {
    const self = this;
    const tools = T.el("div", "worker-tools");
    const input = T.el("input", "worker-filter");
    input.type = "search";
    input.placeholder = "filter workers and hosts";
    input.setAttribute("aria-label", "Filter workers and hosts by name");
    input.addEventListener("input", function () {
      self.filter = input.value.trim().toLowerCase();
      self.scroller.scrollTop = 0;
      self.render();
    });
    const note = T.el("span", "muted worker-tools-note",
      "large cluster: hosts collapsed (click one to open it), click a column to sort");
    tools.append(input, note);
    scroller.parentElement.insertBefore(tools, scroller);
    this.tools = tools;
    this.filterInput = input;
    this.scroller = scroller;
    scroller.addEventListener("scroll", function () {
      if (!self.scrollPending) {
        self.scrollPending = true;
        requestAnimationFrame(function () {
          self.scrollPending = false;
          self.render();
        });
      }
    }, { passive: true });
    this.thead.addEventListener("click", function (e) {
      const th = e.target.closest("th[data-col]");
      if (!th || !self.large) {
        return;
      }
      const id = th.getAttribute("data-col");
      self.sortColumn = self.sortColumn === id ? null : id; // a second click: back to names
      self.thead.querySelectorAll("th[data-col]").forEach(function (x) {
        x.classList.toggle("sorted", x.getAttribute("data-col") === self.sortColumn);
      });
      self.render();
    });
    this.tbody.addEventListener("click", function (e) {
      const tr = e.target.closest("tr.host-row");
      if (!tr || !self.large || e.target.closest("a")) {
        return;
      }
      const host = tr.getAttribute("data-host");
      if (self.expanded.has(host)) {
        self.expanded.delete(host);
      } else if (self.expanded.size < 50) { // bounded: a host's rows at a time, not the whole cluster
        self.expanded.add(host);
      }
      self.render();
    });
  };

  W.hostRow = function (host) {
    let h = this.hostRows.get(host);
    if (!h) {
      const tr = T.el("tr", "host-row");
      tr.setAttribute("data-host", host);
      const th = T.el("th", "host-cell");
      th.setAttribute("scope", "rowgroup");
      const caret = T.el("span", "host-caret");
      const name = T.el("span", "host-name", host);
      const summary = T.el("span", "host-summary");
      th.append(caret, name, summary);
      tr.appendChild(th);
      h = { tr: tr, caret: caret, summary: summary, cells: makeCells(tr, this.columns) };
      this.hostRows.set(host, h);
    }
    return h;
  };

  W.workerRow = function (name) {
    let r = this.workerRows.get(name);
    if (!r) {
      const tr = T.el("tr", "worker-row");
      tr.setAttribute("data-worker", name);
      const td = T.el("td", "worker-name");
      // its page, workers/NAME (live pages only: a replay has no worker pages)
      const nameEl = T.replay ? T.el("div", "name", name) : T.el("a", "name", name);
      if (!T.replay) {
        nameEl.setAttribute("href", "workers/" + encodeURIComponent(name));
        nameEl.setAttribute("title", "This worker up close: its figures over time, running tasks, log, threads");
      }
      const address = T.el("div", "address");
      td.append(nameEl, address);
      tr.appendChild(td);
      r = { tr: tr, address: address, cells: makeCells(tr, this.columns) };
      this.workerRows.set(name, r);
    }
    return r;
  };

  function spacer(height, span) {
    const tr = T.el("tr", "row-spacer");
    tr.setAttribute("aria-hidden", "true");
    const td = T.el("td");
    td.colSpan = span;
    tr.style.height = height + "px";
    tr.appendChild(td);
    return tr;
  }

  /** Renders the last list again (e.g. so that "last seen" counts on): in a large cluster only the rows on screen. */
  W.render = function () {
    if (!this.model) {
      this.model = this.buildModel();
    }
    const model = this.model;
    const columns = this.columns;
    const entries = this.entries(model);
    const ctx = { host: false, maxHeldBytes: model.maxHeldBytes, now: this.opts.now };
    const hostCtx = Object.assign({}, ctx, { host: true });
    let from = 0;
    let to = entries.length;
    const rowH = this.rowHeight || 30;
    if (this.large) {
      const sc = this.scroller;
      const head = this.thead.offsetHeight || 0;
      from = Math.max(0, Math.floor((sc.scrollTop - head) / rowH) - 5);
      to = Math.min(entries.length, from + Math.ceil((sc.clientHeight || 600) / rowH) + 10);
    }
    this.shownEntries = entries.length;
    const ordered = [];
    const seenWorkers = new Set();
    const seenHosts = new Set();
    const large = this.large;
    for (let i = from; i < to; i++) {
      const e = entries[i];
      if (e.ws) {
        const h = this.hostRow(e.host);
        seenHosts.add(e.host);
        const open = !large || this.expanded.has(e.host) || (this.filter && e.host.toLowerCase().indexOf(this.filter) < 0);
        h.caret.textContent = large ? (open ? "▾ " : "▸ ") : "";
        if (large) {
          h.tr.setAttribute("aria-expanded", String(open));
        } else {
          h.tr.removeAttribute("aria-expanded");
        }
        h.summary.textContent = e.ws.length + (e.ws.length === 1 ? " worker" : " workers");
        h.tr.setAttribute("data-workers", String(e.ws.length));
        fillCells(h.cells, columns, e.totals, hostCtx);
        ordered.push(h.tr);
      } else {
        const name = String(e.w.name);
        seenWorkers.add(name);
        const r = this.workerRow(name);
        r.tr.setAttribute("data-worker-host", e.host);
        const addr = e.w.address == null ? "" : String(e.w.address);
        if (r.address.textContent !== addr) {
          r.address.textContent = addr;
        }
        fillCells(r.cells, columns, e.w, ctx);
        ordered.push(r.tr);
      }
    }
    const self = this;
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
    if (large) {
      const span = columns.length + 1;
      this.tbody.replaceChildren.apply(this.tbody, [spacer(from * rowH, span)].concat(ordered,
        [spacer((entries.length - to) * rowH, span)]));
      const first = ordered[0];
      if (first && first.offsetHeight > 0 && !this.rowHeight) {
        this.rowHeight = first.offsetHeight; // measured once: the rows of a large table are one line each
        this.render();
      }
      return;
    }
    const current = this.tbody.children;
    let same = current.length === ordered.length;
    for (let i = 0; same && i < ordered.length; i++) {
      same = current[i] === ordered[i];
    }
    if (!same) {
      this.tbody.replaceChildren.apply(this.tbody, ordered);
    }
  };

})(window.Tasklane);
