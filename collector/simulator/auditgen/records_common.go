package auditgen

import (
	"strconv"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// header describes the common-schema members every record starts with.
type header struct {
	t            time.Time
	idHi, idLo   uint64
	op           string
	recordType   int
	resultStatus string // "" = omitted
	userKey      string
	userType     int
	workload     string
	clientIP     string // "" = omitted
	objectID     string // "" = omitted
	userID       string
}

// appendHeader opens a record object with the common schema in the order
// real records use (CreationTime, Id, Operation, OrganizationId, ...).
func (g *Generator) appendHeader(b []byte, h header) []byte {
	b = append(b, `{"CreationTime":"`...)
	b = detrand.AppendRecordTime(b, h.t)
	b = append(b, `","Id":"`...)
	b = detrand.AppendGUID(b, h.idHi, h.idLo)
	b = append(b, '"')
	b = kv(b, "Operation", h.op)
	b = kv(b, "OrganizationId", g.tenantID)
	b = kn(b, "RecordType", int64(h.recordType))
	if h.resultStatus != "" {
		b = kv(b, "ResultStatus", h.resultStatus)
	}
	b = kv(b, "UserKey", h.userKey)
	b = kn(b, "UserType", int64(h.userType))
	b = kn(b, "Version", 1)
	b = kv(b, "Workload", h.workload)
	if h.clientIP != "" {
		b = kv(b, "ClientIP", h.clientIP)
	}
	if h.objectID != "" {
		b = kv(b, "ObjectId", h.objectID)
	}
	return kv(b, "UserId", h.userID)
}

// user picks a user; activity is skewed so a few people are busier.
func (g *Generator) user(r *detrand.Rng) *tenant.Person {
	n := len(g.w.Users)
	i := r.Intn(n)
	if r.Chance(0.3) {
		i = r.Intn((n + 2) / 3)
	}
	return &g.w.Users[i]
}

// ClientIP picks where a user's activity comes from: office, home or travel.
// Users travel within the tenant's home country (a near miss for the
// new-country rule); only the attack storylines come from abroad.
func (g *Generator) ClientIP(r *detrand.Rng, u *tenant.Person) string {
	switch x := r.Intn(100); {
	case x < 70:
		return u.OfficeIP
	case x < 96:
		return u.HomeIP
	default:
		return tenant.IPIn(r, g.w.Home)
	}
}

func withPort(r *detrand.Rng, ip string) string { return ip + ":" + strconv.Itoa(49152+r.Intn(16000)) }

// exchangeServer renders an OriginatingServer value.
func exchangeServer(r *detrand.Rng) string {
	b := make([]byte, 0, 40)
	b = append(b, detrand.Pick(r, []string{"DB9PR04MB", "AM6PR02MB", "VI1PR08MB", "PH0PR11MB", "SN7PR12MB"})...)
	b = strconv.AppendInt(b, int64(1000+r.Intn(9000)), 10)
	b = append(b, " (15.20."...)
	b = strconv.AppendInt(b, int64(8000+r.Intn(999)), 10)
	b = append(b, ".0"...)
	b = strconv.AppendInt(b, int64(10+r.Intn(89)), 10)
	return string(append(b, ')'))
}

func userAgents() []string {
	return []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36 Edg/139.0.0.0",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
		"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18827; Pro)",
		"Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Mobile Safari/537.36",
	}
}
