//go:build ignore

// test2json_cases.go regenerates test2json_cases.h from go's own
// converter.  cmd/internal/test2json cannot be imported from outside cmd,
// so it is copied into a scratch module with its clock made fake:
//
//	mkdir -p /tmp/h-t2j-gen/t2j && cd /tmp/h-t2j-gen
//	printf 'module gen\n\ngo 1.26\n' > go.mod
//	cp $GOROOT/src/cmd/internal/test2json/test2json.go t2j/
//	sed -i 's/time\.Now()/fakeNow()/; s/time\.Since(c\.start)/fakeNow().Sub(c.start)/' t2j/test2json.go
//	cat >> t2j/test2json.go <<'X'
//	var FakeBase, FakeStep int64
//	var fakeK int64
//	func fakeNow() time.Time { t := time.Unix(0, FakeBase+fakeK*FakeStep); fakeK++; return t }
//	func ResetClock()          { fakeK = 0 }
//	X
//	cp $SRC/tests/unit/test2json_cases.go main.go && sed -i 1,2d main.go
//	(for z in UTC Asia/Kolkata America/St_Johns; do TZ=$z go run .; done) > cases.h
//
// then prepend test2json_cases.h's header comment.  Go reads the time zone
// once per process, hence one run per zone.

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	t2j "gen/t2j"
)

type tcase struct {
	name   string
	pkg    string
	ts     bool
	tz     string
	chunks []string
	exited string // "", "nil", "err"
	fb     string
	base   int64
	step   int64
}

func cstr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString("\\n")
			if i+1 < len(s) {
				b.WriteString("\"\n\t\t\"")
			}
		case c == '?':
			b.WriteString("\\?")
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func main() {
	long1 := strings.Repeat("x", 1021) + "é☺" + strings.Repeat("y", 2000) + "\n"
	long2 := "--- PASS: " + strings.Repeat("z", 5000) + " (0.00s)\n"
	cases := []tcase{
		{name: "timestamp", pkg: "example.com/p", ts: true, tz: "UTC", chunks: []string{
			"=== RUN   TestA\n--- PASS: TestA (0.50s)\n=== RUN   TestB\n    b_test.go:5: <oops> & \"q\"\n--- FAIL: TestB (1.25s)\nFAIL\n"}, exited: "err"},
		{name: "timestamp_zone", pkg: "example.com/p", ts: true, tz: "Asia/Kolkata", chunks: []string{
			"=== RUN   TestA\n--- PASS: TestA (0.00s)\nPASS\n"}, exited: "nil"},
		{name: "timestamp_whole", pkg: "p", ts: true, tz: "America/St_Johns", base: 1767225600000000000, step: 1000000000, chunks: []string{
			"=== RUN   TestA\n--- PASS: TestA (1.00s)\nPASS\n"}, exited: "nil"},
		{name: "timestamp_round", pkg: "p", ts: true, tz: "UTC", base: -1500, step: 1500, chunks: []string{
			"PASS\n"}},
		{name: "timestamp_round_up", pkg: "p", ts: true, tz: "UTC", base: 10, step: 333499, chunks: []string{
			"ok\n"}, exited: "nil"},
		{name: "failed_build", pkg: "example.com/p", ts: true, tz: "UTC", chunks: []string{
			"FAIL\texample.com/p [build failed]\n"}, exited: "err", fb: "example.com/q"},
		{name: "failed_build_pass", pkg: "example.com/p", chunks: []string{"PASS\n"}, exited: "nil", fb: "example.com/q"},
		{name: "elapsed_forms", ts: true, tz: "UTC", chunks: []string{
			"--- PASS: T1 (1e-7s)\n--- PASS: T2 (1e21s)\n--- PASS: T3 (123456789.125s)\n--- PASS: T4 (0x1p-2s)\n" +
				"--- PASS: T5 (1_0.5s)\n--- PASS: T6 (1__0s)\n--- PASS: T7 (-0s)\n--- PASS: T8 (1e400s)\n" +
				"--- PASS: T9 (0.000001s)\n--- PASS: T10 (12s)\n--- PASS: T11 (100s)\n--- PASS: T12 (.5s)\n" +
				"--- PASS: T13 (5.s)\n--- PASS: T14 (0.1 s)\n--- PASS: T15 (0x1s)\n--- PASS: T16 (1e-400s)\n" +
				"--- PASS: T17 (Infinitys)\n--- PASS: T18 (+nans)\n--- PASS: T19 (0.1)\n--- PASS: T20 (1e+3s) extra\n" +
				"--- PASS: T21 ( 1s)\n--- PASS: T22 (0.30000000000000004s)\n--- PASS: T23 (1.5e300s)\n--- SKIP: T24 (9.999999e-7s)\n" +
				"--- PASS: T25 (7.120236347223045e-307s)\n--- PASS: T26 (5e-324s)\n--- PASS: T27 (1.7976931348623157e308s)\n" +
				"--- PASS: T28 (9.999999999999999e20s)\n--- PASS: T29 (1e-6s)\n--- PASS: T30 (123456789012345678s)\n--- PASS: T31 (2.5E+2s)\n"}},
		{name: "elapsed_nonfinite", ts: true, tz: "UTC", chunks: []string{
			"--- PASS: TestI (infs)\n--- FAIL: TestJ (-Infs)\n--- PASS: TestN (nans)\nPASS\n"}},
		{name: "elapsed_no_timestamp", chunks: []string{"--- PASS: TestA (0.50s)\nok  \texample.com/p\t0.5s\n"}},
		{name: "skip_then_exited", pkg: "p", chunks: []string{"?   \tp\t[no test files]\n"}, exited: "nil"},
		{name: "exited_ok_empty", chunks: []string{}, exited: "nil"},
		{name: "exited_err_empty", chunks: []string{}, exited: "err"},
		{name: "no_result", chunks: []string{"hello\nworld"}},
		{name: "artifacts_attr", chunks: []string{
			"=== RUN   TestA\n=== ARTIFACTS TestA /tmp/x y\n=== ATTR  TestA key value with spaces\n=== ATTR  TestA lonely\n=== ARTIFACTS TestA\n--- PASS: TestA (0.00s)\nPASS\n"}},
		{name: "long_lines", chunks: []string{"=== RUN   TestLong\n", long1, long2, "PASS\n"}},
		{name: "bench_partial", chunks: []string{"BenchmarkFoo-8   \t", "   100\t  10 ns/op\n", "Benchmarkfoo\tx", "y\n", "Benchmark\t", "1\n", "BenchmarkÉ\t", "2\n", "PASS\n"}},
		{name: "escaping", chunks: []string{"=== RUN   Test<a>&\xff\n\u2028\x01\x7f\xc3(\xed\xa0\x80 \ttab\b\f\r\n--- PASS: Test<a>&\xff (0.00s)\n"}},
		{name: "marker", chunks: []string{"\x16=== RUN   TestA\n=== RUN   TestFake\nout\x16--- PASS: TestA (0.00s)\n\x16PASS\n"}},
		{name: "trim_space", chunks: []string{"=== RUN   Test\u00a0X\u3000\u0085\n--- FAIL: Test\u00a0X\u2000 (0.00s)\nFAIL\n"}},
		{name: "empty_name", chunks: []string{"=== RUN   TestA\n=== NAME\nx\n=== NAME  TestA\r\ny\n=== PAUSE TestA\n=== CONT  TestA\n"}},
		{name: "nested_deeper", chunks: []string{"=== RUN   TestA\n        --- PASS: TestA/b/c (0.00s)\n    --- PASS: TestA/b (0.00s)\n    inner\n        deep\n--- PASS: TestA (0.00s)\n"}},
	}
	var out bytes.Buffer
	for _, tc := range cases {
		tz := tc.tz
		if tz == "" {
			tz = "UTC"
		}
		if tz != os.Getenv("TZ") {
			continue
		}
		var buf bytes.Buffer
		t2j.FakeBase = 1767225600123400000
		t2j.FakeStep = 1500000
		if tc.step != 0 {
			t2j.FakeBase, t2j.FakeStep = tc.base, tc.step
		}
		t2j.ResetClock()
		mode := t2j.Mode(0)
		if tc.ts {
			mode = t2j.Timestamp
		}
		c := t2j.NewConverter(&buf, tc.pkg, mode)
		for _, ch := range tc.chunks {
			c.Write([]byte(ch))
		}
		switch tc.exited {
		case "nil":
			c.Exited(nil)
		case "err":
			c.Exited(errors.New("exit status 1"))
		}
		if tc.fb != "" {
			c.SetFailedBuild(tc.fb)
		}
		c.Close()
		ex := map[string]int{"": -1, "nil": 0, "err": 1}[tc.exited]
		fmt.Fprintf(&out, "\t{\n\t\t%q, %q, %v, %q, %d, %s, %dLL, %dLL,\n\t\t{", tc.name, tc.pkg, tc.ts, tc.tz, ex, cstr(tc.fb), t2j.FakeBase, t2j.FakeStep)
		for _, ch := range tc.chunks {
			fmt.Fprintf(&out, "\n\t\t%s,", cstr(ch))
		}
		fmt.Fprintf(&out, "\n\t\tNULL},\n\t\t%s,\n\t},\n", cstr(buf.String()))
	}
	os.Stdout.Write(out.Bytes())
}
