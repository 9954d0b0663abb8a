// Tasklane dashboard: one worker up close (workers/NAME): its figures over the last five minutes
// (history.json, then live from the events stream), what runs on its threads now, its last log
// lines and, on a click, a dump of its task threads. The last three are asked of the worker itself.
// Everything the worker or a task wrote reaches the DOM only through textContent, never as HTML.
"use strict";

(function () {
  const T = window.Tasklane;
  const RUNNING_EVERY_MS = 2000;
  const LOG_EVERY_MS = 3000;
  const MAX_LOG_LINES = 1000;
  const KEEP_MS = 300000;

  const segments = location.pathname.split("/");
  let name = segments[segments.length - 1] || "";
  try {
    name = decodeURIComponent(name);
  } catch (e) {
    // shown as it is
  }
  const api = "../api/v1/workers/" + encodeURIComponent(name) + "/";
  document.title = "Tasklane · " + name;
  const $ = function (id) {
    return document.getElementById(id);
  };
  $("worker-name").textContent = name;

  let serverOffset = 0; // server time - client time
  const now = function () {
    return Date.now() + serverOffset;
  };
  let live = false;

  /** GET url as JSON: {status, body}; body.error is the server's one line when it is not 200. */
  function request(url) {
    return fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" }).then(function (r) {
      return r.json().catch(function () {
        return { error: "HTTP " + r.status };
      }).then(function (body) {
        return { status: r.status, body: body || {} };
      });
    });
  }

  function problem(text) {
    const p = $("worker-problem");
    p.hidden = !text;
    p.textContent = text || "";
  }

  // ---------- figures over time ----------
  const charts = new T.WorkerCharts($("charts"));
  const points = []; // one per second, oldest first

  function addPoint(p) {
    while (points.length && points[points.length - 1].time >= p.time) {
      points.pop();
    }
    points.push(p);
    while (points.length && (points.length > 300 || points[0].time <= p.time - KEEP_MS)) {
      points.shift();
    }
  }

  function draw() {
    charts.draw(points, now());
  }

  function showNow(w) {
    $("now-cpu").textContent = T.fmtPercent(w.cpu);
    $("now-memory").textContent = T.fmtBytes(w.memory); // its limit: the memory chart's dashed line
    $("now-memory").setAttribute("title", T.num(w.memoryLimit) > 0 ? "of " + T.fmtBytes(w.memoryLimit) : "");
    $("now-executing").textContent = T.fmtInt(w.executing) + " / " + T.fmtInt(w.nthreads);
    $("now-queued").textContent = T.fmtInt(w.queued);
    $("now-held").textContent = T.fmtBytes(w.heldBytes);
    $("now-done").textContent = w.tasksCompleted == null ? "–" : T.fmtInt(w.tasksCompleted);
  }

  /** A row of the live worker table (its figures as the worker sent them) as a point of the charts. */
  function pointOfRow(w, time) {
    const f = T.workerFigures(w);
    return {
      time: time, cpu: T.num(f.process.cpuPercent), memory: T.num(f.process.rssBytes),
      memoryLimit: T.num(f.process.memoryLimitBytes), nthreads: T.num(w.nthreads), executing: T.num(f.tasks.executing),
      queued: T.num(f.tasks.queued), heldBytes: T.num(f.tasks.heldBytes), tasksCompleted: T.num(f.tasks.completed),
      netIn: T.num(f.host.netIn), netOut: T.num(f.host.netOut), diskRead: T.num(f.host.diskRead),
      diskWrite: T.num(f.host.diskWrite),
    };
  }

  function where(host, address) {
    $("worker-where").textContent = (host ? "on " + host : "") + (address ? " · " + address : "");
  }

  T.getJson(api + "history.json").then(function (h) {
    where(h.host, h.address);
    (h.points || []).forEach(addPoint);
    if (h.points && h.points.length) {
      showNow(h.points[h.points.length - 1]);
    }
    $("worker-presence").textContent = h.present ? "in the cluster" : "not in the cluster now";
    draw();
  }).catch(function (e) {
    problem(e.message);
  });

  /** The worker's row of the live worker table, as one more point. */
  function onRows(list) {
    const w = (Array.isArray(list) ? list : []).find(function (x) {
      return x && String(x.name) === name;
    });
    if (!w) {
      $("worker-presence").textContent = "not in the worker table now";
      draw();
      return;
    }
    problem("");
    $("worker-presence").textContent = "in the cluster";
    where(w.host, w.address);
    const seen = T.num(w.lastSeen) || now();
    const p = pointOfRow(w, seen - (seen % 1000));
    showNow(p);
    addPoint(p);
    draw();
  }

  T.live({
    base: "../",
    snapshot: function (d) {
      if (d.now != null && isFinite(Number(d.now))) {
        serverOffset = Number(d.now) - Date.now();
      }
      onRows(d.workers);
    },
    workers: function (d) {
      onRows(d.workers);
    },
    state: function (isLive) {
      live = isLive;
    },
  });
  window.addEventListener("resize", draw);

  // ---------- running now ----------
  function showRunning(r) {
    const body = $("running-body");
    const rows = (r.tasks || []).map(function (t) {
      const tr = T.el("tr");
      tr.setAttribute("data-task", String(t.key));
      tr.append(T.el("td", "task-key", t.key), T.el("td", "mono", t.thread),
        T.el("td", "num", T.fmtDuration(Math.max(0, T.num(r.time) - T.num(t.start)))));
      return tr;
    });
    body.replaceChildren.apply(body, rows);
    $("running-empty").hidden = rows.length > 0;
    $("running-empty").textContent = "No task runs on this worker now.";
    $("running-count").textContent = rows.length + " running, " + T.fmtInt(r.queued) + " queued";
  }

  // one request of each kind at a time: a slow worker must not pile up requests (a browser has six
  // connections per host, and the events stream needs one)
  let runningAsked = false;

  function pollRunning() {
    if (document.hidden || runningAsked) {
      return;
    }
    runningAsked = true;
    request(api + "tasks.json").then(function (r) {
      if (r.status === 200) {
        showRunning(r.body);
      } else {
        $("running-body").replaceChildren();
        $("running-empty").hidden = false;
        $("running-empty").textContent = String(r.body.error || "HTTP " + r.status);
      }
    }).catch(function () {
      // the events stream says the dashboard is gone; the next poll tries again
    }).finally(function () {
      runningAsked = false;
    });
  }
  pollRunning();
  setInterval(pollRunning, RUNNING_EVERY_MS);

  // ---------- log ----------
  const logBox = $("log");
  let lastSeq = -1;
  let logsOff = false;
  let logsAsked = false;

  function logLine(l) {
    const row = T.el("div", "log-line level-" + String(l.level).toLowerCase());
    row.setAttribute("data-seq", String(l.seq));
    row.append(T.el("span", "log-time", T.fmtTime(T.num(l.time))), T.el("span", "log-level", l.level),
      T.el("span", "log-thread", l.thread));
    if (l.task != null) {
      row.appendChild(T.el("span", "log-task", l.task));
    }
    row.append(T.el("span", "log-logger", String(l.logger || "").split(".").pop()), T.el("span", "log-message", l.message));
    row.setAttribute("title", String(l.logger || ""));
    return row;
  }

  function showLogs(body) {
    const lines = body.lines || [];
    if (lines.length && T.num(lines[0].seq) <= lastSeq) {
      logBox.replaceChildren(); // a new run of the worker (its lines count from 1 again)
      lastSeq = -1;
    }
    const fresh = lines.filter(function (l) {
      return T.num(l.seq) > lastSeq;
    });
    const follow = $("log-follow").checked;
    fresh.forEach(function (l) {
      logBox.appendChild(logLine(l));
      lastSeq = Math.max(lastSeq, T.num(l.seq));
    });
    while (logBox.childElementCount > MAX_LOG_LINES) {
      logBox.firstElementChild.remove();
    }
    $("log-count").textContent = logBox.childElementCount + " lines" +
      (T.num(body.dropped) > 0 ? " (the worker let " + T.fmtInt(body.dropped) + " older ones go)" : "");
    if (follow && fresh.length) {
      logBox.scrollTop = logBox.scrollHeight;
    }
  }

  function pollLogs(force) {
    if (logsOff || logsAsked || (!force && (document.hidden || !$("log-follow").checked))) {
      return;
    }
    logsAsked = true;
    // only the lines after the last one shown: a page that follows the log costs little
    request(api + "logs.json?lines=" + MAX_LOG_LINES + "&after=" + Math.max(0, lastSeq)).then(function (r) {
      const note = $("log-note");
      if (r.status === 200) {
        note.hidden = true;
        showLogs(r.body);
        return;
      }
      note.hidden = false;
      note.textContent = String(r.body.error || "HTTP " + r.status);
      if (r.status === 403) {
        logsOff = true; // off on this dashboard or on the worker: asking again changes nothing
        logBox.hidden = true;
      }
    }).catch(function () {
      // tried again on the next round
    }).finally(function () {
      logsAsked = false;
    });
  }
  pollLogs(true);
  setInterval(pollLogs, LOG_EVERY_MS);
  $("log-follow").addEventListener("change", function () {
    pollLogs(true);
  });

  // ---------- thread dump ----------
  function showDump(d) {
    const out = $("dump-result");
    const blocks = (d.threads || []).map(function (t) {
      const block = T.el("details", "thread" + (t.task != null ? " thread-busy" : ""));
      block.setAttribute("data-thread", String(t.name));
      if (t.task != null) {
        block.setAttribute("data-task", String(t.task));
        block.open = true;
      }
      const summary = T.el("summary");
      summary.append(T.el("span", "thread-name", t.name), T.el("span", "thread-state", t.state));
      if (t.task != null) {
        summary.append(T.el("span", "muted", "runs"), T.el("span", "task-key", t.task),
          T.el("span", "muted", "for " + T.fmtDuration(Math.max(0, T.num(d.time) - T.num(t.taskStart)))));
      } else {
        summary.appendChild(T.el("span", "muted", "waiting for a task"));
      }
      block.appendChild(summary);
      if (t.lock) {
        block.appendChild(T.el("div", "thread-lock", "waiting on " + t.lock));
      }
      const frames = T.el("ol", "frames");
      (t.frames || []).forEach(function (f) {
        frames.appendChild(T.el("li", "frame", f));
      });
      if (T.num(t.moreFrames) > 0) {
        frames.appendChild(T.el("li", "frame muted", "… " + t.moreFrames + " more frames"));
      }
      block.appendChild(frames);
      return block;
    });
    out.replaceChildren.apply(out, blocks);
    $("dump-note").textContent = "Taken at " + T.fmtTime(T.num(d.time)) + ": " + blocks.length + " task threads" +
      " (the process has " + T.fmtInt(d.otherThreads) + " other threads)" + (d.truncated ? "; cut to stay small" : "");
    $("dump-note").className = "muted";
  }

  $("dump").addEventListener("click", function () {
    const button = $("dump");
    button.disabled = true;
    request(api + "threads.json").then(function (r) {
      if (r.status === 200) {
        showDump(r.body);
      } else {
        $("dump-note").textContent = String(r.body.error || "HTTP " + r.status);
        $("dump-note").className = "problem";
      }
    }).catch(function (e) {
      $("dump-note").textContent = "the dashboard did not answer: " + e.message;
      $("dump-note").className = "problem";
    }).finally(function () {
      button.disabled = false;
    });
  });

  // the x axis moves on between updates (and while the feed is down)
  setInterval(function () {
    if (!live) {
      draw();
    }
  }, 1000);
})();
