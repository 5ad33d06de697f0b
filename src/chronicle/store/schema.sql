-- chronicle's store, SQLite dialect. Every list of the record has a table; each fact row keeps
-- the columns queries filter on plus the fact itself as JSON (`data`), so the record can grow
-- without a migration. The whole record is kept too (`articles.record`).
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    origin TEXT,
    title TEXT,
    published TEXT,
    source TEXT,
    language TEXT,
    author TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    record TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles (url) WHERE url IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_hash ON articles (content_hash);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source);
CREATE INDEX IF NOT EXISTS articles_origin ON articles (origin);

CREATE TABLE IF NOT EXISTS entities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT,
    country TEXT,
    role TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, id)
);
CREATE INDEX IF NOT EXISTS entities_name ON entities (name);
CREATE INDEX IF NOT EXISTS entities_country ON entities (country);

CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id, entity_id);

CREATE TABLE IF NOT EXISTS statements (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    speaker TEXT,
    speaker_entity TEXT,
    cue TEXT,
    content TEXT NOT NULL,
    kind TEXT,
    stance TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, id)
);
CREATE INDEX IF NOT EXISTS statements_stance ON statements (stance);

CREATE TABLE IF NOT EXISTS events (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    mode TEXT,
    status TEXT,
    actor TEXT,
    actor_entity TEXT,
    actor_country TEXT,
    recipient TEXT,
    recipient_entity TEXT,
    recipient_country TEXT,
    date TEXT,
    place_id TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, id)
);
CREATE INDEX IF NOT EXISTS events_type ON events (type);
CREATE INDEX IF NOT EXISTS events_date ON events (date);
CREATE INDEX IF NOT EXISTS events_actor ON events (actor_country);
CREATE INDEX IF NOT EXISTS events_recipient ON events (recipient_country);

CREATE TABLE IF NOT EXISTS quantities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    text TEXT NOT NULL,
    value REAL,
    unit TEXT,
    kind TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, id)
);

CREATE TABLE IF NOT EXISTS times (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    text TEXT NOT NULL,
    value TEXT,
    precision TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, id)
);

CREATE TABLE IF NOT EXISTS places (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    text TEXT NOT NULL,
    name TEXT,
    country TEXT,
    lat REAL,
    lon REAL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, id)
);

CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
    title, text, content = 'articles', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);

-- Near-duplicates (ingest/dedup.py). A copy of a stored article is not extracted again: it is
-- kept here, pointing at the first copy, with its own URL, origin and outlet.
CREATE TABLE IF NOT EXISTS duplicates (
    id TEXT PRIMARY KEY,
    duplicate_of TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    url TEXT,
    origin TEXT,
    title TEXT,
    published TEXT,
    source TEXT,
    content_hash TEXT NOT NULL,
    similarity REAL NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS duplicates_of ON duplicates (duplicate_of);
CREATE INDEX IF NOT EXISTS duplicates_url ON duplicates (url);
CREATE INDEX IF NOT EXISTS duplicates_hash ON duplicates (content_hash);
CREATE INDEX IF NOT EXISTS duplicates_origin ON duplicates (origin);

-- MinHash LSH band keys of stored articles ("band:hash"), to find copies of them.
CREATE TABLE IF NOT EXISTS article_bands (
    key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS article_bands_key ON article_bands (key);
CREATE INDEX IF NOT EXISTS article_bands_article ON article_bands (article_id);

-- for the web UI's and the API's queries (read side): entities by name with their articles and codes,
-- events by country and by date and type
CREATE INDEX IF NOT EXISTS entities_name_codes ON entities (name, article_id, type, country, role);
CREATE INDEX IF NOT EXISTS events_actor_country ON events (actor_country);
CREATE INDEX IF NOT EXISTS events_recipient_country ON events (recipient_country);
CREATE INDEX IF NOT EXISTS events_date_type ON events (date, type);
