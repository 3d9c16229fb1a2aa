// waflows preview: a view of the engine's state, which runs on the server. This script only sends inputs
// as they change (so conditions follow them live), keeps focus across the re-render, counts TextArea
// characters, fills an endpoint answer's example data, switches the theme, and reloads when a watched
// file changes. The page works without it: every button submits its form.
(function () {
  "use strict";
  var app = document.getElementById("app");
  var pending = null, dirty = false, timer = null;

  function form() { return document.getElementById("screen-form"); }

  function send() {
    var f = form();
    if (!f || !f.getAttribute("action")) return;
    if (pending) { dirty = true; return; }
    dirty = false;
    var data = new FormData(f);
    data.set("_op", "fill");
    app.setAttribute("aria-busy", "true");
    var active = document.activeElement;
    var focusID = active && active.id, start = null, end = null;
    try { start = active.selectionStart; end = active.selectionEnd; } catch (e) { /* not a text field */ }
    pending = fetch(f.getAttribute("action"), {
      method: "POST", body: data, headers: { "X-Preview-Live": "1" }, credentials: "same-origin"
    }).then(function (res) {
      return res.text().then(function (text) { return { ok: res.ok, text: text }; });
    }).then(function (r) {
      pending = null;
      if (!r.ok) { app.removeAttribute("aria-busy"); showProblem(r.text); return; }
      if (dirty) { send(); return; } // newer input: its answer will be shown instead
      app.innerHTML = r.text;
      app.removeAttribute("aria-busy");
      wire();
      var el = focusID && document.getElementById(focusID);
      if (el) {
        el.focus();
        try { if (start !== null) el.setSelectionRange(start, end); } catch (e) { /* not a text field */ }
      }
    }, function () {
      pending = null;
      app.removeAttribute("aria-busy");
      showProblem("The preview server did not answer.");
    });
  }

  function showProblem(text) {
    var p = document.getElementById("live-problem");
    if (!p) {
      p = document.createElement("p");
      p.id = "live-problem";
      p.className = "banner";
      p.setAttribute("role", "alert");
      var body = app.querySelector(".body") || app;
      body.insertBefore(p, body.firstChild);
    }
    p.textContent = text;
  }

  function counters() {
    var areas = app.querySelectorAll("textarea[maxlength]");
    for (var i = 0; i < areas.length; i++) {
      var a = areas[i], c = a.parentNode.querySelector(".counter");
      if (c) c.textContent = a.value.length + "/" + a.getAttribute("maxlength");
    }
  }

  function wire() {
    counters();
    var sel = document.getElementById("answer-screen");
    if (sel) {
      sel.addEventListener("change", function () {
        var ex = JSON.parse(sel.getAttribute("data-examples") || "{}");
        var area = document.getElementById("answer-data");
        if (area && ex[sel.value] !== undefined) area.value = ex[sel.value];
      });
    }
    var theme = app.querySelector("button.theme");
    if (theme) {
      theme.hidden = false;
      theme.setAttribute("aria-pressed", String(document.documentElement.getAttribute("data-theme") === "dark"));
      theme.addEventListener("click", function () {
        var dark = document.documentElement.getAttribute("data-theme") !== "dark";
        setTheme(dark ? "dark" : "light");
        theme.setAttribute("aria-pressed", String(dark));
      });
    }
  }

  function setTheme(t) {
    document.documentElement.setAttribute("data-theme", t);
    try { localStorage.setItem("waflows-preview-theme", t); } catch (e) { /* storage off */ }
  }

  var saved = null;
  try { saved = localStorage.getItem("waflows-preview-theme"); } catch (e) { /* storage off */ }
  if (saved) document.documentElement.setAttribute("data-theme", saved);
  else if (window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches) document.documentElement.setAttribute("data-theme", "dark");

  app.addEventListener("input", function (ev) {
    var t = ev.target;
    if (!t.form || t.form.id !== "screen-form") return;
    if (t.tagName === "TEXTAREA") counters();
    if (t.type === "text" || t.type === "email" || t.type === "password" || t.type === "tel" || t.tagName === "TEXTAREA") {
      clearTimeout(timer);
      timer = setTimeout(send, 200);
    }
  });
  app.addEventListener("change", function (ev) {
    var t = ev.target;
    if (!t.form || t.form.id !== "screen-form") return;
    clearTimeout(timer);
    send();
  });
  // A press waits for the input in flight, so the server sees the values in order.
  app.addEventListener("submit", function (ev) {
    if (pending && ev.target.id === "screen-form") {
      ev.preventDefault();
      var submitter = ev.submitter;
      pending.then(function () {
        var f = form();
        if (!f) return;
        var same = submitter && submitter.name && f.querySelector('[name="' + submitter.name + '"][value="' + (submitter.value || "").replace(/"/g, '\\"') + '"]');
        if (same && !same.disabled) same.click(); else if (!submitter) f.submit();
      });
    }
  });

  // A file preview names the version of the file it shows; when the file's version changes, reload.
  var watch = document.body.getAttribute("data-watch");
  if (watch) {
    var shown = document.body.getAttribute("data-version");
    setInterval(function () {
      fetch(watch, { cache: "no-store" }).then(function (res) { return res.ok ? res.text() : shown; })
        .then(function (v) { if (v !== shown) { shown = v; location.reload(); } }, function () { /* server stopped */ });
    }, 500);
  }
  wire();
})();
