-- The legacy cohort, one rule for every analysis: the models the Hub stored before it recorded
-- creation dates carry, as createdAt, the moment of the Hub's migration in which they got their
-- ObjectId `_id` (the ObjectId's timestamp): 2022-03-02T23:29:04Z (`_id` 621ffdc0...) or
-- 23:29:05Z (621ffdc1...) in the real bodies (5 and 18 of 23), so not one value but the
-- migration's two seconds. Those models were created at any time before March 2022: a growth
-- analysis counts them apart, never as March 2022. NULL (not legacy) when created_at is NULL.
CREATE MACRO is_legacy_cohort(created_at) AS
    created_at >= TIMESTAMP '2022-03-02 23:29:04' AND created_at < TIMESTAMP '2022-03-02 23:29:06';
