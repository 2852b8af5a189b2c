package mturk_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/collect/mturk"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePage(t *testing.T) {
	cases := []struct {
		file    string
		groups  int
		errLike string
		errIs   error
	}{
		{file: "list-page1.json", groups: 3},
		{file: "list-page2.json", groups: 3},
		{file: "list-page5-extra-field.json", groups: 2},
		{file: "requester-A1TESTREQALPHA.json", groups: 2},
		{file: "requester-empty.json", groups: 0},
		{file: "list-page3-malformed.json", errLike: "malformed JSON at offset"},
		{file: "list-page4-changed-type.json", errLike: `field "results.assignable_hits_count": got JSON string, want int64`},
		{file: "rate-limit.html", errIs: mturk.ErrRateLimitPage},
		{file: "login.html", errIs: mturk.ErrHTML},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			p, _, err := mturk.ParsePage(read(t, c.file))
			switch {
			case c.errIs != nil:
				if !errors.Is(err, c.errIs) {
					t.Fatalf("err = %v; want %v", err, c.errIs)
				}
			case c.errLike != "":
				if err == nil || !strings.Contains(err.Error(), c.errLike) {
					t.Fatalf("err = %v; want one containing %q", err, c.errLike)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Results) != c.groups {
					t.Fatalf("%d groups; want %d", len(p.Results), c.groups)
				}
			}
		})
	}
}

func TestParsePageFields(t *testing.T) {
	p, _, err := mturk.ParsePage(read(t, "list-page1.json"))
	if err != nil {
		t.Fatal(err)
	}
	g := p.Results[1]
	if p.TotalNumResults != 15 || p.PageNumber != 1 || g.HitSetID != "3TESTGROUPBBBBBBBBBBBBBBBBBB02" || g.RequesterID != "A2TESTREQBETA" ||
		g.AssignableHitsCount != 12000 || g.AssignmentDurationInSeconds != 600 || g.MonetaryReward.CurrencyCode != "USD" {
		t.Errorf("page %+v group %+v", p, g)
	}
	// 0.02 read from a JSON number is exactly two cents, not 0.0200000000000000004.
	if !g.MonetaryReward.AmountInDollars.Equal(decimal.New(2, -2)) || g.MonetaryReward.AmountInDollars.String() != "0.02" {
		t.Errorf("reward = %s", g.MonetaryReward.AmountInDollars)
	}
	if g.QualificationsJSON() != "[]" {
		t.Errorf("no requirements gave %s", g.QualificationsJSON())
	}
}

func TestParsePageDropsGroupsWithoutIDs(t *testing.T) {
	body := `{"num_results":3,"total_num_results":3,"page_number":1,"results":[
		{"hit_set_id":"","requester_id":"A1X","monetary_reward":{"amount_in_dollars":0.1}},
		{"hit_set_id":"3ABC","requester_id":"A1 X'; DROP","monetary_reward":{"amount_in_dollars":0.1}},
		{"hit_set_id":"3ABC","requester_id":"A1X","keywords":["survey","short"],"monetary_reward":{"amount_in_dollars":"0.10"}}]}`
	p, dropped, err := mturk.ParsePage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if dropped != 2 || len(p.Results) != 1 || p.Results[0].Keywords != "survey, short" {
		t.Errorf("dropped %d, kept %+v", dropped, p.Results)
	}
}

func TestParsePageRejects(t *testing.T) {
	for name, body := range map[string]string{
		"empty":           ``,
		"not an object":   `[1,2]`,
		"no results":      `{"num_results":0}`,
		"reward as bool":  `{"results":[{"hit_set_id":"3A","requester_id":"A1","monetary_reward":{"amount_in_dollars":true}}]}`,
		"keywords number": `{"results":[{"hit_set_id":"3A","requester_id":"A1","keywords":5}]}`,
		"bad time":        `{"results":[{"hit_set_id":"3A","requester_id":"A1","creation_time":"yesterday"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := mturk.ParsePage([]byte(body)); err == nil || !strings.HasPrefix(err.Error(), "mturk: ") {
				t.Errorf("err = %v; want an mturk: error", err)
			}
		})
	}
}

// FuzzParsePage feeds arbitrary bytes to the list-page parser: it never panics, and
// whatever it accepts is safe to store.
func FuzzParsePage(f *testing.F) {
	for _, name := range []string{"list-page1.json", "list-page3-malformed.json", "list-page4-changed-type.json",
		"list-page5-extra-field.json", "rate-limit.html", "requester-empty.json"} {
		f.Add(read(f, name))
	}
	f.Add([]byte(`{"results":[{"hit_set_id":"3A","requester_id":"A1","monetary_reward":{"amount_in_dollars":1e400}}]}`))
	f.Add([]byte(`{"results":[{"hit_set_id":"3A","requester_id":"A1","assignable_hits_count":-5}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _, err := mturk.ParsePage(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "mturk: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		for _, g := range p.Results {
			if g.HitSetID == "" || g.RequesterID == "" || g.AssignableHitsCount < 0 ||
				g.MonetaryReward.AmountInDollars.IsNegative() || g.MonetaryReward.AmountInDollars.GreaterThanOrEqual(decimal.New(1, 8)) {
				t.Fatalf("accepted an unstorable group %+v", g)
			}
			_ = g.QualificationsJSON()
		}
	})
}
