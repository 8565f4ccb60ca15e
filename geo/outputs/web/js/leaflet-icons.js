/* Leaflet's default marker with its images inline (data: URLs, given as `urls`), so that a
 * folium.Marker asks the network for nothing. Called once, right after Leaflet. */
function (urls) {
  "use strict";
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions(urls);
}
