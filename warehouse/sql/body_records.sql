-- array_length.sql of a body passed as $body.
-- include: array_length
FROM (SELECT $body AS content)
