package web_test

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Self-service tokens are limited per client address: a few at once, then one in a while, so
// nobody mints thousands; each is shown once, in a page that is never cached.
func TestContributeTokenLimit(t *testing.T) {
	base, _ := contributeSite(t)
	seen := map[string]bool{}
	for i := 0; i < 4; i++ {
		res, err := http.PostForm(base+"/contribute/token", url.Values{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		if i < 3 {
			if res.StatusCode != 200 || !strings.Contains(body, `id="token-value"`) || res.Header.Get("Cache-Control") != "private, no-store" {
				t.Fatalf("token %d: %d %q", i+1, res.StatusCode, res.Header.Get("Cache-Control"))
			}
			tok := body[strings.Index(body, "hwt_"):]
			tok = tok[:strings.IndexByte(tok, '<')]
			if seen[tok] {
				t.Errorf("token %d repeats an earlier one", i+1)
			}
			seen[tok] = true
			continue
		}
		if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || strings.Contains(body, `id="token-value"`) {
			t.Errorf("fourth token: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
}

// An upload is refused, with the reason on the page, when the token is wrong (before the file
// is read) or the file cannot be read to its end; nothing is stored either way.
func TestContributeUploadRefused(t *testing.T) {
	base, s := contributeSite(t)
	post := func(token, name, body string) (int, string) {
		t.Helper()
		var buf strings.Builder
		w := multipart.NewWriter(&buf)
		_ = w.WriteField("token", token)
		fw, _ := w.CreateFormFile("file", name)
		_, _ = io.WriteString(fw, body)
		_ = w.Close()
		res, err := http.Post(base+"/contribute/upload", w.FormDataContentType(), strings.NewReader(buf.String()))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := post("hwt_not_a_token", "HIT_Tracker_Backup_20260930.json", contributeBackup); code != 401 || !strings.Contains(body, "unknown or revoked") {
		t.Errorf("wrong token: %d", code)
	}
	res, err := http.PostForm(base+"/contribute/token", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	tok := string(b)[strings.Index(string(b), "hwt_"):]
	tok = tok[:strings.IndexByte(tok, '<')]
	code, body := post(tok, "HIT_Tracker_Backup_20260930.json", contributeBackup[:len(contributeBackup)/2])
	if code != 400 || !strings.Contains(body, "cannot be read") || !strings.Contains(body, "Nothing of it was stored") {
		t.Errorf("cut-off backup: %d", code)
	}
	var n uint64
	if err := s.QueryRow(t.Context(), "SELECT count() FROM task_records WHERE via != ''", nil, &n); err != nil || n != 0 {
		t.Errorf("%d records stored (%v)", n, err)
	}
}

// One token has at most two uploads waiting for confirmation: a third is refused before it is
// read.
func TestContributePendingPerToken(t *testing.T) {
	base, _ := contributeSite(t)
	res, err := http.PostForm(base+"/contribute/token", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	tok := string(b)[strings.Index(string(b), "hwt_"):]
	tok = tok[:strings.IndexByte(tok, '<')]
	for i := 0; i < 3; i++ {
		var buf strings.Builder
		w := multipart.NewWriter(&buf)
		_ = w.WriteField("token", tok)
		fw, _ := w.CreateFormFile("file", "HIT_Tracker_Backup_20260930.json")
		_, _ = io.WriteString(fw, contributeBackup)
		_ = w.Close()
		res, err := http.Post(base+"/contribute/upload", w.FormDataContentType(), strings.NewReader(buf.String()))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		switch {
		case i < 2 && (res.StatusCode != 200 || !strings.Contains(string(body), `id="confirm"`)):
			t.Fatalf("upload %d: %d", i+1, res.StatusCode)
		case i == 2 && (res.StatusCode != 429 || !strings.Contains(string(body), "waiting for your confirmation")):
			t.Errorf("third upload: %d", res.StatusCode)
		}
	}
}
