// Forms marked data-progress say that work is under way once submitted (uploads and checks can take seconds),
// and ignore a second submission meanwhile.
document.querySelectorAll("form[data-progress]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    var note = form.querySelector(".progress-note");
    if (note) { note.hidden = false; }
  });
});
var summary = document.getElementById("error-summary");
if (summary) { summary.focus(); }
