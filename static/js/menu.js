/* The header's menu of a signed-in user folds behind a "Menu" button on a phone
   (css/portal.css): unfolded, an officer's seven links took three rows above every page. The
   button opens and closes it; Escape closes it and gives the focus back to the button. Without
   JavaScript the menu stays unfolded. */
(function () {
  var toggle = document.querySelector(".menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) return;

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  }

  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      setOpen(false);
      toggle.focus();
    }
  });
})();
