// capi-bridge console: a little vanilla JavaScript, loaded from /console/assets
// (the Content-Security-Policy allows no inline script). Everything works
// without it; it only asks for confirmation and refreshes waiting pages.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-select-all]")) { return; }
    var boxes = document.querySelectorAll("input[name='id']");
    for (var i = 0; i < boxes.length; i++) { boxes[i].checked = box.checked; }
  });
  var waiting = document.querySelector("[data-refresh-seconds]");
  if (waiting) {
    var seconds = parseInt(waiting.getAttribute("data-refresh-seconds"), 10) || 5;
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
