// Tasklane dashboard: worker-level histograms for a large cluster (as Dask's large-cluster views):
// how many workers have how much CPU, memory, and tasks held. Canvas only; numbers, no user text.
"use strict";

(function (T) {
  const BINS = 20;
  const KINDS = Object.freeze([
    { id: "cpu", label: "CPU per worker", unit: "%", value: function (f) { return T.num(f.process.cpuPercent); } },
    { id: "memory", label: "Memory per worker, of its limit", unit: "%", value: function (f) {
      const limit = T.num(f.process.memoryLimitBytes);
      return limit > 0 ? 100 * T.num(f.process.rssBytes) / limit : 0;
    } },
    { id: "held", label: "Tasks held per worker", unit: "", value: function (f) {
      return T.num(f.tasks.heldResults) + T.num(f.tasks.executing) + T.num(f.tasks.queued);
    } },
  ]);

  /** Three histograms in container (hidden until shown); update(list) redraws them from a workers list. */
  T.WorkerHistograms = function (container) {
    this.container = container;
    this.charts = KINDS.map(function (k) {
      const fig = T.el("figure", "worker-hist-chart");
      fig.setAttribute("data-hist", k.id);
      const canvas = T.el("canvas");
      canvas.width = 280;
      canvas.height = 90;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", k.label);
      const caption = T.el("figcaption", "muted");
      fig.append(canvas, caption);
      container.appendChild(fig);
      return { kind: k, canvas: canvas, caption: caption, fig: fig };
    });
  };

  /** The bins of values (BINS of them, from 0 to the largest value), for tests and the drawing. */
  T.WorkerHistograms.bin = function (values) {
    let max = 0;
    values.forEach(function (v) {
      max = Math.max(max, v);
    });
    const top = max > 0 ? max : 1;
    const counts = new Array(BINS).fill(0);
    values.forEach(function (v) {
      counts[Math.min(BINS - 1, Math.floor((v / top) * BINS))]++;
    });
    return { max: top, counts: counts };
  };

  T.WorkerHistograms.prototype.update = function (list) {
    const figures = (Array.isArray(list) ? list : []).map(T.workerFigures);
    this.charts.forEach(function (c) {
      const b = T.WorkerHistograms.bin(figures.map(c.kind.value));
      c.fig.setAttribute("data-counts", b.counts.join(","));
      draw(c.canvas, b);
      const u = c.kind.unit;
      c.caption.textContent = c.kind.label + ": " + T.fmtInt(figures.length) + " workers, 0 to "
        + (u === "%" ? Math.round(b.max) + " %" : T.fmtInt(Math.ceil(b.max)));
    });
  };

  function draw(canvas, b) {
    const ctx = canvas.getContext("2d");
    const w = canvas.width;
    const h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    let most = 0;
    b.counts.forEach(function (n) {
      most = Math.max(most, n);
    });
    const bw = w / BINS;
    ctx.fillStyle = "#3b6fb6";
    b.counts.forEach(function (n, i) {
      if (n > 0) {
        const bh = Math.max(1, (n / most) * (h - 14));
        ctx.fillRect(i * bw + 1, h - 12 - bh, bw - 2, bh);
      }
    });
    ctx.fillStyle = "#555";
    ctx.font = "10px sans-serif";
    ctx.fillText(String(most), 2, 10);
    ctx.fillRect(0, h - 12, w, 1);
  }
})(window.Tasklane);
