package detect

import (
	"context"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/auditrec"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
)

var t0 = time.Date(2026, 9, 3, 8, 0, 0, 0, time.UTC)

const tenantDomain = "northwind-lab.onmicrosoft.com"

// fakeLocator maps the first octet to a country (deterministic tests).
func fakeLocator(a netip.Addr) string {
	switch a.As4()[0] {
	case 73:
		return "US"
	case 81:
		return "GB"
	case 95:
		return "RU"
	case 102:
		return "NG"
	}
	return ""
}

type harness struct {
	t       testing.TB
	st      *store.Store
	eng     *Engine
	notices []Notice
}

func newHarness(t testing.TB, rulesDir string) *harness {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "events.db"), store.Options{Clock: func() time.Time { return t0.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &harness{t: t, st: st}
	h.eng, err = New(context.Background(), Options{Store: st, RulesDir: rulesDir, Locate: fakeLocator,
		OnFinding: func(n Notice) { h.notices = append(h.notices, n) }})
	if err != nil {
		t.Fatal(err)
	}
	h.eng.SetTenantDomains([]string{tenantDomain, "northwind.example"})
	return h
}

// event turns a raw record into a stored event (as the collector does) and
// stores it so evidence links to the feed.
func (h *harness) event(raw []byte) store.Event {
	h.t.Helper()
	rec, err := auditrec.Parse(raw)
	if err != nil {
		h.t.Fatalf("parsing test record: %v", err)
	}
	return store.Event{ID: rec.ID, ContentType: "Audit.General", ContentID: "blob", Workload: rec.Workload,
		Operation: rec.Operation, UserID: rec.UserID, ClientIP: rec.ClientIP, Result: rec.Result,
		ResultStatus: rec.ResultStatus, ObjectID: rec.ObjectID, RecordType: rec.RecordType,
		CreationTime: rec.CreationTime, Raw: raw}
}

func (h *harness) process(backfill bool, raws ...[]byte) {
	h.t.Helper()
	evs := make([]store.Event, len(raws))
	for i, r := range raws {
		evs[i] = h.event(r)
	}
	if _, err := h.st.CommitBlob(context.Background(), store.Blob{ContentType: "Audit.General", ContentID: "b-" + evs[0].ID}, evs, nil); err != nil {
		h.t.Fatal(err)
	}
	if err := h.eng.Process(context.Background(), evs, backfill); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) findings() []finding.Finding {
	h.t.Helper()
	fs, err := h.st.Findings(context.Background(), finding.Filter{})
	if err != nil {
		h.t.Fatal(err)
	}
	return fs
}

func (h *harness) byRule(id string) []finding.Finding {
	var out []finding.Finding
	for _, f := range h.findings() {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// sample reads one of Microsoft's documentation samples.
func sample(t testing.TB, prefix string) map[string]any {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join("..", "auditrec", "testdata", "samples", prefix+"*.json"))
	if len(matches) != 1 {
		t.Fatalf("sample %s: %v", prefix, matches)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// rec builds a record: base fields plus overrides; a nil override deletes.
func rec(base map[string]any, over map[string]any) []byte {
	m := map[string]any{}
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func params(kv ...string) []map[string]string {
	var out []map[string]string
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, map[string]string{"Name": kv[i], "Value": kv[i+1]})
	}
	return out
}

func modified(kv ...string) []map[string]string {
	var out []map[string]string
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, map[string]string{"Name": kv[i], "NewValue": kv[i+1], "OldValue": ""})
	}
	return out
}

// exo is a minimal Exchange admin record.
func exo(id, op string, at time.Time, p []map[string]string) map[string]any {
	return map[string]any{"Id": id, "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": op,
		"RecordType": 1, "ResultStatus": "True", "Workload": "Exchange", "UserId": "jonas.berg@" + tenantDomain,
		"ObjectId": "jonas.berg", "ClientIP": "81.2.3.4:50123", "Parameters": p}
}

// aad is a minimal Entra directory record.
func aad(id, op string, at time.Time, mods []map[string]string) map[string]any {
	return map[string]any{"Id": id, "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": op,
		"RecordType": 8, "ResultStatus": "Success", "Workload": "AzureActiveDirectory", "UserId": "admin@" + tenantDomain,
		"ObjectId": "mira.okafor@" + tenantDomain, "ModifiedProperties": mods}
}

// signIn is an Entra sign-in record.
func signIn(id, user, ip string, at time.Time, failErr string) []byte {
	m := map[string]any{"Id": id, "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": "UserLoggedIn",
		"RecordType": 15, "ResultStatus": "Success", "Workload": "AzureActiveDirectory", "UserId": user,
		"ClientIP": ip, "ActorIpAddress": ip, "ErrorNumber": "0",
		"ExtendedProperties": params("UserAgent", "python-requests/2.32.3", "RequestType", "OAuth2:Token")}
	if failErr != "" {
		m["Operation"], m["ErrorNumber"], m["LogonError"] = "UserLoginFailed", failErr, "InvalidUserNameOrPassword"
	}
	return rec(m, nil)
}

func user(i int) string {
	return "user" + strings.Repeat("x", i%3) + string(rune('a'+i)) + "@" + tenantDomain
}
