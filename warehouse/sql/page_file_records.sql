-- array_length.sql of the body in file $path; no row if read_text found no file.
-- include: array_length
FROM read_text($path)
