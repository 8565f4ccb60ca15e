/*
 * rangemap: the verdict rule in the browser, the same as geo.analysis.assessment.verdict_codes.
 *
 *   rangemapVerdict.code(distanceKm, certainKm, maxKm, minRangeKm) -> 0, 1, 2 or 3
 *
 * The code indexes the verdicts in their order: in range, possibly in range, out of range, too
 * close. certainKm is the reach every source agrees on, maxKm the band's top (equal to
 * certainKm without a band), minRangeKm null (or NaN) where no minimum range is known. A reach
 * of UNBOUNDED_KM or more is unbounded (near orbital): a target is then in range as far as the
 * missile's own shots cover the ground (NEAR_ORBITAL_KM) and possibly in range beyond.
 * tests/vectors/verdicts_and_rings.json holds the cases both implementations are checked on.
 */
(function (root) {
  "use strict";

  var UNBOUNDED_KM = 19500.0;                       // geo.analysis.regions.UNBOUNDED_KM
  var NEAR_ORBITAL_KM = Math.PI * 6371.0088 - 1000.0; // geo.analysis.regions.NEAR_ORBITAL_KM

  function code(d, certain, high, low) {
    var c = 2;
    if (d <= high || high >= UNBOUNDED_KM) c = 1;
    if (d <= certain && (certain < UNBOUNDED_KM || d <= NEAR_ORBITAL_KM)) c = 0;
    if (low !== null && low !== undefined && !isNaN(low) && d < low) c = 3;
    return c;
  }

  root.rangemapVerdict = {code: code, UNBOUNDED_KM: UNBOUNDED_KM, NEAR_ORBITAL_KM: NEAR_ORBITAL_KM};
})(this);
