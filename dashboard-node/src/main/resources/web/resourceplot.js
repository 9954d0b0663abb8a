// Tasklane dashboard: the cluster resource plot (CPU and memory, last five minutes).
// User text reaches the DOM only through textContent / setAttribute, never as HTML.
"use strict";

(function (T) {
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
    // the workers' heaps as Dask shows memory: results in memory (managed), and on disk (spilled)
    Object.freeze({ name: "managed", label: "Managed", unit: "bytes", color: "#6a3d9a", pane: "memory", dashed: false }),
    Object.freeze({ name: "spilled", label: "Spilled to disk", unit: "bytes", color: "#b15928", pane: "memory",
      dashed: true }),
  ]);
  /** A series' y field in a drawn point. */
  const Y_KEYS = Object.freeze({ cpu: "yCpu", memory: "yMemory", memoryLimit: "yMemoryLimit", managed: "yManaged",
    spilled: "ySpilled" });

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
    while (maxBytes / unit >= 1000 && u < T.BYTE_UNITS.length - 1) {
      unit *= 1024;
      u++;
    }
    const step = niceStep(maxBytes / unit, 4);
    const top = Math.ceil(maxBytes / unit / step - 1e-9) * step;
    const ticks = [];
    const d = decimalsOf(step);
    for (let v = 0; v <= top + step / 2; v += step) {
      ticks.push({ value: v * unit, label: v === 0 ? "0" : v.toFixed(d) + " " + T.BYTE_UNITS[u] });
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
      cpu: Math.max(0, T.num(p.cpu)),
      memory: Math.max(0, T.num(p.memory)),
      memoryLimit: Math.max(0, T.num(p.memoryLimit)),
      workers: Math.max(0, T.num(p.workers)),
      managed: Math.max(0, T.num(p.managed)),
      unmanaged: Math.max(0, T.num(p.unmanaged)),
      spilled: Math.max(0, T.num(p.spilled)),
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
    v.get("managed").value.textContent = last ? T.fmtBytes(last.managed) : "–";
    v.get("spilled").value.textContent = last ? T.fmtBytes(last.spilled) : "–";
  };

  R.draw = function () {
    const width = this.box.clientWidth;
    const height = this.opts.height;
    if (width <= 0) {
      return; // not laid out
    }
    const ctx = T.sizeCanvas(this.canvas, width, height);
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
      maxMem = Math.max(maxMem, p.memory, p.managed, p.spilled);
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
        managed: p.managed, spilled: p.spilled, yManaged: yMem(p.managed), ySpilled: yMem(p.spilled),
      };
    });
    const series = [];
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, right - left, bottom - top);
    ctx.clip();
    PLOT_SERIES.forEach(function (s) {
      const yKey = Y_KEYS[s.name];
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
        ["managed", T.fmtBytes(p.managed)],
        ["unmanaged", T.fmtBytes(p.unmanaged)],
        ["spilled", T.fmtBytes(p.spilled)],
        ["workers", T.fmtInt(p.workers)],
      ], ev.clientX, ev.clientY);
    }
    this.draw();
  };

  window.Tasklane = Object.freeze(T);
})(window.Tasklane);
