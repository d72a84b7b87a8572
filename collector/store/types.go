package store

import (
	"encoding/json"
	"time"
)

// Event is one stored audit record: the normalised columns the feed filters
// on, plus the record exactly as Microsoft sent it.
type Event struct {
	ID           string // the record Id: the de-duplication key
	ContentType  string // e.g. Audit.Exchange
	ContentID    string // the blob the record came from
	Workload     string
	Operation    string
	UserID       string
	ClientIP     string
	Result       string // "success", "failure" or ""
	ResultStatus string
	ObjectID     string
	RecordType   int
	CreationTime time.Time // UTC, stored with millisecond precision
	Raw          json.RawMessage
	UserDisplay  string // display name from the users cache; filled by queries only
}

// Blob identifies one content blob of the Management Activity API.
type Blob struct {
	ContentType string
	ContentID   string
	ContentURI  string
	Created     time.Time
	Expiration  time.Time
}

// Cursor is the collection high-water mark of one content type: the start of
// the next listing window.
type Cursor struct {
	ContentType string
	Next        time.Time
}

// DeadLetter is a blob that could not be fetched or parsed and waits for a retry.
type DeadLetter struct {
	Blob
	Attempts  int
	LastError string
	NextRetry time.Time
}

// Gap is a time range of a content type that is known to be missing (for
// example blobs that expired before they could be fetched).
type Gap struct {
	ContentType string
	From, To    time.Time
	Reason      string
	RecordedAt  time.Time // set by AddGap from the store clock
}

// Position is a row of the feed, for keyset paging: the creation time and id
// of the last row shown.
type Position struct {
	CreationTime time.Time
	ID           string
}

// Pos returns the keyset position of e.
func (e Event) Pos() Position { return Position{CreationTime: e.CreationTime, ID: e.ID} }

// HourCount is the number of events of a workload in one UTC hour.
type HourCount struct {
	Hour     time.Time
	Workload string
	Count    int64
}

// WorkloadStat summarises one content type for the dashboard and the health model.
type WorkloadStat struct {
	ContentType string
	LastRecord  time.Time // newest record CreationTime stored
	LastContent time.Time // newest blob creation time committed
	Records24h  int64     // records created in the 24 h before now
	Total       int64     // records stored
}

// Progress is how far a one-time upgrade of the store, run by Open, has
// got: Done of Total records copied into the new schema Schema, then
// Finishing while the step builds its indexes and commits. Nothing is
// collected meanwhile, and a crash or quit before the end leaves the store
// as it was (the step is one transaction, redone at the next Open).
type Progress struct {
	Schema    int
	Done      int64
	Total     int64
	Finishing bool
}
