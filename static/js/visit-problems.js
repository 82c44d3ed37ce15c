/* The problems a visit followed up: only those of the desa chosen above are offered. A box
   hidden by a change of desa is unticked, so it cannot be sent unseen. */
(function () {
  "use strict";
  var desa = document.getElementById("id_village");
  var boxes = document.querySelectorAll("input[name=problems][data-desa]");
  if (!desa || !boxes.length) { return; }
  var fieldset = boxes[0].closest("fieldset");
  function show() {
    var any = false;
    boxes.forEach(function (box) {
      var here = box.dataset.desa === desa.value;
      var option = box.closest("label") ? box.closest("label").parentElement : box.parentElement;
      option.hidden = !here;
      if (!here) { box.checked = false; }
      any = any || here;
    });
    if (fieldset) { fieldset.hidden = !any; }
  }
  desa.addEventListener("change", show);
  show();
})();
