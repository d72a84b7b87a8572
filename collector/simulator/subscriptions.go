package simulator

import (
	"fmt"
	"net/http"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

// startCooldown is the documented wait between start requests for one content type.
const startCooldown = 15 * time.Minute

// subscriptionJSON is the subscription object of the API.
type subscriptionJSON struct {
	ContentType string `json:"contentType"`
	Status      string `json:"status"`
	Webhook     any    `json:"webhook"`
}

func (s *Sim) listSubscriptions(w http.ResponseWriter, c *apiCall) {
	out := []subscriptionJSON{}
	for _, ct := range auditgen.ContentTypeNames() {
		sub, ok := c.st.Subscriptions[ct]
		if !ok || sub.Status == SubNone {
			continue
		}
		status := sub.Status
		if !c.st.AuditEnabled {
			status = SubDisabled
		}
		out = append(out, subscriptionJSON{ContentType: ct, Status: string(status)})
	}
	writeJSON(w, http.StatusOK, out)
}

// contentTypeParam validates the contentType parameter (AF20001/AF20020)
// and the DLP permission (AF10001). It returns the content type index.
func contentTypeParam(w http.ResponseWriter, r *http.Request, c *apiCall) (int, bool) {
	ct, ok := queryParam(r, "contentType")
	if !ok || ct == "" {
		afError(w, http.StatusBadRequest, "AF20001", "Missing parameter: contentType.")
		return 0, false
	}
	i := auditgen.CTIndex(ct)
	if i < 0 {
		afError(w, http.StatusBadRequest, "AF20020", "The specified content type is not valid.")
		return 0, false
	}
	if ct == ContentDLP && !c.hasRole(RoleActivityFeedReadDlp) {
		permissionError(w, c.roles, RoleActivityFeedReadDlp)
		return 0, false
	}
	return i, true
}

func (s *Sim) startSubscription(w http.ResponseWriter, r *http.Request, c *apiCall) {
	i, ok := contentTypeParam(w, r, c)
	if !ok {
		return
	}
	ct := auditgen.ContentTypeNames()[i]
	s.mu.Lock()
	if !s.state.AuditEnabled {
		s.mu.Unlock()
		s.auditOffError(w, r, c, ct)
		return
	}
	sub := s.state.sub(ct)
	now := c.now
	switch {
	case sub.Status == SubEnabled:
		s.mu.Unlock()
		afError(w, http.StatusBadRequest, "AF20024", "The subscription is already enabled. No property change.")
		return
	case !sub.LastStart.IsZero() && now.Sub(sub.LastStart) < startCooldown:
		wait := startCooldown - now.Sub(sub.LastStart)
		s.mu.Unlock()
		afError(w, http.StatusTooManyRequests, "AF429", "Too many frequent subscription start requests. Please retry again after "+minSec(wait))
		return
	}
	sub.Status = SubEnabled
	sub.LastStart = now
	if sub.FirstStart.IsZero() {
		sub.FirstStart = now
	}
	s.mu.Unlock()
	s.log.Info("subscription started", "contentType", ct)
	writeJSON(w, http.StatusOK, subscriptionJSON{ContentType: ct, Status: string(SubEnabled)})
}

// minSec renders a wait like "14m 56s".
func minSec(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%dm %ds", secs/60, secs%60)
}

// auditOffError is the malformed error object the service returns when
// unified audit logging is off: the long exception string is split across
// code and message.
func (s *Sim) auditOffError(w http.ResponseWriter, r *http.Request, c *apiCall, ct string) {
	pub := c.publisher
	if pub == "" {
		pub = zeroGUID
	}
	corr := detrand.GUIDFrom(detrand.Hash(uint64(s.cfg.Seed), 0xa0d17, s.seq.Add(1)))
	code := "StartSubscription [CorrId=" + corr + "][TenantId=" + c.tenant + ",ContentType=" + ct +
		",ApplicationId=" + s.w.Tenant.ClientID + ",PublisherId=" + pub + "][AppId"
	msg := "=" + s.w.Tenant.ClientID + "] failed. Exception: Microsoft.Office.Compliance.Audit.DataServiceException: Tenant " + c.tenant +
		" does not exist.\r\n   at Microsoft.Office.Compliance.Audit.API.AuditDataServiceClient.StartSubscription(Guid tenantId, String contentType, Guid applicationId, Guid publisherId, Webhook webhook)\r\n" +
		"   at Microsoft.Office.Compliance.Audit.API.ActivityFeedController.<StartSubscription>d__12.MoveNext()"
	afError(w, http.StatusBadRequest, code, msg)
}

func (s *Sim) stopSubscription(w http.ResponseWriter, r *http.Request, c *apiCall) {
	i, ok := contentTypeParam(w, r, c)
	if !ok {
		return
	}
	ct := auditgen.ContentTypeNames()[i]
	s.mu.Lock()
	sub := s.state.sub(ct)
	if sub.Status == SubNone {
		s.mu.Unlock()
		afError(w, http.StatusBadRequest, "AF20022", "No subscription found for the specified content type.")
		return
	}
	sub.Status = SubDisabled
	s.mu.Unlock()
	s.log.Info("subscription stopped", "contentType", ct)
	w.WriteHeader(http.StatusOK)
}

// subscriptionGate answers AF20022/AF20023 when content of type ct may not be listed.
func subscriptionGate(w http.ResponseWriter, c *apiCall, ct string) bool {
	sub, ok := c.st.Subscriptions[ct]
	switch {
	case !ok || sub.Status == SubNone:
		afError(w, http.StatusBadRequest, "AF20022", "No subscription found for the specified content type.")
		return false
	case sub.Status == SubDisabled || !c.st.AuditEnabled:
		afError(w, http.StatusBadRequest, "AF20023", "The subscription was disabled.")
		return false
	}
	return true
}
