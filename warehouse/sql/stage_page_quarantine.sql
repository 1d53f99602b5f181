-- Records of the parsed page that cannot become a model row, kept raw with the reason.
INSERT INTO staged_quarantine
SELECT $page_no, $fetched_at, quarantine_reason, raw
FROM page_rows
WHERE quarantine_reason IS NOT NULL
  AND NOT is_private
