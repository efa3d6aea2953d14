// Topic chats: follow the chat's event stream (the group-session broker) without a
// reload. A "post" event carries one new answer, rendered once on the server: it goes
// under its question (A<n> under Q<n>). Any other change, or a gap after a reconnect,
// fetches the thread again. Answers are posted with fetch and the form is answered in
// place. Without JavaScript the pages work with the Refresh button and ordinary posts.
(function () {
  "use strict";
  var root = document.getElementById("connect-chat");
  if (!root || !window.EventSource || !window.fetch) { return; }
  var status = document.getElementById("chat-status");
  var refresh = document.querySelector("[data-refresh]");
  var rev = parseInt((root.querySelector("[data-rev]") || root).dataset.rev, 10) || 0;

  function csrf(scope) {
    scope.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      if (!input.value) { input.value = root.dataset.csrf; }
    });
  }

  function refetch() {
    return fetch(root.dataset.fragment, {headers: {"X-Fragment": "1"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var open = root.querySelectorAll("details[open]");
        root.innerHTML = html;
        csrf(root);
        var state = root.querySelector("[data-rev]");
        if (state) { rev = Math.max(rev, parseInt(state.dataset.rev, 10) || 0); }
        if (state && state.dataset.rev && open.length === 0 && status) { status.textContent = "The chat has been updated."; }
        if (window.kaleidoscopeInit) { window.kaleidoscopeInit(root); }
      });
  }

  function addPost(data) {
    if (document.getElementById("post-" + data.id)) { return; }
    var list = root.querySelector('ol[data-question="' + data.q + '"]');
    if (!list) { refetch(); return; }
    var holder = document.createElement("ol");
    holder.innerHTML = data.html;
    var item = holder.firstElementChild;
    if (!item) { return; }
    csrf(item);
    list.appendChild(item);
    var count = list.parentNode.querySelector(".govuk-body-s");
    if (count) {
      var n = list.children.length;
      count.textContent = n + " answer" + (n === 1 ? "" : "s") + " (A" + data.q + ")";
    }
    if (status) { status.textContent = "New answer: A" + data.q + "."; }
  }

  var source = new EventSource(root.dataset.stream);
  source.addEventListener("open", function () { if (refresh) { refresh.hidden = true; } });
  source.addEventListener("error", function () { if (refresh) { refresh.hidden = false; } });
  source.addEventListener("state", function (event) {
    var data = JSON.parse(event.data);
    if (data.type === "post") {
      rev = Math.max(rev, data.rev);
      addPost(data);
    } else if (data.rev > rev) {
      rev = data.rev;
      refetch();
    }
  });
  window.addEventListener("pagehide", function () { source.close(); });

  // Answers: post with fetch and show the reply (notice, problem or the checker's
  // finding) in place of the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-form")) { return; }
    var area = document.getElementById("answer");
    if (!area || !area.contains(form)) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST", body: new FormData(form), headers: {"X-Fragment": "1"}, credentials: "same-origin"
    }).then(function (r) {
      if (r.redirected) { window.location.href = r.url; return null; }
      return r.text();
    }).then(function (html) {
      if (html === null) { return; }
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector("#answer");
      if (!fresh) { window.location.reload(); return; }
      area.replaceWith(fresh);
      if (window.kaleidoscopeInit) { window.kaleidoscopeInit(fresh); }
      var target = fresh.querySelector(".govuk-error-summary, .govuk-notification-banner");
      if (target) { target.setAttribute("tabindex", "-1"); target.focus(); }
    }).catch(function () {
      if (button) { button.disabled = false; }
      form.submit();
    });
  });
})();
