package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// applicationSummary is one application in a list, and the head of every
// view of one.
type applicationSummary struct {
	Number                string    `json:"number"`
	BusinessType          string    `json:"business_type"`
	BusinessTypeName      string    `json:"business_type_name"`
	CenterID              string    `json:"center_id"`
	CenterName            string    `json:"center_name"`
	CenterAddress         string    `json:"center_address"`
	Status                string    `json:"status"`
	StatusLabel           string    `json:"status_label"`
	SubmittedAt           time.Time `json:"submitted_at"`
	ProcessingWorkingDays int       `json:"processing_working_days"`
	Deadline              string    `json:"deadline"`
	Overdue               bool      `json:"overdue"`
}

// publicEvent is one step of the applicant's timeline: no officer, no
// internal note.
type publicEvent struct {
	Status      string    `json:"status"`
	StatusLabel string    `json:"status_label"`
	At          time.Time `json:"at"`
	Note        string    `json:"note,omitempty"`
}

type publicApplication struct {
	applicationSummary
	Timeline []publicEvent `json:"timeline"`
}

// officerSummary adds what only officers see to a summary.
type officerSummary struct {
	applicationSummary
	ID            string    `json:"id"`
	PersonID      string    `json:"person_id"`
	AppointmentID string    `json:"appointment_id,omitempty"`
	RegisteredBy  string    `json:"registered_by"`
	UpdatedAt     time.Time `json:"updated_at"`
}

type officerEvent struct {
	ID           string     `json:"id"`
	FromStatus   string     `json:"from_status,omitempty"`
	Status       string     `json:"status"`
	StatusLabel  string     `json:"status_label"`
	At           time.Time  `json:"at"`
	OfficerID    string     `json:"officer_id"`
	PublicNote   *i18n.Text `json:"public_note,omitempty"`
	InternalNote string     `json:"internal_note,omitempty"`
}

type officerApplication struct {
	officerSummary
	Timeline []officerEvent `json:"timeline"`
}

func summaryJSON(a applications.Application, lang i18n.Lang) applicationSummary {
	return applicationSummary{Number: a.Number.String(), BusinessType: a.BusinessType,
		BusinessTypeName: applications.BusinessTypeName(a.BusinessType).In(lang), CenterID: a.CentreID,
		CenterName: a.Centre.Name.In(lang), CenterAddress: a.Centre.Address.In(lang),
		Status: string(a.Status), StatusLabel: a.Status.Label().In(lang), SubmittedAt: a.SubmittedAt.UTC(),
		ProcessingWorkingDays: a.ProcessingDays, Deadline: a.Deadline.String(), Overdue: a.Overdue}
}

func publicJSON(p applications.Public, lang i18n.Lang) publicApplication {
	out := publicApplication{applicationSummary: summaryJSON(applications.Application{
		Number: p.Number, BusinessType: p.BusinessType, CentreID: p.CentreID, Centre: p.Centre, Status: p.Status,
		SubmittedAt: p.SubmittedAt, ProcessingDays: p.ProcessingDays, Deadline: p.Deadline, Overdue: p.Overdue,
	}, lang), Timeline: make([]publicEvent, len(p.Timeline))}
	for i, e := range p.Timeline {
		out.Timeline[i] = publicEvent{Status: string(e.Status), StatusLabel: e.Status.Label().In(lang),
			At: e.At.UTC(), Note: e.Note.In(lang)}
	}
	return out
}

func officerSummaryJSON(a applications.Application, lang i18n.Lang) officerSummary {
	return officerSummary{applicationSummary: summaryJSON(a, lang), ID: a.ID, PersonID: a.PersonID,
		AppointmentID: a.AppointmentID, RegisteredBy: a.RegisteredBy, UpdatedAt: a.UpdatedAt.UTC()}
}

func officerJSON(r applications.Record, lang i18n.Lang) officerApplication {
	out := officerApplication{officerSummary: officerSummaryJSON(r.Application, lang),
		Timeline: make([]officerEvent, len(r.Events))}
	for i, e := range r.Events {
		ev := officerEvent{ID: e.ID, FromStatus: string(e.FromStatus), Status: string(e.Status),
			StatusLabel: e.Status.Label().In(lang), At: e.At.UTC(), OfficerID: e.OfficerID,
			InternalNote: e.InternalNote}
		if e.PublicNote.En != "" || e.PublicNote.Zh != "" {
			note := e.PublicNote
			ev.PublicNote = &note
		}
		out.Timeline[i] = ev
	}
	return out
}

func summaryPage(p paging.Page[applications.Application], lang i18n.Lang) paging.Page[applicationSummary] {
	return paging.Map(p, func(a applications.Application) applicationSummary { return summaryJSON(a, lang) })
}

func officerSummaryPage(p paging.Page[applications.Application], lang i18n.Lang) paging.Page[officerSummary] {
	return paging.Map(p, func(a applications.Application) officerSummary { return officerSummaryJSON(a, lang) })
}
