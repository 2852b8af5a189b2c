package ingest

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// readAll reads a stream and returns, per record line, "" for a good record or the first
// problem's field (or "parse") for a bad one.
func readAll(t *testing.T, r io.Reader, opts ReadOptions) (Format, map[int]string, []Input) {
	t.Helper()
	rd, err := Open(r, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	out := map[int]string{}
	var good []Input
	for {
		it, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		if _, dup := out[it.Line]; dup {
			t.Fatalf("line %d reported twice", it.Line)
		}
		switch {
		case it.Err != nil:
			out[it.Line] = "parse"
		default:
			if _, probs := Check(&it.Input, checkNow); len(probs) > 0 {
				out[it.Line] = probs[0].Field
			} else {
				out[it.Line] = ""
				good = append(good, it.Input)
			}
		}
	}
	return rd.Format(), out, good
}

func openFile(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestReadFormats(t *testing.T) {
	for _, c := range []struct {
		file   string
		format Format
		opts   ReadOptions
	}{
		{"records.ndjson", NDJSON, ReadOptions{}},
		{"records.json", JSONArray, ReadOptions{}},
		{"records.csv", CSV, ReadOptions{}},
	} {
		t.Run(c.file, func(t *testing.T) {
			format, lines, good := readAll(t, openFile(t, c.file), c.opts)
			if format != c.format || len(lines) != 4 || len(good) != 4 {
				t.Fatalf("format %s, lines %v, %d good", format, lines, len(good))
			}
			// The same records whatever the format: the third took 1:20, the fourth 6.5 min.
			r, _ := Check(&good[2], checkNow)
			r4, _ := Check(&good[3], checkNow)
			if r.DurationSeconds != 80 || r4.DurationSeconds != 390 || r4.Reward.String() != "1.2" || string(good[3].Title) != "Rate images <b>& more</b>" {
				t.Fatalf("records %+v %+v", r, good[3])
			}
		})
	}
}

func TestReadMappedSemicolonCSV(t *testing.T) {
	m, err := ParseMapping("Requester ID=requester_id, HIT Title=title,Pay=reward,Time Taken=duration_seconds,Group=hit_set_id,Requester=requester_name")
	if err != nil {
		t.Fatal(err)
	}
	rd, err := Open(openFile(t, "history-tool.csv"), ReadOptions{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	if ign := rd.(*csvReader).Ignored(); strings.Join(ign, ",") != "Date" {
		t.Fatalf("ignored columns %v", ign)
	}
	_, lines, good := readAll(t, openFile(t, "history-tool.csv"), ReadOptions{Mapping: m})
	if len(good) != 4 || len(lines) != 4 {
		t.Fatalf("lines %v", lines)
	}
	var durs []uint32
	for i := range good {
		r, _ := Check(&good[i], checkNow)
		durs = append(durs, r.DurationSeconds)
	}
	if durs[0] != 390 || durs[1] != 95 || durs[2] != 390 || durs[3] != 390 || string(good[0].Title) != "Survey; part 1" || string(good[0].Status) != "Approved" {
		t.Fatalf("durations %v, first %+v", durs, good[0])
	}
	// "Requester ID" matches requester_id by itself; without the mapping the other columns
	// are unknown, so every record lacks its reward.
	_, lines, _ = readAll(t, openFile(t, "history-tool.csv"), ReadOptions{})
	if lines[2] != "reward" || len(lines) != 4 {
		t.Fatalf("unmapped lines %v", lines)
	}
	// A header that names no requester column is a clear error.
	_, err = Open(strings.NewReader("Who;Pay\nA3HWTESTREQ0001;1\n"), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "--map") {
		t.Fatalf("unmapped open error %v", err)
	}
}

func TestReadBrokenLines(t *testing.T) {
	_, lines, _ := readAll(t, openFile(t, "broken.ndjson"), ReadOptions{})
	want := map[int]string{1: "", 2: "parse", 4: "reward", 5: "", 6: "hit_set_id", 7: "finished_at", 8: ""}
	if len(lines) != len(want) {
		t.Fatalf("lines %v, want %v", lines, want)
	}
	for l, f := range want {
		if got, ok := lines[l]; !ok || got != f {
			t.Fatalf("line %d: %q, want %q (all: %v)", l, got, f, lines)
		}
	}
	format, lines, _ := readAll(t, openFile(t, "broken.tsv"), ReadOptions{})
	want = map[int]string{2: "", 3: "parse", 4: "duration_seconds", 5: "parse", 6: "duration_seconds", 7: ""}
	if format != CSV || len(lines) != len(want) {
		t.Fatalf("tsv lines %v, want %v", lines, want)
	}
	for l, f := range want {
		if got := lines[l]; got != f {
			t.Fatalf("tsv line %d: %q, want %q (all: %v)", l, got, f, lines)
		}
	}
}

func TestReadLongLineAndEmpty(t *testing.T) {
	body := `{"requester_id":"A3HWTESTREQ0001","reward":"1","duration_seconds":5}` + "\n" +
		`{"title":"` + strings.Repeat("x", 300) + `"}` + "\n" +
		`{"requester_id":"A3HWTESTREQ0001","reward":"1","duration_seconds":6}`
	_, lines, good := readAll(t, strings.NewReader(body), ReadOptions{MaxLine: 200})
	if len(good) != 2 || lines[2] != "parse" || lines[3] != "" {
		t.Fatalf("lines %v", lines)
	}
	if _, err := Open(strings.NewReader(" \n\t"), ReadOptions{}); err != ErrEmpty {
		t.Fatalf("empty: %v", err)
	}
	if _, err := Open(strings.NewReader("a,b\n1,2"), ReadOptions{OnlyJSON: true}); err == nil {
		t.Fatal("CSV accepted where only JSON is")
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"records.ndjson", "records.json", "records.csv", "history-tool.csv", "broken.ndjson", "broken.tsv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
	}
	f.Add([]byte(`[{"reward": {"a": 1}}, 3, "x"]`), "")
	f.Add([]byte("Pay|Req\n1|A3HWTESTREQ0001\n\"|\"\n"), "Pay=reward,Req=requester_id")
	f.Fuzz(func(t *testing.T, data []byte, mapping string) {
		m, err := ParseMapping(mapping)
		if err != nil {
			return
		}
		rd, err := Open(bytes.NewReader(data), ReadOptions{Mapping: m, MaxLine: 4096})
		if err != nil {
			return
		}
		for n := 0; n <= len(data)+1; n++ {
			it, err := rd.Next()
			if err != nil {
				return
			}
			if it.Err == nil {
				r, probs := Check(&it.Input, checkNow)
				if len(probs) == 0 && (r.RequesterID == "" || r.DurationSeconds < 1 || r.Reward.IsNegative()) {
					t.Fatalf("accepted an invalid record %+v", r)
				}
			}
		}
		t.Fatalf("reader yielded more records than the input has bytes")
	})
}
