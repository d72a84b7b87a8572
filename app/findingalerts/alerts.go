// Package findingalerts decides which findings become desktop notifications:
// one notification for each new live finding of medium or higher severity,
// and a single digest for everything found while catching up on the 7-day
// backfill ("3 findings in the last 7 days"), never a storm. It has no GUI
// dependency: the app passes a Send function (Fyne's SendNotification).
package findingalerts

import (
	"fmt"
	"strings"
	"sync"

	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
)

// Message is one desktop notification.
type Message struct {
	Title, Body string
}

// MinLive is the lowest severity notified one by one.
const MinLive = finding.Medium

// maxListed caps how many findings a digest names.
const maxListed = 3

// Notifier turns finding notices and collector status into messages. It is
// safe for concurrent use.
type Notifier struct {
	send func(Message)

	mu      sync.Mutex
	pending []finding.Finding // created during the backfill, not yet digested
	catchUp bool              // the collector is (or was last seen) backfilling
}

// New returns a Notifier that delivers through send.
func New(send func(Message)) *Notifier { return &Notifier{send: send} }

// Notice handles one finding the engine created or grew. Merged repeats are
// never notified (the admin was told when it was created).
func (n *Notifier) Notice(x detect.Notice) {
	if x.Outcome != store.Created {
		return
	}
	n.mu.Lock()
	if x.Backfill || n.catchUp {
		n.pending = append(n.pending, x.Finding)
		n.mu.Unlock()
		return
	}
	n.mu.Unlock()
	if x.Finding.Severity < MinLive {
		return
	}
	n.send(Live(x.Finding))
}

// Status follows the collector: when a catch-up ends, the findings it
// produced are sent as one digest.
func (n *Notifier) Status(st health.Status) {
	n.mu.Lock()
	n.catchUp = st.Backfilling
	if st.Backfilling || len(n.pending) == 0 {
		n.mu.Unlock()
		return
	}
	found := n.pending
	n.pending = nil
	n.mu.Unlock()
	n.send(Digest(found))
}

// Live is the notification of one finding.
func Live(f finding.Finding) Message {
	return Message{Title: fmt.Sprintf("%s finding: %s", f.Severity.Label(), f.RuleTitle), Body: f.What}
}

// Digest is the one notification for the findings of a backfill.
func Digest(fs []finding.Finding) Message {
	word := "findings"
	if len(fs) == 1 {
		word = "finding"
	}
	var high int
	for _, f := range fs {
		if f.Severity >= finding.High {
			high++
		}
	}
	title := fmt.Sprintf("%d %s in the last 7 days", len(fs), word)
	if high > 0 {
		title += fmt.Sprintf(" (%d high)", high)
	}
	// Name the most severe few.
	sorted := append([]finding.Finding(nil), fs...)
	for i := 1; i < len(sorted); i++ {
		for j := i; j > 0 && sorted[j].Severity > sorted[j-1].Severity; j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	var names []string
	for i, f := range sorted {
		if i == maxListed {
			names = append(names, fmt.Sprintf("and %d more", len(sorted)-maxListed))
			break
		}
		names = append(names, f.Title())
	}
	return Message{Title: title, Body: strings.Join(names, "; ") + ". Open AuditLight → Findings to review them."}
}
