// Package greet builds greetings from an embedded template.
package greet

import (
	_ "embed"
	"strings"
)

//go:embed greeting.txt
var template string

// Greeting returns the embedded greeting addressed to name.
func Greeting(name string) string {
	return strings.ReplaceAll(strings.TrimSpace(template), "NAME", name)
}
