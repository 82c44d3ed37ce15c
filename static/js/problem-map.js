/* The optional map point on the report form. The form works without it: nothing here is
   needed to file a problem. Leaflet and the tiles load only when the reporter asks for the map,
   so the form stays light on a weak signal. */
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box) { return; }
  var lat = document.getElementById(box.dataset.latInput);
  var lng = document.getElementById(box.dataset.lngInput);
  var controls = document.createElement("div");
  controls.className = "map-controls";
  var openButton = button(box.dataset.labelOpen);
  var locateButton = button(box.dataset.labelLocate);
  var clearButton = button(box.dataset.labelClear);
  var status = document.createElement("p");
  status.className = "helptext";
  status.setAttribute("aria-live", "polite");
  controls.append(openButton, locateButton, clearButton, status);
  box.parentNode.insertBefore(controls, box);
  var map = null;
  var marker = null;
  showPoint();

  function button(label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button secondary";
    b.textContent = label;
    return b;
  }

  function showPoint() {
    clearButton.hidden = !lat.value;
    status.textContent = lat.value ? box.dataset.labelChosen + " " + lat.value + ", " + lng.value : "";
  }

  function setPoint(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lng.value = longitude.toFixed(6);
    if (map) {
      if (marker) { marker.setLatLng([latitude, longitude]); }
      else { marker = window.L.marker([latitude, longitude]).addTo(map); }
    }
    showPoint();
  }

  function loadLeaflet(done) {
    if (window.L) { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.dataset.leafletCss;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = box.dataset.leafletJs;
    script.onload = done;
    document.head.appendChild(script);
  }

  function openMap() {
    loadLeaflet(function () {
      box.hidden = false;
      openButton.hidden = true;
      var center = lat.value ? [parseFloat(lat.value), parseFloat(lng.value)] : [-2.5, 118];
      map = window.L.map(box).setView(center, lat.value ? 16 : 5);
      window.L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
      if (lat.value) { setPoint(center[0], center[1]); }
      map.on("click", function (event) { setPoint(event.latlng.lat, event.latlng.lng); });
    });
  }

  openButton.addEventListener("click", openMap);
  clearButton.addEventListener("click", function () {
    lat.value = "";
    lng.value = "";
    if (marker) { marker.remove(); marker = null; }
    showPoint();
  });
  if (!navigator.geolocation) { locateButton.hidden = true; }
  locateButton.addEventListener("click", function () {
    status.textContent = box.dataset.labelLocating;
    navigator.geolocation.getCurrentPosition(function (position) {
      setPoint(position.coords.latitude, position.coords.longitude);
      if (map) { map.setView([position.coords.latitude, position.coords.longitude], 17); }
    }, function () {
      status.textContent = box.dataset.labelNoLocation;
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
