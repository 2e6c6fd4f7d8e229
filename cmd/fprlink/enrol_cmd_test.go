package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
)

func postJSON(t *testing.T, url, token, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var fileCode = regexp.MustCompile(`[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}`)

// codeFromFile waits for the dispatcher to write a message to recipient
// and returns the code in it.
func codeFromFile(t *testing.T, path, recipient string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if f, err := os.Open(path); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				var m struct{ To, Body string }
				if json.Unmarshal(sc.Bytes(), &m) == nil && m.To == recipient {
					f.Close()
					return fileCode.FindString(m.Body)
				}
			}
			f.Close()
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no message to %s in %s", recipient, path)
	return ""
}

// TestDemoResidentEnrolsWithTheCodeFromTheMessageFile: on the embedded
// default, the demo's elderly person (who has no account) asks for a code
// with his document data, the code lands in the 0600 messages file under
// the data directory, and it opens his account, which issues a bank
// document.
func TestDemoResidentEnrolsWithTheCodeFromTheMessageFile(t *testing.T) {
	t.Chdir(t.TempDir())
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0"}, nil)
	defer stop()
	birth := calendar.Date{Year: 1941, Month: 2, Day: 9}
	card := docnum.MakeFPR2017("NGA", "4401", birth, 6)
	status, body := postJSON(t, base+"/api/v1/auth/enrolment-codes", "",
		fmt.Sprintf(`{"passport_number":"A09182736","nationality":"NGA","birth_date":"1941-02-09","fpr_card_number":%q}`, card))
	if status != http.StatusAccepted {
		t.Fatalf("code request: %d %s", status, body)
	}
	path := filepath.Join("data", "messages.ndjson")
	code := codeFromFile(t, path, "+447700900106")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("messages file mode %v, %v", st.Mode(), err)
	}
	status, body = postJSON(t, base+"/api/v1/auth/register", "",
		fmt.Sprintf(`{"code":%q,"username":"chinedu","password":"a long demo password"}`, code))
	if status != http.StatusCreated {
		t.Fatalf("register: %d %s", status, body)
	}
	status, body = postJSON(t, base+"/api/v1/auth/login", "", `{"username":"chinedu","password":"a long demo password"}`)
	var login struct{ Token string }
	if status != http.StatusOK || json.Unmarshal(body, &login) != nil {
		t.Fatalf("login: %d %s", status, body)
	}
	status, body = postJSON(t, base+"/api/v1/me/attestations", login.Token, `{"purpose":"bank"}`)
	if status != http.StatusCreated || !strings.Contains(string(body), `"purpose":"bank"`) {
		t.Fatalf("issue: %d %s", status, body)
	}
}
