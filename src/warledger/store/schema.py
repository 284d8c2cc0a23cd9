"""The store's schema as numbered migrations: version N's statements bring a store from N-1 to N.

Scalar columns exist for filtering and sorting; `data` holds the whole model as JSON, so the model can
grow without a migration for every field.
"""

MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        """CREATE TABLE IF NOT EXISTS documents (
            doc_id VARCHAR PRIMARY KEY,
            content_hash VARCHAR UNIQUE,
            url VARCHAR, outlet VARCHAR, published DATE, published_inferred BOOLEAN DEFAULT FALSE,
            title VARCHAR, language VARCHAR, source_path VARCHAR, copy_group VARCHAR,
            text VARCHAR, raw_text VARCHAR,
            extracted_version VARCHAR, skipped_reason VARCHAR,
            stored_at TIMESTAMP DEFAULT current_timestamp)""",
        """CREATE TABLE IF NOT EXISTS reports (
            report_id VARCHAR PRIMARY KEY, doc_id VARCHAR, kind VARCHAR, sub_event_type VARCHAR,
            statement_type VARCHAR, date DATE, stance VARCHAR, claimant_side VARCHAR, confidence DOUBLE,
            event_id VARCHAR, data JSON)""",
        "CREATE INDEX IF NOT EXISTS reports_doc ON reports (doc_id)",
        """CREATE TABLE IF NOT EXISTS events (
            event_id VARCHAR PRIMARY KEY, kind VARCHAR, event_type VARCHAR, sub_event_type VARCHAR, date DATE,
            country VARCHAR, place VARCHAR, lat DOUBLE, lon DOUBLE, killed_best INTEGER, wounded_best INTEGER,
            independent_sources INTEGER, contested BOOLEAN, data JSON)""",
        "CREATE TABLE IF NOT EXISTS tally_series (series_id VARCHAR PRIMARY KEY, data JSON)",
        "CREATE TABLE IF NOT EXISTS copy_groups (group_id VARCHAR PRIMARY KEY, data JSON)",
        """CREATE TABLE IF NOT EXISTS skipped_inputs (
            source VARCHAR, reason VARCHAR, logged_at TIMESTAMP DEFAULT current_timestamp)""",
    ],
    # 2: a document whose extraction failed is marked failed (stage, "Type: message", extractor version), so
    # a run goes on and `watch` does not retry it on every pass; skips record the stage they happened at.
    2: [
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS failed_stage VARCHAR",
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS failed_error VARCHAR",
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS failed_version VARCHAR",
        "ALTER TABLE skipped_inputs ADD COLUMN IF NOT EXISTS stage VARCHAR",
    ],
}

SCHEMA_VERSION = max(MIGRATIONS)
