// Every incident at one address, or along one street: ArcGIS's rule of thumb
// gives a radius of 0, so there is no density surface to draw. The hot spots
// page leaves it out (it failed with a server error before) unless the analyst
// gives a radius.
import { describe, expect, it } from 'vitest';
import { densitySurface } from '../../src/modules/hotspots/density.ts';
import { boroughsOnGrid } from '../../src/analysis/geography.ts';

const area = boroughsOnGrid().filter((b) => b.name === 'Waltham Forest');
const at = (x: number, y: number) => ({ x, y });

describe('a density surface of points with no spread', () => {
  it('is left out for points all in one place or on one line, and drawn when they spread or the radius is given', () => {
    expect(densitySurface([at(537_500, 189_500), at(537_500, 189_500), at(537_500, 189_500)], area, {})).toBeNull();
    expect(densitySurface([at(537_500, 189_500), at(537_600, 189_600), at(537_700, 189_700)], area, {})).toBeNull();
    expect(densitySurface([at(537_500, 189_500), at(537_600, 189_600), at(537_700, 189_650)], area, {})).not.toBeNull();
    expect(densitySurface([at(537_500, 189_500), at(537_500, 189_500)], area, { radius: 300 })).not.toBeNull();
  });
});
