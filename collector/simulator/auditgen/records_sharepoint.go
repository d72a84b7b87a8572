package auditgen

import (
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

// spSite is a SharePoint site with its document library folders.
type spSite struct{ path, folder string }

func spSites() []spSite {
	return []spSite{
		{"sites/Finance", "Shared Documents/Payroll"}, {"sites/Finance", "Shared Documents/Invoices"},
		{"sites/Sales", "Shared Documents/Proposals"}, {"sites/Marketing", "Shared Documents/Campaigns"},
		{"sites/HR", "Shared Documents/Policies"}, {"sites/Projects", "Shared Documents/Plans"},
	}
}

func fileNames() [][2]string {
	return [][2]string{{"2026-Q3-salaries", "xlsx"}, {"Budget forecast", "xlsx"}, {"Customer list", "csv"}, {"Proposal Northwind", "docx"},
		{"Board deck", "pptx"}, {"Employee handbook", "pdf"}, {"Roadmap", "docx"}, {"Price list", "xlsx"}, {"Contract template", "docx"}, {"Logo", "png"}}
}

func (g *Generator) sharePointRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	u := g.user(r)
	ops := []string{"FileAccessed", "FileModified", "FileDownloaded", "FileUploaded", "FilePreviewed", "FileDeleted", "FileSyncDownloadedFull", "SharingSet", "AnonymousLinkCreated", "FileRecycled"}
	// Anyone-links are rare in a small business (a few a week): weight 1 in 1000.
	op := ops[detrand.Weighted(r, []int{440, 150, 120, 100, 80, 30, 30, 39, 1, 10})]
	recordType := 6
	if op == "SharingSet" || op == "AnonymousLinkCreated" {
		recordType = 14
	}
	workload, siteURL, folder := "SharePoint", "", ""
	if r.Chance(0.35) {
		workload = "OneDrive"
		siteURL = "https://" + g.w.SitesHost[:len(g.w.SitesHost)-len(".sharepoint.com")] + "-my.sharepoint.com/personal/" + u.Alias + "_" + underscoreDomain(g.w.Tenant.Domain) + "/"
		folder = "Documents"
	} else {
		s := detrand.Pick(r, spSites())
		siteURL = "https://" + g.w.SitesHost + "/" + s.path + "/"
		folder = s.folder
	}
	f := detrand.Pick(r, fileNames())
	file := f[0] + "." + f[1]
	ip := g.ClientIP(r, u)
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: op, recordType: recordType, resultStatus: "Succeeded",
		userKey: "i:0h.f|membership|" + lowerASCII(u.PUID) + "@live.com", userType: 0, workload: workload, clientIP: ip,
		objectID: siteURL + folder + "/" + file, userID: u.UPN})
	b = kv(b, "CorrelationId", detrand.GUIDFrom(r.Next()))
	b = kv(b, "EventSource", "SharePoint")
	b = kv(b, "ItemType", "File")
	b = kguid(b, "ListId", r)
	b = kguid(b, "ListItemUniqueId", r)
	b = kguid(b, "Site", r)
	b = kv(b, "UserAgent", detrand.Pick(r, userAgents()))
	b = kguid(b, "WebId", r)
	if recordType == 14 {
		b = kv(b, "TargetUserOrGroupName", detrand.Pick(r, []string{"Limited Access System Group", "partner@fabrikam.example", "Everyone except external users"}))
		b = kv(b, "TargetUserOrGroupType", detrand.Pick(r, []string{"SharePointGroup", "Guest", "Member"}))
		b = kguid(b, "UniqueSharingId", r)
	}
	b = kv(b, "SourceFileExtension", f[1])
	b = kv(b, "SiteUrl", siteURL)
	b = kv(b, "SourceFileName", file)
	b = kv(b, "SourceRelativeUrl", folder)
	return append(b, '}')
}

func underscoreDomain(d string) string {
	out := []byte(d)
	for i, c := range out {
		if c == '.' || c == '-' {
			out[i] = '_'
		}
	}
	return string(out)
}

func lowerASCII(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c >= 'A' && c <= 'Z' {
			out[i] = c + 32
		}
	}
	return string(out)
}
