/*
 * rangemap live map: move the launch site, choose the reach, ask about any point.
 *
 * Fed by two JSON blobs written by geo/outputs/live.py (#rangemap-data: the scenario, the
 * catalog, the places to search, the flight-time tables, styles; #rangemap-land: country
 * outlines). Rings come from rings.js (Karney's geodesics via GeographicLib), never
 * L.circle. Every user string reaches the page through textContent or as a DOM node.
 *
 * Script interface (documented in the README, "The live map"):
 *   window.rangemap.setSite(lat, lon)     move the launch site
 *   window.rangemap.setRange(km)          draw a typed range (km)
 *   window.rangemap.setMissile(name)      pick a missile class by name or alias
 *   window.rangemap.addTarget(lat, lon)   add a target; returns check(lat, lon)
 *   window.rangemap.clearTargets()
 *   window.rangemap.fit()                 fit the view to the rings and the targets
 *   window.rangemap.rings()               GeoJSON FeatureCollection (lon/lat) of what is drawn
 *   window.rangemap.check(lat, lon)       {distance_km, bearing_deg, margin_km, verdict, flight_time_min}
 *   window.rangemap.state()               the current site, reach, targets and units
 * Bad arguments throw a RangeError and leave the drawing as it was.
 */
(function (root) {
  "use strict";

  root.rangemap = root.rangemap || {};
  // Called by the page's folium script (geo.outputs.live) with its folium.Map: the panel and the
  // verdict legend (#rm-panel, #rm-legend, in the page's body) become controls of that map.
  root.rangemap.live = function (map) {

  var Rings = window.rangemapRings;
  var Geodesic = window.geodesic.Geodesic, geod = Geodesic.WGS84;
  var DATA = JSON.parse(document.getElementById("rangemap-data").textContent);
  DATA.cities.forEach(function (c) {              // [name, country, lat, lon], largest first
    DATA.places.push({name: c[0], country: c[1], lat: c[2], lon: c[3], kind: "city", aliases: [],
                      source: "GeoNames"});
  });
  var LAND = JSON.parse(document.getElementById("rangemap-land").textContent);
  var STYLE = DATA.style;
  var VERDICTS = DATA.verdicts;
  var UNITS = DATA.units;                           // km per unit, from geo.outputs.formatting
  var LIMIT = Rings.MERCATOR_LAT_LIMIT;
  var REF = DATA.scenario.site.lon;                 // the land is drawn in one world around here
  var PATH_STEP_KM = 20.0;

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function norm(text) {                             // as geo.catalog.tables._norm: case, accents, punctuation
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "");
  }

  function fmt(value, digits) {
    return Number(value).toLocaleString("en-US", {minimumFractionDigits: digits || 0,
                                                   maximumFractionDigits: digits || 0});
  }

  function near(lon, ref) { return lon + 360.0 * Math.round((ref - lon) / 360.0); }

  function checkLat(lat, what) {
    if (typeof lat !== "number" || !(lat >= -90 && lat <= 90)) {
      throw new RangeError((what || "latitude") + " " + lat + " is outside [-90, 90]: give decimal degrees, north positive");
    }
    return lat;
  }

  function checkLon(lon, what) {
    if (typeof lon !== "number" || !(lon >= -180 && lon <= 180)) {
      throw new RangeError((what || "longitude") + " " + lon + " is outside [-180, 180]: give decimal degrees, east positive");
    }
    return lon;
  }

  function checkKm(km) {
    if (typeof km !== "number" || !isFinite(km) || !(km > 0)) {
      throw new RangeError("range " + km + " must be a positive number of kilometres");
    }
    return km;
  }

  // --- reach: a catalog missile or a typed range ------------------------------------

  function missileReach(m) {
    return {name: m.name, range_km: m.range_km, certain_km: m.certain_km, max_km: m.max_km,
            min_range_km: m.min_range_km, missile: m};
  }

  function typedReach(km) {
    return {name: fmt(km) + " km range", range_km: km, certain_km: km, max_km: km, min_range_km: null,
            missile: null};
  }

  function findMissile(name) {
    var key = norm(name), i, m;
    for (i = 0; i < DATA.missiles.length; i++) {
      m = DATA.missiles[i];
      if (norm(m.name) === key || m.aliases.some(function (a) { return norm(a) === key; })) return i;
    }
    return -1;
  }

  // Flight time: tables computed in Python by geo.check (the class missile's maximum-range
  // programme cut off to land there, geo.core.ballistics), interpolated here; no physics in JavaScript.
  // A missile's row holds times at distances max_km * (i / n)^2; a typed range R is
  // interpolated between the rows of a table over log10(R).
  function rowTime(row, reachKm, d) {
    var n = row.length - 1, s = Math.sqrt(d / reachKm) * n, i = Math.min(Math.floor(s), n - 1);
    return row[i] + (row[i + 1] - row[i]) * (s - i);
  }

  // A missile's band row holds times at range_km + (max_km - range_km) * (i / n), i = 0..n:
  // beyond the nominal range the class of the band's top flies (as in geo.assess).
  function bandTime(m, d) {
    var row = m.flight_band, n = row.length - 1;
    var s = (d - m.range_km) / (m.max_km - m.range_km) * n, i = Math.min(Math.floor(s), n - 1);
    return row[i] + (row[i + 1] - row[i]) * (s - i);
  }

  function flightTime(reach, d) {
    if (!(d > 0) || d > reach.max_km) return null;
    if (reach.missile) {
      var m = reach.missile;
      return d <= m.range_km || !m.flight_band.length ? rowTime(m.flight, m.range_km, d) : bandTime(m, d);
    }
    var T = DATA.flight.typed, x = Math.log10(reach.max_km), n = T.log10_km.length - 1;
    var j = 0;
    while (j < n - 1 && T.log10_km[j + 1] < x) j++;
    // Between the two rows at the same distance. Past the lower row's reach, the upper row
    // shifted by the rows' difference at that reach.
    var lo = Math.pow(10, T.log10_km[j]), hi = Math.pow(10, T.log10_km[j + 1]);
    var f = Math.min(Math.max((x - T.log10_km[j]) / (T.log10_km[j + 1] - T.log10_km[j]), 0), 1);
    var at = Math.min(d, lo), b = rowTime(T.rows[j + 1], hi, Math.min(d, hi));
    var gap = rowTime(T.rows[j], lo, at) - rowTime(T.rows[j + 1], hi, at);
    return b + gap * (1 - f);
  }

  // --- state ------------------------------------------------------------------------

  var state = {site: null, reach: null, missileIndex: -1, targets: [], units: "km"};
  var nextTargetId = 1;

  function fileScenario() {
    var s = DATA.scenario;
    return {site: s.site, missile: s.missile, range_km: s.range_km, units: s.units || "km", targets: s.targets};
  }

  // --- the map ------------------------------------------------------------------------

  map.options.maxBoundsViscosity = 0.8;
  map.setMaxBounds([[-LIMIT, REF - 540], [LIMIT, REF + 540]]);
  map.getContainer().setAttribute("role", "application");
  map.getContainer().setAttribute("aria-label", "Map: drag the launch site, click to add a target");
  // The panel and the legend: Leaflet controls placed against the map's own box (not a corner).
  map._controlCorners.rmfloat = map._controlContainer;
  var Floating = L.Control.extend({
    options: {position: "rmfloat"},
    onAdd: function () {
      var box = this.options.element;
      box.classList.add("leaflet-control");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  new Floating({element: $("rm-panel")}).addTo(map);
  new Floating({element: $("rm-legend")}).addTo(map);
  map.createPane("rm-land").style.zIndex = 250;
  map.getPane("rm-land").style.pointerEvents = "none";
  map.getContainer().style.background = STYLE.sea;

  (function drawLand() {
    var fill = {pane: "rm-land", interactive: false, stroke: false, fill: true, fillColor: STYLE.land,
                fillOpacity: 1.0};
    var line = {pane: "rm-land", interactive: false, color: STYLE.border, weight: 0.6, opacity: 1.0, fill: false};
    var shifts = [-360, 0, 360], borders = [], group = L.featureGroup();
    function ring(r, shift) {                    // see geo.outputs.webmap._land_data for the encoding
      var n = r[0], cut = {}, pts = [], lat = 0, lon = 0, i;
      for (i = 1; i <= n; i++) cut[r[i]] = true;
      for (i = n + 1; i + 1 < r.length; i += 2) {
        lat += r[i]; lon += r[i + 1];
        pts.push([lat / 100, lon / 100 + shift]);
      }
      var run = [], start = n ? r[1] + 1 : 0;
      for (i = 0; i < pts.length; i++) {
        var e = (start + i) % pts.length;
        if (cut[e]) { if (run.length) borders.push(run); run = []; continue; }
        if (!run.length) run.push(pts[e]);
        run.push(pts[(e + 1) % pts.length]);
      }
      if (run.length) borders.push(run);
      return pts;
    }
    LAND.forEach(function (country) {
      var polygons = [];
      shifts.forEach(function (shift) {
        country.forEach(function (polygon) {
          polygons.push(polygon.map(function (r) { return ring(r, shift); }));
        });
      });
      L.polygon(polygons, fill).addTo(group);
    });
    L.polyline(borders, line).addTo(group);
    var grid = [], lon, lat;
    for (lon = 30 * Math.floor((REF - 540) / 30); lon <= REF + 540; lon += 30) grid.push([[-LIMIT, lon], [LIMIT, lon]]);
    for (lat = -60; lat <= 60; lat += 30) grid.push([[lat, REF - 540], [lat, REF + 540]]);
    L.polyline(grid, {pane: "rm-land", interactive: false, color: "#8C9BAA", weight: 0.8, opacity: 0.6}).addTo(group);
    group.addTo(map);
  })();

  var ringLayer = L.layerGroup().addTo(map);
  var pathLayer = L.layerGroup().addTo(map);
  var targetLayer = L.layerGroup().addTo(map);

  var siteMarker = L.marker([0, 0], {draggable: true, autoPan: true, keyboard: true, title: "Launch site",
                                     icon: L.divIcon({className: "rm-site-icon", iconSize: null}),
                                     zIndexOffset: 1000}).addTo(map);
  siteMarker.bindTooltip(el("span"), {direction: "top", offset: [0, -8]});

  // --- rings --------------------------------------------------------------------------

  var ringCache = {};
  var drawn = [];                                 // what is on the map: [{spec, geometry, region, copies}]

  function ringSpecs(reach) {
    // As geo.outputs.webmap._add_rings: band (light fill), nominal outline, certain range (solid fill).
    var kms = [reach.certain_km, reach.range_km, reach.max_km].filter(function (v, i, a) { return a.indexOf(v) === i; });
    kms.sort(function (a, b) { return b - a; });
    return kms.map(function (km) {
      var nominal = km === reach.range_km, certain = km === reach.certain_km, band = km > reach.certain_km;
      var role = certain ? "certain" : (nominal ? "nominal" : "max");
      var says = [];
      if (nominal) says.push("nominal range " + fmt(km) + " km");
      if (certain) says.push("in range up to " + fmt(km) + " km");
      if (band) says.push("possibly in range " + fmt(reach.certain_km) + " to " + fmt(reach.max_km) + " km (sources disagree)");
      return {km: km, role: role, label: says.join("; "), fill: certain || km === reach.max_km,
              fillOpacity: certain ? STYLE.certain_opacity : STYLE.band_opacity,
              dash: nominal ? null : "6 4", weight: nominal ? 2 : 1};
    }).concat(reach.min_range_km ? [{km: reach.min_range_km, role: "minimum", fill: false, dash: "2 4", weight: 1,
                                     label: "minimum range " + fmt(reach.min_range_km) + " km: too close inside"}]
                                 : []);
  }

  // The filled region of a ring: the ring less the dead zone under a minimum range, as valid
  // polygons (see rangemapRings.subtract). `ringAt(km)` gives the ring geometry in `box`.
  function regionOf(spec, box, ringAt) {
    var g = ringAt(spec.km), parts = g.parts, min = state.reach.min_range_km;
    if (g.kind === "beyond a quarter") parts = parts.map(function (poly) { return Rings.notched(poly, box); });
    if (min && min < spec.km) {
      var dead = ringAt(min);
      if (dead.kind === "circle" || dead.kind.indexOf("pole cap") >= 0) {
        parts = Rings.subtract(parts, dead.parts.map(function (poly) { return poly[0]; }), box);
      } else {
        parts = parts.concat(dead.parts);        // a dead zone past a quarter of the globe: even-odd fill
      }
    }
    return parts;
  }

  function ringGeometry(km) {                     // display rings of the current site, cached
    var site = state.site.lat + "," + state.site.lon;
    if (ringCache.site !== site) ringCache = {site: site, rings: {}};
    if (!ringCache.rings[km]) ringCache.rings[km] = Rings.ring(state.site.lat, state.site.lon, km);
    return ringCache.rings[km];
  }

  function viewCopies() {                          // world copies the view shows
    var b = map.getBounds(), west = b.getWest(), east = b.getEast();
    var box = Rings.displayBox(state.site.lon), out = [];
    for (var k = Math.floor((west - box[2]) / 360); k <= Math.ceil((east - box[0]) / 360); k++) {
      if (box[0] + 360 * k < east && box[2] + 360 * k > west) out.push(k);
    }
    return out.length ? out : [0];
  }

  function curveCopies(geometry, copies) {         // the circle itself as lines, in every copy shown
    var c = geometry.curve;
    if (!c.length) return [];
    if (geometry.turn === 0) {
      return copies.map(function (k) {
        return c.concat([c[0]]).map(function (p) { return [p[0] + 360 * k, p[1]]; });
      });
    }
    var period = 360 * geometry.turn, line = [];
    var lo = Math.min.apply(null, copies) - 1, hi = Math.max.apply(null, copies) + 1;
    for (var j = lo; j <= hi; j++) {              // consecutive copies join: copy j ends where j + 1 starts
      c.forEach(function (p) { line.push([p[0] + period * j, p[1]]); });
    }
    line.push([c[0][0] + period * (hi + 1), c[0][1]]);
    return [line];
  }

  function toLatLngs(parts, copies) {
    var out = [];
    copies.forEach(function (k) {
      parts.forEach(function (poly) {
        out.push(poly.map(function (r) { return r.map(function (p) { return [p[1], p[0] + 360 * k]; }); }));
      });
    });
    return out;
  }

  function drawRings() {
    var specs = ringSpecs(state.reach), copies = viewCopies(), color = STYLE.ring;
    var tip = state.reach.name + " from " + state.site.name;
    ringLayer.clearLayers();
    var box = Rings.displayBox(state.site.lon);
    drawn = specs.map(function (spec) {
      var g = ringGeometry(spec.km), region = spec.fill ? regionOf(spec, box, ringGeometry) : [];
      var label = el("span");
      label.appendChild(el("b", state.reach.name));
      label.appendChild(document.createTextNode(" from " + state.site.name));
      label.appendChild(el("br"));
      label.appendChild(document.createTextNode(spec.label));
      if (region.length) {
        L.polygon(toLatLngs(region, copies), {stroke: false, fill: true, fillColor: color,
                                                fillOpacity: spec.fillOpacity, fillRule: "evenodd",
                                                interactive: false, smoothFactor: 0.3}).addTo(ringLayer);
      }
      var lines = curveCopies(g, copies).map(function (line) {
        return line.map(function (p) { return [p[1], p[0]]; });
      });
      if (lines.length) {
        L.polyline(lines, {color: color, weight: spec.weight, opacity: 0.9, dashArray: spec.dash, smoothFactor: 0.3})
          .bindTooltip(label, {sticky: true}).addTo(ringLayer);
      }
      return {spec: spec, geometry: g, region: region, copies: copies, tip: tip};
    });
  }

  function close(r) { return r.concat([r[0]]); }

  function ringFeatures(items, frame) {
    var features = [];
    items.forEach(function (d) {
      var props = {site: state.site.name, site_lat: state.site.lat, site_lon: state.site.lon,
                   reach: state.reach.name, range_km: d.spec.km, role: d.spec.role, label: d.spec.label,
                   kind: d.geometry.kind, copies: d.copies, frame: frame,
                   model: "WGS84 geodesic (Karney, GeographicLib " + DATA.geographiclib + ")"};
      if (d.region.length) {
        var polys = [];
        d.copies.forEach(function (k) {
          d.region.forEach(function (poly) {
            polys.push(poly.map(function (r) { return close(r).map(function (p) { return [p[0] + 360 * k, p[1]]; }); }));
          });
        });
        features.push({type: "Feature", geometry: {type: "MultiPolygon", coordinates: polys},
                       properties: Object.assign({part: "region", fill_opacity: d.spec.fillOpacity}, props)});
      }
      var lines = curveCopies(d.geometry, d.copies);
      if (lines.length) {
        features.push({type: "Feature", geometry: {type: "MultiLineString", coordinates: lines},
                       properties: Object.assign({part: "outline"}, props)});
      }
    });
    return features;
  }

  // --- checks, targets and paths ------------------------------------------------------

  function check(lat, lon) {
    checkLat(lat, "target latitude");
    checkLon(lon, "target longitude");
    var s = state.site, r = state.reach;
    var inv = geod.Inverse(s.lat, s.lon, lat, lon, Geodesic.DISTANCE | Geodesic.AZIMUTH);
    var d = inv.s12 / 1000.0, bearing = ((inv.azi1 % 360) + 360) % 360;
    var verdict = VERDICTS[window.rangemapVerdict.code(d, r.certain_km, r.max_km, r.min_range_km)];
    return {distance_km: d, bearing_deg: bearing === 360 ? 0 : bearing, margin_km: r.range_km - d,
            verdict: verdict, flight_time_min: verdict === VERDICTS[3] ? null : flightTime(r, d)};
  }

  function distText(km) {
    var u = state.units;
    return fmt(km / UNITS[u]) + " " + u;
  }

  function marginText(km) {
    var v = km / UNITS[state.units];
    return (v >= 0 ? "+" : "\u2212") + fmt(Math.abs(v)) + " " + state.units;
  }

  function factsText(c) {
    var parts = ["distance " + distText(c.distance_km), "bearing " + fmt(c.bearing_deg, 1) + "\u00b0",
                 "margin " + marginText(c.margin_km)];
    if (c.flight_time_min !== null) parts.push("flight about " + fmt(c.flight_time_min) + " min");
    return parts.join(" \u00b7 ");
  }

  function siteDisplayLon() { return siteMarker.getLatLng().lng; }

  function pathLatLngs(t) {
    var s = state.site;
    var line = geod.InverseLine(s.lat, s.lon, t.lat, t.lon,
                                Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.DISTANCE_IN | Geodesic.LONG_UNROLL);
    var n = Math.max(2, Math.ceil(line.s13 / 1000.0 / PATH_STEP_KM)), shift = siteDisplayLon() - s.lon, out = [];
    for (var i = 0; i <= n; i++) {
      var p = line.Position(line.s13 * i / n, Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.LONG_UNROLL);
      out.push([p.lat2, p.lon2 + shift]);
    }
    return out;
  }

  function targetIcon() {
    return L.divIcon({className: "rm-target-icon", iconSize: null});
  }

  function makeTarget(name, lat, lon) {
    var t = {id: nextTargetId++, name: name, lat: lat, lon: lon};
    t.marker = L.marker([lat, near(lon, siteDisplayLon())], {draggable: true, autoPan: true,
                                                              icon: targetIcon(), title: ""});
    t.tip = el("span");
    t.marker.bindTooltip(t.tip, {direction: "top", offset: [0, -8]});
    t.marker.on("drag", function () {
      var ll = t.marker.getLatLng();
      t.lat = ll.lat; t.lon = Rings.wrap(ll.lng);
      t.name = coordName(t.lat, t.lon);           // no longer the named place
      updateTarget(t);
    });
    t.marker.on("dragend", function () { renderTargets(); saveHash(); });
    t.path = L.polyline([], {color: "#333333", weight: 2, opacity: 0.8, dashArray: "2 5", interactive: false});
    t.path.addTo(pathLayer);
    t.marker.addTo(targetLayer);
    return t;
  }

  function updateTarget(t) {
    var c = check(t.lat, t.lon);
    t.check = c;
    var node = t.marker.getElement();
    if (node) node.style.background = STYLE.verdict_colors[c.verdict];
    t.tip.textContent = "";
    t.tip.appendChild(el("b", t.name));
    t.tip.appendChild(document.createTextNode(": " + c.verdict));
    t.tip.appendChild(el("br"));
    t.tip.appendChild(document.createTextNode(factsText(c)));
    t.marker.setLatLng([t.lat, near(t.lon, siteDisplayLon())]);
    t.path.setLatLngs(pathLatLngs(t));
    if (t.item) fillTargetItem(t);
  }

  function fillTargetItem(t) {
    var c = t.check, body = t.item.body;
    body.textContent = "";
    var head = el("div");
    var dot = el("span", null, "rm-dot");
    dot.style.background = STYLE.verdict_colors[c.verdict];
    head.appendChild(dot);
    head.appendChild(el("span", t.name, "rm-strong"));
    head.appendChild(document.createTextNode(": "));
    head.appendChild(el("span", c.verdict, "rm-verdict"));
    body.appendChild(head);
    body.appendChild(el("div", factsText(c), "rm-facts"));
  }

  function renderTargets() {
    var list = $("rm-targets");
    list.textContent = "";
    state.targets.forEach(function (t) {
      var li = el("li"), body = el("div"), remove = el("button", "\u00d7");
      remove.type = "button";
      remove.title = "Remove this target";
      remove.setAttribute("aria-label", "Remove target " + t.name);
      remove.addEventListener("click", function () { removeTarget(t); });
      li.appendChild(body);
      li.appendChild(remove);
      t.item = {li: li, body: body};
      fillTargetItem(t);
      list.appendChild(li);
    });
    if (!state.targets.length) list.appendChild(el("li", "none: click the map to ask about a point", "rm-muted"));
  }

  function removeTarget(t) {
    targetLayer.removeLayer(t.marker);
    pathLayer.removeLayer(t.path);
    state.targets = state.targets.filter(function (x) { return x !== t; });
    renderTargets();
    saveHash();
  }

  // --- panel ------------------------------------------------------------------------

  function message(text, note) {
    var box = $("rm-message");
    box.textContent = text || "";
    box.className = note ? "rm-note" : "";
  }

  function describeSite() {
    var s = state.site;
    $("rm-site-name").textContent = s.name;
    $("rm-site-facts").textContent = fmt(Math.abs(s.lat), 4) + "\u00b0" + (s.lat < 0 ? "S" : "N") + ", " +
      fmt(Math.abs(s.lon), 4) + "\u00b0" + (s.lon < 0 ? "W" : "E") + (s.source ? " \u00b7 source: " + s.source : "");
    var tip = siteMarker.getTooltip().getContent();
    tip.textContent = "";
    tip.appendChild(el("b", s.name));
    tip.appendChild(document.createTextNode(" (launch site; drag to move)"));
  }

  function describeReach() {
    var r = state.reach, box = $("rm-missile-facts"), parts = [];
    box.textContent = "";
    if (r.missile) {
      var m = r.missile;
      if (m.type) parts.push(m.type);
      parts.push("nominal " + distText(m.range_km));
      if (m.max_km > m.certain_km) parts.push("band " + fmt(m.certain_km / UNITS[state.units]) + "\u2013" + distText(m.max_km));
      if (m.min_range_km !== null) parts.push("minimum " + distText(m.min_range_km));
      box.appendChild(el("div", parts.join(" \u00b7 ")));
      if (m.source) box.appendChild(el("div", "Source: " + m.source + (m.confidence ? " (confidence " + m.confidence + ")" : ""), "rm-muted"));
      if (m.notes) box.appendChild(el("div", m.notes, "rm-muted"));
      $("rm-missile").value = String(state.missileIndex);
    } else {
      box.appendChild(el("div", "Typed range: " + distText(r.range_km) + " (no band, no minimum range)"));
      $("rm-missile").value = "typed";
    }
  }

  function fillPanel() {
    $("rm-title").textContent = DATA.title || "rangemap live map";
    var sel = $("rm-site-select");
    sel.appendChild(el("option", "\u2014 pick a launch site \u2014")).value = "";
    DATA.sites.forEach(function (s, i) {
      var o = el("option", s.name + (s.country ? " (" + s.country + ")" : ""));
      o.value = String(i);
      sel.appendChild(o);
    });
    var ms = $("rm-missile");
    DATA.missiles.forEach(function (m, i) {
      var band = m.max_km > m.certain_km ? ", " + fmt(m.certain_km) + "\u2013" + fmt(m.max_km) : "";
      var o = el("option", m.name + " (" + fmt(m.range_km) + " km" + band + ")");
      o.value = String(i);
      ms.appendChild(o);
    });
    ms.appendChild(el("option", "typed range")).value = "typed";
    var list = $("rm-places");
    DATA.places.forEach(function (p) {
      var o = document.createElement("option");
      o.value = p.name;
      o.label = p.kind + (p.country ? ", " + p.country : "");
      list.appendChild(o);
    });
    $("rm-caption").textContent = DATA.caption;
    var legend = $("rm-legend");
    legend.appendChild(el("span", "\u25cf launch site"));
    VERDICTS.forEach(function (v) {
      var s = el("span"), dot = el("span", null, "rm-dot");
      dot.style.background = STYLE.verdict_colors[v];
      s.appendChild(dot);
      s.appendChild(document.createTextNode(v));
      legend.appendChild(s);
    });
  }

  // --- commands (the script interface and the panel both go through these) -----------

  var pending = null;

  function redraw() {
    drawRings();
    state.targets.forEach(updateTarget);
    describeSite();
    describeReach();
  }

  function scheduleRedraw() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () { pending = null; redraw(); });
  }

  function placeSite(site, pan) {
    checkLat(site.lat, "site latitude");
    checkLon(site.lon, "site longitude");
    state.site = {name: site.name || coordName(site.lat, site.lon), lat: site.lat, lon: site.lon,
                  source: site.source || ""};
    var center = map.getCenter().lng, lon = near(site.lon, center);
    if (Math.abs(lon - REF) > 540) lon = near(site.lon, REF);
    siteMarker.setLatLng([Math.max(-LIMIT, Math.min(LIMIT, site.lat)), lon]);
    if (pan) map.panTo(siteMarker.getLatLng(), {animate: false});
  }

  function coordName(lat, lon) { return lat.toFixed(4) + ", " + lon.toFixed(4); }

  function setSite(lat, lon, name, source) {
    placeSite({lat: lat, lon: lon, name: name, source: source}, false);
    redraw();
    renderTargets();
    saveHash();
  }

  function setMissileIndex(i) {
    state.missileIndex = i;
    state.reach = missileReach(DATA.missiles[i]);
  }

  function setMissile(name) {
    var i = findMissile(String(name));
    if (i < 0) throw new RangeError("unknown missile '" + name + "': pick one of the list, or type a range");
    setMissileIndex(i);
    redraw();
    renderTargets();
    saveHash();
  }

  function setRange(km) {
    checkKm(km);
    state.missileIndex = -1;
    state.reach = typedReach(km);
    $("rm-range").value = fmt(km / UNITS[state.units], 3).replace(/,/g, "");
    redraw();
    renderTargets();
    saveHash();
  }

  function addTarget(lat, lon, name) {
    checkLat(lat, "target latitude");
    checkLon(lon, "target longitude");
    var t = makeTarget(name || coordName(lat, lon), lat, lon);
    state.targets.push(t);
    updateTarget(t);
    renderTargets();
    saveHash();
    return t.check;
  }

  function clearTargets() {
    targetLayer.clearLayers();
    pathLayer.clearLayers();
    state.targets = [];
    renderTargets();
    saveHash();
  }

  function setUnits(u) {
    if (!UNITS[u]) throw new RangeError("unknown unit '" + u + "': choose km, mi or nmi");
    state.units = u;
    $("rm-units").value = u;
    if (!state.reach.missile) $("rm-range").value = fmt(state.reach.range_km / UNITS[u], 3).replace(/,/g, "");
    redraw();
    renderTargets();
    saveHash();
  }

  // --- the URL fragment -------------------------------------------------------------

  function hashText() {
    var s = state.site, q = new URLSearchParams();
    q.set("site", s.lat.toFixed(6) + "," + s.lon.toFixed(6));
    q.set("name", s.name);
    if (state.reach.missile) q.set("missile", state.reach.missile.name); else q.set("km", String(state.reach.range_km));
    q.set("units", state.units);
    if (state.targets.length) {
      q.set("targets", state.targets.map(function (t) {
        return [t.lat.toFixed(6), t.lon.toFixed(6), t.name.replace(/[;]/g, " ")].join(",");
      }).join(";"));
    }
    return q.toString();
  }

  var restoring = false;

  function saveHash() {
    if (restoring) return;
    var text = hashText();
    $("rm-link").href = "#" + text;
    try {
      window.history.replaceState(null, "", "#" + text);
    } catch (e) { /* a sandboxed frame may refuse: the link above still holds the view */ }
  }

  function num(text, what) {
    var v = Number(text);
    if (text === null || text === "" || !isFinite(v)) throw new RangeError(what + " '" + text + "' is not a number");
    return v;
  }

  function parseHash(text) {
    var q = new URLSearchParams(text), out = {}, ll;
    var known = {site: 1, name: 1, missile: 1, km: 1, units: 1, targets: 1};
    q.forEach(function (_, key) { if (!known[key]) throw new RangeError("unknown setting '" + key + "'"); });
    if (!q.has("site")) throw new RangeError("no site");
    ll = q.get("site").split(",");
    if (ll.length !== 2) throw new RangeError("site must be LAT,LON");
    out.site = {lat: checkLat(num(ll[0], "site latitude"), "site latitude"),
                lon: checkLon(num(ll[1], "site longitude"), "site longitude"),
                name: q.get("name") || ""};
    if (q.has("missile") === q.has("km")) throw new RangeError("give a missile or a range");
    if (q.has("missile")) {
      out.missile = findMissile(q.get("missile"));
      if (out.missile < 0) throw new RangeError("unknown missile '" + q.get("missile") + "'");
    } else {
      out.range_km = checkKm(num(q.get("km"), "range"));
    }
    out.units = q.has("units") ? q.get("units") : "km";
    if (!UNITS[out.units]) throw new RangeError("unknown unit '" + out.units + "'");
    out.targets = [];
    if (q.get("targets")) {
      q.get("targets").split(";").forEach(function (item) {
        var f = item.split(",");
        if (f.length < 2) throw new RangeError("a target must be LAT,LON[,NAME]");
        out.targets.push({lat: checkLat(num(f[0], "target latitude"), "target latitude"),
                          lon: checkLon(num(f[1], "target longitude"), "target longitude"),
                          name: f.slice(2).join(",")});
      });
    }
    return out;
  }

  function apply(scn) {
    restoring = true;
    try {
      state.units = scn.units || "km";
      $("rm-units").value = state.units;
      placeSite(scn.site, false);
      if (scn.missile !== null && scn.missile !== undefined && scn.missile >= 0) setMissileIndex(scn.missile);
      else { state.missileIndex = -1; state.reach = typedReach(scn.range_km); }
      if (!state.reach.missile) $("rm-range").value = fmt(state.reach.range_km / UNITS[state.units], 3).replace(/,/g, "");
      targetLayer.clearLayers();
      pathLayer.clearLayers();
      state.targets = [];
      scn.targets.forEach(function (t) {
        state.targets.push(makeTarget(t.name || coordName(t.lat, t.lon), t.lat, t.lon));
      });
      redraw();
      renderTargets();
    } finally {
      restoring = false;
    }
  }

  // --- GeoJSON download ---------------------------------------------------------------

  function geojson() {
    // RFC 7946: lon/lat in [-180, 180], rings cut at the antimeridian, poles at +-90.
    var box = [-180, -90, 180, 90], s = state.site;
    var cache = {};
    function ringAt(km) { return cache[km] || (cache[km] = Rings.ring(s.lat, s.lon, km, box)); }
    var items = ringSpecs(state.reach).map(function (spec) {
      return {spec: spec, geometry: ringAt(spec.km), region: spec.fill ? regionOf(spec, box, ringAt) : [],
              copies: [0]};
    });
    var features = ringFeatures(items, "RFC 7946 (cut at the antimeridian)").filter(function (f) {
      return f.properties.part === "region" || f.properties.range_km === state.reach.range_km;
    }).map(function (f) {
      if (f.properties.part === "outline") {
        var g = items.filter(function (d) { return d.spec.km === state.reach.range_km; })[0].geometry;
        var once = g.turn === 0 ? close(g.curve) : g.curve.concat([[g.curve[0][0] + 360 * g.turn, g.curve[0][1]]]);
        f.geometry = {type: "MultiLineString", coordinates: cutAtAntimeridian(once, g.turn === 0)};
        f.properties.note = "the nominal circle, cut at the antimeridian";
      }
      return f;
    });
    features.push({type: "Feature", geometry: {type: "Point", coordinates: [s.lon, s.lat]},
                   properties: {role: "launch site", name: s.name}});
    state.targets.forEach(function (t) {
      features.push({type: "Feature", geometry: {type: "Point", coordinates: [t.lon, t.lat]},
                     properties: Object.assign({role: "target", name: t.name, reach: state.reach.name,
                                                range_km: state.reach.range_km}, check(t.lat, t.lon))});
    });
    return {type: "FeatureCollection", features: features};
  }

  function cutAtAntimeridian(points, closed) {    // unwrapped [lon, lat] line -> pieces within [-180, 180]
    var pieces = [], piece = [], i;
    function world(lon) { return Math.floor((lon + 180) / 360); }
    for (i = 0; i < points.length; i++) {
      var p = points[i];
      if (i) {
        var q = points[i - 1], wq = world(q[0]), wp = world(p[0]);
        while (wq !== wp) {                         // cross the edge of world wq towards wp
          var edge = wp > wq ? 360 * wq + 180 : 360 * wq - 180;
          var lat = q[1] + (p[1] - q[1]) * (edge - q[0]) / (p[0] - q[0]);
          piece.push([edge - 360 * wq, lat]);
          pieces.push(piece);
          wq += wp > wq ? 1 : -1;
          piece = [[edge - 360 * wq, lat]];
        }
      }
      piece.push([p[0] - 360 * world(p[0]), p[1]]);
    }
    if (piece.length > 1) pieces.push(piece);
    if (closed && pieces.length > 1) pieces[0] = pieces.pop().concat(pieces[0].slice(1));   // join at the start
    return pieces.filter(function (x) { return x.length > 1; });
  }

  function download() {
    var blob = new Blob([JSON.stringify(geojson(), null, 1)], {type: "application/geo+json"});
    var a = document.createElement("a"), url = URL.createObjectURL(blob);
    a.href = url;
    a.download = "rangemap-live.geojson";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // --- wiring -------------------------------------------------------------------------

  function findPlace(text) {
    var key = norm(text), exact = null, prefix = null, part = null;
    DATA.places.forEach(function (p) {
      var names = [p.name].concat(p.aliases || []);
      names.forEach(function (n) {
        var k = norm(n);
        if (!k) return;
        if (k === key && !exact) exact = p;
        else if (k.indexOf(key) === 0 && !prefix) prefix = p;
        else if (k.indexOf(key) > 0 && !part) part = p;
      });
    });
    return exact || prefix || part;
  }

  var LATLON = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:,\s*|\s+)([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*$/;

  function resolvePlace(text) {
    var m = LATLON.exec(text);
    if (m) {
      var lat = Number(m[1]), lon = Number(m[2]);
      checkLat(lat, "latitude");
      checkLon(lon, "longitude");
      return {name: coordName(lat, lon), lat: lat, lon: lon, exact: false};
    }
    if (!norm(text)) throw new RangeError("type a place name or LAT, LON");
    var p = findPlace(text);
    if (!p) throw new RangeError("no place named '" + text + "' in this map: try a catalog site or target, a city " +
                                 "of " + DATA.city_min_population_text + " people or more, or LAT, LON");
    return {name: p.name, lat: p.lat, lon: p.lon, source: p.source, exact: true};
  }

  function guarded(fn) {
    return function (ev) {
      if (ev && ev.preventDefault) ev.preventDefault();
      try {
        fn(ev);
        message("");
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        message(e.message + " (the drawing is unchanged)");
      }
    };
  }

  // No <form> elements: a sandboxed frame (a notebook, a report) blocks form submission.
  function onEnter(input, button) {
    $(input).addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); $(button).click(); }
    });
  }
  onEnter("rm-search", "rm-move");
  onEnter("rm-range", "rm-draw");
  $("rm-move").addEventListener("click", guarded(function () {
    var p = resolvePlace($("rm-search").value);
    setSite(p.lat, p.lon, p.name, p.source);
    map.panTo(siteMarker.getLatLng());
  }));
  $("rm-add").addEventListener("click", guarded(function () {
    var p = resolvePlace($("rm-search").value);
    addTarget(p.lat, p.lon, p.name);
  }));
  $("rm-site-select").addEventListener("change", guarded(function () {
    var v = $("rm-site-select").value;
    if (v === "") return;
    var s = DATA.sites[Number(v)];
    setSite(s.lat, s.lon, s.name, s.source);
    map.panTo(siteMarker.getLatLng());
  }));
  $("rm-missile").addEventListener("change", guarded(function () {
    var v = $("rm-missile").value;
    if (v === "typed") {
      var typed = Number($("rm-range").value) * UNITS[state.units];
      setRange(typed > 0 ? typed : state.reach.range_km);
      $("rm-range").focus();
      return;
    }
    setMissileIndex(Number(v));
    redraw();
    renderTargets();
    saveHash();
  }));
  $("rm-draw").addEventListener("click", guarded(function () {
    var text = $("rm-range").value.trim().replace(/[,_\s]/g, ""), v = Number(text);
    if (!text || !isFinite(v) || !(v > 0)) {
      throw new RangeError("range '" + $("rm-range").value + "' must be a positive number of " + state.units);
    }
    setRange(v * UNITS[state.units]);
  }));
  $("rm-units").addEventListener("change", guarded(function () { setUnits($("rm-units").value); }));
  $("rm-clear").addEventListener("click", guarded(clearTargets));
  $("rm-download").addEventListener("click", guarded(download));
  $("rm-toggle").addEventListener("click", function () {
    var panel = $("rm-panel"), collapsed = panel.classList.toggle("rm-collapsed");
    $("rm-toggle").textContent = collapsed ? "Show" : "Hide";
    $("rm-toggle").setAttribute("aria-expanded", String(!collapsed));
  });

  siteMarker.on("drag", function () {
    var ll = siteMarker.getLatLng();
    state.site = {name: coordName(ll.lat, Rings.wrap(ll.lng)), lat: ll.lat, lon: Rings.wrap(ll.lng), source: ""};
    scheduleRedraw();
  });
  siteMarker.on("dragend", function () { redraw(); renderTargets(); saveHash(); });
  map.on("click", guarded(function (e) {
    addTarget(Math.max(-90, Math.min(90, e.latlng.lat)), Rings.wrap(e.latlng.lng));
    var t = state.targets[state.targets.length - 1];
    t.marker.setLatLng([t.lat, e.latlng.lng]);
    t.path.setLatLngs(pathLatLngs(t));
  }));
  map.on("moveend zoomend", function () {
    if (!state.site) return;
    var copies = viewCopies();
    if (!drawn.length || copies.join() !== drawn[0].copies.join()) drawRings();
  });

  // --- start ------------------------------------------------------------------------

  fillPanel();
  var fitted = false;
  function fit() {
    var size = map.invalidateSize(false).getSize();
    if (fitted || !(size.x && size.y)) return;
    fitted = true;
    start();
  }

  function scenarioBounds() {                      // the largest ring (first world copy) and the targets
    var lats = [], lons = [], shift = siteDisplayLon() - state.site.lon;
    var g = drawn.length ? drawn[0].geometry : null;
    if (g) {
      g.parts.forEach(function (poly) { poly[0].forEach(function (p) { lons.push(p[0] + shift); lats.push(p[1]); }); });
      if (!g.parts.length) g.curve.forEach(function (p) { lons.push(p[0] + shift); lats.push(p[1]); });
    }
    lats.push(state.site.lat); lons.push(siteDisplayLon());
    state.targets.forEach(function (t) { var ll = t.marker.getLatLng(); lats.push(ll.lat); lons.push(ll.lng); });
    return [[Math.max(-LIMIT, Math.min.apply(null, lats)), Math.min.apply(null, lons)],
            [Math.min(LIMIT, Math.max.apply(null, lats)), Math.max.apply(null, lons)]];
  }

  function fitView() {                              // the largest ring and the targets, beside the panel
    var panel = $("rm-panel").getBoundingClientRect(), size = map.getSize(), pad = {animate: false};
    if (size.x > 600) { pad.paddingTopLeft = [Math.min(panel.right + 16, size.x / 2), 24]; pad.paddingBottomRight = [24, 24]; }
    else { pad.paddingTopLeft = [16, 40]; pad.paddingBottomRight = [16, Math.min(panel.height + 16, size.y / 2)]; }
    map.fitBounds(scenarioBounds(), pad);
    drawRings();
  }

  function start() {
    var text = window.location.hash.replace(/^#/, ""), scn = null;
    if (text) {
      try {
        scn = parseHash(text);
      } catch (e) {
        if (!(e instanceof RangeError) && !(e instanceof URIError)) throw e;
        message("The link's view could not be read (" + e.message + "): showing this map's own scenario.", true);
      }
    }
    var first = scn || fileScenario();
    map.setView([Math.max(-LIMIT, Math.min(LIMIT, first.site.lat)), first.site.lon], 2, {animate: false});
    apply(first);
    fitView();
    saveHash();
    window.rangemap.ready = true;
  }

  window.rangemap = {
    ready: false,
    setSite: function (lat, lon) { setSite(lat, lon); },
    setRange: function (km) { setRange(km); },
    setMissile: function (name) { setMissile(name); },
    setUnits: function (u) { setUnits(u); },
    addTarget: function (lat, lon) { return addTarget(lat, lon); },
    clearTargets: function () { clearTargets(); },
    fit: function () { fitView(); },
    check: check,
    rings: function () {
      return {type: "FeatureCollection", features: ringFeatures(drawn, "display: longitudes unwrapped around the site; " +
                                                                "latitudes clamped at Web Mercator's limit")};
    },
    geojson: geojson,
    state: function () {
      return {site: {name: state.site.name, lat: state.site.lat, lon: state.site.lon},
              reach: {name: state.reach.name, range_km: state.reach.range_km, certain_km: state.reach.certain_km,
                      max_km: state.reach.max_km, min_range_km: state.reach.min_range_km,
                      missile: state.reach.missile ? state.reach.missile.name : null},
              targets: state.targets.map(function (t) { return {name: t.name, lat: t.lat, lon: t.lon}; }),
              units: state.units, hash: hashText()};
    }
  };

  fit();
  if (!fitted) {
    if (window.ResizeObserver) new ResizeObserver(fit).observe(map.getContainer());
    else window.addEventListener("load", fit);
  }
  };
})(window);
