/* One tap adds the phone's position to a visit. Optional: the form saves without it. */
(function () {
  "use strict";
  var box = document.getElementById("visit-location");
  if (!box || !navigator.geolocation) { return; }
  var lat = document.getElementById(box.dataset.latInput);
  var lng = document.getElementById(box.dataset.lngInput);
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button secondary";
  button.textContent = box.dataset.labelLocate;
  var status = document.createElement("p");
  status.className = "helptext";
  status.setAttribute("aria-live", "polite");
  box.append(button, status);
  if (lat.value) { status.textContent = box.dataset.labelChosen + " " + lat.value + ", " + lng.value; }
  button.addEventListener("click", function () {
    status.textContent = box.dataset.labelLocating;
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lng.value = position.coords.longitude.toFixed(6);
      status.textContent = box.dataset.labelChosen + " " + lat.value + ", " + lng.value;
    }, function () {
      status.textContent = box.dataset.labelNoLocation;
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
