package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// The outage test plays a database outage under load: a proxy between the
// service and PostgreSQL is cut (every connection closed, new ones refused)
// for outageLength while workers keep calling, then restored. The shared
// PostgreSQL server is never touched.
const outageLength = 8 * time.Second

// answer is one call the load made.
type answer struct {
	kind       string
	requestID  string
	start, end time.Time
	status     int
	code       string
	retryAfter string
	mediaType  string
	err        error
}

func (a answer) String() string {
	return fmt.Sprintf("%s %d %s (%s, Retry-After %q, %v)", a.kind, a.status, a.code, a.end.Sub(a.start).Round(time.Millisecond), a.retryAfter, a.err)
}

// loadClient makes calls and records every answer.
type loadClient struct {
	base   string
	client *http.Client
	mu     sync.Mutex
	all    []answer
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// do calls and records; out, when given, receives a 2xx JSON body.
func (l *loadClient) do(kind, method, path, bearer string, body, out any) answer {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, l.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	a := answer{kind: kind, requestID: newRequestID(), start: time.Now()}
	req.Header.Set("X-Request-Id", a.requestID)
	resp, err := l.client.Do(req)
	if err == nil {
		var b []byte
		b, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		a.status, a.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
		a.mediaType = resp.Header.Get("Content-Type")
		if strings.HasPrefix(a.mediaType, "application/problem+json") {
			var p struct {
				Code string `json:"code"`
			}
			_ = json.Unmarshal(b, &p)
			a.code = p.Code
		} else if out != nil && a.status < 300 {
			err = json.Unmarshal(b, out)
		}
	}
	a.end, a.err = time.Now(), err
	l.mu.Lock()
	l.all = append(l.all, a)
	l.mu.Unlock()
	return a
}

// outageFixture is a demo service on PostgreSQL behind a proxy that can be
// cut.
type outageFixture struct {
	db     *storage.DB // the test's own connection to the schema, not through the proxy
	proxy  *tcpProxy
	base   string
	token  string // erik's session
	bank   string // the demo bank's API key
	doc    demoDoc
	listID string
	center string
	slot   string
}

func startOutageFixture(t *testing.T) *outageFixture {
	t.Helper()
	db := dbtest.Postgres(t)
	var schema string
	if err := db.Gorm.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(withSearchPath(t, schema))
	p := &tcpProxy{target: u.Host}
	p.start(t)
	t.Cleanup(p.cut)
	u.Host = p.addr
	dir := t.TempDir()
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0", "-migrate=false", "-demo"}, map[string]string{
		"FPRLINK_DATABASE_URL": u.String(), "FPRLINK_DATA_DIR": dir, "FPRLINK_KEK": strings.Repeat("cd", 32),
		"FPRLINK_VERIFY_RATE": "0", "FPRLINK_ATTESTATION_CAP": "100", "FPRLINK_ATTESTATION_DAILY_LIMIT": "10000",
	})
	t.Cleanup(func() { stop() })
	demo := readDemo(t, dir, "demo-postgres.json")
	f := &outageFixture{db: db, proxy: p, base: base, bank: bankKey(t, demo)}
	f.doc, f.token = issueAs(t, base, demo, "erik")
	if err := db.Gorm.Raw("SELECT status_list_id FROM attestations WHERE id = ?", f.doc.ID).Scan(&f.listID).Error; err != nil || f.listID == "" {
		t.Fatalf("status list of the document: %q, %v", f.listID, err)
	}
	f.center, f.slot = firstFreeSlot(t, base)
	return f
}

// firstFreeSlot finds a bookable visa-extension slot in the next weeks at
// the first centre.
func firstFreeSlot(t *testing.T, base string) (string, string) {
	t.Helper()
	var centers struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	call(t, "GET", base+"/api/v1/service-centers?limit=1", "", nil, &centers, 200)
	if len(centers.Items) == 0 {
		t.Fatal("no service centre")
	}
	id := centers.Items[0].ID
	for d := 1; d < 30; d++ {
		day := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, d).Format(time.DateOnly)
		var slots struct {
			Slots []struct {
				Start     string `json:"start"`
				Remaining int    `json:"remaining"`
			} `json:"slots"`
		}
		call(t, "GET", base+"/api/v1/service-centers/"+id+"/slots?business=visa_extension&date="+day, "", nil, &slots, 200)
		for _, s := range slots.Slots {
			if s.Remaining > 2 {
				return id, s.Start
			}
		}
	}
	t.Fatal("no free slot in 30 days")
	return "", ""
}

// The kinds of call the load makes, and whether each needs the database.
var outageKinds = map[string]bool{
	"verify": true, "me": true, "list-attestations": true, "issue": true, "revoke": true,
	"book": true, "cancel": true, "readyz": true,
	"guidelines": false, "guideline": false, "centres": false, "jwks": false, "status-list": false,
}

// runLoad runs workers until stop closes: readers cycling over every kind
// of read, one worker issuing and revoking e-documents, one booking and
// cancelling. A document or booking whose revocation or cancellation failed
// is retried before the next is made, so the rules (one booking per
// business) never refuse the load.
func (f *outageFixture) runLoad(l *loadClient, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	reads := []func(){
		func() { l.do("verify", "POST", "/api/v1/verify", f.bank, map[string]string{"qr": f.doc.QRText}, nil) },
		func() { l.do("me", "GET", "/api/v1/me", f.token, nil, nil) },
		func() { l.do("list-attestations", "GET", "/api/v1/me/attestations", f.token, nil, nil) },
		func() { l.do("guidelines", "GET", "/api/v1/guidelines", "", nil, nil) },
		func() { l.do("guideline", "GET", "/api/v1/guidelines/visa_extension", "", nil, nil) },
		func() { l.do("centres", "GET", "/api/v1/service-centers", "", nil, nil) },
		func() { l.do("jwks", "GET", "/.well-known/jwks.json", "", nil, nil) },
		func() { l.do("status-list", "GET", "/api/v1/status-lists/"+f.listID, "", nil, nil) },
		func() { l.do("readyz", "GET", "/readyz", "", nil, nil) },
	}
	loop := func(step func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				step(i)
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	for w := 0; w < 4; w++ {
		loop(func(i int) { reads[(i+w)%len(reads)]() })
	}
	var doc string
	loop(func(int) {
		if doc == "" {
			var d demoDoc
			if a := l.do("issue", "POST", "/api/v1/me/attestations", f.token, map[string]string{"purpose": "tax"}, &d); a.status == 201 {
				doc = d.ID
			}
			return
		}
		// A 409 is a revocation that was committed though its answer was
		// lost with the connection (a 503): the client's retry finds it done.
		if a := l.do("revoke", "POST", "/api/v1/me/attestations/"+doc+"/revoke", f.token, map[string]string{}, nil); a.status == 200 || a.status == 409 {
			doc = ""
		}
	})
	var appt string
	loop(func(int) {
		if appt == "" {
			var b struct {
				ID string `json:"id"`
			}
			if a := l.do("book", "POST", "/api/v1/appointments", f.token,
				map[string]string{"business": "visa_extension", "center_id": f.center, "slot_start": f.slot}, &b); a.status == 201 {
				appt = b.ID
			}
			return
		}
		if a := l.do("cancel", "POST", "/api/v1/appointments/"+appt+"/cancel", f.token, map[string]string{}, nil); a.status == 200 || a.status == 409 {
			appt = ""
		}
	})
	return &wg
}

func TestPostgresOutageUnderLoadAnswers503AndRecovers(t *testing.T) {
	f := startOutageFixture(t)
	l := &loadClient{base: f.base, client: &http.Client{Timeout: 10 * time.Second}}
	stop := make(chan struct{})
	wg := f.runLoad(l, stop)

	time.Sleep(1500 * time.Millisecond) // load with the database up
	cutAt := time.Now()
	f.proxy.cut()
	time.Sleep(outageLength)
	restoredAt := time.Now()
	f.proxy.start(t)
	waitFor(t, func() bool { return get(t, f.base+"/readyz") == 200 }, "/readyz 200 after the database is back, without a restart")
	time.Sleep(1500 * time.Millisecond) // load with the database back
	close(stop)
	wg.Wait()

	summary := map[string]int{}
	for _, a := range l.all {
		summary[fmt.Sprintf("%s %d", a.kind, a.status)]++
	}
	t.Logf("%d calls: %v", len(l.all), summary)
	checkOutageAnswers(t, l.all, cutAt, restoredAt)
	checkRecovered(t, l.all, restoredAt)
	f.checkConsistent(t, l.all, cutAt)
}

// checkOutageAnswers holds every answer to the outage rules: never a 500;
// every call made and answered while the cut lasted answered within a
// second, the database
// routes with 503 database_unavailable and Retry-After, the memory-served
// and published routes with 200.
func checkOutageAnswers(t *testing.T, all []answer, cutAt, restoredAt time.Time) {
	t.Helper()
	during := map[string]int{}
	for _, a := range all {
		if a.err != nil {
			t.Errorf("transport error: %v", a)
			continue
		}
		if a.status >= 500 && a.status != 503 {
			t.Errorf("an outage must never be a %d: %v", a.status, a)
		}
		if a.start.Before(cutAt) || !a.end.Before(restoredAt) {
			continue
		}
		if d := a.end.Sub(a.start); d >= time.Second {
			t.Errorf("answered in %s during the outage, over 1 s: %v", d, a)
		}
		// The first few hundred milliseconds belong to calls already past
		// their database work.
		if a.start.Before(cutAt.Add(300 * time.Millisecond)) {
			continue
		}
		during[a.kind]++
		needsDB, known := outageKinds[a.kind]
		switch {
		case !known:
			t.Fatalf("unknown kind %q", a.kind)
		case needsDB && (a.status != 503 || a.code != "database_unavailable" || a.retryAfter == "" ||
			!strings.HasPrefix(a.mediaType, "application/problem+json")):
			t.Errorf("during the outage a database route must answer 503 database_unavailable with Retry-After: %v", a)
		case !needsDB && a.status != 200:
			t.Errorf("during the outage %s must still be served: %v", a.kind, a)
		}
	}
	// The writing workers are issuing or revoking, booking or cancelling,
	// depending on where the cut found them.
	during["issue"] += during["revoke"]
	during["book"] += during["cancel"]
	for kind := range outageKinds {
		if kind != "revoke" && kind != "cancel" && during[kind] == 0 {
			t.Errorf("no %s call was made during the outage", kind)
		}
	}
}

// checkRecovered wants every kind answered with success again once the
// database was back.
func checkRecovered(t *testing.T, all []answer, restoredAt time.Time) {
	t.Helper()
	ok := map[string]bool{}
	for _, a := range all {
		if a.start.After(restoredAt) && a.status >= 200 && a.status < 300 {
			ok[a.kind] = true
		}
	}
	for _, kind := range []string{"verify", "me", "list-attestations", "guidelines", "centres", "jwks", "status-list", "readyz", "issue", "book"} {
		if !ok[kind] {
			t.Errorf("%s did not succeed again after the database came back", kind)
		}
	}
}

// checkConsistent reads the database directly: one verification row per
// verification answered (and at most the ones in flight at the cut
// beyond), one audit row per e-document issued and per revocation, every
// revoked document invalid in its status list, and every slot's counter
// equal to its bookings.
func (f *outageFixture) checkConsistent(t *testing.T, all []answer, cutAt time.Time) {
	t.Helper()
	var rows []string
	if err := f.db.Gorm.Raw("SELECT request_id FROM verifications").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, id := range rows {
		stored[id] = true
	}
	answered := map[string]bool{}
	for _, a := range all {
		if a.kind != "verify" {
			continue
		}
		inFlightAtCut := !a.start.After(cutAt) && a.end.After(cutAt)
		switch {
		case a.status == 200:
			answered[a.requestID] = true
			if !stored[a.requestID] {
				t.Errorf("verification %s was answered but not recorded", a.requestID)
			}
		case stored[a.requestID] && !inFlightAtCut:
			t.Errorf("verification %s was recorded though answered %d", a.requestID, a.status)
		}
	}
	if len(answered) == 0 {
		t.Fatal("no verification was answered")
	}
	var issued, issueAudits, revoked, revokeAudits, revokedValid int64
	q := func(dst *int64, sql string, args ...any) {
		t.Helper()
		if err := f.db.Gorm.Raw(sql, args...).Scan(dst).Error; err != nil {
			t.Fatal(err)
		}
	}
	q(&issued, "SELECT count(*) FROM attestations")
	q(&issueAudits, "SELECT count(*) FROM audit_events WHERE action = 'attestation.issue'")
	q(&revoked, "SELECT count(*) FROM attestations WHERE state = 'revoked'")
	q(&revokeAudits, "SELECT count(*) FROM audit_events WHERE action = 'attestation.revoke'")
	q(&revokedValid, `SELECT count(*) FROM attestations a LEFT JOIN status_entries e
		ON e.list_id = a.status_list_id AND e.idx = a.status_idx
		WHERE a.state = 'revoked' AND (e.status IS NULL OR e.status <> 1)`)
	if issued < 3 || issued != issueAudits || revoked != revokeAudits || revokedValid != 0 {
		t.Errorf("e-documents: %d issued with %d audit rows, %d revoked with %d audit rows, %d revoked but valid in their list",
			issued, issueAudits, revoked, revokeAudits, revokedValid)
	}
	var wrongCounters int64
	q(&wrongCounters, `SELECT count(*) FROM slot_bookings s WHERE s.booked <> (SELECT count(*) FROM appointments a
		WHERE a.center_id = s.center_id AND a.business_group = s.business_group AND a.slot_start = s.slot_start AND a.status = 'booked')`)
	var booked int64
	q(&booked, "SELECT count(*) FROM appointments")
	if wrongCounters != 0 || booked < 2 {
		t.Errorf("bookings: %d slots whose counter differs from their bookings, %d bookings made", wrongCounters, booked)
	}
}
