package collector

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auditrec"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/store"
)

// toEvents turns a blob body into store events. A body that is not a JSON
// array is a transient failure (truncated download) and the blob is retried.
// A record that lacks an Id or cannot be parsed is still kept, raw, under an
// id derived from its bytes — nothing Microsoft sent is dropped.
func toEvents(b activity.Content, body []byte) ([]store.Event, error) {
	raws, err := auditrec.ParseBlob(body)
	if err != nil {
		return nil, fault.Wrap(fault.Transient, "parsing blob "+b.ContentID, err)
	}
	evs := make([]store.Event, 0, len(raws))
	for _, raw := range raws {
		ev := store.Event{ContentType: string(b.ContentType), ContentID: b.ContentID, Raw: raw}
		rec, err := auditrec.Parse(raw)
		if err != nil || rec.ID == "" {
			sum := sha256.Sum256(raw)
			ev.ID = "sha256:" + hex.EncodeToString(sum[:])
			ev.Workload = workloadOf(b.ContentType)
			ev.Operation = "(unparsed record)"
			ev.CreationTime = b.Created
			evs = append(evs, ev)
			continue
		}
		ev.ID = rec.ID
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
		evs = append(evs, ev)
	}
	return evs, nil
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
