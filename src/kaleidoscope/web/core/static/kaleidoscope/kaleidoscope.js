// After htmx swaps in the next step, move focus to it so keyboard and screen reader
// users continue from the new content (the "What happened" heading, else the step).
document.addEventListener("htmx:afterSettle", function (event) {
  var play = document.getElementById("play");
  if (!play) { return; }
  var target = play.querySelector("[data-focus]") || play.querySelector("h1");
  if (target) {
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }
  var summary = play.querySelector(".govuk-error-summary");
  if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  if (window.kaleidoscopeInit) { window.kaleidoscopeInit(play); }
});

// If a move fails (an expired form, a play that is gone), show the server's full page.
document.addEventListener("htmx:responseError", function () {
  window.location.reload();
});

// A "Print" button (shown only with JavaScript) prints the page.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print-page]");
  if (button) { window.print(); }
});
