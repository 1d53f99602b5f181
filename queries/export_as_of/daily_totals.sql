-- Downloads gained per crawled day, up to the day of the moment.
SELECT * FROM daily_totals
WHERE day <= CAST($as_of AS DATE)
