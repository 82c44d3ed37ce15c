/* A form that says it is being sent. Over a village's weak signal a report with photos takes
   many seconds to cross, and the page looked as before the tap: a resident who has never used
   the portal taps again, and sends it twice. On the form's submit (the portal checks the form,
   not the browser: the forms are novalidate) its button says data-sending-label and further
   submits are ignored until the next page. The button is not disabled: a disabled button's
   name and value would not be sent with the form.

   The form can be sent again when it comes back from the browser's cache (the back button),
   and after REARM_AFTER: a send the browser stopped (its stop button, a lost signal) fires no
   event here, and the form would otherwise stay stuck with the photos chosen in it. */
(function () {
  "use strict";
  var REARM_AFTER = 30000;

  document.querySelectorAll("form[data-sending-label]").forEach(function (form) {
    var sending = null;

    function rearm() {
      if (!sending) { return; }
      window.clearTimeout(sending.timer);
      if (sending.button) {
        sending.button.removeAttribute("aria-disabled");
        sending.button.classList.remove("is-sending");
        sending.button.textContent = sending.label;
      }
      sending = null;
    }

    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault();
        return;
      }
      var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
      sending = { button: button, label: button ? button.textContent : "", timer: window.setTimeout(rearm, REARM_AFTER) };
      if (button) {
        button.setAttribute("aria-disabled", "true");
        button.classList.add("is-sending");
        button.textContent = form.dataset.sendingLabel;
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { rearm(); }
    });
  });
})();
