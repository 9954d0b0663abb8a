// Tasklane dashboard: the tasks page. Live: the most recent tasks (up to 20000), loaded once.
// Under runs/ID/ (a recorded run): every task of the run, the window on screen loaded as it is
// zoomed and panned, one by one when few enough, else as a summary drawn the same way.
"use strict";

(function () {
  const T = window.Tasklane;
  const replay = T.replay; // set by replay.js under runs/ID/
  let runRange = null; // a recorded run's {lo, hi} (epoch ms)
  const stream = new T.TaskStream(document.getElementById("stream"), {
    live: false,
    interactive: true,
    rowHeight: 20,
    onTaskClick: T.openTaskPanel,
    onView: onView,
    range: replay ? function () {
      return runRange;
    } : null,
  });
  const count = document.getElementById("task-count");
  const range = document.getElementById("task-range");
  const state = document.getElementById("load-state");

  function onView(view) {
    showRange(view);
    if (replay && runRange) {
      windowWanted(view);
    }
  }

  function showRange(view) {
    if (stream.tasks.length === 0 && !stream.summary) {
      range.textContent = "";
      return;
    }
    range.textContent = T.fmtTime(view.t0) + " – " + T.fmtTime(view.t1)
      + " (" + T.fmtDuration(view.t1 - view.t0) + " shown)";
  }

  function setState(text, ok) {
    state.textContent = text;
    state.classList.toggle("conn-live", ok);
    state.classList.toggle("conn-down", !ok);
  }

  function getJson(url, signal) {
    return T.getJson(url, signal);
  }

  function showCount(n, summary) {
    count.textContent = T.fmtInt(n) + (n === 1 ? " task" : " tasks") + (summary ? " (summarised)" : "");
    count.setAttribute("data-count", String(n));
  }

  // ---------- live: the most recent tasks, once ----------
  function load() {
    setState("loading…", false);
    getJson("api/v1/tasks.json")
      .then(function (data) {
        const list = Array.isArray(data) ? data : (data && Array.isArray(data.tasks) ? data.tasks : []);
        stream.setTasks(list);
        stream.resetView();
        showCount(stream.tasks.length, false);
        setState("loaded at " + T.fmtTime(Date.now(), false), true);
      })
      .catch(function (e) {
        setState("could not load the tasks: " + e.message, false);
      });
  }

  // ---------- a recorded run: the window on screen, as it moves ----------
  let loaded = null; // the window asked for last: {t0, t1, width}
  let timer = null;
  let inFlight = null; // AbortController of the request under way

  /** Asks for the window shown once it has stood still a moment (a zoom is many wheel events). */
  function windowWanted(view) {
    const width = Math.max(1, Math.round(stream.plotWidth()));
    if (loaded && loaded.t0 === view.t0 && loaded.t1 === view.t1 && loaded.width === width) {
      return;
    }
    loaded = { t0: view.t0, t1: view.t1, width: width };
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(function () {
      timer = null;
      loadWindow(view.t0, view.t1, width);
    }, 150);
  }

  function loadWindow(t0, t1, width) {
    if (inFlight) {
      inFlight.abort();
    }
    const ctl = new AbortController();
    inFlight = ctl;
    setState("loading…", false);
    const from = Math.max(0, Math.floor(t0 * 1000));
    const to = Math.max(from, Math.ceil(t1 * 1000));
    getJson("api/v1/tasks.json?from=" + from + "&to=" + to + "&width=" + width, ctl.signal)
      .then(function (w) {
        if (inFlight !== ctl) {
          return;
        }
        inFlight = null;
        stream.setWindow(w);
        // which window is drawn (scripts and tests wait for the one on screen)
        state.setAttribute("data-from", String(t0));
        state.setAttribute("data-to", String(t1));
        showCount(Number(w.total) || 0, w.detail === "summary");
        setState(w.detail === "summary" ? "summary: zoom in for each task" : "every task shown", true);
      })
      .catch(function (e) {
        if (e.name !== "AbortError") {
          inFlight = null;
          setState("could not load the tasks: " + e.message, false);
        }
      });
  }

  function startReplay() {
    document.getElementById("stream-title").textContent = "Every task of the run";
    document.getElementById("reload").title = "Load the tasks shown again";
    setState("loading…", false);
    // the run's span: from its submission to its end (the state at no t is the end's)
    Promise.all([getJson("run.json"), getJson("api/v1/status.json")])
      .then(function (both) {
        const info = both[0];
        const end = Number(both[1].now);
        const start = Number(info.submittedMillis) > 0 ? Number(info.submittedMillis) : end;
        runRange = { lo: Math.min(start, end), hi: Math.max(end, start + 1) };
        replay.showRun(info, runRange);
        stream.resetView(); // fits the run: its draw asks for the whole run's window
      })
      .catch(function (e) {
        setState("could not open the run: " + e.message, false);
      });
  }

  T.wireZoomButtons(stream);
  document.getElementById("reload").addEventListener("click", function () {
    if (!replay) {
      load();
    } else if (loaded) {
      loadWindow(loaded.t0, loaded.t1, loaded.width);
    }
  });
  if (replay) {
    startReplay();
  } else {
    load();
  }
})();
