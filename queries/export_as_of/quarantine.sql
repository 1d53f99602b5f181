-- Records quarantined by the moment.
SELECT * FROM quarantine
WHERE fetched_at <= $as_of
