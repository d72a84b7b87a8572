package store

// findingsSchema is the additive migration for detections: findings, their
// evidence records, the allow-list and the countries each user signed in
// from (the "new country" rule's history).
const findingsSchema = `
CREATE TABLE findings (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	rule_id        TEXT    NOT NULL,
	rule_title     TEXT    NOT NULL,
	key            TEXT    NOT NULL,
	severity       INTEGER NOT NULL,
	status         TEXT    NOT NULL,
	first_seen     INTEGER NOT NULL, -- unix ms, CreationTime of the oldest evidence
	last_seen      INTEGER NOT NULL,
	detected_at    INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	count          INTEGER NOT NULL,
	evidence_count INTEGER NOT NULL,
	what           TEXT    NOT NULL,
	why            TEXT    NOT NULL,
	steps          TEXT    NOT NULL, -- JSON [{text, link}]
	allow_kind     TEXT    NOT NULL,
	allow_values   TEXT    NOT NULL, -- JSON ["value"]
	backfill       INTEGER NOT NULL,
	note           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX findings_rule_key ON findings (rule_id, key, last_seen);
CREATE INDEX findings_status   ON findings (status, last_seen);
CREATE INDEX findings_last     ON findings (last_seen DESC, id DESC);

-- Which records prove which finding. (rule_id, record_id) answers "has this
-- rule already used this record?", which makes a replayed record harmless.
CREATE TABLE finding_evidence (
	finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
	rule_id    TEXT    NOT NULL,
	record_id  TEXT    NOT NULL,
	PRIMARY KEY (finding_id, record_id)
) WITHOUT ROWID;
CREATE INDEX finding_evidence_rule ON finding_evidence (rule_id, record_id);

CREATE TABLE allow_list (
	rule_id    TEXT    NOT NULL, -- '' = every rule
	value      TEXT    NOT NULL, -- normalised (lower case)
	note       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (rule_id, value)
) WITHOUT ROWID;

CREATE TABLE user_countries (
	user_key   TEXT    NOT NULL, -- lower(UPN)
	country    TEXT    NOT NULL, -- ISO 3166-1 alpha-2
	first_seen INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	PRIMARY KEY (user_key, country)
) WITHOUT ROWID;
`
