import { describe, expect, it } from 'vitest';
import { boroughAt, londonBoroughs, toBritishNationalGrid } from '../../src/analysis/geography.ts';

describe('British National Grid', () => {
  // Ordnance Survey, "A guide to coordinate systems in Great Britain", worked example (Caister water tower):
  // ETRS89 52°39′28.8282″N 1°42′57.8663″E is National Grid 651409.903 E, 313177.270 N (OSTN15).
  it('agrees with the Ordnance Survey worked example to within the Helmert approximation (5 m)', () => {
    const lat = 52 + 39 / 60 + 28.8282 / 3600;
    const lon = 1 + 42 / 60 + 57.8663 / 3600;
    const { easting, northing } = toBritishNationalGrid(lon, lat);
    expect(Math.abs(easting - 651409.903)).toBeLessThan(5);
    expect(Math.abs(northing - 313177.27)).toBeLessThan(5);
  });
});

describe('boroughs', () => {
  it('has the 33 London local authorities', () => {
    expect(londonBoroughs()).toHaveLength(33);
  });
  it('finds the borough holding a point', () => {
    expect(boroughAt(-0.0199, 51.583)?.name).toBe('Waltham Forest'); // Walthamstow Central
    expect(boroughAt(-0.1276, 51.5072)?.name).toBe('Westminster'); // Trafalgar Square
    expect(boroughAt(-0.0553, 51.545)?.name).toBe('Hackney'); // Mare Street
    expect(boroughAt(-0.0911, 51.5138)?.name).toBe('City of London'); // Bank
    expect(boroughAt(-1.2577, 51.752)).toBeNull(); // Oxford
  });
});
