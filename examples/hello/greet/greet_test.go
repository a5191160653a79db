package greet

import "testing"

func TestGreeting(t *testing.T) {
	if got, want := Greeting("gopher"), "Hello, gopher! (from gotool's example module)"; got != want {
		t.Errorf("Greeting(%q) = %q, want %q", "gopher", got, want)
	}
}
