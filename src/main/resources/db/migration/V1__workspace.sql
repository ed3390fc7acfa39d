-- Seqwatch workspace schema, version 1. Change only through new migrations.
-- Note: no "IN (...)" in CHECK constraints: H2 2.4.240 evaluates them with the (closed) session that created them.

CREATE TABLE workspace_meta (
    k VARCHAR(64) PRIMARY KEY,
    v VARCHAR(4096)
);
INSERT INTO workspace_meta (k, v) VALUES ('application', 'seqwatch');

-- One row per import. Events of an import have contiguous ids [first_event_id, last_event_id].
-- status RUNNING means "not finished": such imports are invisible and removed when the workspace opens.
CREATE TABLE import_batch (
    id              INT PRIMARY KEY,
    source_name     VARCHAR(4096) NOT NULL,
    sha256          CHAR(64) NOT NULL,
    format          VARCHAR(16) NOT NULL,
    mapping         VARCHAR(4096),
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    first_event_id  BIGINT,
    last_event_id   BIGINT,
    rows_read       BIGINT DEFAULT 0 NOT NULL,
    rows_stored     BIGINT DEFAULT 0 NOT NULL,
    rows_rejected   BIGINT DEFAULT 0 NOT NULL,
    rows_duplicate  BIGINT DEFAULT 0 NOT NULL,
    forced          BOOLEAN DEFAULT FALSE NOT NULL,
    status          VARCHAR(16) NOT NULL CHECK (status = 'RUNNING' OR status = 'DONE')
);
CREATE INDEX import_batch_sha ON import_batch (sha256);

-- ts: epoch milliseconds UTC; amount NULL when the log had none.
CREATE TABLE event (
    id          BIGINT PRIMARY KEY,
    import_id   INT NOT NULL,
    user_id     VARCHAR(256) NOT NULL,
    ts          BIGINT NOT NULL,
    action      VARCHAR(128) NOT NULL,
    item_id     VARCHAR(256),
    category_id VARCHAR(256),
    amount      DOUBLE PRECISION
);
CREATE INDEX event_user_ts ON event (user_id, ts);

CREATE TABLE rejected_row (
    import_id INT NOT NULL,
    line_no   BIGINT NOT NULL,
    reason    VARCHAR(1024) NOT NULL,
    raw       VARCHAR(2048)
);
CREATE INDEX rejected_row_import ON rejected_row (import_id, line_no);

-- Append-only audit trail: the current label of a user is its latest row; supersedes names the row it replaced.
CREATE TABLE label (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id     VARCHAR(256) NOT NULL,
    label       VARCHAR(8) NOT NULL CHECK (label = 'normal' OR label = 'fraud'),
    fraud_type  VARCHAR(64),
    note        VARCHAR(4096),
    analyst     VARCHAR(256) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    supersedes  BIGINT
);
CREATE INDEX label_user ON label (user_id, id);
CREATE TRIGGER label_append_only BEFORE UPDATE, DELETE ON label FOR EACH ROW CALL 'dev.seqwatch.store.AppendOnlyTrigger';

CREATE TABLE model (
    id              INT AUTO_INCREMENT PRIMARY KEY,
    detector        VARCHAR(64) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    params_json     CHARACTER LARGE OBJECT,
    trained_on_json CHARACTER LARGE OBJECT,
    metrics_json    CHARACTER LARGE OBJECT,
    file            BINARY LARGE OBJECT NOT NULL,
    active          BOOLEAN DEFAULT FALSE NOT NULL
);

CREATE TABLE user_score (
    model_id INT NOT NULL,
    user_id  VARCHAR(256) NOT NULL,
    score    DOUBLE PRECISION NOT NULL,
    rank     INT NOT NULL,
    PRIMARY KEY (model_id, user_id)
);
CREATE INDEX user_score_rank ON user_score (model_id, rank);

-- expected: the model's top-k expected tokens, comma separated (short enough to keep inline)
CREATE TABLE step_score (
    model_id INT NOT NULL,
    event_id BIGINT NOT NULL,
    score    DOUBLE PRECISION,
    expected VARCHAR(512),
    PRIMARY KEY (model_id, event_id)
);
