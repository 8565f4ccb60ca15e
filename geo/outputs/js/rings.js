/*
 * rangemap: exact range rings on WGS84 in the browser.
 *
 * The same rules as geo.core.rings (Python): read that module's docstrings for the
 * reasoning. Karney's geodesic algorithms come from GeographicLib (the npm package
 * geographiclib-geodesic, vendored under geo/outputs/web/vendor/), loaded before this file
 * as the global `geodesic`.
 *
 *   rangemapRings.ring(lat, lon, km, box) -> {parts, curve, turn, kind}
 *
 * parts: the region as a list of polygons, each a list of rings of [lon, lat] points
 *   (not closed), inside `box` = [xmin, ymin, xmax, ymax]; the display box of a web map is
 *   [lon - 180, -85.0511, lon + 180, 85.0511] (displayBox), RFC 7946's is [-180, -90, 180, 90].
 *   A region wider than a quarter of the globe that contains both poles is the box with
 *   holes (the cap around the antipode); fill it with the even-odd rule.
 * curve: the sampled circle itself, longitudes unwrapped ([lon, lat] points, closed when
 *   turn is 0; when turn is +-1 the curve winds once around a pole and the next copy
 *   continues it 360 degrees on).
 *
 * Rules kept (see geo.core.rings.display_ring): every vertex of the curve lies on the
 * geodesic circle; vertices are added until every point of every straight lon/lat edge
 * lies within 1 km of the circle; longitudes are unwrapped around the site (one shape
 * across the antimeridian); a ring containing a pole is closed along the pole, clamped at
 * the box's latitude limit; a ring wider than a quarter of the globe is everything but a
 * cap around the antipode; past 19,500 km the circle is traced from the antipode (geodesics
 * from the site pass their cut locus there); from half a meridian on it is the whole box.
 */
(function (root) {
  "use strict";

  var Geodesic = root.geodesic.Geodesic;
  var geod = Geodesic.WGS84;
  var DIST = Geodesic.DISTANCE, LATLON = Geodesic.LATITUDE | Geodesic.LONGITUDE;

  var MERCATOR_LAT_LIMIT = 85.0511287798066;
  var TOLERANCE_KM = 1.0;
  var AIM_KM = 0.8 * TOLERANCE_KM;       // the checks sit at eighths of each edge: aim a little lower
  var MIN_VERTICES = 36;
  var MAX_ROUNDS = 40;
  var ANTIPODAL_KM = 19500.0;
  var HALF_MERIDIAN_KM = geod.Inverse(90, 0, -90, 0, DIST).s12 / 1000.0;

  function wrap(deg) {                    // to [-180, 180), as numpy's mod does
    return ((deg + 180.0) % 360.0 + 360.0) % 360.0 - 180.0;
  }

  function displayBox(lon, latLimit) {
    var lim = latLimit === undefined ? MERCATOR_LAT_LIMIT : latLimit;
    return [lon - 180.0, -lim, lon + 180.0, lim];
  }

  // --- tracing the circle ---------------------------------------------------------

  function fromSite(lat, lon, km) {
    var m = km * 1000.0;
    return function (t) {
      var p = geod.Direct(lat, lon, 360.0 * t, m, LATLON);
      return [p.lon2, p.lat2];
    };
  }

  function fromAntipode(lat, lon, km) {
    // Along each ray leaving the antipode, bisect for the point whose shortest distance
    // from the site is `km` (48 halvings of at most 1,300 km: far below a micrometre).
    var alat = -lat, alon = lon > 0 ? lon - 180.0 : lon + 180.0;
    var outer = 2.0 * (HALF_MERIDIAN_KM - km) + 300.0;
    return function (t) {
      var line = geod.Line(alat, alon, 360.0 * t, LATLON | Geodesic.DISTANCE_IN);
      var lo = 0.0, hi = outer, p, i;
      for (i = 0; i < 48; i++) {
        var mid = 0.5 * (lo + hi);
        p = line.Position(mid * 1000.0, LATLON);
        if (geod.Inverse(lat, lon, p.lat2, p.lon2, DIST).s12 / 1000.0 > km) lo = mid; else hi = mid;
      }
      p = line.Position(0.5 * (lo + hi) * 1000.0, LATLON);
      return [p.lon2, p.lat2];
    };
  }

  function deviation(lat, lon, km) {
    return function (plon, plat) {
      return Math.abs(geod.Inverse(lat, lon, plat, plon, DIST).s12 / 1000.0 - km);
    };
  }

  // Adaptive sampling, as geo.core.rings._sample: check each edge at its eighths and split
  // each failing edge into as many equal parts (in the curve's parameter) as its deviation
  // asks for. An edge that passed is never checked again (it would pass again).
  function sample(boundary, dev) {
    var verts = [], i, k;
    for (i = 0; i < MIN_VERTICES; i++) {
      var t0 = i / MIN_VERTICES, p0 = boundary(t0);
      verts.push({t: t0, lon: p0[0], lat: p0[1], ok: false});
    }
    for (var round = 0; round < MAX_ROUNDS; round++) {
      var next = [], split = false, n = verts.length;
      for (i = 0; i < n; i++) {
        var a = verts[i], b = verts[(i + 1) % n];
        next.push(a);
        if (a.ok) continue;
        var dlon = wrap(b.lon - a.lon), dlat = b.lat - a.lat, worst = 0.0;
        for (k = 1; k < 8; k++) {
          var f = k / 8.0;
          worst = Math.max(worst, dev(wrap(a.lon + f * dlon), a.lat + f * dlat));
        }
        if (!(worst > AIM_KM)) { a.ok = true; continue; }
        split = true;
        var parts = Math.min(64, Math.max(2, Math.ceil(Math.sqrt(worst / AIM_KM) * 1.05)));
        var tEnd = i + 1 < n ? b.t : 1.0;
        for (k = 1; k < parts; k++) {
          var t = a.t + (tEnd - a.t) * k / parts, p = boundary(t);
          next.push({t: t, lon: p[0], lat: p[1], ok: false});
        }
      }
      verts = next;
      if (!split) break;
    }
    return verts;
  }

  // --- from the closed curve to a region in a lon/lat box -------------------------

  function poleMargin(lat, lon, poleLat, km) {
    return km - geod.Inverse(lat, lon, poleLat, lon, DIST).s12 / 1000.0;
  }

  // Sutherland-Hodgman clipping of one ring to the box. The clipped ring may run back
  // along a box edge over itself (zero area): harmless for filling.
  function clipRing(pts, box) {
    var edges = [[0, box[0], 1], [0, box[2], -1], [1, box[1], 1], [1, box[3], -1]];
    for (var e = 0; e < 4 && pts.length; e++) {
      var axis = edges[e][0], v = edges[e][1], s = edges[e][2], out = [];
      for (var i = 0; i < pts.length; i++) {
        var a = pts[i], b = pts[(i + 1) % pts.length];
        var ina = s * (a[axis] - v) >= 0, inb = s * (b[axis] - v) >= 0;
        if (ina) out.push(a);
        if (ina !== inb) {
          var f = (v - a[axis]) / (b[axis] - a[axis]);
          var q = axis === 0 ? [v, a[1] + f * (b[1] - a[1])] : [a[0] + f * (b[0] - a[0]), v];
          out.push(q);
        }
      }
      pts = out;
    }
    return tidy(pts, box);
  }

  function tidy(pts, box) {              // snap to the box edges, drop repeated points
    var out = [];
    pts.forEach(function (p) {
      var x = p[0], y = p[1];
      if (Math.abs(x - box[0]) < 1e-9) x = box[0]; else if (Math.abs(x - box[2]) < 1e-9) x = box[2];
      if (Math.abs(y - box[1]) < 1e-9) y = box[1]; else if (Math.abs(y - box[3]) < 1e-9) y = box[3];
      x = Math.min(Math.max(x, box[0]), box[2]);
      y = Math.min(Math.max(y, box[1]), box[3]);
      var last = out[out.length - 1];
      if (!last || Math.abs(last[0] - x) > 1e-9 || Math.abs(last[1] - y) > 1e-9) out.push([x, y]);
    });
    while (out.length > 1 && Math.abs(out[0][0] - out[out.length - 1][0]) <= 1e-9 &&
           Math.abs(out[0][1] - out[out.length - 1][1]) <= 1e-9) out.pop();
    return Math.abs(signedArea(out)) > 1e-12 ? out : [];
  }

  function signedArea(pts) {
    var s = 0.0;
    for (var i = 0, n = pts.length; i < n; i++) {
      var a = pts[i], b = pts[(i + 1) % n];
      s += a[0] * b[1] - b[0] * a[1];
    }
    return s / 2.0;
  }

  function oriented(pts, ccw) {          // RFC 7946: exteriors counter-clockwise, holes clockwise
    return (signedArea(pts) > 0) === ccw ? pts : pts.slice().reverse();
  }

  function shifted(pts, dx) {
    return pts.map(function (p) { return [p[0] + dx, p[1]]; });
  }

  function boxRing(box) {
    return [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]];
  }

  function copiesIn(pts, box) {          // the ring and its copies every 360 degrees, clipped
    var lo = Infinity, hi = -Infinity, out = [];
    pts.forEach(function (p) { lo = Math.min(lo, p[0]); hi = Math.max(hi, p[0]); });
    for (var k = Math.floor((box[0] - hi) / 360.0); k <= Math.ceil((box[2] - lo) / 360.0); k++) {
      var part = clipRing(shifted(pts, 360.0 * k), box);
      if (part.length) out.push(part);
    }
    return out;
  }

  function ring(lat, lon, km, box) {
    box = box || displayBox(lon);
    if (!(km > 0) || !isFinite(km)) throw new RangeError("range " + km + " km must be a positive number of kilometres");
    if (!(Math.abs(lat) <= 90)) throw new RangeError("site latitude " + lat + " is outside [-90, 90]");
    if (!(Math.abs(lon) <= 180)) throw new RangeError("site longitude " + lon + " is outside [-180, 180]");
    if (km >= HALF_MERIDIAN_KM) {
      return {parts: [[boxRing(box)]], curve: [], turn: 0, kind: "globe"};
    }
    var boundary = km > ANTIPODAL_KM ? fromAntipode(lat, lon, km) : fromSite(lat, lon, km);
    var verts = sample(boundary, deviation(lat, lon, km));

    // Lift to continuous longitudes, starting within 180 degrees of the site.
    var curve = [], u = lon + wrap(verts[0].lon - lon), total = 0.0, i;
    for (i = 0; i < verts.length; i++) {
      if (i) {
        var step = wrap(verts[i].lon - verts[i - 1].lon);
        u += step;
        total += step;
      }
      curve.push([u, verts[i].lat]);
    }
    total += wrap(verts[0].lon - verts[verts.length - 1].lon);
    var turn = Math.round(total / 360.0);
    var north = poleMargin(lat, lon, 90.0, km) >= 0, south = poleMargin(lat, lon, -90.0, km) >= 0;
    var parts, kind;

    if (turn === 0) {
      var copies = copiesIn(curve, box).map(function (p) { return oriented(p, true); });
      if (north && south) {              // the curve bounds a cap around the antipode: the rest
        parts = [[boxRing(box)].concat(copies.map(function (p) { return oriented(p, false); }))];
        kind = "beyond a quarter";
      } else {
        parts = copies.map(function (p) { return [p]; });
        kind = "circle";
      }
    } else {
      if (north === south) {             // numerically through a pole: take the nearer side
        north = poleMargin(lat, lon, 90.0, km) > poleMargin(lat, lon, -90.0, km);
      }
      var period = 360.0 * turn, pts = [], k;
      for (k = -3; k <= 3; k++) {        // seven copies joined up span far more than any box
        Array.prototype.push.apply(pts, shifted(curve, period * k));
      }
      var pole = north ? 90.0 : -90.0;
      pts.push([pts[pts.length - 1][0], pole], [pts[0][0], pole]);
      var cap = clipRing(pts, box);
      parts = cap.length ? [[oriented(cap, true)]] : [];
      kind = north ? "north pole cap" : "south pole cap";
    }
    return {parts: parts, curve: curve, turn: turn, kind: kind};
  }

  // --- holes: a region less another inside it (the antipodal cap, a minimum range) -----
  //
  // subtract(region, holes, box): `region` is a list of polygons (lists of rings) inside `box`,
  // `holes` a list of rings lying inside it (each within one polygon). A hole clear of the box's
  // edges becomes an interior ring of the polygon holding it; a hole cut by an edge of the box
  // (at the antimeridian, the pole, Mercator's limit) becomes a notch in that polygon's outer
  // ring, so that no hole touches its shell: valid simple features (OGC, RFC 7946).

  function onLine(p, axis, v) { return p[axis] === v; }

  function boxLines(box) { return [[0, box[0]], [0, box[2]], [1, box[1]], [1, box[3]]]; }

  function insideRing(pt, ring) {                // even-odd test of a point against one ring
    var x = pt[0], y = pt[1], inside = false;
    for (var i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a[1] > y) !== (b[1] > y) && x < a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])) inside = !inside;
    }
    return inside;
  }

  function touching(h, box) {                    // the box line along which the hole lies longest
    var best = null, bestLen = 0;
    boxLines(box).forEach(function (line) {
      var axis = line[0], v = line[1], other = 1 - axis, lo = Infinity, hi = -Infinity, count = 0;
      h.forEach(function (p) {
        if (onLine(p, axis, v)) { count++; lo = Math.min(lo, p[other]); hi = Math.max(hi, p[other]); }
      });
      if (count >= 2 && hi - lo > bestLen) { best = line; bestLen = hi - lo; }
    });
    return best;
  }

  function arcOff(h, axis, v) {                  // the hole's boundary off the line, line point to line point
    var n = h.length, k = 0;
    while (k < n && !(onLine(h[k], axis, v) && !onLine(h[(k + 1) % n], axis, v))) k++;
    var out = [h[k]], j = (k + 1) % n;
    while (!onLine(h[j], axis, v)) { out.push(h[j]); j = (j + 1) % n; }
    out.push(h[j]);
    return out;
  }

  function despike(ring) {                       // drop vertices where the outline runs back on itself
    var changed = true;
    while (changed && ring.length > 3) {
      changed = false;
      for (var i = 0; i < ring.length; i++) {
        var a = ring[(i + ring.length - 1) % ring.length], b = ring[i], c = ring[(i + 1) % ring.length];
        var cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
        var dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]);
        var same = Math.abs(a[0] - b[0]) < 1e-12 && Math.abs(a[1] - b[1]) < 1e-12;
        if (same || (Math.abs(cross) < 1e-12 && dot <= 0)) { ring.splice(i, 1); changed = true; break; }
      }
    }
    return ring;
  }

  function splice(shell, h, line) {              // notch the hole into the shell where both run along `line`
    var axis = line[0], v = line[1], other = 1 - axis, arc = arcOff(h, axis, v);
    var c0 = arc[0][other], c1 = arc[arc.length - 1][other], lo = Math.min(c0, c1), hi = Math.max(c0, c1);
    for (var i = 0; i < shell.length; i++) {
      var a = shell[i], b = shell[(i + 1) % shell.length];
      if (!onLine(a, axis, v) || !onLine(b, axis, v)) continue;
      var alo = Math.min(a[other], b[other]), ahi = Math.max(a[other], b[other]);
      if (alo - 1e-12 > lo || ahi + 1e-12 < hi) continue;
      if (Math.abs(arc[0][other] - a[other]) > Math.abs(arc[arc.length - 1][other] - a[other])) arc = arc.reverse();
      return despike(shell.slice(0, i + 1).concat(arc, shell.slice(i + 1)));
    }
    return null;
  }

  function subtract(region, holes, box) {
    var polys = region.map(function (poly) { return poly.map(function (r) { return r.slice(); }); });
    holes.forEach(function (h) {
      var probe = h.filter(function (p) {
        return p[0] !== box[0] && p[0] !== box[2] && p[1] !== box[1] && p[1] !== box[3];
      });
      var pt = probe.length ? probe[Math.floor(probe.length / 2)] : h[0];
      var poly = polys.filter(function (pl) { return insideRing(pt, pl[0]); })[0] || polys[0];
      if (!poly) return;
      var line = touching(h, box), notched = line ? splice(poly[0], h, line) : null;
      if (notched) poly[0] = notched; else poly.push(h);
    });
    return polys.map(function (poly) {
      return [oriented(tidy(poly[0], box), true)].concat(poly.slice(1).map(function (r) { return oriented(r, false); }));
    }).filter(function (poly) { return poly[0].length >= 3; });
  }

  // A region "beyond a quarter" (the box with holes) as valid simple features.
  function notched(region, box) {
    return subtract([[region[0]]], region.slice(1), box)[0];
  }

  root.rangemapRings = {
    notched: notched,
    subtract: subtract,
    ring: ring,
    displayBox: displayBox,
    wrap: wrap,
    clipRing: clipRing,
    MERCATOR_LAT_LIMIT: MERCATOR_LAT_LIMIT,
    HALF_MERIDIAN_KM: HALF_MERIDIAN_KM,
    TOLERANCE_KM: TOLERANCE_KM,
    ANTIPODAL_KM: ANTIPODAL_KM
  };
})(this);
