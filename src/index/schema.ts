/**
 * The index database of one generation (SQLite, written by the build, opened read-only by the bot). Text is stored
 * once, in paragraphs; chunks and sentences are offsets into it. A chunk's `label` is its HNSW label and its FTS5
 * rowid; labels of unchanged chunks survive incremental builds, so the graph can be updated in place.
 */
export const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,          -- stable article id from the file name ("great-purge")
  title TEXT NOT NULL,
  file TEXT NOT NULL,                 -- path relative to the corpus folder
  source_url TEXT,
  sha256 TEXT NOT NULL,               -- of the file's text: an unchanged article is not parsed again
  chunks_hash TEXT NOT NULL,          -- of its chunks (ids, offsets, sentences): part of the index fingerprint
  position INTEGER NOT NULL,          -- corpus order
  title_key TEXT NOT NULL,            -- the title's lexical terms, sorted: finds the article a question names whole
  opening_label INTEGER               -- its first chunk (the opening of the lead)
);
CREATE INDEX articles_by_title_key ON articles (title_key);

CREATE TABLE sections (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,          -- 0 is the lead
  heading TEXT NOT NULL,
  path TEXT NOT NULL,                 -- JSON array of headings; [] for the lead
  is_reference INTEGER NOT NULL,
  UNIQUE (article_id, position)
);

CREATE TABLE paragraphs (
  id INTEGER PRIMARY KEY,
  section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,          -- 1-based, as cited ("¶2")
  start INTEGER NOT NULL,             -- offset in the article's file text
  text TEXT NOT NULL,                 -- verbatim
  UNIQUE (section_id, position)
);

CREATE TABLE chunks (
  label INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,            -- stable chunk id (hash of article, section path and text)
  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,             -- [start, end) in the paragraph's text
  end INTEGER NOT NULL,
  embed_hash TEXT NOT NULL,           -- of the embedded text: a vector is reused when it matches
  words BLOB NOT NULL,                -- int32 vocabulary ids of the chunk's words (word alignment)
  terms BLOB NOT NULL,                -- uint32 pairs: lexical term id, (heading count << 16 | body count)
  heading_length INTEGER NOT NULL,    -- distinct tokens in the heading path and in the text (BM25 field lengths)
  body_length INTEGER NOT NULL
);
CREATE INDEX chunks_by_paragraph ON chunks (paragraph_id, start);
CREATE INDEX chunks_by_embed_hash ON chunks (embed_hash);

CREATE TABLE sentences (
  chunk_label INTEGER NOT NULL REFERENCES chunks(label) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  start INTEGER NOT NULL,             -- [start, end) in the chunk's text
  end INTEGER NOT NULL,
  facts TEXT NOT NULL,                -- JSON (chunks/articleFacts.ts StoredFacts): names by type, years, numbers, continues
  words BLOB NOT NULL,                -- int32 vocabulary ids of the sentence's topic words (how well it answers)
  PRIMARY KEY (chunk_label, position)
) WITHOUT ROWID;

-- The names an article uses (people, organisations, places, other), found by its facts: a question's names are
-- looked up here by their lexical terms.
CREATE TABLE names (
  key TEXT NOT NULL,                  -- the name's lexical terms, space-separated ("nikolai yezhov")
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  type TEXT NOT NULL,                 -- person | organisation | place | other
  PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

-- Other names the article itself gives a thing: "NKVD (the Soviet secret police)", "commonly known as the Dewey
-- Commission", "the so-called Anti-Party Group".
CREATE TABLE aliases (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  alias_key TEXT NOT NULL,            -- lexical terms of the alias, space-separated
  canonical TEXT NOT NULL,
  canonical_key TEXT NOT NULL,
  pattern TEXT NOT NULL
);
CREATE INDEX aliases_by_alias ON aliases (alias_key);
CREATE INDEX aliases_by_canonical ON aliases (canonical_key);

CREATE TABLE words (
  id INTEGER PRIMARY KEY,
  word TEXT NOT NULL UNIQUE,          -- a topic word (tokenize + topicWords)
  stem TEXT NOT NULL,
  df INTEGER NOT NULL,                -- chunks whose text has the word (its rarity, for word alignment)
  uses INTEGER NOT NULL               -- chunks whose words (heading or text) include it; 0 means it can go
);                                    -- (the words' vectors are in words.bin beside the database: wordVectors.ts)

CREATE TABLE terms (
  id INTEGER PRIMARY KEY,
  term TEXT NOT NULL UNIQUE,          -- a lexical term (stem), as handed to FTS5
  df INTEGER NOT NULL,                -- chunks that have it, in heading or body
  df_heading INTEGER NOT NULL,        -- chunks that have it in their heading path / in their text
  df_body INTEGER NOT NULL
);

-- One-deletion variants of the longer terms ("yezhov" → "ezhov", "yzhov", …): typo expansion by lookup.
CREATE TABLE term_variants (
  variant TEXT NOT NULL,
  term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
  PRIMARY KEY (variant, term_id)
) WITHOUT ROWID;

-- BM25 over the project's own lexical terms, handed over space-separated: FTS5's tokenizer only splits them.
CREATE VIRTUAL TABLE chunk_text USING fts5(
  heading, body, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0 tokenchars '''’-'"
);

CREATE VIEW chunk_records AS
SELECT c.label, c.id, c.start, c.end, a.slug AS article_id, a.title AS article_title, s.path AS section_path,
       s.position AS section_index, s.is_reference, p.id AS paragraph_id, p.position AS paragraph, p.text AS paragraph_text
FROM chunks c JOIN paragraphs p ON p.id = c.paragraph_id JOIN sections s ON s.id = p.section_id JOIN articles a ON a.id = s.article_id;
`;

/** Version of the schema above; part of the index format. */
export const SCHEMA_VERSION = 3;
