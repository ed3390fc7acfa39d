-- Schema version 4: which imports a model version's stored scores cover (the highest finished
-- import_batch.id when its events were read for scoring; NULL: no stored scores, or unknown). A version
-- whose stored scores cover the newest import is activated without re-scoring (rollback).
ALTER TABLE model ADD COLUMN scores_through_import INT;
