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

-- Cross-article links (link/): kept beside the per-article facts and pointing at them; never
-- rewriting them. `chronicle link` fills them incrementally; `chronicle link --rebuild` anew.
-- The articles the link step has read: their story and what they are about (weighted terms).
CREATE TABLE IF NOT EXISTS link_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story TEXT NOT NULL,
    similarity REAL NOT NULL,
    terms TEXT NOT NULL,
    linked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS link_articles_story ON link_articles (story);
-- in how many linked articles each term is (inverse document frequency)
CREATE TABLE IF NOT EXISTS link_terms (
    term TEXT PRIMARY KEY,
    n INTEGER NOT NULL
);
-- one entity across articles; `data` holds its names, types, countries and roles with counts
CREATE TABLE IF NOT EXISTS canonical_entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT,
    country TEXT,
    role TEXT,
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    first TEXT,
    last TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS canonical_entities_name ON canonical_entities (name);
CREATE INDEX IF NOT EXISTS canonical_entities_country ON canonical_entities (country, articles);
-- the keys that lead to a canonical entity (per:vladimir putin, cty:RUS, sur:reid@story, ...)
CREATE TABLE IF NOT EXISTS canonical_keys (
    key TEXT NOT NULL,
    canonical_id TEXT NOT NULL,
    PRIMARY KEY (key, canonical_id)
);
CREATE INDEX IF NOT EXISTS canonical_keys_canonical ON canonical_keys (canonical_id);
-- each article's entity (kind 'entity') or geocoded place (kind 'place') -> its canonical entity
CREATE TABLE IF NOT EXISTS entity_links (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    canonical_id TEXT NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX IF NOT EXISTS entity_links_canonical ON entity_links (canonical_id, article_id);
-- one event across articles, with what its reports say (the commonest value shown) and its coverage
CREATE TABLE IF NOT EXISTS story_events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    mode TEXT,
    status TEXT,
    date TEXT,
    precision TEXT,
    actor TEXT,
    actor_country TEXT,
    actor_canonical TEXT,
    recipient TEXT,
    recipient_country TEXT,
    recipient_canonical TEXT,
    place TEXT,
    place_country TEXT,
    lat REAL,
    lon REAL,
    reports INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    sources INTEGER NOT NULL,
    first TEXT,
    last TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_events_type_date ON story_events (type, date);
CREATE INDEX IF NOT EXISTS story_events_actor ON story_events (actor_canonical);
CREATE INDEX IF NOT EXISTS story_events_recipient ON story_events (recipient_canonical);
-- each article's event (its trigger's span) -> its story event
CREATE TABLE IF NOT EXISTS event_links (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    story_event TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    status TEXT,
    PRIMARY KEY (article_id, event_id)
);
CREATE INDEX IF NOT EXISTS event_links_story_event ON event_links (story_event);
-- a claim and its denial or refutation: two spans (statements, events or sentences) of one or two articles
CREATE TABLE IF NOT EXISTS disputes (
    id TEXT PRIMARY KEY,
    a_article TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    a_kind TEXT NOT NULL,
    a_ref TEXT,
    a_start INTEGER NOT NULL,
    a_end INTEGER NOT NULL,
    a_speaker TEXT,
    a_canonical TEXT,
    b_article TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    b_kind TEXT NOT NULL,
    b_ref TEXT,
    b_start INTEGER NOT NULL,
    b_end INTEGER NOT NULL,
    b_speaker TEXT,
    b_canonical TEXT,
    story TEXT,
    score REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS disputes_a ON disputes (a_article);
CREATE INDEX IF NOT EXISTS disputes_b ON disputes (b_article);
CREATE INDEX IF NOT EXISTS disputes_canonical ON disputes (a_canonical, b_canonical);

-- (schema 3) an entity's name to its rows; an event's or a statement's parties to their entities (the
-- entity pages and the entity filter); the values the filters offer, read by a loose index scan
CREATE INDEX IF NOT EXISTS entities_name_ids ON entities (name, type, country, role, article_id, id);
CREATE INDEX IF NOT EXISTS entities_role ON entities (role);
CREATE INDEX IF NOT EXISTS events_status ON events (status);
CREATE INDEX IF NOT EXISTS events_countries ON events (actor_country, recipient_country);
CREATE INDEX IF NOT EXISTS events_actor_entity ON events (article_id, actor_entity, id);
CREATE INDEX IF NOT EXISTS events_recipient_entity ON events (article_id, recipient_entity, id);
CREATE INDEX IF NOT EXISTS statements_speaker ON statements (article_id, speaker_entity, id, start, "end");

-- (schema 3) counts of all the facts, kept by every write (store/base.py, SUMMARIES), for the views
-- without filters: entities by name with the number of their articles; for the events explorer, events
-- per day and type, who acts on whom by entity name (kind 'entity') and by country code ('country'),
-- and events per place. A missing day, place name or place country is kept as ''. A view with filters
-- is counted from the facts.
CREATE TABLE IF NOT EXISTS entity_names (
    name TEXT PRIMARY KEY,
    n INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_names_n ON entity_names (n);
CREATE TABLE IF NOT EXISTS event_days (
    day TEXT NOT NULL,
    type TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (day, type)
);
CREATE TABLE IF NOT EXISTS event_edges (
    kind TEXT NOT NULL,
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, src, dst)
);
CREATE INDEX IF NOT EXISTS event_edges_n ON event_edges (kind, n);
CREATE TABLE IF NOT EXISTS event_places (
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (name, country, lat, lon)
);
CREATE INDEX IF NOT EXISTS event_places_n ON event_places (n);
