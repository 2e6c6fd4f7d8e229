package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The web pages are tested in headless Chromium (Debian's package, which
// .ci/run installs). Without it the browser tests skip on a developer's
// machine and fail under CI=true, where a skip would hide them.

// chromiumPath finds the browser: FPRLINK_CHROMIUM, else Debian's.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("FPRLINK_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed: the browser tests must run in CI (apt-get install chromium)")
	}
	t.Skip("Chromium is not installed (apt-get install chromium); the browser tests run in CI")
	return ""
}

// axeSource is axe-core's script from web/e2e (npm ci there).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "web", "e2e", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is not installed (cd web/e2e && npm ci): %v", err)
		}
		t.Skip("axe-core is not installed (cd web/e2e && npm ci)")
	}
	return string(b)
}

// browser is one headless Chromium with a fresh profile, the size of a
// phone.
type browser struct {
	ctx       context.Context
	artifacts string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(390, 844),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot(t, "failure")
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return b
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// screenshot saves the page as PNG under an artifacts directory that
// outlives the test (FPRLINK_E2E_ARTIFACTS, or a new temporary one), and
// logs where.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	if b.artifacts == "" {
		dir := os.Getenv("FPRLINK_E2E_ARTIFACTS")
		if dir == "" {
			d, err := os.MkdirTemp("", "fprlink-e2e-")
			if err != nil {
				t.Log(err)
				return
			}
			dir = d
		}
		b.artifacts = dir
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	path := filepath.Join(b.artifacts, unsafeName.ReplaceAllString(t.Name()+"-"+name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Log(err)
		return
	}
	t.Logf("screenshot saved: %s", path)
}

// do runs browser steps, failing the test on error.
func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a script in the page and returns its value.
func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.60q: %v", js, err)
	}
	return v
}

// text is the text of the first element matching the CSS selector.
func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	return strings.TrimSpace(eval[string](t, b, `(document.querySelector(`+jsString(sel)+`)||{}).textContent||''`))
}

// open navigates to url and waits for the page's main landmark.
func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	b.do(t, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("main")))
}

// fill sets form fields by id and submits with the button sel, waiting
// for the page the form leads to.
func (b *browser) fill(t *testing.T, fields map[string]string, submit string) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{}
	for id, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.CSS("#"+id), v))
	}
	b.do(t, steps...)
	b.clickNav(t, submit)
}

// clickNav clicks sel and waits until a new page has loaded: the old page
// is marked first, so its own <main> is not taken for the new one's.
func (b *browser) clickNav(t *testing.T, sel string) {
	t.Helper()
	eval[any](t, b, `window.__fprlOld = true`)
	b.do(t, chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		done, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!window.__fprlOld && document.readyState === 'complete'`))
		if err == nil && done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("clicking %s led to no new page", sel)
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(t *testing.T, sel, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		got, _ = chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`)||{}).textContent||''`))
		if strings.Contains(got, want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: text %q, want it to contain %q", sel, got, want)
}

// waitAttr waits until the element's attribute is want.
func (b *browser) waitAttr(t *testing.T, sel, attr, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		got, _ = chromedp.Run(b.ctx, chromedp.Evaluate[string](`((document.querySelector(`+jsString(sel)+`)||{getAttribute(){return ''}}).getAttribute(`+jsString(attr)+`))||''`))
		if got == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s[%s] = %q, want %q", sel, attr, got, want)
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}
