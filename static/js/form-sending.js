/* A form that says it is being sent. Over a village's weak signal a report with photos takes
   many seconds to cross, and the page looked as before the tap: a resident who has never used
   the portal taps again, and sends it twice. On the form's submit (the portal checks the form,
   not the browser: the forms are novalidate) its button says data-sending-label and further
   submits are ignored until the next page. Back on this page from the browser's cache (the
   back button), the form can be sent again. The button is not disabled: a disabled button's
   name and value would not be sent with the form. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-sending-label]").forEach(function (form) {
    var sending = null;
    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault();
        return;
      }
      var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
      sending = { button: button, label: button ? button.textContent : "" };
      form.setAttribute("aria-busy", "true");
      if (button) {
        button.setAttribute("aria-disabled", "true");
        button.classList.add("is-sending");
        button.textContent = form.dataset.sendingLabel;
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted || !sending) { return; }
      form.removeAttribute("aria-busy");
      if (sending.button) {
        sending.button.removeAttribute("aria-disabled");
        sending.button.classList.remove("is-sending");
        sending.button.textContent = sending.label;
      }
      sending = null;
    });
  });
})();
