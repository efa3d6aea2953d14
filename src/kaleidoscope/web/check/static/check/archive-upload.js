// With JavaScript on, refuse a file over the limit before sending a byte of it.
(function () {
  var form = document.getElementById("archive-form");
  form.addEventListener("submit", function (event) {
    var input = document.getElementById("archive");
    var file = input.files && input.files[0];
    if (!file || file.size <= Number(form.dataset.limit)) { return; }
    event.preventDefault();
    var old = document.getElementById("size-error");
    if (old) { old.remove(); }
    var box = document.createElement("div");
    box.className = "govuk-error-summary";
    box.id = "size-error";
    box.setAttribute("tabindex", "-1");
    box.innerHTML = '<div role="alert"><h2 class="govuk-error-summary__title">The file is too big</h2>' +
      '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">' +
      '<li><a href="#archive"></a></li></ul></div></div>';
    box.querySelector("a").textContent = "The file must be smaller than " + form.dataset.limitText;
    form.parentNode.insertBefore(box, form.parentNode.firstChild);
    box.focus();
  });
})();
