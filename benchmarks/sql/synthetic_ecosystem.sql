-- A synthetic ecosystem of $models models, $datasets datasets and $spaces Spaces, written straight
-- into the tables (no crawl): the shapes the new analyses read, at the Hub's proportions. Models
-- declare datasets (a `dataset:` tag for 8 %, cardData.datasets for 6 %, some misspelled), Spaces
-- declare 0-3 models (a tenth of them not in the mirror) and datasets; licenses from a small mix
-- that includes non-commercial ones on both sides, so that the conflict analysis has work to do.
INSERT INTO models_stored (id, author, created_at, downloads, likes, license, license_key, tags, card_datasets,
                    raw, first_seen, last_seen)
SELECT
    'org' || (i % 60000) || '/model-' || i,
    'org' || (i % 60000),
    CASE WHEN i % 20 = 0 THEN $legacy
         ELSE TIMESTAMP '2022-04-01' + to_seconds((hash(i) % 140000000)::BIGINT) END,
    CASE WHEN i % 100 = 0 THEN (hash(i) % 1000000)::BIGINT ELSE (hash(i) % 100)::BIGINT END,
    (hash(i + 1) % 50)::BIGINT,
    ['mit', 'apache-2.0', 'cc-by-nc-4.0', 'llama3', NULL, 'openrail', 'other', NULL][1 + i % 8],
    ['mit', 'apache-2.0', 'cc-by-nc-4.0', 'llama3', NULL, 'openrail', 'other', NULL][1 + i % 8],
    ['transformers', 'license:x', 'region:us', 'pytorch', 'text-generation', 'en']
        || CASE WHEN i % 12 = 0 THEN ['dataset:org' || (hash(i) % $datasets % 40000) || '/ds-' || (hash(i) % $datasets)] ELSE [] END,
    CASE WHEN i % 17 = 0 THEN ['org' || (hash(i) % $datasets % 40000) || '/ds-' || (hash(i) % $datasets), 'typo/' || i % 1000] END,
    '{}',
    TIMESTAMP '2026-01-01',
    TIMESTAMP '2026-11-01'
FROM range(1, $models + 1) AS t(i);

INSERT INTO datasets_stored (id, author, created_at, downloads, likes, license, license_key, task_categories,
                      modalities, raw, first_seen, last_seen, deleted_at)
SELECT
    'org' || (i % 40000) || '/ds-' || i,
    'org' || (i % 40000),
    CASE WHEN i % 25 = 0 THEN $legacy + INTERVAL 1 SECOND
         ELSE TIMESTAMP '2022-04-01' + to_seconds((hash(i) % 140000000)::BIGINT) END,
    (hash(i) % 5000)::BIGINT,
    (hash(i + 2) % 30)::BIGINT,
    ['mit', 'cc-by-4.0', 'cc-by-nc-4.0', 'apache-2.0', NULL, 'cc-by-nc-sa-4.0', 'odc-by'][1 + i % 7],
    ['mit', 'cc-by-4.0', 'cc-by-nc-4.0', 'apache-2.0', NULL, 'cc-by-nc-sa-4.0', 'odc-by'][1 + i % 7],
    CASE WHEN i % 3 <> 0 THEN ['text-generation', 'question-answering', 'image-classification', 'translation'][1 + i % 4:2 + i % 3] END,
    CASE WHEN i % 2 = 0 THEN ['text', 'image', 'audio'][1 + i % 3:1 + i % 3] END,
    '{}',
    TIMESTAMP '2026-01-01',
    TIMESTAMP '2026-11-01',
    CASE WHEN i % 50 = 0 THEN TIMESTAMP '2026-06-01' END
FROM range(0, $datasets) AS t(i);

INSERT INTO spaces_stored (id, author, created_at, sdk, runtime_stage, hardware, likes, license, license_key,
                    models, datasets, raw, first_seen, last_seen)
SELECT
    'org' || (i % 50000) || '/space-' || i,
    'org' || (i % 50000),
    TIMESTAMP '2022-04-01' + to_seconds((hash(i) % 140000000)::BIGINT),
    ['gradio', 'streamlit', 'docker', 'static', 'gradio'][1 + i % 5],
    ['RUNNING', 'SLEEPING', 'RUNTIME_ERROR', 'BUILD_ERROR', 'PAUSED', 'SLEEPING'][1 + i % 6],
    ['cpu-basic', 'cpu-basic', 'zero-a10g', 't4-small', 'cpu-upgrade', NULL][1 + i % 6],
    (hash(i) % 40)::BIGINT,
    ['mit', 'apache-2.0', NULL][1 + i % 3],
    ['mit', 'apache-2.0', NULL][1 + i % 3],
    CASE WHEN i % 5 < 2 THEN list_transform(range(1 + i % 3),
        k -> CASE WHEN (i + k) % 10 = 0 THEN 'gone/model-' || (i + k)
                  ELSE 'org' || ((hash(i + k) % $models + 1) % 60000) || '/model-' || (hash(i + k) % $models + 1) END) END,
    CASE WHEN i % 7 = 0 THEN ['org' || (hash(i) % $datasets % 40000) || '/ds-' || (hash(i) % $datasets)] END,
    '{}',
    TIMESTAMP '2026-01-01',
    TIMESTAMP '2026-11-01'
FROM range(0, $spaces) AS t(i);
