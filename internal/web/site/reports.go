package site

import (
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/reports"
)

// ReportList lists platform p's written reports (none when the site publishes none).
func (s *Site) ReportList(p platform.ID) ([]reports.Entry, error) {
	if s.Deps.ReportsDir == "" {
		return nil, nil
	}
	return reports.List(reports.Dir(s.Deps.ReportsDir, p))
}
