package auditgen

import (
	"strconv"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

func sensitiveTypes() [][2]string {
	return [][2]string{
		{"50842eb7-edc8-4019-85dd-5a5c1f2bb085", "Credit Card Number"},
		{"e55e2a32-f92d-4985-a35d-a0b269eb687b", "U.S. Bank Account Number"},
		{"a44669fe-0d48-453d-a9b1-2cc83f2cba77", "U.S. Social Security Number (SSN)"},
		{"e7dc4711-11b7-4cb0-b88b-2c394a771f0e", "International Banking Account Number (IBAN)"},
	}
}

func (g *Generator) dlpRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	u := g.user(r)
	st := detrand.Pick(r, sensitiveTypes())
	exchange := r.Chance(0.5)
	recordType, workload := 11, "SharePoint"
	if exchange {
		recordType, workload = 13, "Exchange"
	}
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: "DlpRuleMatch", recordType: recordType,
		userKey: "DlpAgent", userType: 4, workload: workload, userID: u.UPN})
	b = kguid(b, "IncidentId", r)
	b = append(b, `,"PolicyDetails":[{"PolicyId":"`...)
	b = detrand.AppendRandGUID(b, r)
	b = append(b, `","PolicyName":"Protect financial data","Rules":[{"Actions":["NotifyUser","GenerateIncidentReport"],"ConditionsMatched":{"ConditionMatchedInNewScheme":true,"SensitiveInformation":[{"Confidence":85,"Count":`...)
	b = strconv.AppendInt(b, int64(1+r.Intn(40)), 10)
	b = append(b, `,"Location":null,"SensitiveInformationTypeName":"`...)
	b = append(b, st[1]...)
	b = append(b, `","SensitiveType":"`...)
	b = append(b, st[0]...)
	b = append(b, `"}]},"ManagementRuleId":"`...)
	b = detrand.AppendRandGUID(b, r)
	b = append(b, `","RuleId":"`...)
	b = detrand.AppendRandGUID(b, r)
	b = append(b, `","RuleMode":"Enable","RuleName":"Financial data shared externally","Severity":"`...)
	b = append(b, detrand.Pick(r, []string{"Low", "Medium", "High"})...)
	b = append(b, `"}]}]`...)
	b = kb(b, "SensitiveInfoDetectionIsIncluded", true)
	if exchange {
		to := g.user(r)
		b = append(b, `,"ExchangeMetaData":{"BCC":[],"CC":[],"FileSize":`...)
		b = strconv.AppendInt(b, int64(5000+r.Intn(500000)), 10)
		b = append(b, `,"From":"`...)
		b = append(b, u.UPN...)
		b = append(b, `","MessageID":"<`...)
		b = detrand.AppendUpperHex(b, r.Next(), 12)
		b = append(b, '@')
		b = append(b, g.w.Tenant.Domain...)
		b = append(b, `>","RecipientCount":1,"Sent":"`...)
		b = detrand.AppendRecordTime(b, t)
		b = append(b, `","Subject":"`...)
		b = append(b, detrand.Pick(r, subjects())...)
		b = append(b, `","To":["`...)
		b = append(b, to.Alias...)
		b = append(b, `@partner-mail.example"],"UniqueID":"`...)
		b = detrand.AppendRandGUID(b, r)
		b = append(b, `"}}`...)
		return b
	}
	f := detrand.Pick(r, fileNames())
	s := detrand.Pick(r, spSites())
	site := "https://" + g.w.SitesHost + "/" + s.path + "/"
	b = append(b, `,"SharePointMetaData":{"DocumentLastModifier":"`...)
	b = append(b, u.UPN...)
	b = append(b, `","FileID":"`...)
	b = detrand.AppendRandGUID(b, r)
	b = append(b, `","FileName":"`...)
	b = append(b, f[0]+"."+f[1]...)
	b = append(b, `","FileOwner":"`...)
	b = append(b, u.Display...)
	b = append(b, `","FilePathUrl":"`...)
	b = append(b, site+s.folder+"/"+f[0]+"."+f[1]...)
	b = append(b, `","From":"`...)
	b = append(b, u.UPN...)
	b = append(b, `","IsViewableByExternalUsers":`...)
	b = strconv.AppendBool(b, r.Chance(0.3))
	b = append(b, `,"ItemCreationTime":"`...)
	b = detrand.AppendRecordTime(b, t.Add(-time.Duration(r.Intn(90*24))*time.Hour))
	b = append(b, `","SiteCollectionGuid":"`...)
	b = detrand.AppendRandGUID(b, r)
	b = append(b, `","SiteCollectionUrl":"`...)
	b = append(b, site...)
	b = append(b, `","UniqueID":"`...)
	b = detrand.AppendRandGUID(b, r)
	return append(b, `"}}`...)
}
