-- The kept report: one table per section (report.<section>, rows in `_position` order) and this
-- index of what each was computed from.
CREATE SCHEMA IF NOT EXISTS report;

CREATE TABLE IF NOT EXISTS report.sections (
    section     VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,  -- the warehouse state, `top` and report code it was computed from
    top         INTEGER NOT NULL,
    computed_at TIMESTAMP NOT NULL,  -- UTC
    seconds     DOUBLE NOT NULL      -- what computing it took, beyond the relations sections share
);
