// Group sessions: follow the session's event stream without reloading the page.
// Participants: each "state" event carries their new view, rendered once on the server
// for everyone; their own vote is posted with fetch and answered with their view.
// Presenter: a "state" event fetches the presenter view; "count" events update counts.
// Without JavaScript (or without EventSource) the pages work with the Refresh button.
(function () {
  "use strict";
  var root = document.getElementById("group-live");
  if (!root || !window.EventSource || !window.fetch) { return; }
  var role = root.dataset.role;
  var status = document.getElementById("group-status");
  var refresh = document.querySelector("[data-refresh]");
  var mine = null; // {round, choice}: this participant's vote, to mark it when revealed

  function state() { return root.querySelector(".k-group-state"); }
  function rev() { var s = state(); return s ? parseInt(s.dataset.rev, 10) || 0 : 0; }

  function remember() {
    var s = state();
    if (s && s.dataset.myVote) { mine = {round: s.dataset.round, choice: s.dataset.myVote}; }
  }

  function show(html) {
    var hadFocus = root.contains(document.activeElement);
    var before = state();
    var phase = before ? before.dataset.phase : "";
    root.innerHTML = html;
    var s = state();
    if (!s) { return; }
    if (before && s.dataset.rev !== before.dataset.rev) {
      // Messages from the last page load ("You have joined") are old news now.
      document.querySelectorAll("main > .govuk-notification-banner").forEach(function (el) {
        el.remove();
      });
    }
    root.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = root.dataset.csrf;
    });
    remember();
    root.querySelectorAll("[data-yours]").forEach(function (el) {
      el.hidden = !(mine && mine.round === s.dataset.round && el.dataset.yours === mine.choice);
    });
    if (window.kaleidoscopeInit) { window.kaleidoscopeInit(root); }
    var target = root.querySelector(".govuk-error-summary") || root.querySelector(".govuk-notification-banner") ||
      root.querySelector("[data-focus]");
    if (target && (hadFocus || document.activeElement === document.body)) {
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus({preventScroll: false});
    }
    if (status && s.dataset.phase !== phase && s.dataset.announce) {
      status.textContent = s.dataset.announce;
    }
  }

  function fetchView() {
    return fetch(root.dataset.fragment, {headers: {"X-Fragment": "1"}, credentials: "same-origin"})
      .then(function (r) {
        if (r.redirected || !r.ok) { window.location.reload(); return null; }
        return r.text();
      })
      .then(function (html) { if (html !== null) { show(html); } });
  }

  var source = new EventSource(root.dataset.stream);
  source.addEventListener("open", function () { if (refresh) { refresh.hidden = true; } });
  source.addEventListener("error", function () { if (refresh) { refresh.hidden = false; } });
  source.addEventListener("state", function (event) {
    var data = JSON.parse(event.data);
    if (data.rev <= rev()) { return; }
    if (role === "presenter") { fetchView(); } else { show(data.html); }
  });
  source.addEventListener("count", function (event) {
    var data = JSON.parse(event.data);
    root.querySelectorAll("[data-count=joined]").forEach(function (el) {
      el.textContent = Math.max(parseInt(el.textContent, 10) || 0, data.joined);
    });
    root.querySelectorAll("[data-count=votes]").forEach(function (el) {
      if (String(data.round) === el.dataset.round) {
        el.textContent = Math.max(parseInt(el.textContent, 10) || 0, data.votes);
      }
    });
  });
  window.addEventListener("pagehide", function () { source.close(); });

  // A participant's vote: post it with fetch and show the answer in place.
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (role !== "participant" || !form.hasAttribute("data-live-form")) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST", body: new FormData(form), headers: {"X-Fragment": "1"}, credentials: "same-origin"
    }).then(function (r) {
      if (r.redirected) { window.location.href = r.url; return null; }
      if (r.status === 403) { window.location.reload(); return null; }
      return r.text();
    }).then(function (html) {
      if (html === null) { return; }
      // The group may have moved on while the vote was on its way: then show where it is.
      var m = /data-rev="(\d+)"/.exec(html);
      if (m && parseInt(m[1], 10) < rev()) { return fetchView(); }
      show(html);
    }).catch(function () {
      if (button) { button.disabled = false; }
      form.submit(); // the network failed: fall back to an ordinary post
    });
  });
  remember();
})();
