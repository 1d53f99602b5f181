-- How many elements a page's body (`content`) holds, NULL if it is not a complete JSON array:
-- the one check for staging and for the client's refetch, so a page fetched again for failing it
-- passes it. Valid JSON that starts with `[` is an array.
SELECT CASE WHEN regexp_matches(content, '^[ \t\r\n]*\[') THEN TRY(json_array_length(content)) END
