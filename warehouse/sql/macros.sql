-- Helpers for reading JSON values of unknown type without failing: a wrong type gives NULL here,
-- and the matching *_flag macro names the problem so the row is flagged instead of lost.
CREATE OR REPLACE TEMP MACRO json_int(j) AS
    CASE WHEN json_type(j) IN ('UBIGINT', 'BIGINT') THEN TRY_CAST(j ->> '$' AS BIGINT) END;
CREATE OR REPLACE TEMP MACRO json_num(j) AS
    CASE WHEN json_type(j) IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN TRY_CAST(j ->> '$' AS DOUBLE) END;
CREATE OR REPLACE TEMP MACRO json_str(j) AS
    CASE WHEN json_type(j) = 'VARCHAR' THEN j ->> '$' END;
CREATE OR REPLACE TEMP MACRO json_bool(j) AS
    CASE WHEN json_type(j) = 'BOOLEAN' THEN (j ->> '$') = 'true' END;
-- Timestamps arrive as ISO-8601 text with a zone ('...Z'); stored as UTC TIMESTAMP.
CREATE OR REPLACE TEMP MACRO json_ts(j) AS
    CASE WHEN json_type(j) = 'VARCHAR' THEN TRY_CAST(j ->> '$' AS TIMESTAMPTZ)::TIMESTAMP END;

-- 'bad_type:<name>' when a value is present but could not be read as its column's type.
CREATE OR REPLACE TEMP MACRO bad_type_flag(j, typed, name) AS
    CASE WHEN j IS NOT NULL AND json_type(j) <> 'NULL' AND typed IS NULL THEN 'bad_type:' || name END;
-- 'missing:<name>' for fields every Hub record carries when it was asked for.
CREATE OR REPLACE TEMP MACRO missing_flag(j, name) AS
    CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN 'missing:' || name END;
