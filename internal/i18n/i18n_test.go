package i18n

import "testing"

func TestNegotiate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, param, header string
		want                Lang
	}{
		{"default", "", "", EN},
		{"param wins", "zh-CN", "en", ZH},
		{"header zh", "", "zh-CN,zh;q=0.9,en;q=0.8", ZH},
		{"header weights", "", "zh;q=0.2, en;q=0.9", EN},
		{"unsupported falls back", "", "fr-FR", EN},
		{"bad param ignored", "de", "zh-Hans", ZH},
		{"q zero refused", "", "zh;q=0", EN},
		{"q is case-insensitive", "", "zh-CN;Q=0.1, en;q=0.5", EN},
		{"spaces around q", "", "en ; q = 0.3, zh ; q = 0.6", ZH},
		{"wildcard after a refusal", "", "en;q=0, *", ZH},
		{"wildcard below a named language", "", "zh;q=0.9, *;q=0.1", ZH},
		{"only English refused", "", "en;q=0", ZH},
		{"traditional Chinese alone", "", "zh-TW", EN},
		{"q out of range ignored", "", "zh;q=7, en;q=0.5", ZH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Negotiate(tt.param, tt.header); got != tt.want {
				t.Fatalf("Negotiate(%q,%q) = %q, want %q", tt.param, tt.header, got, tt.want)
			}
		})
	}
}

func TestTextFallsBackToEnglish(t *testing.T) {
	t.Parallel()
	if got := T("Hello", "").In(ZH); got != "Hello" {
		t.Fatalf("got %q", got)
	}
	if got := T("Hello", "你好").In(ZH); got != "你好" {
		t.Fatalf("got %q", got)
	}
}

func TestLabel(t *testing.T) {
	t.Parallel()
	type status string
	labels := map[status]Text{"booked": T("Booked", "已预约")}
	if l := Label(labels, "booked"); l.In(ZH) != "已预约" || l.In(EN) != "Booked" {
		t.Fatalf("known code: %+v", l)
	}
	if l := Label(labels, "paused"); l.En != "paused" || l.Zh != "paused" {
		t.Fatalf("a code without a label reads %+v, want the code", l)
	}
}
