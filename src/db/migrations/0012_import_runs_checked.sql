-- Imported rows still always belong to an import run, checked once per
-- statement instead of once per row. A foreign key checks (and locks) the run
-- for every row: on a 200,000-row police.uk file that was 40% of PostgreSQL's
-- work, though every row of a chunk names the one run made in the same
-- transaction. The check below reads the statement's new rows once; import
-- runs are the history of what came in, so they are never deleted (which the
-- foreign key also prevented while rows pointed at them).
ALTER TABLE crime_record DROP CONSTRAINT crime_record_import_id_fkey;
ALTER TABLE stop_search DROP CONSTRAINT stop_search_import_id_fkey;
ALTER TABLE ae_attendance DROP CONSTRAINT ae_attendance_import_id_fkey;

CREATE FUNCTION imported_rows_have_runs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT import_id FROM added) a WHERE NOT EXISTS (SELECT 1 FROM import_run r WHERE r.id = a.import_id)) THEN
    RAISE EXCEPTION 'rows added to % must belong to an import run', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER crime_record_has_run AFTER INSERT ON crime_record REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION imported_rows_have_runs();
CREATE TRIGGER stop_search_has_run AFTER INSERT ON stop_search REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION imported_rows_have_runs();
CREATE TRIGGER ae_attendance_has_run AFTER INSERT ON ae_attendance REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION imported_rows_have_runs();

-- One refusal for both rules below, its words given by each trigger.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;
CREATE TRIGGER import_run_no_delete BEFORE DELETE ON import_run
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('import runs are kept: the rows they brought in name them');

-- Nor does an imported row ever move to another run.
CREATE TRIGGER crime_record_run_fixed BEFORE UPDATE OF import_id ON crime_record
  FOR EACH ROW EXECUTE FUNCTION refuse_change('an imported row stays with the import run that brought it in');
CREATE TRIGGER stop_search_run_fixed BEFORE UPDATE OF import_id ON stop_search
  FOR EACH ROW EXECUTE FUNCTION refuse_change('an imported row stays with the import run that brought it in');
CREATE TRIGGER ae_attendance_run_fixed BEFORE UPDATE OF import_id ON ae_attendance
  FOR EACH ROW EXECUTE FUNCTION refuse_change('an imported row stays with the import run that brought it in');
