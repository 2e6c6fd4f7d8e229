package registry_test

import (
	"testing"

	"github.com/fprlink/fprlink/internal/registry"
)

// TestEveryStatusHasALabel: each status a passport or FPR card can have
// (the CHECKs of passports.status and fpr_cards.status, and the derived
// "expired") is named in English and Chinese.
func TestEveryStatusHasALabel(t *testing.T) {
	for _, s := range []string{registry.StatusValid, registry.StatusExpired, registry.StatusLost, registry.StatusStolen,
		registry.StatusReplaced, registry.StatusCancelled} {
		l := registry.StatusLabel(s)
		if l.En == "" || l.Zh == "" || l.En == s || l.Zh == l.En {
			t.Errorf("%s has no label of its own: %+v", s, l)
		}
	}
}

// TestEveryIssueReasonHasALabel: each reason a card is issued for (the
// CHECK of fpr_cards.issue_reason) is named in English and Chinese.
func TestEveryIssueReasonHasALabel(t *testing.T) {
	for _, s := range []string{registry.IssueFirst, registry.IssueRenewal, registry.IssueReplacement} {
		l := registry.IssueLabel(s)
		if l.En == "" || l.Zh == "" || l.En == s || l.Zh == l.En {
			t.Errorf("%s has no label of its own: %+v", s, l)
		}
	}
}
