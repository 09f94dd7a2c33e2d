-- LSOA boundaries (issue 6, item 2: counts by LSOA as a choropleth). They are
-- not among the reference data Reachable ships with, so an analyst loads the
-- ONS file (GeoJSON from the Open Geography Portal) once per census. Kept as
-- given, in longitude and latitude for the map, and projected at import to the
-- British National Grid for counting, so analysis never reprojects. A code is
-- one boundary: loading the same file again adds nothing.
ALTER TABLE import_run DROP CONSTRAINT import_run_kind_check;
ALTER TABLE import_run ADD CONSTRAINT import_run_kind_check CHECK (kind IN ('police_street', 'stop_search', 'istv', 'lsoa_boundaries'));

CREATE TABLE lsoa_boundary (
  code text PRIMARY KEY CHECK (code ~ '^[EW]01[0-9]{6}$'),
  name text NOT NULL,
  -- MultiPolygon coordinates in longitude and latitude (outer ring first, then holes), for the map.
  outline jsonb NOT NULL,
  -- The same rings in British National Grid metres, for counting.
  grid jsonb NOT NULL,
  min_easting double precision NOT NULL,
  min_northing double precision NOT NULL,
  max_easting double precision NOT NULL,
  max_northing double precision NOT NULL,
  import_id uuid NOT NULL
);
CREATE TRIGGER lsoa_boundary_has_run AFTER INSERT ON lsoa_boundary REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION imported_rows_have_runs();
CREATE TRIGGER lsoa_boundary_run_fixed BEFORE UPDATE OF import_id ON lsoa_boundary
  FOR EACH ROW EXECUTE FUNCTION refuse_change('an imported row stays with the import run that brought it in');
