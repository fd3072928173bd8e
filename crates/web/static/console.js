// Palisade console: theme toggle, select-all, table sorting, keyboard shortcuts for the alert
// queue, copy buttons, and the live feed over /v1/ws (authenticated by the session cookie).
(function () {
  "use strict";
  var root = document.documentElement;
  var saved = localStorage.getItem("palisade-theme");
  if (saved === "dark" || saved === "light") root.classList.add(saved);

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("theme-toggle");
    if (toggle) toggle.addEventListener("click", function () {
      var dark = root.classList.contains("dark") ||
        (!root.classList.contains("light") && matchMedia("(prefers-color-scheme: dark)").matches);
      root.classList.remove("dark", "light");
      root.classList.add(dark ? "light" : "dark");
      localStorage.setItem("palisade-theme", dark ? "light" : "dark");
    });

    var all = document.getElementById("select-all");
    if (all) all.addEventListener("change", function () {
      document.querySelectorAll('#queue input[name="id"]').forEach(function (box) { box.checked = all.checked; });
    });

    document.querySelectorAll("table.sortable th[data-sort]").forEach(function (th) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      var sort = function () { sortBy(th); };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });

    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        if (target && navigator.clipboard) navigator.clipboard.writeText(target.textContent.trim());
        button.textContent = "Copied";
      });
    });

    queueShortcuts();
    if (document.body.getAttribute("data-live-feed") === "true") liveFeed();
  });

  function sortBy(th) {
    var table = th.closest("table"), body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var key = function (row) {
      var cell = row.children[index];
      var value = cell.getAttribute("data-value") || cell.textContent.trim();
      return isNaN(Number(value)) ? value.toLowerCase() : Number(value);
    };
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    th.parentNode.querySelectorAll("th").forEach(function (h) { if (h.hasAttribute("aria-sort")) h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  // j/k: next/previous alert, x: select it, Enter/o: open it, a: acknowledge the selection,
  // c: close the selection. Ignored while typing in a field.
  function queueShortcuts() {
    var queue = document.getElementById("queue");
    if (!queue) return;
    var current = -1;
    var rows = function () { return queue.tBodies[0].rows; };
    var focus = function (i) {
      var list = rows();
      if (!list.length) return;
      current = Math.max(0, Math.min(list.length - 1, i));
      Array.prototype.forEach.call(list, function (r) { r.classList.remove("current"); });
      list[current].classList.add("current");
      var link = list[current].querySelector("a");
      if (link) link.focus();
    };
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
      var row = rows()[current];
      if (e.key === "j") focus(current + 1);
      else if (e.key === "k") focus(current - 1);
      else if (e.key === "x" && row) { var box = row.querySelector('input[name="id"]'); if (box) box.checked = !box.checked; }
      else if (e.key === "o" && row) location.href = row.getAttribute("data-href");
      else {
        var button = document.querySelector('#bulk button[data-shortcut="' + e.key + '"]');
        if (button) button.click(); else return;
      }
      e.preventDefault();
    });
  }

  // The live feed: one socket, authenticated by the session cookie (the server checks Origin).
  function liveFeed() {
    var list = document.getElementById("feed"), state = document.getElementById("feed-state");
    var delay = 1000;
    var connect = function () {
      var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/ws");
      var opened = Date.now();
      socket.onopen = function () { delay = 1000; };
      socket.onmessage = function (message) {
        var data;
        try { data = JSON.parse(message.data); } catch (e) { return; }
        if (data.type === "ready") { state.textContent = "live"; return; }
        if (data.type !== "event" || !data.event) return;
        var item = document.createElement("li");
        item.className = "feed-item";
        item.setAttribute("data-type", data.event.type || "");
        var kind = document.createElement("strong");
        kind.textContent = data.event.type || "event";
        var summary = document.createElement("div");
        summary.textContent = typeof data.event.summary === "string" ? data.event.summary : JSON.stringify(data.event.summary || {});
        var time = document.createElement("time");
        time.className = "muted";
        time.textContent = (data.event.created_at || "").replace("T", " ").slice(0, 19);
        item.appendChild(kind); item.appendChild(summary); item.appendChild(time);
        list.insertBefore(item, list.firstChild);
        while (list.children.length > 100) list.removeChild(list.lastChild);
      };
      socket.onclose = function (event) {
        // 4401 right after opening: the session is over. Later: the token the socket was opened
        // with ran out, and the page may hold a renewed one.
        if (event.code === 4403 || (event.code === 4401 && Date.now() - opened < 5000)) {
          state.textContent = "signed out";
          return;
        }
        state.textContent = "reconnecting…";
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    };
    connect();
  }
})();
