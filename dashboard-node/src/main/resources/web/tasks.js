// Tasklane dashboard: the tasks page, the most recent tasks (up to 20000) loaded once as a task stream.
"use strict";

(function () {
  const T = window.Tasklane;
  const stream = new T.TaskStream(document.getElementById("stream"), {
    live: false,
    interactive: true,
    rowHeight: 20,
    onView: showRange,
  });
  const count = document.getElementById("task-count");
  const range = document.getElementById("task-range");
  const state = document.getElementById("load-state");

  function showRange(view) {
    if (stream.tasks.length === 0) {
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

  function load() {
    setState("loading…", false);
    fetch("api/v1/tasks.json", { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) {
        if (!r.ok) {
          throw new Error("HTTP " + r.status);
        }
        return r.json();
      })
      .then(function (data) {
        const list = Array.isArray(data) ? data : (data && Array.isArray(data.tasks) ? data.tasks : []);
        stream.setTasks(list);
        stream.resetView();
        count.textContent = T.fmtInt(stream.tasks.length) + (stream.tasks.length === 1 ? " task" : " tasks");
        count.setAttribute("data-count", String(stream.tasks.length));
        setState("loaded at " + T.fmtTime(Date.now(), false), true);
      })
      .catch(function (e) {
        setState("could not load the tasks: " + e.message, false);
      });
  }

  document.getElementById("zoom-in").addEventListener("click", function () {
    stream.zoomCenter(0.5);
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    stream.zoomCenter(2);
  });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    stream.resetView();
  });
  document.getElementById("reload").addEventListener("click", load);
  load();
})();
