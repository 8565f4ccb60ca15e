/* rangemap web map: draws the JSON blob of geo.outputs.webmap.map_data with Leaflet.
 *
 * Every user string is set with textContent (never HTML). Rings, land, graticule and shaded
 * areas are drawn in every world copy the view can show; markers, paths and labels once.
 * Labels are placed so that they overlap neither each other nor markers nor the page's
 * boxes; a label that finds no free place is hidden (its tooltip still names it).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("rangemap-data").textContent);
  var land = JSON.parse(document.getElementById("rangemap-land").textContent);
  var container = document.getElementById("rangemap-map");
  container.style.background = data.style.sea;
  var ref = data.ref;
  var WEST = ref - 540, EAST = ref + 540;

  var map = L.map(container, {
    zoomSnap: 0.25, zoomDelta: 0.5, worldCopyJump: false, attributionControl: !!data.tiles,
    minZoom: 0, maxZoom: 12
  });
  // A provisional view, so that everything is drawn even before the map has a size (an iframe
  // laid out late, or throttled while off screen); fit() sets the real one.
  map.setView(L.latLngBounds(data.fit).getCenter(), 1, {animate: false});

  // --- panes: land under the tiles, labels over the markers -------------------------------
  var landPane = map.createPane("rangemap-land");
  landPane.style.zIndex = 150;
  landPane.style.pointerEvents = "none";
  var labelPane = map.createPane("rangemap-labels");
  labelPane.style.zIndex = 620;
  labelPane.className += " rangemap-labels";

  // --- DOM helpers -----------------------------------------------------------------------------
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function line(segments) {
    var div = el("div");
    segments.forEach(function (s) {
      if (typeof s === "string") div.appendChild(document.createTextNode(s));
      else div.appendChild(el("b", null, s.b));
    });
    return div;
  }

  function content(c) {
    var div = el("div", "rangemap-content");
    if (c.title) div.appendChild(el("div", "rangemap-head", c.title));
    (c.lines || []).forEach(function (l) { div.appendChild(line(l)); });
    if (c.rows && c.rows.length) {
      var table = el("table");
      c.rows.forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("th", null, r[0]));
        tr.appendChild(el("td", null, r[1]));
        table.appendChild(tr);
      });
      div.appendChild(table);
    }
    return div;
  }

  // A tooltip that wraps (CSS) and never leaves the map's box.
  var Tip = L.Tooltip.extend({
    _setPosition: function (pos) {
      L.Tooltip.prototype._setPosition.call(this, pos);
      var map = this._map, box = this._container;
      if (!map || !box) return;
      var frame = map.getContainer().getBoundingClientRect(), r = box.getBoundingClientRect();
      var m = 4, dx = 0, dy = 0;
      if (r.right > frame.right - m) dx = frame.right - m - r.right;
      if (r.left + dx < frame.left + m) dx = frame.left + m - r.left;
      if (r.bottom > frame.bottom - m) dy = frame.bottom - m - r.bottom;
      if (r.top + dy < frame.top + m) dy = frame.top + m - r.top;
      if (dx || dy) L.DomUtil.setPosition(box, L.DomUtil.getPosition(box).add(L.point(dx, dy)));
    }
  });

  function bind(layer, tip, popup) {
    layer.bindTooltip(new Tip({sticky: true, className: "rangemap-tip"}).setContent(function () {
      return content(typeof tip === "function" ? tip() : tip);
    }));
    if (popup) {
      layer.bindPopup(function () { return content(typeof popup === "function" ? popup() : popup); },
        {maxWidth: Math.max(200, Math.min(420, map.getSize().x - 60)), className: "rangemap-popup"});
    }
    return layer;
  }

  map.on("popupopen", function (e) {                  // a popup replaces its layer's tooltip
    var source = e.popup._source;
    if (source && source.closeTooltip) source.closeTooltip();
  });

  // --- world copies ------------------------------------------------------------------------------
  function shifted(rings, dx) {
    return rings.map(function (ring) { return ring.map(function (p) { return [p[0], p[1] + dx]; }); });
  }

  function copies(west, east) {                      // shifts that bring [west, east] into the view's range
    var out = [];
    for (var k = -3; k <= 3; k++) {
      if (east + 360 * k > WEST && west + 360 * k < EAST) out.push(360 * k);
    }
    return out;
  }

  function runs(ring, cuts) {                        // the stroked pieces of a closed ring
    var cut = {}, out = [], run = [], n = ring.length - 1;
    cuts.forEach(function (i) { cut[i] = true; });
    var start = 0;
    if (cuts.length) start = (cuts[0] + 1) % n;
    for (var j = 0; j < n; j++) {
      var i = (start + j) % n;
      if (cut[i]) { if (run.length) out.push(run); run = []; continue; }
      if (!run.length) run.push(ring[i]);
      run.push(ring[i + 1]);
    }
    if (run.length) out.push(run);
    return out;
  }

  // --- the land (Natural Earth), always there, under the tiles ----------------------------------
  var landLayer = L.featureGroup();
  (function () {
    var fill = {stroke: false, fillColor: data.style.land, fillOpacity: 1, pane: "rangemap-land",
                interactive: false};
    var borderStyle = {color: data.style.border, weight: 0.6, opacity: 1, pane: "rangemap-land",
                       interactive: false};
    var borders = [];
    land.countries.forEach(function (country, c) {
      var polygons = [];
      country.forEach(function (polygon, p) {
        var span = land.bounds[c][p];
        var base = polygon.map(function (r) {
          var n = r[0], pts = [], lat = 0, lon = 0, d = r.slice(n + 1);
          for (var i = 0; i < d.length; i += 2) { lat += d[i]; lon += d[i + 1]; pts.push([lat / 100, lon / 100]); }
          pts.push(pts[0]);
          return {pts: pts, cuts: r.slice(1, n + 1)};
        });
        copies(span[0] / 100, span[1] / 100).forEach(function (dx) {
          polygons.push(shifted(base.map(function (r) { return r.pts; }), dx));
          base.forEach(function (r) {
            Array.prototype.push.apply(borders, shifted(runs(r.pts, r.cuts), dx));
          });
        });
      });
      if (polygons.length) L.polygon(polygons, fill).addTo(landLayer);
    });
    L.polyline(borders, borderStyle).addTo(landLayer);
    var grid = {color: data.style.graticule, weight: 0.8, opacity: 0.6, pane: "rangemap-land", interactive: false};
    var lim = data.limits[1][0], lines = [];
    for (var lon = 30 * Math.floor(WEST / 30); lon <= EAST; lon += 30) lines.push([[-lim, lon], [lim, lon]]);
    [-60, -30, 0, 30, 60].forEach(function (lat) { lines.push([[lat, WEST], [lat, EAST]]); });
    L.polyline(lines, grid).addTo(landLayer);
  })();
  landLayer.addTo(map);

  var tiles = null;
  if (data.tiles) {
    tiles = L.tileLayer(data.tiles.url, {maxZoom: data.tiles.maxZoom, attribution: data.tiles.attribution,
                                         referrerPolicy: "strict-origin-when-cross-origin"}).addTo(map);
  }

  // --- layers ------------------------------------------------------------------------------------
  var groups = {};
  data.layers.forEach(function (layer) { groups[layer.id] = L.featureGroup().addTo(map); });
  var labels = [];                                   // {el, kind, group, priority, ...}

  function label(text, kind, group, priority, where) {
    var e = el("div", "rangemap-label rangemap-label-" + kind + " rangemap-hidden", text);
    labelPane.appendChild(e);
    var item = {el: e, kind: kind, group: group, priority: priority, text: text};
    for (var k in where) item[k] = where[k];
    labels.push(item);
    return item;
  }

  data.regions.forEach(function (r) {
    var group = groups[r.layer], fills = [], outlines = [];
    [-360, 0, 360]  // a region spans at most 360° around its site: three copies cover the view's range
      .forEach(function (dx) {
      r.parts.forEach(function (polygon, p) {
        fills.push(shifted(polygon, dx));
        polygon.forEach(function (ring, i) {
          Array.prototype.push.apply(outlines, shifted(runs(ring, r.cuts[p][i]), dx));
        });
      });
    });
    var tip = r.tip, popup = r.popup;
    if (r.fill) {
      bind(L.polygon(fills, {stroke: false, fillColor: r.fill.color, fillOpacity: r.fill.opacity,
                             className: "rangemap-region rangemap-" + r.kind}), tip, popup).addTo(group);
    }
    var outline = L.polyline(outlines, {color: r.line.color, weight: r.line.weight, dashArray: r.line.dash,
                                        opacity: 1, interactive: !r.fill,
                                        className: "rangemap-outline rangemap-" + r.kind});
    if (!r.fill) bind(outline, tip, popup);
    outline.addTo(group);
    if (r.label) {
      var anchors = [];
      [0, -360, 360].forEach(function (dx) {
        r.anchors.forEach(function (a) { anchors.push(L.latLng(a[0], a[1] + dx)); });
      });
      label(r.label, "ring", r.layer, 1, {anchors: anchors});
    }
  });

  data.shaded.forEach(function (s) {
    var fills = [];
    s.parts.forEach(function (polygon) {
      var lons = polygon[0].map(function (p) { return p[1]; });
      copies(Math.min.apply(null, lons), Math.max.apply(null, lons)).forEach(function (dx) {
        fills.push(shifted(polygon, dx));
      });
    });
    bind(L.polygon(fills, {color: data.style.shade, weight: 1, opacity: 0.7, fillColor: "url(#rangemap-hatch)",
                           fillOpacity: 1, className: "rangemap-shade"}), s.tip, s.tip).addTo(groups.shaded);
  });

  var M = data.layers.filter(function (l) { return l.kind === "rings"; }).length;
  data.paths.forEach(function (p) {
    var t = data.targets[p.target];
    var head = {title: p.title, lines: [[p.over]]};
    bind(L.polyline(p.latlngs, {color: "#333333", weight: 2, opacity: 0.8, dashArray: "2 5",
                                className: "rangemap-path"}), head, function () {
      return {title: p.title, lines: [[p.over]].concat(t.lines.slice(p.site * M, (p.site + 1) * M))};
    }).addTo(groups.paths);
  });

  var markers = [];
  data.sites.forEach(function (s) {
    var m = L.circleMarker([s.lat, s.lon], {radius: 6, color: "#FFFFFF", weight: 2, fillColor: "#111111",
                                            fillOpacity: 1, className: "rangemap-site"});
    bind(m, s.tip, s.popup).addTo(groups.sites);
    markers.push({marker: m, group: "sites"});
    label(s.label, "site", "sites", 0, {marker: m});
  });

  data.targets.forEach(function (t, i) {
    var m = L.circleMarker([t.lat, t.lon], {radius: 7, color: "#222222", weight: 1.5, fillColor: t.color,
                                            fillOpacity: 0.95, className: "rangemap-target"});
    bind(m, {title: t.title, lines: t.lines}, function () { return {rows: t.rows, lines: t.lines}; })
      .addTo(groups.targets);
    markers.push({marker: m, group: "targets"});
    label(t.label, "target", "targets", 2 + t.rank + i / (data.targets.length + 1), {marker: m});
  });
  labels.sort(function (a, b) { return a.priority - b.priority; });

  // --- labels: placed without overlaps ----------------------------------------------------------
  var showLabels = true;

  function overlaps(b, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var o = boxes[i];
      if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return true;
    }
    return false;
  }

  function fixedBoxes() {                            // title, legend, controls: labels stay clear of them
    var base = container.getBoundingClientRect(), out = [];
    container.querySelectorAll(".rangemap-box, .leaflet-control").forEach(function (e) {
      var r = e.getBoundingClientRect();
      if (r.width && r.height) out.push([r.left - base.left - 2, r.top - base.top - 2,
                                         r.right - base.left + 2, r.bottom - base.top + 2]);
    });
    return out;
  }

  function layout() {
    var size = map.getSize(), m = 3, boxes = fixedBoxes();
    markers.forEach(function (k) {
      if (!map.hasLayer(groups[k.group])) return;
      var p = map.latLngToContainerPoint(k.marker.getLatLng()), r = k.marker.getRadius() + 1;
      boxes.push([p.x - r, p.y - r, p.x + r, p.y + r]);
    });
    labels.forEach(function (l) {
      if (l.w === undefined) {
        l.el.classList.remove("rangemap-hidden");
        var r = l.el.getBoundingClientRect();
        l.w = Math.ceil(r.width) + 1; l.h = Math.ceil(r.height) + 1;   // a pixel of air around each label
      }
      l.el.classList.add("rangemap-hidden");
      l.shown = false;
    });
    if (!showLabels) return;
    function inside(b) { return b[0] >= m && b[1] >= m && b[2] <= size.x - m && b[3] <= size.y - m; }
    labels.forEach(function (l) {
      if (!map.hasLayer(groups[l.group])) return;
      var w = l.w, h = l.h, tries = [];
      if (l.marker) {
        var p = map.latLngToContainerPoint(l.marker.getLatLng()), r = l.marker.getRadius() + 3;
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) return;
        tries = [[p.x + r, p.y - h / 2], [p.x - r - w, p.y - h / 2], [p.x - w / 2, p.y - r - h],
                 [p.x - w / 2, p.y + r], [p.x + r - 2, p.y - r - h + 2], [p.x + r - 2, p.y + r - 2],
                 [p.x - r - w + 2, p.y - r - h + 2], [p.x - r - w + 2, p.y + r - 2]];
      } else {
        var points = l.anchors.map(function (a) { return map.latLngToContainerPoint(a); })
          .filter(function (q) { return q.x > m && q.y > m && q.x < size.x - m && q.y < size.y - m; });
        points.sort(function (a, b) { return a.y - b.y; });
        points.slice(0, 48).forEach(function (q) {
          tries.push([q.x - w / 2, q.y - h - 3], [q.x - w / 2, q.y + 3]);
        });
      }
      for (var i = 0; i < tries.length; i++) {
        var b = [tries[i][0], tries[i][1], tries[i][0] + w, tries[i][1] + h];
        if (inside(b) && !overlaps(b, boxes)) {
          boxes.push(b);
          L.DomUtil.setPosition(l.el, map.containerPointToLayerPoint([b[0], b[1]]).round());
          // the element is drawn at whole pixels: keep its box where it really is
          var at = map.layerPointToContainerPoint(L.DomUtil.getPosition(l.el));
          boxes[boxes.length - 1] = [at.x, at.y, at.x + w, at.y + h];
          l.el.classList.remove("rangemap-hidden");
          l.shown = true;
          return;
        }
      }
    });
  }

  map.on("zoomstart", function () { labelPane.classList.add("rangemap-moving"); });
  map.on("zoomend moveend resize", function () {
    labelPane.classList.remove("rangemap-moving");
    if (fitted) layout();
  });

  // --- title and legend (with the layer switches) ------------------------------------------------
  if (data.title) {
    container.appendChild(el("div", "rangemap-box rangemap-title", data.title));
  }
  var legend = el("details", "rangemap-box rangemap-legend");
  legend.appendChild(el("summary", null, "Legend"));
  function toggle(text, on, change, decorate) {
    var row = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = on;
    box.addEventListener("change", function () { change(box.checked); });
    row.appendChild(box);
    if (decorate) decorate(row);
    row.appendChild(document.createTextNode(text));
    return row;
  }
  function layerSwitch(id) {
    return function (on) {
      if (on) map.addLayer(groups[id]); else map.removeLayer(groups[id]);
      layout();
    };
  }
  data.legend.missiles.forEach(function (m) {
    var row = toggle("", true, layerSwitch(m.layer), function (r) {
      var sw = el("span", "rangemap-swatch");
      sw.style.background = m.color;
      r.appendChild(sw);
      r.appendChild(el("b", null, m.name));
    });
    row.className = "rangemap-missile";
    row.appendChild(document.createTextNode(": " + m.text));
    if (m.source) {
      row.appendChild(document.createTextNode(" "));
      row.appendChild(el("span", "rangemap-muted", "(" + m.source + ")"));
    }
    legend.appendChild(row);
  });
  data.legend.notes.forEach(function (n) { legend.appendChild(el("div", "rangemap-note", n)); });
  data.layers.forEach(function (layer) {
    if (layer.kind === "rings") return;
    legend.appendChild(toggle(layer.name, true, layerSwitch(layer.id)));
  });
  var keys = el("div", "rangemap-keys");
  data.legend.verdicts.forEach(function (v) {
    var span = el("span"), dot = el("span", "rangemap-dot");
    dot.style.background = v[1];
    span.appendChild(dot);
    span.appendChild(document.createTextNode(v[0]));
    keys.appendChild(span);
  });
  legend.appendChild(keys);
  legend.appendChild(toggle("Labels", true, function (on) { showLabels = on; layout(); }));
  if (tiles) {
    legend.appendChild(toggle("Map tiles (OpenStreetMap, needs a network)", true, function (on) {
      if (on) map.addLayer(tiles); else map.removeLayer(tiles);
    }));
  }
  legend.appendChild(el("div", "rangemap-caption", data.legend.caption));
  legend.addEventListener("toggle", function () { if (fitted) layout(); });
  L.DomEvent.disableClickPropagation(legend);
  L.DomEvent.disableScrollPropagation(legend);
  container.appendChild(legend);

  // --- the view: fit once the map has a size (an iframe may have none yet) -------------------------
  var fitted = false;
  function fit() {
    var size = map.invalidateSize(false).getSize();
    if (!(size.x && size.y)) return;
    // never zoomed out past the world copies drawn (ref ± 540°)
    map.setMinZoom(Math.max(0, Math.ceil(4 * Math.log2(size.x / (256 * (EAST - WEST) / 360))) / 4));
    if (!fitted) {
      fitted = true;
      legend.open = size.x >= 600 && size.y >= 450;  // phones: the legend starts folded
      map.fitBounds(data.fit, {padding: [24, 24], animate: false});
      map.setMaxBounds(data.limits).panInsideBounds(data.limits, {animate: false});
    }
    layout();
  }
  fit();
  if (window.ResizeObserver) {
    new ResizeObserver(fit).observe(container);
  } else {
    window.addEventListener("load", fit);
    window.addEventListener("resize", fit);
  }

  window.rangemap = {map: map, groups: groups, labels: labels, land: landLayer, tiles: tiles, layout: layout,
                     data: data};
})();
