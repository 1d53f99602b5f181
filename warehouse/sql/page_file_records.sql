-- How many elements the body in file $path holds (json_array_length), NULL if it is not a complete
-- JSON array; no row if read_text found no file. Valid JSON that starts with `[` is an array.
SELECT CASE WHEN regexp_matches(content, '^[ \t\r\n]*\[') THEN TRY(json_array_length(content)) END
FROM read_text($path)
