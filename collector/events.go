package collector

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auditrec"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/store"
)

// toEvents turns a blob body into store events. A body that is not a JSON
// array is a transient failure (truncated download) and the blob is retried.
// A record that lacks an Id keeps its own fields under an id derived from its
// bytes; one that is not a record at all is kept raw the same way — nothing
// Microsoft sent is dropped.
func toEvents(b activity.Content, body []byte) ([]store.Event, error) {
	raws, err := auditrec.ParseBlob(body)
	if err != nil {
		return nil, fault.Wrap(fault.Transient, "parsing blob "+b.ContentID, err)
	}
	return recordsToEvents(b, raws), nil
}

// fetchEvents downloads blob b and turns it into store events, splitting
// the body once when the API can (RecordFetcher).
func (c *Collector) fetchEvents(ctx context.Context, b activity.Content) ([]byte, []store.Event, error) {
	if rf, ok := c.api.(RecordFetcher); ok {
		body, raws, err := rf.FetchRecords(ctx, b)
		if err != nil {
			return nil, nil, err
		}
		return body, recordsToEvents(b, raws), nil
	}
	body, err := c.api.Fetch(ctx, b)
	if err != nil {
		return nil, nil, err
	}
	evs, err := toEvents(b, body)
	return body, evs, err
}

// recordsToEvents turns a blob's records (its JSON array's elements) into
// store events (see toEvents).
func recordsToEvents(b activity.Content, raws []json.RawMessage) []store.Event {
	evs := make([]store.Event, 0, len(raws))
	for _, raw := range raws {
		ev := store.Event{ContentType: string(b.ContentType), ContentID: b.ContentID, Raw: raw}
		rec, err := auditrec.Parse(raw)
		if err != nil && !errors.Is(err, auditrec.ErrNoID) && !errors.Is(err, auditrec.ErrBadCreationTime) {
			// Not a record at all (not an object, broken JSON): keep it raw.
			ev.ID = rawID(raw)
			ev.Workload = workloadOf(b.ContentType)
			ev.Operation = "(unparsed record)"
			ev.CreationTime = b.Created
			evs = append(evs, ev)
			continue
		}
		// A record without Id (or with an unreadable CreationTime) keeps its
		// own fields; only what it lacks is filled in.
		ev.ID = rec.ID
		if ev.ID == "" {
			ev.ID = rawID(raw)
		}
		ev.RecordType = rec.RecordType
		ev.CreationTime = rec.CreationTime
		ev.Operation = rec.Operation
		ev.Workload = rec.Workload
		ev.UserID = rec.UserID
		ev.ClientIP = rec.ClientIP
		ev.Result = rec.Result
		ev.ResultStatus = rec.ResultStatus
		ev.ObjectID = rec.ObjectID
		if ev.CreationTime.IsZero() {
			ev.CreationTime = b.Created
		}
		if ev.Workload == "" {
			ev.Workload = workloadOf(b.ContentType)
		}
		evs = append(evs, ev)
	}
	return evs
}

// rawID is the de-duplication key of a record without an Id: its bytes' hash.
func rawID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func workloadOf(ct activity.ContentType) string {
	switch ct {
	case activity.AuditAzureActiveDirectory:
		return "AzureActiveDirectory"
	case activity.AuditExchange:
		return "Exchange"
	case activity.AuditSharePoint:
		return "SharePoint"
	case activity.DLPAll:
		return "DLP"
	}
	return "General"
}
